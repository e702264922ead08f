package natsauth

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/baocao/baocao/stream"
)

// WriteServiceCreds issues each service's credentials into dir (made 0700),
// one <service>.creds file (0600) each, replacing the earlier ones, and
// returns their paths. "up" writes them at every start; docker-compose's
// auth service writes them into each service's own volume.
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

// TempCreds writes creds (Creds, SystemCreds: issue them short-lived) to a
// new 0600 file in the authority's folder, for a command that connects as
// that identity for a moment; remove deletes it.
func (a *Authority) TempCreds(creds []byte) (path string, remove func(), err error) {
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
