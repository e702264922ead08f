package natsauth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/stream"
)

// Credential is one credential the authority issued and recorded: an
// agency's (IssueAgency) or a long-lived service's (IssueService). The
// registry holds no secret: the seed is only in the .creds file handed out.
type Credential struct {
	PublicKey string     `json:"public_key"`
	Agency    string     `json:"agency,omitempty"`
	Service   Service    `json:"service,omitempty"`
	Grants    []Grant    `json:"grants,omitempty"`
	Issued    time.Time  `json:"issued"`
	Expires   *time.Time `json:"expires,omitempty"`
	Revoked   *time.Time `json:"revoked,omitempty"`
}

type registry struct {
	Credentials []Credential `json:"credentials"`
}

func (a *Authority) registryPath() string { return filepath.Join(a.dir, registryFile) }

func (a *Authority) readRegistry() (registry, error) {
	path := a.registryPath()
	var reg registry
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return reg, nil
	}
	if err != nil {
		return reg, fmt.Errorf("nats authority: %w", err)
	}
	b, err := readSecret(path, fi)
	if err != nil {
		return reg, err
	}
	if err := json.Unmarshal(b, &reg); err != nil {
		return reg, fmt.Errorf("nats authority: registry %s: %w", path, err)
	}
	for i, c := range reg.Credentials {
		if c.PublicKey == "" || (c.Agency == "") == (c.Service == "") {
			return reg, fmt.Errorf("nats authority: registry %s: credential %d: public_key and one of agency, service are required", path, i+1)
		}
	}
	return reg, nil
}

func (a *Authority) writeRegistry(reg registry) error {
	b, err := json.MarshalIndent(reg, "", "  ")
	if err != nil {
		return err
	}
	if err := writeSecret(a.registryPath(), append(b, '\n'), true); err != nil {
		return fmt.Errorf("nats authority: registry: %w", err)
	}
	return nil
}

// IssueAgency issues a new credential for the agency code on the events
// stream sc (AgencyIdentity, no expiry) and records it in the registry. The
// .creds returned is the agency's secret; it is not kept.
func (a *Authority) IssueAgency(sc stream.Config, code string, grants ...Grant) ([]byte, Credential, error) {
	if err := events.ValidAgencyCode(code); err != nil {
		return nil, Credential{}, fmt.Errorf("agency code: %w", err)
	}
	if err := sc.Validate(); err != nil {
		return nil, Credential{}, err
	}
	return a.record(AgencyIdentity(sc, code, grants...), 0, Credential{Agency: code, Grants: grants})
}

// IssueService issues a recorded, revocable credential for a service that
// keeps it in a file (an external deployment: docker-compose), expiring
// after ttl (0: never). A process that issues its own credentials each time
// it starts, like up, uses Creds with a ttl instead.
func (a *Authority) IssueService(s Service, sc stream.Config, durable string, ttl time.Duration) ([]byte, Credential, error) {
	return a.record(ServiceIdentity(s, sc, durable), ttl, Credential{Service: s})
}

func (a *Authority) record(id Identity, ttl time.Duration, c Credential) ([]byte, Credential, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	reg, err := a.readRegistry()
	if err != nil {
		return nil, Credential{}, err
	}
	now := time.Now().UTC().Truncate(time.Second)
	creds, key, err := a.Creds(id, ttl)
	if err != nil {
		return nil, Credential{}, err
	}
	c.PublicKey, c.Issued = key, now
	if ttl > 0 {
		exp := now.Add(ttl)
		c.Expires = &exp
	}
	reg.Credentials = append(reg.Credentials, c)
	if err := a.writeRegistry(reg); err != nil {
		return nil, Credential{}, err
	}
	return creds, c, nil
}

// Credentials lists the recorded credentials, oldest first.
func (a *Authority) Credentials() ([]Credential, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	reg, err := a.readRegistry()
	return reg.Credentials, err
}

// Revoke marks the credentials with these public keys revoked (an unknown
// key is an error and nothing changes; one revoked already keeps its time)
// and returns them. It re-signs the events account JWT listing them as
// revoked (Configure, ServerConfig and Push give it): a server that has it
// refuses them and closes their connections. Push it to the running servers.
func (a *Authority) Revoke(keys ...string) ([]Credential, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	reg, err := a.readRegistry()
	if err != nil {
		return nil, err
	}
	// A revocation covers the key's JWTs issued up to its time, in seconds.
	now := time.Now().UTC().Truncate(time.Second)
	var out []Credential
	var unknown []string
	for _, k := range keys {
		found := false
		for i := range reg.Credentials {
			c := &reg.Credentials[i]
			if c.PublicKey != k {
				continue
			}
			found = true
			if c.Revoked == nil {
				t := now
				c.Revoked = &t
			}
			out = append(out, *c)
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("revoke: no credential with public key %v", unknown)
	}
	if err := a.writeRegistry(reg); err != nil {
		return nil, err
	}
	if _, err := a.accountJWTLocked(); err != nil {
		return nil, err
	}
	return out, nil
}

// ClaimsUpdateSubject is where a system-account user sends account JWTs.
const ClaimsUpdateSubject = "$SYS.REQ.CLAIMS.UPDATE"

// Push sends the events account's current JWT to the servers nc reaches;
// nc must be connected with SystemCreds. A server with a full resolver
// stores it, applies it at once (a revoked user's connections are closed)
// and answers; Push returns the answer's error if it refused.
func (a *Authority) Push(ctx context.Context, nc *nats.Conn) error {
	token, err := a.accountJWT()
	if err != nil {
		return err
	}
	msg, err := nc.RequestWithContext(ctx, ClaimsUpdateSubject, []byte(token))
	if errors.Is(err, nats.ErrNoResponders) {
		return fmt.Errorf("push account JWT: no server answered on %s: connect with the authority's system creds to a server in operator mode with a full resolver: %w", ClaimsUpdateSubject, err)
	}
	if err != nil {
		return fmt.Errorf("push account JWT: %w", err)
	}
	var r server.ServerAPIClaimUpdateResponse
	if err := json.Unmarshal(msg.Data, &r); err != nil {
		return fmt.Errorf("push account JWT: unreadable answer %q: %w", clip(msg.Data), err)
	}
	if r.Error != nil {
		return fmt.Errorf("push account JWT: server refused it (%d): %s", r.Error.Code, r.Error.Description)
	}
	if r.Data == nil || r.Data.Account != a.AccountPublicKey() {
		return fmt.Errorf("push account JWT: unexpected answer %q", clip(msg.Data))
	}
	return nil
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}
