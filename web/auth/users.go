package auth

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"go.yaml.in/yaml/v3"
	"golang.org/x/crypto/bcrypt"
)

// TokenPrefix starts every token, so a token pasted where it should not be
// (a log, a ticket, a repository) is recognisable to people and scanners.
const TokenPrefix = "bct_"

// tokenBytes is a token's entropy: 256 bits, beyond any guessing, which is
// why a fast SHA-256 of it is enough to store (a password needs bcrypt).
const tokenBytes = 32

// checkEvery is how often the file is looked at for changes, at most.
const checkEvery = time.Second

var (
	// ErrNoCredentials is a request without an Authorization header.
	ErrNoCredentials = errors.New("no credentials")
	// ErrBadCredentials is an unknown user or token, or a wrong password.
	ErrBadCredentials = errors.New("wrong user, password or token")
	// ErrNoUsers is a users file that is missing, unreadable or invalid:
	// nobody can log in until it is fixed.
	ErrNoUsers = errors.New("no users")
)

// User is one identity of the users file. Only hashes are stored: a
// bcrypt hash of a password, or the SHA-256 of a token.
type User struct {
	Name   string `yaml:"name"`
	Role   Role   `yaml:"role"`
	Agency string `yaml:"agency,omitempty"`
	// Password is a bcrypt hash.
	Password string `yaml:"password_bcrypt,omitempty"`
	// TokenSHA256 is the hex SHA-256 of the token.
	TokenSHA256 string `yaml:"token_sha256,omitempty"`
	Created     string `yaml:"created,omitempty"`
}

// Kind is "password" or "token".
func (u User) Kind() string {
	if u.Password != "" {
		return "password"
	}
	return "token"
}

type file struct {
	Users []User `yaml:"users"`
}

const fileHeader = "# baocao HTTP users: hashes only, never a password or a token.\n# Change with \"baocao users add/remove\"; the server re-reads this file.\n"

var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)

// Users is the users file, re-read when it changes (looked at no more than
// once a second), so a user removed is refused without a restart.
type Users struct {
	path string
	// Log receives failed logins (never the secret); nil: discarded.
	Log *slog.Logger

	mu        sync.Mutex
	users     []User
	loadErr   error                  // why nobody can log in, when the file is not usable
	stat      os.FileInfo            // of the file last read; nil when missing
	checked   time.Time              // when the file was last looked at
	verified  map[[32]byte]time.Time // bcrypt checks passed, see password
	cacheKey  []byte
	failures  *failures
	metric    *prometheus.CounterVec
	dummyHash []byte
}

// Open reads the users file at path. A missing file is no error: it holds
// no users yet, every login fails with ErrNoUsers, and it is read as soon
// as it appears. A file others may read, or one that does not parse, is an
// error naming it.
func Open(path string) (*Users, error) {
	u := newUsers(path)
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return u, nil
}

func newUsers(path string) *Users {
	key := make([]byte, 32)
	rand.Read(key)
	return &Users{path: path, cacheKey: key, failures: newFailures(), metric: newLoginMetric(), verified: map[[32]byte]time.Time{}}
}

// None is a users list nobody is in, for a server told to require a login
// without a users file: every login fails with ErrNoUsers.
func None() *Users {
	u := newUsers("")
	u.loadErr = errors.New("no users file configured")
	u.checked = time.Now().Add(100 * 365 * 24 * time.Hour) // never looked at
	return u
}

// Path is the users file's path.
func (u *Users) Path() string { return u.path }

// load reads the file; the caller holds mu.
func (u *Users) load() error {
	u.checked = time.Now()
	u.users, u.stat = nil, nil
	users, st, err := readFile(u.path)
	u.stat = st
	if err != nil {
		u.loadErr = err
		return err
	}
	u.users, u.loadErr = users, nil
	return nil
}

func readFile(path string) ([]User, os.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil, fmt.Errorf("users file %s does not exist: %w", path, err)
		}
		return nil, nil, fmt.Errorf("users file: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fmt.Errorf("users file: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, st, fmt.Errorf("users file %s: mode %04o lets others read it; chmod 600 %s", path, perm, path)
	}
	b, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err != nil {
		return nil, st, fmt.Errorf("users file: %w", err)
	}
	var doc file
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, st, fmt.Errorf("users file %s: %w", path, err)
	}
	seen := map[string]bool{}
	for i, x := range doc.Users {
		if err := x.validate(); err != nil {
			return nil, st, fmt.Errorf("users file %s: user %d: %w", path, i+1, err)
		}
		if seen[x.Name] {
			return nil, st, fmt.Errorf("users file %s: user %q twice", path, x.Name)
		}
		seen[x.Name] = true
	}
	return doc.Users, st, nil
}

func (x User) validate() error {
	if !validName.MatchString(x.Name) {
		return fmt.Errorf("name %q: want letters, digits, . _ @ - (at most 64)", x.Name)
	}
	switch x.Role {
	case Reader, Analyst:
		if x.Agency != "" {
			return fmt.Errorf("user %q: agency: only for the agency role", x.Name)
		}
	case Agency:
		if x.Agency == "" {
			return fmt.Errorf("user %q: agency: the agency role needs its agency code", x.Name)
		}
	default:
		return fmt.Errorf("user %q: role %q: want reader, analyst or agency", x.Name, x.Role)
	}
	switch {
	case (x.Password == "") == (x.TokenSHA256 == ""):
		return fmt.Errorf("user %q: want one of password_bcrypt or token_sha256", x.Name)
	case x.Password != "":
		if _, err := bcrypt.Cost([]byte(x.Password)); err != nil {
			return fmt.Errorf("user %q: password_bcrypt: %v", x.Name, err)
		}
	default:
		if b, err := hex.DecodeString(x.TokenSHA256); err != nil || len(b) != sha256.Size {
			return fmt.Errorf("user %q: token_sha256: want 64 hex digits", x.Name)
		}
	}
	return nil
}

// refresh re-reads the file when it changed; the caller holds mu.
func (u *Users) refresh() {
	if time.Since(u.checked) < checkEvery {
		return
	}
	u.checked = time.Now()
	st, err := os.Stat(u.path)
	switch {
	case err != nil && u.stat == nil && u.loadErr != nil:
		return // still missing
	case err == nil && u.stat != nil && os.SameFile(st, u.stat) && st.ModTime().Equal(u.stat.ModTime()) && st.Size() == u.stat.Size() && st.Mode() == u.stat.Mode():
		return
	}
	if err := u.load(); err != nil {
		u.log().Error("users file changed and cannot be used: every login is refused until it is fixed", "err", err)
		return
	}
	u.log().Info("users file re-read", "path", u.path, "users", len(u.users))
}

func (u *Users) log() *slog.Logger {
	if u.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return u.Log
}

// List returns the users, hashes included (they are not secrets, but say
// nothing to show either).
func (u *Users) List() ([]User, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	return slices.Clone(u.users), nil
}

// AddPassword adds name with a bcrypt hash of password.
func (u *Users) AddPassword(name string, role Role, agency, password string) error {
	if len(password) < 12 {
		return errors.New("password: at least 12 characters")
	}
	if len(password) > 72 {
		return errors.New("password: at most 72 bytes (bcrypt reads no further)")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("password: %w", err)
	}
	return u.add(User{Name: name, Role: role, Agency: agency, Password: string(h)})
}

// AddToken adds name with a new random token and returns the token: it is
// shown once and never stored, only its SHA-256.
func (u *Users) AddToken(name string, role Role, agency string) (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	if err := u.add(User{Name: name, Role: role, Agency: agency, TokenSHA256: hex.EncodeToString(sum[:])}); err != nil {
		return "", err
	}
	return token, nil
}

func (u *Users) add(x User) error {
	x.Created = time.Now().UTC().Format(time.RFC3339)
	if err := x.validate(); err != nil {
		return err
	}
	return u.update(func(users []User) ([]User, error) {
		if slices.ContainsFunc(users, func(y User) bool { return y.Name == x.Name }) {
			return nil, fmt.Errorf("user %q exists: remove it first, or add the new credential under another name", x.Name)
		}
		return append(users, x), nil
	})
}

// Remove removes name; a running server refuses it within a second or so.
func (u *Users) Remove(name string) error {
	return u.update(func(users []User) ([]User, error) {
		i := slices.IndexFunc(users, func(y User) bool { return y.Name == name })
		if i < 0 {
			return nil, fmt.Errorf("no user %q in %s", name, u.path)
		}
		return slices.Delete(users, i, i+1), nil
	})
}

// update re-reads the file, applies change and writes it atomically: a new
// file (0600, in a folder created 0700) renamed over the old one.
func (u *Users) update(change func([]User) ([]User, error)) error {
	u.mu.Lock()
	defer u.mu.Unlock()
	if err := u.load(); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	users, err := change(slices.Clone(u.users))
	if err != nil {
		return err
	}
	b, err := yaml.Marshal(file{Users: users})
	if err != nil {
		return err
	}
	dir := filepath.Dir(u.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".http-users-*.tmp")
	if err != nil {
		return fmt.Errorf("users file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(append([]byte(fileHeader), b...))
		if err == nil {
			err = tmp.Sync()
		}
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), u.path)
	}
	if err != nil {
		return fmt.Errorf("users file %s: %w", u.path, err)
	}
	return u.load()
}

// Authenticate returns the caller of r: HTTP Basic (a user's name with its
// password or its token, as browsers send it) or a Bearer token (scripts).
func (u *Users) Authenticate(r *http.Request) (Principal, error) {
	return u.authenticate(r, true)
}

// errLimited is a password that would need a bcrypt check from an address
// that failed too often.
var errLimited = errors.New("too many failed logins")

// authenticate is Authenticate; without slow, a password not verified
// recently (or an unknown name) is not checked: errLimited.
func (u *Users) authenticate(r *http.Request, slow bool) (Principal, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return Principal{}, ErrNoCredentials
	}
	u.mu.Lock()
	u.refresh()
	users, loadErr := u.users, u.loadErr
	u.mu.Unlock()
	if loadErr != nil {
		return Principal{}, fmt.Errorf("%w: %v", ErrNoUsers, loadErr)
	}
	if scheme, token, ok := strings.Cut(h, " "); ok && strings.EqualFold(scheme, "Bearer") {
		if x, ok := matchToken(users, strings.TrimSpace(token), ""); ok {
			return x.principal(), nil
		}
		return Principal{}, ErrBadCredentials
	}
	name, secret, ok := r.BasicAuth()
	if !ok {
		return Principal{}, ErrBadCredentials
	}
	i := slices.IndexFunc(users, func(x User) bool { return x.Name == name })
	if i < 0 {
		if !slow {
			return Principal{}, errLimited
		}
		u.burnTime(secret) // an unknown name costs what a known one does
		return Principal{}, ErrBadCredentials
	}
	x := users[i]
	if x.Password != "" {
		ok, err := u.password(x, secret, slow)
		if err != nil {
			return Principal{}, err
		}
		if ok {
			return x.principal(), nil
		}
		return Principal{}, ErrBadCredentials
	}
	if _, ok := matchToken(users[i:i+1], secret, name); ok {
		return x.principal(), nil
	}
	return Principal{}, ErrBadCredentials
}

func (x User) principal() Principal { return Principal{Name: x.Name, Role: x.Role, Agency: x.Agency} }

// matchToken compares the token's hash with every token user's in constant
// time (no early exit: the time says nothing about which hash was close).
func matchToken(users []User, token, name string) (User, bool) {
	sum := sha256.Sum256([]byte(token))
	var found User
	ok := 0
	for _, x := range users {
		want, err := hex.DecodeString(x.TokenSHA256)
		if err != nil || len(want) != sha256.Size {
			continue
		}
		if subtle.ConstantTimeCompare(sum[:], want) == 1 && (name == "" || x.Name == name) {
			found, ok = x, 1
		}
	}
	return found, ok == 1
}

// passwordCache is how long a password checked with bcrypt is taken
// without checking again: a browser sends it with every request, and
// bcrypt costs tens of milliseconds on purpose.
const passwordCache = 5 * time.Minute

// password checks secret against x's bcrypt hash. Passed checks are cached
// under a hash keyed with a random per-process key over the name, the
// stored hash and the secret, so a changed password or a removed user
// finds nothing there. Without slow, only the cache is looked at.
func (u *Users) password(x User, secret string, slow bool) (bool, error) {
	h := sha256.New()
	h.Write(u.cacheKey)
	for _, s := range []string{x.Name, x.Password, secret} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	var k [32]byte
	h.Sum(k[:0])
	u.mu.Lock()
	at, ok := u.verified[k]
	u.mu.Unlock()
	if ok && time.Since(at) < passwordCache {
		return true, nil
	}
	if !slow {
		return false, errLimited
	}
	if bcrypt.CompareHashAndPassword([]byte(x.Password), []byte(secret)) != nil {
		return false, nil
	}
	u.mu.Lock()
	defer u.mu.Unlock()
	if len(u.verified) > 10000 {
		clear(u.verified)
	}
	u.verified[k] = time.Now()
	return true, nil
}

func (u *Users) burnTime(secret string) {
	u.mu.Lock()
	if u.dummyHash == nil {
		u.dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password of anyone"), bcrypt.DefaultCost)
	}
	h := u.dummyHash
	u.mu.Unlock()
	bcrypt.CompareHashAndPassword(h, []byte(secret))
}

// Err says why nobody can log in (a users file missing, unreadable or
// invalid), nil when the file is usable.
func (u *Users) Err() error {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.refresh()
	return u.loadErr
}
