// Package natsauth issues the NATS identities of one baocao deployment with
// NATS's own decentralized JWT authentication: an operator signs two
// accounts, the events account (the streams, every agency and service) and
// the system account (claim updates); the events account signs one user per
// agency credential and per service, each allowed only the subjects it needs
// (identity.go). The server trusts the operator and keeps the account JWTs
// in a "full" directory resolver, so a revocation is the account JWT
// re-signed and pushed to the running server: no restart.
package natsauth

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nkeys"
)

// Key files in the authority's folder.
const (
	operatorSeedFile = "operator.nk"
	accountSeedFile  = "events-account.nk"
	systemSeedFile   = "system-account.nk"
	registryFile     = "registry.json"
	accountJWTFile   = "events-account.jwt" // the last one signed
)

// Names of the accounts, shown in the server's monitoring.
const (
	OperatorName = "baocao"
	AccountName  = "baocao-events"
	SystemName   = "baocao-system"
)

// Authority is a folder of keys that signs every NATS identity of one
// deployment. Whoever reads the folder can issue any identity: it is 0700,
// its seeds 0600.
type Authority struct {
	dir      string
	operator nkeys.KeyPair
	account  nkeys.KeyPair
	system   nkeys.KeyPair
	mu       sync.Mutex // the registry file
}

// Open reads the authority in dir, creating the folder and the operator,
// events-account and system-account keys when they are absent.
func Open(dir string) (*Authority, error) {
	if dir == "" {
		return nil, errors.New("nats authority: no folder given")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("nats authority: %w", err)
	}
	a := &Authority{dir: dir}
	var err error
	if a.operator, err = loadOrCreate(filepath.Join(dir, operatorSeedFile), nkeys.PrefixByteOperator); err != nil {
		return nil, err
	}
	if a.account, err = loadOrCreate(filepath.Join(dir, accountSeedFile), nkeys.PrefixByteAccount); err != nil {
		return nil, err
	}
	if a.system, err = loadOrCreate(filepath.Join(dir, systemSeedFile), nkeys.PrefixByteAccount); err != nil {
		return nil, err
	}
	if _, err := a.readRegistry(); err != nil { // a damaged registry is found now, not at the first revocation
		return nil, err
	}
	return a, nil
}

// loadOrCreate reads the seed in path, or creates one of kind there.
func loadOrCreate(path string, kind nkeys.PrefixByte) (nkeys.KeyPair, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		kp, err := nkeys.CreatePair(kind)
		if err != nil {
			return nil, fmt.Errorf("nats authority: create key %s: %w", path, err)
		}
		seed, err := kp.Seed()
		if err != nil {
			return nil, fmt.Errorf("nats authority: create key %s: %w", path, err)
		}
		if err := writeSecret(path, append(seed, '\n'), false); err != nil {
			return nil, fmt.Errorf("nats authority: %w", err)
		}
		return kp, nil
	}
	if err != nil {
		return nil, fmt.Errorf("nats authority: %w", err)
	}
	b, err := readSecret(path, fi)
	if err != nil {
		return nil, err
	}
	kp, err := nkeys.FromSeed([]byte(strings.TrimSpace(string(b))))
	if err != nil {
		return nil, fmt.Errorf("nats authority: key %s: not an nkey seed: %w", path, err)
	}
	pub, _ := kp.PublicKey()
	if !nkeys.IsValidPublicKey(pub) || nkeys.PrefixByte(pub[0]) != publicPrefix(kind) {
		return nil, fmt.Errorf("nats authority: key %s: a seed of the wrong kind (public key %s)", path, pub)
	}
	return kp, nil
}

func publicPrefix(kind nkeys.PrefixByte) nkeys.PrefixByte {
	switch kind {
	case nkeys.PrefixByteOperator:
		return 'O'
	case nkeys.PrefixByteAccount:
		return 'A'
	}
	return 'U'
}

// checkSecret refuses a secret file others may read.
func checkSecret(path string, fi fs.FileInfo) error {
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("nats authority: %s: not a regular file", path)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return fmt.Errorf("nats authority: %s is readable by others (mode %v): it must be 0600 (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	return nil
}

// readSecret reads a secret file, refusing one others may read.
func readSecret(path string, fi fs.FileInfo) ([]byte, error) {
	if err := checkSecret(path, fi); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nats authority: %w", err)
	}
	return b, nil
}

// writeSecret writes a 0600 file, atomically when replace is set; without
// replace an existing file is an error.
func writeSecret(path string, data []byte, replace bool) error {
	if !replace {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			return err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Dir is the authority's folder.
func (a *Authority) Dir() string { return a.dir }

// AccountPublicKey is the events account's public key: the name of the
// account on the server, and of its JetStream folder (<store>/jetstream/<key>).
func (a *Authority) AccountPublicKey() string { return pub(a.account) }

// SystemAccountPublicKey is the system account's public key.
func (a *Authority) SystemAccountPublicKey() string { return pub(a.system) }

// OperatorPublicKey is the operator's public key.
func (a *Authority) OperatorPublicKey() string { return pub(a.operator) }

func pub(kp nkeys.KeyPair) string {
	p, _ := kp.PublicKey() // cannot fail for a key read from a valid seed
	return p
}

// operatorClaims is the operator the server trusts.
func (a *Authority) operatorClaims() *jwt.OperatorClaims {
	oc := jwt.NewOperatorClaims(pub(a.operator))
	oc.Name = OperatorName
	oc.SystemAccount = pub(a.system)
	return oc
}

func (a *Authority) operatorJWT() (string, error) {
	s, err := a.operatorClaims().Encode(a.operator)
	if err != nil {
		return "", fmt.Errorf("nats authority: sign operator: %w", err)
	}
	return s, nil
}

// accountJWT is the events account's JWT as the registry says now:
// JetStream enabled without limits (the stream's own limits apply) and the
// revoked credentials listed.
func (a *Authority) accountJWT() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.accountJWTLocked()
}

// accountJWTLocked returns the JWT kept in the folder while it says what the
// registry says, and signs a new one, kept there, when it does not. A new
// JWT is issued at least one second after the one it replaces: a resolver
// replaces a stored JWT only by one with a later or equal issue time and a
// different "jti", and the jti is a hash of the standard claims alone (issuer,
// subject, name, issue time), not of the revocations, so two JWTs signed in
// the same second look the same to it.
func (a *Authority) accountJWTLocked() (string, error) {
	reg, err := a.readRegistry()
	if err != nil {
		return "", err
	}
	ac := jwt.NewAccountClaims(pub(a.account))
	ac.Name = AccountName
	ac.Limits.JetStreamLimits = jwt.JetStreamLimits{
		MemoryStorage: jwt.NoLimit, DiskStorage: jwt.NoLimit,
		Streams: jwt.NoLimit, Consumer: jwt.NoLimit, MaxAckPending: jwt.NoLimit,
	}
	for _, c := range reg.Credentials {
		if c.Revoked != nil {
			ac.RevokeAt(c.PublicKey, *c.Revoked)
		}
	}
	want, err := json.Marshal(ac.Account)
	if err != nil {
		return "", err
	}
	path := filepath.Join(a.dir, accountJWTFile)
	var last int64
	if b, err := os.ReadFile(path); err == nil {
		if kept, err := jwt.DecodeAccountClaims(string(b)); err == nil && kept.Subject == ac.Subject && kept.Issuer == pub(a.operator) {
			have, _ := json.Marshal(kept.Account)
			if kept.Name == ac.Name && bytes.Equal(have, want) {
				return string(b), nil
			}
			last = kept.IssuedAt
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("nats authority: %w", err)
	}
	if wait := time.Until(time.Unix(last+1, 0)); wait > 0 {
		time.Sleep(wait) // at most a second, and only when re-signed within one
	}
	token, err := ac.Encode(a.operator)
	if err != nil {
		return "", fmt.Errorf("nats authority: sign events account: %w", err)
	}
	if err := writeSecret(path, []byte(token), true); err != nil {
		return "", fmt.Errorf("nats authority: %w", err)
	}
	return token, nil
}

func (a *Authority) systemJWT() (string, error) {
	ac := jwt.NewAccountClaims(pub(a.system))
	ac.Name = SystemName
	s, err := ac.Encode(a.operator)
	if err != nil {
		return "", fmt.Errorf("nats authority: sign system account: %w", err)
	}
	return s, nil
}

// accountJWTs are the current JWTs of both accounts, by public key.
func (a *Authority) accountJWTs() (map[string]string, error) {
	acc, err := a.accountJWT()
	if err != nil {
		return nil, err
	}
	sys, err := a.systemJWT()
	if err != nil {
		return nil, err
	}
	return map[string]string{pub(a.account): acc, pub(a.system): sys}, nil
}

// Resolver settings, the same embedded and in ServerConfig.
const (
	resolverSync  = 2 * time.Minute // how often servers of a cluster compare their JWTs
	resolverLimit = 1000            // account JWTs kept; a deployment has two
)

// Configure puts an embedded server in operator mode: it trusts the
// authority's operator, its system account is the authority's, and a full
// directory resolver in resolverDir holds the account JWTs, stored there now
// (a JWT the folder already holds with a later issue time, e.g. one pushed
// live, is kept). Call it before server.NewServer (stream.StartEmbedded's
// tweak).
func (a *Authority) Configure(opts *server.Options, resolverDir string) error {
	if resolverDir == "" {
		return errors.New("nats authority: no resolver folder given")
	}
	if err := os.MkdirAll(resolverDir, 0o700); err != nil {
		return fmt.Errorf("nats authority: resolver folder: %w", err)
	}
	res, err := server.NewDirAccResolver(resolverDir, resolverLimit, resolverSync, server.NoDelete)
	if err != nil {
		return fmt.Errorf("nats authority: resolver in %s: %w", resolverDir, err)
	}
	jwts, err := a.accountJWTs()
	if err != nil {
		res.Close()
		return err
	}
	for _, k := range sortedKeys(jwts) {
		if err := res.Store(k, jwts[k]); err != nil {
			res.Close()
			return fmt.Errorf("nats authority: store account %s in %s: %w", k, resolverDir, err)
		}
	}
	opts.TrustedOperators = []*jwt.OperatorClaims{a.operatorClaims()}
	opts.TrustedKeys = nil // filled by the server from the operator
	opts.SystemAccount = pub(a.system)
	opts.AccountResolver = res
	opts.Users, opts.Nkeys, opts.Accounts = nil, nil, nil
	opts.Username, opts.Password, opts.Authorization = "", "", ""
	opts.NoAuthUser = ""
	return nil
}

// ServerConfig is the authentication part of a nats-server.conf for an
// external server (docker-compose): the operator, the system account, a full
// resolver in resolverDir and the account JWTs preloaded into it. Include it
// next to the listen and jetstream settings. Once the server runs, later
// revocations reach it by Push (and are kept in resolverDir across
// restarts); a regenerated config carries them too.
func (a *Authority) ServerConfig(resolverDir string) (string, error) {
	if resolverDir == "" {
		return "", errors.New("nats authority: no resolver folder given")
	}
	op, err := a.operatorJWT()
	if err != nil {
		return "", err
	}
	jwts, err := a.accountJWTs()
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# NATS authentication of baocao, written by the authority in %s.\n", a.dir)
	b.WriteString("# Operator mode: users authenticate with .creds files the authority issues.\n")
	fmt.Fprintf(&b, "operator: %q\n", op)
	fmt.Fprintf(&b, "system_account: %q\n", pub(a.system))
	fmt.Fprintf(&b, "resolver: {\n  type: full\n  dir: %q\n  allow_delete: false\n  interval: %q\n  limit: %d\n}\n",
		resolverDir, resolverSync.String(), resolverLimit)
	b.WriteString("resolver_preload: {\n")
	for _, k := range sortedKeys(jwts) {
		fmt.Fprintf(&b, "  %s: %q\n", k, jwts[k])
	}
	b.WriteString("}\n")
	return b.String(), nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// WriteCreds writes a .creds file, a secret, with mode 0600 (replacing
// the file atomically), creating its folder 0700 when absent.
func WriteCreds(path string, creds []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write creds: %w", err)
	}
	if err := writeSecret(path, creds, true); err != nil {
		return fmt.Errorf("write creds %s: %w", path, err)
	}
	return nil
}
