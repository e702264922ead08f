package natsauth

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/baocao/baocao/stream"
)

// WriteServiceCreds issues each service's credentials into dir (made 0700),
// one <service>.creds file (0600) each, replacing the earlier ones, and
// returns their paths. They are not recorded: "up" writes them afresh at
// every start, in its own authority's folder.
func (a *Authority) WriteServiceCreds(dir string, sc stream.Config, durable string, services ...Service) (map[Service]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("service credentials: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("service credentials: %w", err)
	}
	paths := map[Service]string{}
	for _, s := range services {
		creds, _, err := a.Creds(ServiceIdentity(s, sc, durable), 0)
		if err != nil {
			return nil, fmt.Errorf("service credentials of %s: %w", s, err)
		}
		path := filepath.Join(dir, string(s)+".creds")
		if err := WriteCreds(path, creds); err != nil {
			return nil, err
		}
		paths[s] = path
	}
	return paths, nil
}

// KeptServiceCreds is what KeepServiceCreds did for one service.
type KeptServiceCreds struct {
	Service Service
	Path    string
	// Issued is the credential written now; nil when the file was kept.
	Issued *Credential
}

// KeepServiceCreds gives each service its credentials in its own folder,
// <dir>/<service>/<service>.creds (0600), for a deployment that mounts each
// folder into its service only (docker-compose). A file already there is
// kept, so running it again invalidates nothing; a new one is recorded
// (IssueService), so that a leaked one can be revoked.
func (a *Authority) KeepServiceCreds(dir string, sc stream.Config, durable string, services ...Service) ([]KeptServiceCreds, error) {
	var out []KeptServiceCreds
	for _, s := range services {
		k := KeptServiceCreds{Service: s, Path: filepath.Join(dir, string(s), string(s)+".creds")}
		if _, err := os.Stat(k.Path); err == nil {
			out = append(out, k)
			continue
		}
		creds, c, err := a.IssueService(s, sc, durable, 0)
		if err != nil {
			return out, err
		}
		if err := WriteCreds(k.Path, creds); err != nil {
			return out, err
		}
		k.Issued = &c
		out = append(out, k)
	}
	return out, nil
}

// Session connects to NATS (cfg's URL and TLS) as an identity the
// authority signs for ten minutes: the admin, or with system a
// system-account user (to Push). done closes the connection and removes the
// credentials file, written 0600 in the authority's folder meanwhile.
func (a *Authority) Session(cfg stream.ConnConfig, system bool, log *slog.Logger) (nc *nats.Conn, done func(), err error) {
	var creds []byte
	if system {
		creds, err = a.SystemCreds(sessionTTL)
	} else {
		creds, _, err = a.Creds(ServiceIdentity(Admin, stream.DefaultConfig(), ""), sessionTTL)
	}
	if err != nil {
		return nil, nil, err
	}
	path, remove, err := a.tempCreds(creds)
	if err != nil {
		return nil, nil, err
	}
	cfg.Creds, cfg.NKeySeed, cfg.User, cfg.Password, cfg.Token, cfg.InboxPrefix = path, "", "", "", "", ""
	nc, err = stream.Connect(cfg, log)
	if err != nil {
		remove()
		return nil, nil, err
	}
	return nc, func() { nc.Close(); remove() }, nil
}

// sessionTTL bounds a Session's credentials.
const sessionTTL = 10 * time.Minute

// tempCreds writes creds to a new 0600 file in the authority's folder;
// remove deletes it.
func (a *Authority) tempCreds(creds []byte) (path string, remove func(), err error) {
	f, err := os.CreateTemp(a.dir, ".session-*.creds")
	if err != nil {
		return "", nil, fmt.Errorf("temporary credentials: %w", err)
	}
	remove = func() { os.Remove(f.Name()) }
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		remove()
		return "", nil, err
	}
	if _, err := f.Write(creds); err != nil {
		f.Close()
		remove()
		return "", nil, err
	}
	if err := f.Close(); err != nil {
		remove()
		return "", nil, err
	}
	return f.Name(), remove, nil
}
