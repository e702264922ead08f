package stream

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// ConnConfig says how to reach NATS. At most one of Creds, NKeySeed, Token
// and User/Password is used; TLS applies to any of them.
type ConnConfig struct {
	URL      string `yaml:"url"`       // one or more URLs, comma-separated
	Creds    string `yaml:"creds"`     // a .creds file (JWT and seed)
	NKeySeed string `yaml:"nkey_seed"` // a file holding an nkey seed
	User     string `yaml:"user"`
	Password string `yaml:"password"`
	Token    string `yaml:"token"`
	TLSCA    string `yaml:"tls_ca"`   // CA bundle to verify the server
	TLSCert  string `yaml:"tls_cert"` // client certificate for mutual TLS
	TLSKey   string `yaml:"tls_key"`
	// InboxPrefix replaces "_INBOX" in the subjects replies come back on:
	// a user allowed to subscribe only under its own inbox needs it. Empty
	// with Creds: the prefix the credential's user is allowed (an agency's
	// .creds alone is enough).
	InboxPrefix string `yaml:"inbox_prefix"`
	// Name identifies the connection in the server's monitoring.
	Name string `yaml:"-"`
}

// DefaultURL is a NATS server on this machine.
const DefaultURL = "nats://127.0.0.1:4222"

// Validate names settings that contradict each other.
func (c ConnConfig) Validate() error {
	var errs []error
	if strings.TrimSpace(c.URL) == "" {
		errs = append(errs, errors.New("nats url: empty"))
	}
	methods := 0
	for _, set := range []bool{c.Creds != "", c.NKeySeed != "", c.Token != "", c.User != ""} {
		if set {
			methods++
		}
	}
	if methods > 1 {
		errs = append(errs, errors.New("nats credentials: give only one of creds, nkey seed, token, user/password"))
	}
	if c.Password != "" && c.User == "" {
		errs = append(errs, errors.New("nats password: given without a user"))
	}
	if p := c.InboxPrefix; p != "" && (strings.ContainsAny(p, "*> \t\r\n") || strings.HasPrefix(p, ".") || strings.HasSuffix(p, ".") || strings.Contains(p, "..")) {
		errs = append(errs, fmt.Errorf("nats inbox prefix %q: want dot-separated tokens without spaces or wildcards", p))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("nats tls: a client certificate and its key go together"))
	}
	return errors.Join(errs...)
}

// Connect dials NATS and keeps reconnecting for as long as the connection
// lives: the producers and consumers ride out server restarts. The first
// connection must succeed; its error says whether the server was unreachable
// or refused the credentials.
func Connect(cfg ConnConfig, log *slog.Logger) (*nats.Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "nats")
	opts := []nats.Option{
		nats.Name(cfg.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectJitter(250*time.Millisecond, time.Second),
		nats.RetryOnFailedConnect(false),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { log.Info("reconnected", "url", nc.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subj := ""
			if sub != nil {
				subj = sub.Subject
			}
			log.Error("async error", "subject", subj, "err", err)
		}),
	}
	switch {
	case cfg.Creds != "":
		opts = append(opts, nats.UserCredentials(cfg.Creds))
	case cfg.NKeySeed != "":
		o, err := nats.NkeyOptionFromSeed(cfg.NKeySeed)
		if err != nil {
			return nil, fmt.Errorf("nats nkey seed %s: %w", cfg.NKeySeed, err)
		}
		opts = append(opts, o)
	case cfg.Token != "":
		opts = append(opts, nats.Token(cfg.Token))
	case cfg.User != "":
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password))
	}
	inbox := cfg.InboxPrefix
	if inbox == "" && cfg.Creds != "" {
		p, err := CredsInboxPrefix(cfg.Creds)
		if err != nil {
			return nil, err
		}
		inbox = p
	}
	if inbox != "" {
		opts = append(opts, nats.CustomInboxPrefix(inbox))
	}
	if cfg.TLSCA != "" {
		opts = append(opts, nats.RootCAs(cfg.TLSCA))
	}
	if cfg.TLSCert != "" {
		opts = append(opts, nats.ClientCert(cfg.TLSCert, cfg.TLSKey))
	}
	nc, err := nats.Connect(cfg.URL, opts...)
	switch {
	case err == nil:
		return nc, nil
	case errors.Is(err, nats.ErrAuthorization), errors.Is(err, nats.ErrAuthExpired), errors.Is(err, nats.ErrAuthRevoked),
		strings.Contains(strings.ToLower(err.Error()), "authorization"):
		return nil, fmt.Errorf("NATS at %s refused the credentials: %w", redact(cfg.URL), err)
	case errors.Is(err, nats.ErrNoServers):
		return nil, fmt.Errorf("cannot reach NATS at %s (is the server running?): %w", redact(cfg.URL), err)
	}
	return nil, fmt.Errorf("connect to NATS at %s: %w", redact(cfg.URL), err)
}

// redact hides passwords embedded in URLs.
func redact(urls string) string {
	parts := strings.Split(urls, ",")
	for i, u := range parts {
		if at := strings.LastIndex(u, "@"); at >= 0 {
			if s := strings.Index(u, "://"); s >= 0 && s < at {
				parts[i] = u[:s+3] + "***@" + u[at+1:]
			}
		}
	}
	return strings.Join(parts, ",")
}
