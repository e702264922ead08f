package auth

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/logtest"
)

// fixture is a users file with an analyst (password), a reader (token) and
// an analyst script (token), served behind Require on a real HTTP server:
// /sql for analysts, /page for readers and analysts.
type fixture struct {
	users                    *Users
	path                     string
	srv                      *httptest.Server
	log                      *logtest.Buffer
	analystPass              string
	readerToken, scriptToken string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{path: filepath.Join(t.TempDir(), "auth", "http-users.yaml"), log: &logtest.Buffer{}, analystPass: "correct horse battery staple"}
	var err error
	if f.users, err = Open(f.path); err != nil {
		t.Fatal(err)
	}
	f.users.Log = slog.New(slog.NewTextHandler(f.log, nil))
	if err := f.users.AddPassword("lan", Analyst, "", f.analystPass); err != nil {
		t.Fatal(err)
	}
	if f.readerToken, err = f.users.AddToken("board", Reader, ""); err != nil {
		t.Fatal(err)
	}
	if f.scriptToken, err = f.users.AddToken("nightly", Analyst, ""); err != nil {
		t.Fatal(err)
	}
	who := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := FromContext(r.Context())
		if !ok {
			t.Error("no principal in the context")
		}
		fmt.Fprintf(w, "%s %s", p.Name, p.Role)
	})
	mux := http.NewServeMux()
	mux.Handle("/sql", Require(f.users, Analyst)(who))
	mux.Handle("/page", Require(f.users, Reader, Analyst)(who))
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

type cred func(*http.Request)

func basic(user, secret string) cred { return func(r *http.Request) { r.SetBasicAuth(user, secret) } }
func bearer(token string) cred {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}

func (f *fixture) get(t *testing.T, path string, c cred) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, f.srv.URL+path, nil)
	if c != nil {
		c(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func TestRequire(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		name, path string
		cred       cred
		code       int
		body       string
	}{
		{"no credentials", "/sql", nil, 401, "login required"},
		{"no credentials on a page", "/page", nil, 401, "login required"},
		{"analyst password", "/sql", basic("lan", f.analystPass), 200, "lan analyst"},
		{"analyst password on a page", "/page", basic("lan", f.analystPass), 200, "lan analyst"},
		{"wrong password", "/sql", basic("lan", "correct horse battery stapler"), 401, "wrong"},
		{"unknown user", "/sql", basic("mallory", f.analystPass), 401, "wrong"},
		{"analyst token as Bearer", "/sql", bearer(f.scriptToken), 200, "nightly analyst"},
		{"token as Basic password", "/sql", basic("nightly", f.scriptToken), 200, "nightly analyst"},
		{"token under another name", "/sql", basic("lan", f.scriptToken), 401, "wrong"},
		{"unknown token", "/sql", bearer(TokenPrefix + strings.Repeat("A", 43)), 401, "wrong"},
		{"token altered", "/sql", bearer(f.scriptToken[:len(f.scriptToken)-1] + "x"), 401, "wrong"},
		{"reader on /sql", "/sql", bearer(f.readerToken), 403, "may not use /sql"},
		{"reader on a page", "/page", bearer(f.readerToken), 200, "board reader"},
		{"a password as Bearer", "/sql", bearer(f.analystPass), 401, "wrong"},
		{"another scheme", "/sql", func(r *http.Request) { r.Header.Set("Authorization", "Digest x") }, 401, "wrong"},
	} {
		code, body, h := f.get(t, c.path, c.cred)
		if code != c.code || !strings.Contains(body, c.body) {
			t.Errorf("%s: %d %q, want %d %q", c.name, code, body, c.code, c.body)
		}
		if code == 401 && !strings.Contains(strings.Join(h.Values("WWW-Authenticate"), ","), `Basic realm="baocao"`) {
			t.Errorf("%s: 401 without a Basic challenge: %v", c.name, h.Values("WWW-Authenticate"))
		}
	}
	// Neither secret is in the log or the file, only hashes.
	stored, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{f.analystPass, f.scriptToken, f.readerToken, "correct horse battery stapler"} {
		if strings.Contains(f.log.String(), secret) {
			t.Errorf("the log holds a secret:\n%s", f.log.String())
		}
		if strings.Contains(string(stored), secret) {
			t.Errorf("the users file holds a secret:\n%s", stored)
		}
	}
	if !strings.Contains(f.log.String(), "failed login") || !strings.Contains(f.log.String(), "user=mallory") {
		t.Errorf("failed logins not logged with the name tried:\n%s", f.log.String())
	}
	if !strings.HasPrefix(f.scriptToken, TokenPrefix) || len(f.scriptToken) != len(TokenPrefix)+43 {
		t.Errorf("token %d chars, want %s and 43 base64url characters", len(f.scriptToken), TokenPrefix)
	}
}

// A user removed (or a token rotated away) is refused by the running
// server, without a restart; a user added is let in the same way.
func TestRemovedUserRefused(t *testing.T) {
	f := newFixture(t)
	if code, _, _ := f.get(t, "/sql", bearer(f.scriptToken)); code != 200 {
		t.Fatalf("before: %d", code)
	}
	// Another process (baocao users remove) changes the file.
	other, err := Open(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.Remove("nightly"); err != nil {
		t.Fatal(err)
	}
	newToken, err := other.AddToken("nightly-2", Analyst, "")
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, f, "/sql", bearer(f.scriptToken), 401)
	if code, _, _ := f.get(t, "/sql", bearer(newToken)); code != 200 {
		t.Errorf("new token: %d", code)
	}
	if code, _, _ := f.get(t, "/sql", basic("lan", f.analystPass)); code != 200 {
		t.Errorf("a user left alone: %d", code)
	}
	if err := other.Remove("nightly"); err == nil || !strings.Contains(err.Error(), `no user "nightly"`) {
		t.Errorf("removing a user twice: %v", err)
	}
}

func waitStatus(t *testing.T, f *fixture, path string, c cred, want int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, _, _ := f.get(t, path, c)
		if code == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %d, want %d within 10s", path, code, want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The file is written 0600 in a folder 0700; a file others may read is
// refused at start, and a running server that sees it turn readable
// refuses every login.
func TestUsersFilePermissions(t *testing.T) {
	f := newFixture(t)
	st, err := os.Stat(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("users file %04o, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Dir(f.path)); st.Mode().Perm() != 0o700 {
		t.Errorf("users folder %04o, want 0700", st.Mode().Perm())
	}
	if err := os.Chmod(f.path, 0o640); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(f.path); err == nil || !strings.Contains(err.Error(), f.path) || !strings.Contains(err.Error(), "0640") {
		t.Errorf("Open of a group-readable users file: %v; want an error naming it and its mode", err)
	}
	waitStatus(t, f, "/sql", basic("lan", f.analystPass), 401)
	if !strings.Contains(f.log.String(), "lets others read it") {
		t.Errorf("the refusal is not logged:\n%s", f.log.String())
	}
	if err := os.Chmod(f.path, 0o600); err != nil {
		t.Fatal(err)
	}
	waitStatus(t, f, "/sql", basic("lan", f.analystPass), 200)
}

// Without a users file every protected request is refused, saying how to
// add a user; the first user added is let in without a restart.
func TestNoUsersFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "auth", "http-users.yaml")
	users, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Err(); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("Err: %v; want the missing file named", err)
	}
	srv := httptest.NewServer(Require(users, Analyst)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))
	defer srv.Close()
	f := &fixture{srv: srv}
	code, body, _ := f.get(t, "/", basic("lan", "whatever it is"))
	if code != 401 || !strings.Contains(body, "baocao users add") {
		t.Errorf("no users file: %d %q", code, body)
	}
	other, _ := Open(path)
	token, err := other.AddToken("lan", Analyst, "")
	if err != nil {
		t.Fatal(err)
	}
	waitStatus(t, f, "/", bearer(token), 200)
}

// Bad entries are refused with the field and the reason.
func TestUsersFileInvalid(t *testing.T) {
	for _, c := range []struct{ name, yaml, want string }{
		{"role", "users: [{name: a, role: admin, token_sha256: " + strings.Repeat("0", 64) + "}]", `role "admin"`},
		{"no secret", "users: [{name: a, role: reader}]", "want one of password_bcrypt or token_sha256"},
		{"plain password", "users: [{name: a, role: reader, password_bcrypt: hunter2hunter2}]", "password_bcrypt"},
		{"short hash", "users: [{name: a, role: reader, token_sha256: abcd}]", "token_sha256: want 64 hex digits"},
		{"agency without code", "users: [{name: a, role: agency, token_sha256: " + strings.Repeat("0", 64) + "}]", "agency: the agency role needs"},
		{"unknown key", "users: [{name: a, role: reader, token: bct_x}]", "field token not found"},
		{"twice", "users: [{name: a, role: reader, token_sha256: " + strings.Repeat("0", 64) + "}, {name: a, role: reader, token_sha256: " + strings.Repeat("1", 64) + "}]", `"a" twice`},
	} {
		path := filepath.Join(t.TempDir(), "u.yaml")
		os.WriteFile(path, []byte(c.yaml), 0o600)
		if _, err := Open(path); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: %v; want %q", c.name, err, c.want)
		}
	}
	u, _ := Open(filepath.Join(t.TempDir(), "u.yaml"))
	if err := u.AddPassword("a", Analyst, "", "short"); err == nil {
		t.Error("a 5-character password was taken")
	}
	if _, err := u.AddToken("a b", Analyst, ""); err == nil || !strings.Contains(err.Error(), "name") {
		t.Errorf("a name with a space: %v", err)
	}
	if _, err := u.AddToken("x", Agency, "000.00.00.H56"); err != nil {
		t.Errorf("an agency token: %v", err)
	}
	if _, err := u.AddToken("x", Agency, "000.00.00.H56"); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a name twice: %v", err)
	}
}

// After maxFailures failures from one address within a minute, a password
// from that address is answered 429 without being checked, unless it was
// verified recently; tokens still work.
func TestFailedLoginsLimited(t *testing.T) {
	f := newFixture(t)
	if code, _, _ := f.get(t, "/sql", basic("lan", f.analystPass)); code != 200 {
		t.Fatalf("lan before: %d", code)
	}
	if err := f.users.AddPassword("minh", Analyst, "", "another long password"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range maxFailures {
		if code, _, _ := f.get(t, "/sql", bearer(TokenPrefix+"guess")); code != 401 {
			t.Fatalf("a wrong token: %d", code)
		}
	}
	t.Logf("%d failures answered in %v", maxFailures, time.Since(start))
	for _, c := range []struct {
		name string
		cred cred
		code int
	}{
		{"a password not checked lately", basic("minh", "another long password"), 429},
		{"a guess", basic("lan", "guess number eleven"), 429},
		{"an unknown name", basic("root", "toor"), 429},
		{"a password checked lately", basic("lan", f.analystPass), 200},
		{"a token", bearer(f.scriptToken), 200},
		{"a wrong token", bearer(TokenPrefix + "guess"), 401},
	} {
		code, _, h := f.get(t, "/sql", c.cred)
		if code != c.code || (code == 429 && h.Get("Retry-After") == "") {
			t.Errorf("after %d failures, %s: %d (Retry-After %q), want %d", maxFailures, c.name, code, h.Get("Retry-After"), c.code)
		}
	}
}

// The cost of a login, for the report: a token (SHA-256 over every token
// user), a password checked by bcrypt, the same password again (cached).
func BenchmarkAuthenticate(b *testing.B) {
	path := filepath.Join(b.TempDir(), "u.yaml")
	u, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	var token string
	for i := range 20 {
		if token, err = u.AddToken(fmt.Sprintf("script-%d", i), Analyst, ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := u.AddPassword("lan", Analyst, "", "a long enough password"); err != nil {
		b.Fatal(err)
	}
	req := func(c cred) *http.Request {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		c(r)
		return r
	}
	b.Run("token", func(b *testing.B) {
		r := req(bearer(token))
		for b.Loop() {
			if _, err := u.Authenticate(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("password-bcrypt", func(b *testing.B) {
		r := req(basic("lan", "a long enough password"))
		for b.Loop() {
			clear(u.verified)
			if _, err := u.Authenticate(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("password-cached", func(b *testing.B) {
		r := req(basic("lan", "a long enough password"))
		for b.Loop() {
			if _, err := u.Authenticate(r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
