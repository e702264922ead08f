package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/tlstest"
)

// "baocao up" listening on every interface asks for a login: / and /sql
// answer 401 without one and 200 with a token from "baocao users add";
// /healthz stays open; "baocao sql" through up takes BAOCAO_HTTP_TOKEN; a
// removed user is refused without a restart; no secret reaches the log.
func TestUpLoginBeyondLoopback(t *testing.T) {
	data := t.TempDir()
	code, token, errs := baocao(t, "", "users", "add", "nightly", "--role", "analyst", "--data", data)
	token = strings.TrimSpace(token)
	if code != 0 || !strings.HasPrefix(token, "bct_") {
		t.Fatalf("users add: exit %d %q %s", code, token, errs)
	}
	const password = "a reader's long password"
	if code, _, errs := baocao(t, password+"\n", "users", "add", "board", "--role", "reader", "--password-stdin", "--data", data); code != 0 {
		t.Fatalf("users add --password-stdin: exit %d %s", code, errs)
	}
	up := startChild(t, "up", "--data", data, "--http", "0.0.0.0:0", "--nats-listen", "127.0.0.1:0", "--lookback", "1h")
	web, _ := upAddresses(t, up, data)
	// the server listens on every interface; reach it on loopback
	u, err := url.Parse(web)
	if err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(u.Host)
	web = "http://127.0.0.1:" + port
	sql := "/sql?format=csv&query=" + url.QueryEscape("SELECT 1 AS x")

	waitFor(t, "/healthz without a login", time.Minute, func() bool { c, _ := authGet(t, web+"/healthz", nil); return c == 200 })
	for _, path := range []string{"/", sql, "/metrics", "/files/procedure_control/2026-Q3-official.html"} {
		if c, body := authGet(t, web+path, nil); c != 401 {
			t.Errorf("%s without a login: %d %.100s, want 401", path, c, body)
		}
		if c, _ := authGet(t, web+path, func(r *http.Request) { r.Header.Set("Authorization", "Bearer bct_wrong") }); c != 401 {
			t.Errorf("%s with a wrong token: %d, want 401", path, c)
		}
	}
	bearer := func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
	reader := func(r *http.Request) { r.SetBasicAuth("board", password) }
	if c, body := authGet(t, web+"/", bearer); c != 200 || !strings.Contains(body, "<html") {
		t.Errorf("/ with a token: %d %.200s", c, body)
	}
	if c, body := authGet(t, web+sql, bearer); c != 200 || body != "x\n1\n" {
		t.Errorf("/sql with a token: %d %q", c, body)
	}
	if c, _ := authGet(t, web+"/", reader); c != 200 {
		t.Errorf("/ as a reader: %d", c)
	}
	if c, _ := authGet(t, web+sql, reader); c != 403 {
		t.Errorf("/sql as a reader: %d, want 403", c)
	}

	// "baocao sql" on the folder goes through up, with the token.
	code, _, errs = baocao(t, "", "sql", "--data", data, "SELECT 1")
	if code != 2 || !strings.Contains(errs, "BAOCAO_HTTP_TOKEN") {
		t.Errorf("baocao sql without a token: exit %d %s", code, errs)
	}
	t.Setenv("BAOCAO_HTTP_TOKEN", token)
	code, out, errs := baocao(t, "", "sql", "--data", data, "--format", "csv", "SELECT 2 AS y")
	if code != 0 || out != "y\n2\n" {
		t.Errorf("baocao sql with BAOCAO_HTTP_TOKEN: exit %d %q %s", code, out, errs)
	}

	// Removed: refused by the running server.
	if code, _, errs := baocao(t, "", "users", "remove", "nightly", "--data", data); code != 0 {
		t.Fatalf("users remove: %d %s", code, errs)
	}
	waitFor(t, "the removed token refused", 10*time.Second, func() bool { c, _ := authGet(t, web+sql, bearer); return c == 401 })

	up.stop(t)
	log := up.output()
	if !strings.Contains(log, "login required") {
		t.Errorf("the banner does not say a login is required:\n%s", log)
	}
	for _, secret := range []string{token, password} {
		if strings.Contains(log, secret) {
			t.Errorf("up's log holds a secret:\n%s", log)
		}
	}
	if b, err := os.ReadFile(usersFile("", data)); err != nil || strings.Contains(string(b), token) || strings.Contains(string(b), password) {
		t.Errorf("the users file holds a secret (or cannot be read: %v)", err)
	}
}

// On loopback up asks no login unless --http-login; --insecure-no-auth
// serves beyond loopback without one.
func TestUpLoginFlags(t *testing.T) {
	for _, c := range []struct {
		name string
		args []string
		want int
	}{
		{"loopback", []string{"--http", "127.0.0.1:0"}, 200},
		{"loopback with --http-login", []string{"--http", "127.0.0.1:0", "--http-login"}, 401},
		{"every interface with --insecure-no-auth", []string{"--http", "0.0.0.0:0", "--insecure-no-auth"}, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := t.TempDir()
			up := startChild(t, append([]string{"up", "--data", data, "--nats-listen", "127.0.0.1:0", "--lookback", "1h"}, c.args...)...)
			web, _ := upAddresses(t, up, data)
			u, _ := url.Parse(web)
			_, port, _ := net.SplitHostPort(u.Host)
			if code, _ := authGet(t, "http://127.0.0.1:"+port+"/", nil); code != c.want {
				t.Errorf("/ without a login: %d, want %d", code, c.want)
			}
			up.stop(t)
			if c.want == 401 && !strings.Contains(up.output(), "baocao users add") {
				t.Errorf("no line saying how to add a user:\n%s", up.output())
			}
			if strings.Contains(c.name, "insecure") && !strings.Contains(up.output(), "--insecure-no-auth") {
				t.Errorf("no warning about --insecure-no-auth:\n%s", up.output())
			}
		})
	}
}

func authGet(t *testing.T, u string, c func(*http.Request)) (int, string) {
	t.Helper()
	return httpDo(t, http.MethodGet, u, "", c)
}

// "baocao serve" on every interface with TLS: HTTPS only, a login asked,
// and "baocao sql --server" reaches it with the token and the certificate.
func TestServeTLSLogin(t *testing.T) {
	ch := chtest.Start(t)
	cert := tlstest.SelfSigned(t)
	data := t.TempDir()
	code, token, errs := baocao(t, "", "users", "add", "ci", "--role", "analyst", "--data", data)
	if code != 0 {
		t.Fatal(errs)
	}
	token = strings.TrimSpace(token)
	port := freePort(t)
	stop := runServe("--clickhouse-addr", ch.Addr, "--db", "servetls", "--data", data, "--http", "0.0.0.0:"+port,
		"--http-tls-cert", cert.CertFile, "--http-tls-key", cert.KeyFile)
	base := "https://127.0.0.1:" + port
	client := cert.Client()
	get := func(path string, c func(*http.Request)) int {
		req, _ := http.NewRequest(http.MethodGet, base+path, nil)
		if c != nil {
			c(req)
		}
		resp, err := client.Do(req)
		if err != nil {
			return -1
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	waitFor(t, "serve's /healthz over HTTPS", time.Minute, func() bool { return get("/healthz", nil) == 200 })
	if c := get("/", nil); c != 401 {
		t.Errorf("/ without a login: %d", c)
	}
	if c := get("/sql?query=SELECT+1", func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }); c != 200 {
		t.Errorf("/sql with the token: %d", c)
	}
	if resp, err := http.Get("http://127.0.0.1:" + port + "/healthz"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200")
		}
	}
	code, out, errs := baocao(t, "", "sql", "--server", base, "--http-tls-ca", cert.CertFile, "--http-token", token, "--format", "csv", "SELECT 3 AS z")
	if code != 0 || out != "z\n3\n" {
		t.Errorf("baocao sql --server https: exit %d %q %s", code, out, errs)
	}
	code, _, errs = baocao(t, "", "sql", "--server", base, "--http-token", token, "SELECT 3")
	if code != 2 || !strings.Contains(errs, "certificate") {
		t.Errorf("baocao sql without trusting the certificate: exit %d %s", code, errs)
	}
	code, log := stop()
	if code != 0 {
		t.Fatalf("serve exited %d: %s", code, log)
	}
	if !strings.Contains(log, "https://") || !strings.Contains(log, "login required") || strings.Contains(log, token) {
		t.Errorf("serve's banner and log:\n%s", log)
	}
}

// runServe runs "baocao serve" with args in this process until stop,
// which returns its exit status and what it wrote on stderr.
func runServe(args ...string) (stop func() (int, string)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), strings.NewReader(""), io.Discard, &stderr)
	}()
	return func() (int, string) {
		cancel()
		code := <-done
		return code, stderr.String()
	}
}

// consume's metrics listener takes the same TLS options.
func TestMetricsTLS(t *testing.T) {
	cert := tlstest.SelfSigned(t)
	port := freePort(t)
	stop, err := serveMetrics("127.0.0.1:"+port, tlsFlags{cert: cert.CertFile, key: cert.KeyFile}, false, prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	resp, err := cert.Client().Get("https://127.0.0.1:" + port + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("https /metrics: %d", resp.StatusCode)
	}
	if resp, err := http.Get("http://127.0.0.1:" + port + "/metrics"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Error("plain HTTP answered 200")
		}
	}
	if _, err := serveMetrics("127.0.0.1:0", tlsFlags{cert: cert.CertFile}, false, prometheus.NewRegistry(), slog.New(slog.DiscardHandler)); err == nil {
		t.Error("a certificate without its key was taken")
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// A users file others may read stops up at start, naming the file.
func TestUpRefusesReadableUsersFile(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := baocao(t, "", "users", "add", "ci", "--role", "analyst", "--data", data); code != 0 {
		t.Fatal(errs)
	}
	if err := os.Chmod(usersFile("", data), 0o644); err != nil {
		t.Fatal(err)
	}
	up := startChild(t, "up", "--data", data, "--http", "0.0.0.0:0", "--nats-listen", "127.0.0.1:0", "--lookback", "1h")
	if code := up.wait(t, time.Minute); code != 2 || !strings.Contains(up.output(), usersFile("", data)) || !strings.Contains(up.output(), "chmod 600") {
		t.Errorf("up with a world-readable users file: exit %d\n%s", code, up.output())
	}
	code, _, errs := baocao(t, "", "users", "list", "--data", data)
	if code != 2 || !strings.Contains(errs, "lets others read it") {
		t.Errorf("users list: exit %d %s", code, errs)
	}
}
