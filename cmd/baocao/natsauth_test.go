package main

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/ingest"
)

// authFeed is a few simulated days: the directory, and dossiers of many
// agencies.
func authFeed(t *testing.T) []events.Event {
	t.Helper()
	return simulatedFeed(t, 13, events.NewDate(2024, 3, 4), events.NewDate(2024, 3, 6), 200)
}

// loopbackURL turns a URL on every interface into one on loopback.
func loopbackURL(t *testing.T, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	_, port, err := net.SplitHostPort(p.Host)
	if err != nil {
		t.Fatal(err)
	}
	p.Host = "127.0.0.1:" + port
	return p.String()
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func jsonLines(t *testing.T, evs []events.Event) string {
	t.Helper()
	var b strings.Builder
	for _, e := range evs {
		b.WriteString(jsonLine(t, e) + "\n")
	}
	return b.String()
}

// postEvents posts body to up's /v1/events with the bearer token ("" for
// none).
func postEvents(t *testing.T, web, token, body string) (int, string) {
	t.Helper()
	return httpDo(t, http.MethodPost, web+"/v1/events", body, func(r *http.Request) {
		r.Header.Set("Content-Type", "application/x-ndjson")
		if token != "" {
			r.Header.Set("Authorization", "Bearer "+token)
		}
	})
}

// publishAs publishes evs with the creds (none: no credentials) and
// returns the results.
func publishAs(t *testing.T, natsURL, creds string, evs []events.Event) []producers.Result {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: creds}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := producers.New(js, producers.Config{AckTimeout: time.Second, Attempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var out []producers.Result
	for _, e := range evs {
		out = append(out, p.Publish(ctx, e))
	}
	p.Close(ctx)
	return out
}

// streamMsgCount is the events stream's message count, read with the
// creds ("" for none).
func streamMsgCount(t *testing.T, natsURL, creds string) uint64 {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: creds}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	return natstest.StreamState(t, js).Msgs
}

// up beyond loopback asks NATS clients for credentials: its data from
// before is kept, agencies get credentials from the directory and publish
// only their own events, a revoked credential is cut off at once, and
// --insecure-no-auth gets the same data back without credentials.
func TestUpNATSCredentialsBeyondLoopback(t *testing.T) {
	feed := authFeed(t)
	// Agency A: one that receives dossiers; some of its dossiers are held
	// back for its own credential to publish.
	var agencyA, agencyB string
	for _, e := range feed {
		if e.Type != events.TypeDossierReceived {
			continue
		}
		if agencyA == "" {
			agencyA = e.Agency
		} else if e.Agency != agencyA && agencyB == "" {
			agencyB = e.Agency
		}
	}
	// The simulation re-sends some events, as agencies do.
	sent := map[string]int{}
	for _, e := range feed {
		sent[e.ID]++
	}
	var first, mine, overHTTP, theirs []events.Event
	for _, e := range feed {
		switch {
		case e.Type == events.TypeDossierReceived && e.Agency == agencyA && sent[e.ID] == 1 && len(mine) < 3:
			mine = append(mine, e)
		case e.Type == events.TypeDossierReceived && e.Agency == agencyA && sent[e.ID] == 1 && len(overHTTP) < 2:
			overHTTP = append(overHTTP, e)
		case e.Type == events.TypeDossierReceived && e.Agency == agencyB && len(theirs) < 1:
			theirs = append(theirs, e)
		default:
			first = append(first, e)
		}
	}
	data := t.TempDir()

	// Without credentials on loopback, as before.
	up := startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0", "--lookback", "1h")
	_, natsURL := upAddresses(t, up, data)
	publishAll(t, natsURL, first)
	unique := map[string]bool{}
	for _, e := range first {
		unique[e.ID] = true
	}
	n := uint64(len(unique))
	if got := streamMsgCount(t, natsURL, ""); got != n {
		t.Fatalf("stream holds %d events, want %d", got, n)
	}
	up.stop(t)

	// Beyond loopback: credentials asked.
	up = startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "0.0.0.0:0", "--lookback", "1h")
	web, natsURL := upAddresses(t, up, data)
	natsURL = loopbackURL(t, natsURL)
	if !strings.Contains(up.output(), "credentials required") {
		t.Errorf("up's banner does not say NATS asks for credentials:\n%s", up.output())
	}
	if _, err := stream.Connect(stream.ConnConfig{URL: natsURL}, nil); err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("connect without credentials: %v, want refused", err)
	}
	admin := filepath.Join(data, "auth", "services", "admin.creds")
	if got := streamMsgCount(t, natsURL, admin); got != n {
		t.Fatalf("with credentials on, the stream holds %d events, want the %d published before", got, n)
	}
	for _, f := range []string{"auth", "auth/services", "auth/services/admin.creds", "auth/events-account.nk", "auth/operator.nk"} {
		fi, err := os.Stat(filepath.Join(data, f))
		if err != nil || fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: %v mode %v, want readable by the owner only", f, err, fi.Mode().Perm())
		}
	}

	// Credentials come from the directory.
	credsA := filepath.Join(t.TempDir(), "a.creds")
	code, token, errs := baocao(t, "", "agencies", "credentials", "issue", agencyA, "--data", data, "--nats-url", natsURL, "--out", credsA, "--http-token")
	token = strings.TrimSpace(token)
	if code != 0 || !strings.HasPrefix(token, "bct_") {
		t.Fatalf("issue %s: exit %d %q %s", agencyA, code, token, errs)
	}
	if code, _, errs := baocao(t, "", "agencies", "credentials", "issue", "000.99.99.H23", "--data", data, "--nats-url", natsURL, "--out", filepath.Join(t.TempDir(), "x.creds")); code == 0 || !strings.Contains(errs, "not in the agency directory") {
		t.Errorf("issue for an agency not in the directory: exit %d %s", code, errs)
	}
	if fi, err := os.Stat(credsA); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%s: %v, want 0600", credsA, err)
	}

	// A publishes its own events, not B's.
	for _, r := range publishAs(t, natsURL, credsA, mine) {
		if r.Outcome != producers.Published {
			t.Errorf("%s publishing its own event: %v %v", agencyA, r.Outcome, r.Err)
		}
	}
	for _, r := range publishAs(t, natsURL, credsA, theirs) {
		if r.Outcome == producers.Published || r.Outcome == producers.Duplicate {
			t.Errorf("%s published %s's event: %v", agencyA, agencyB, r.Outcome)
		}
	}
	n += uint64(len(mine))

	// Over HTTP with its token: its own events published, another's
	// rejected naming the field; no token, 401 and nothing published.
	body := jsonLines(t, append(slices.Clone(overHTTP), theirs...))
	for _, wrong := range []string{"", "bct_" + strings.Repeat("A", 43)} {
		if c, resp := postEvents(t, web, wrong, body); c != 401 {
			t.Errorf("POST /v1/events with token %q: %d %s, want 401", wrong, c, resp)
		}
	}
	c, resp := postEvents(t, web, token, body)
	var got ingest.Response
	if err := json.Unmarshal([]byte(resp), &got); c != 200 || err != nil {
		t.Fatalf("POST /v1/events: %d %s", c, resp)
	}
	if got.Counts.Published != len(overHTTP) || got.Counts.Rejected != len(theirs) ||
		got.Events[len(overHTTP)].Outcome != ingest.Rejected || got.Events[len(overHTTP)].Errors[0].Field != "agency" {
		t.Errorf("POST /v1/events outcomes: %s", resp)
	}
	n += uint64(len(overHTTP))
	if got := streamMsgCount(t, natsURL, admin); got != n {
		t.Errorf("stream holds %d events, want %d", got, n)
	}
	// The projector, with its own identity, projects them.
	count := "SELECT count() AS n FROM baocao.events WHERE type != 'report.generated'"
	waitFor(t, "the projector to catch up", time.Minute, func() bool {
		return httpSQL(t, web, count) == "n\n"+strconv.FormatUint(n, 10)+"\n"
	})

	// Revoked: the live connection is closed, a new one refused.
	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: credsA}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if code, _, errs := baocao(t, "", "agencies", "credentials", "revoke", agencyA, "--data", data, "--nats-url", natsURL); code != 0 {
		t.Fatalf("revoke: exit %d %s", code, errs)
	}
	waitFor(t, "the revoked connection to drop", 10*time.Second, func() bool { return nc.Status() != nats.CONNECTED })
	waitFor(t, "the revoked HTTP token to be refused", 10*time.Second, func() bool {
		c, _ := postEvents(t, web, token, body)
		return c == 401
	})
	// Secrets are never logged.
	seed := regexp.MustCompile(`SU[A-Z2-7]{56}`).FindString(readFile(t, credsA))
	if seed == "" {
		t.Fatalf("no user seed in %s", credsA)
	}
	for what, secret := range map[string]string{"HTTP token": token, "NATS seed": seed} {
		if strings.Contains(up.output(), secret) {
			t.Errorf("up logged the agency's %s", what)
		}
	}
	if _, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: credsA}, nil); err == nil {
		t.Error("a revoked credential connected")
	}
	up.stop(t)

	// Opted out: the same data without credentials.
	up = startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "0.0.0.0:0", "--insecure-no-auth", "--lookback", "1h")
	_, natsURL = upAddresses(t, up, data)
	if got := streamMsgCount(t, loopbackURL(t, natsURL), ""); got != n {
		t.Errorf("after --insecure-no-auth the stream holds %d events, want %d", got, n)
	}
	if !strings.Contains(up.output(), "insecure-no-auth") {
		t.Errorf("no warning for --insecure-no-auth:\n%s", lastLines(up.output(), 10))
	}
	up.stop(t)
}

// serve --ingest (docker-compose's door for agencies) publishes an
// agency's events with the ingest identity's credentials, and only the
// token's agency's.
func TestServeIngest(t *testing.T) {
	ch := chtest.Start(t)
	data := t.TempDir()
	a, err := natsauth.Open(filepath.Join(data, "auth"))
	if err != nil {
		t.Fatal(err)
	}
	var auth server.Options
	if err := a.Configure(&auth, filepath.Join(data, "resolver")); err != nil {
		t.Fatal(err)
	}
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: t.TempDir(), Port: -1}, func(o *server.Options) {
		o.TrustedOperators, o.SystemAccount, o.AccountResolver = auth.TrustedOperators, auth.SystemAccount, auth.AccountResolver
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	natsURL := srv.ClientURL()
	creds, err := a.WriteServiceCreds(filepath.Join(data, "auth", "services"), stream.DefaultConfig(), consumers.DefaultDurable, natsauth.Ingest, natsauth.Admin)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: creds[natsauth.Admin]}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	admin, _ := jetstream.New(nc)
	if _, _, _, err := stream.Provision(context.Background(), admin, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	feed := authFeed(t)
	var mine, theirs events.Event
	for _, e := range feed {
		if e.Type == events.TypeDossierReceived {
			if mine.ID == "" {
				mine = e
			} else if e.Agency != mine.Agency {
				theirs = e
				break
			}
		}
	}
	code, token, errs := baocao(t, "", "users", "add", "h23-31", "--role", "agency", "--agency", mine.Agency, "--data", data)
	if code != 0 {
		t.Fatal(errs)
	}
	token = strings.TrimSpace(token)
	port := freePort(t)
	stop := runServe("--clickhouse-addr", ch.Addr, "--db", "serveingest", "--data", data, "--http", "127.0.0.1:"+port,
		"--ingest", "--nats-url", natsURL, "--nats-creds", creds[natsauth.Ingest])
	web := "http://127.0.0.1:" + port
	waitFor(t, "serve's /healthz", time.Minute, func() bool {
		resp, err := http.Get(web + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	c, resp := postEvents(t, web, token, jsonLines(t, []events.Event{mine, theirs}))
	var got ingest.Response
	if err := json.Unmarshal([]byte(resp), &got); c != 200 || err != nil || got.Counts.Published != 1 || got.Counts.Rejected != 1 {
		t.Errorf("POST /v1/events: %d %s", c, resp)
	}
	if n := natstest.StreamState(t, admin).Msgs; n != 1 {
		t.Errorf("stream holds %d events, want the agency's 1", n)
	}
	if code, log := stop(); code != 0 {
		t.Fatalf("serve exited %d: %s", code, log)
	}
}
