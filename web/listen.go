package web

import (
	"crypto/tls"
	"fmt"
	"net"
	"os"
	"sync"
	"time"
)

// Listen listens on addr for HTTP, with TLS when certFile and keyFile are
// given (both or neither), and returns the listener and its base URL. The
// certificate is read again when its file changes, so a renewed one is
// served without a restart. Every baocao HTTP listener opens through here.
func Listen(addr, certFile, keyFile string) (net.Listener, string, error) {
	if (certFile == "") != (keyFile == "") {
		return nil, "", fmt.Errorf("TLS: give both a certificate and a key (got certificate %q, key %q)", certFile, keyFile)
	}
	var cfg *tls.Config
	if certFile != "" {
		c := &certReloader{cert: certFile, key: keyFile}
		if err := c.load(); err != nil {
			return nil, "", err
		}
		cfg = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: c.get}
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, "", err
	}
	if cfg == nil {
		return l, "http://" + l.Addr().String(), nil
	}
	return tls.NewListener(l, cfg), "https://" + l.Addr().String(), nil
}

// Loopback reports whether l accepts connections only from this machine
// (127.0.0.0/8 or ::1); an unspecified address (0.0.0.0, ::) is not.
func Loopback(l net.Listener) bool {
	a, ok := l.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}

// certReloader serves the certificate, reading the files again when the
// certificate's file changed (looked at no more than every 10 seconds).
type certReloader struct {
	cert, key string
	mu        sync.Mutex
	current   *tls.Certificate
	mtime     time.Time
	checked   time.Time
}

func (c *certReloader) load() error {
	st, err := os.Stat(c.cert)
	if err != nil {
		return fmt.Errorf("TLS certificate: %w", err)
	}
	pair, err := tls.LoadX509KeyPair(c.cert, c.key)
	if err != nil {
		return fmt.Errorf("TLS certificate %s and key %s: %w", c.cert, c.key, err)
	}
	c.current, c.mtime, c.checked = &pair, st.ModTime(), time.Now()
	return nil
}

func (c *certReloader) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.checked) >= 10*time.Second {
		c.checked = time.Now()
		if st, err := os.Stat(c.cert); err == nil && !st.ModTime().Equal(c.mtime) {
			c.load() // a half-written renewal keeps the old certificate
		}
	}
	return c.current, nil
}
