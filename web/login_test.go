package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/tlstest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/web/auth"
)

// With RequireLogin (a server beyond loopback), /sql, the pages, the
// downloads and /metrics answer 401 without a login or with a wrong one;
// a reader reads the pages and downloads but is refused /sql (403); an
// analyst has both; /healthz stays open. On both engines.
func TestLoginRequired(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "reform"), 0o755)
		os.WriteFile(filepath.Join(dir, "reform", "2024-H1-official.md"), []byte("# the report\n"), 0o644)
		users, err := auth.Open(filepath.Join(t.TempDir(), "auth", "http-users.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		const password = "a long enough password"
		if err := users.AddPassword("lan", auth.Analyst, "", password); err != nil {
			t.Fatal(err)
		}
		reader, err := users.AddToken("board", auth.Reader, "")
		if err != nil {
			t.Fatal(err)
		}
		agency, err := users.AddToken("h56", auth.Agency, "000.00.00.H56")
		if err != nil {
			t.Fatal(err)
		}
		serve := func(login bool) string {
			h := Handler(Config{Store: s, Pages: &Pages{Store: s, DB: db, Dir: dir}, RequireLogin: login, Users: users})
			ts := httptest.NewServer(h)
			t.Cleanup(ts.Close)
			return ts.URL
		}
		open, closed := serve(false), serve(true)
		sql := "/sql?format=csv&query=" + url.QueryEscape("SELECT 1 AS x")
		pages := []string{"/", "/reports/reform/2024-H1-official", "/files/reform/2024-H1-official.md", "/metrics"}
		basic := func(user, pass string) func(*http.Request) {
			return func(r *http.Request) { r.SetBasicAuth(user, pass) }
		}
		bearer := func(tok string) func(*http.Request) {
			return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+tok) }
		}
		for _, path := range append(pages, sql) {
			want, _ := status(t, open+path, nil)
			if want != 200 {
				t.Fatalf("%s open: %d", path, want)
			}
			for name, c := range map[string]func(*http.Request){
				"no login": nil, "wrong password": basic("lan", "not the password"), "unknown token": bearer(auth.TokenPrefix + "nope"),
			} {
				if code, body := status(t, closed+path, c); code != 401 || strings.Contains(body, "the report") {
					t.Errorf("%s, %s: %d, want 401", path, name, code)
				}
			}
			if code, _ := status(t, closed+path, bearer(agency)); code != 403 {
				t.Errorf("%s as an agency: %d, want 403", path, code)
			}
			if code, body := status(t, closed+path, basic("lan", password)); code != want {
				t.Errorf("%s as an analyst: %d %.200s, want %d", path, code, body, want)
			}
			wantReader := want
			if path == sql {
				wantReader = 403
			}
			if code, _ := status(t, closed+path, bearer(reader)); code != wantReader {
				t.Errorf("%s as a reader: %d, want %d", path, code, wantReader)
			}
		}
		if code, body := status(t, closed+sql, basic("lan", password)); body != "x\n1\n" {
			t.Errorf("/sql as an analyst: %d %q", code, body)
		}
		if code, _ := status(t, closed+"/healthz", nil); code != 200 {
			t.Errorf("/healthz without a login: %d, want 200", code)
		}
		if code, _ := status(t, closed+"/no/such/page", nil); code != 401 {
			t.Errorf("an unknown path without a login: %d, want 401 (no hint of what exists)", code)
		}
		_, metrics := status(t, closed+"/metrics", bearer(reader))
		if !strings.Contains(metrics, `baocao_http_logins_total{outcome="failed"}`) {
			t.Errorf("/metrics lacks the failed logins")
		}
	})
}

// RequireLogin without a users file: every protected route 401, /healthz
// open, and one log line at start says how to add a user.
func TestLoginRequiredNoUsers(t *testing.T) {
	users, err := auth.Open(filepath.Join(t.TempDir(), "missing.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var log strings.Builder
	h := Handler(Config{Store: enginetest.Embedded(), RequireLogin: true, Users: users, Log: newTextLogger(&log)})
	ts := httptest.NewServer(h)
	defer ts.Close()
	for _, path := range []string{"/", "/sql?query=SELECT+1", "/metrics"} {
		if code, body := status(t, ts.URL+path, func(r *http.Request) { r.SetBasicAuth("a", "b") }); code != 401 || !strings.Contains(body, "baocao users add") {
			t.Errorf("%s: %d %q", path, code, body)
		}
	}
	if code, _ := status(t, ts.URL+"/healthz", nil); code != 200 {
		t.Errorf("/healthz: %d", code)
	}
	if !strings.Contains(log.String(), "baocao users add") || !strings.Contains(log.String(), "missing.yaml") {
		t.Errorf("no log line saying how to add a user:\n%s", log.String())
	}
	// nil Users with RequireLogin refuses too
	ts2 := httptest.NewServer(Handler(Config{Store: enginetest.Embedded(), RequireLogin: true}))
	defer ts2.Close()
	if code, _ := status(t, ts2.URL+"/", nil); code != 401 {
		t.Errorf("RequireLogin without Users: %d", code)
	}
}

func status(t *testing.T, u string, c func(*http.Request)) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if c != nil {
		c(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A TLS listener serves HTTPS with the configured certificate, and a plain
// HTTP request to it gets no page; Loopback tells loopback listeners from
// the others.
func TestListenTLS(t *testing.T) {
	c := tlstest.SelfSigned(t)
	cert, key := c.CertFile, c.KeyFile
	l, u, err := Listen("127.0.0.1:0", cert, key)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, "https://") {
		t.Errorf("URL %s, want https", u)
	}
	srv := &http.Server{Handler: Handler(Config{Store: enginetest.Embedded()})}
	go srv.Serve(l)
	defer srv.Close()
	resp, err := c.Client().Get(u + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Errorf("HTTPS /healthz: %d, TLS %v", resp.StatusCode, resp.TLS != nil)
	}
	plain := "http://" + strings.TrimPrefix(u, "https://")
	if resp, err := http.Get(plain + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Errorf("plain HTTP to the TLS listener: 200")
		}
	}
	if _, _, err := Listen("127.0.0.1:0", cert, ""); err == nil || !strings.Contains(err.Error(), "both") {
		t.Errorf("a certificate without a key: %v", err)
	}
	if _, _, err := Listen("127.0.0.1:0", key, cert); err == nil {
		t.Errorf("key and certificate swapped: no error")
	}

	for addr, want := range map[string]bool{"127.0.0.1:0": true, "[::1]:0": true, "localhost:0": true, "0.0.0.0:0": false, ":0": false, "[::]:0": false} {
		l, _, err := Listen(addr, "", "")
		if err != nil {
			t.Logf("%s: %v", addr, err) // no IPv6 here
			continue
		}
		if got := Loopback(l); got != want {
			t.Errorf("Loopback(%s → %s) = %v, want %v", addr, l.Addr(), got, want)
		}
		l.Close()
	}
}

func newTextLogger(w io.Writer) *slog.Logger { return slog.New(slog.NewTextHandler(w, nil)) }
