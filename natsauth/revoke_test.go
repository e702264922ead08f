package natsauth_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

// waitClosed waits until the server has dropped c for good: nats.go closes a
// connection the server refuses twice with the same authorization error.
func waitClosed(t *testing.T, c *client, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for c.nc.Status() != nats.CLOSED {
		if time.Now().After(deadline) {
			t.Fatalf("revoked connection still %v after %v; last error %v", c.nc.Status(), within, c.nc.LastError())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// revokeLive revokes A's credential and pushes the account to the server at
// url: A's live connection is closed, a new one refused, B's goes on.
func revokeLive(t *testing.T, e *env, url string) (revokedCreds []byte) {
	credsA, credA, err := e.a.IssueAgency(e.sc, agencyA)
	if err != nil {
		t.Fatal(err)
	}
	credsB, credB, err := e.a.IssueAgency(e.sc, agencyB)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.connect(url, credsA)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.connect(url, credsB)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.js.Publish(ctx, subj(e, agencyA, events.TypeDossierReceived), encode(t, event(agencyA))); err != nil {
		t.Fatalf("before revocation: %v", err)
	}

	revoked, err := e.a.Revoke(credA.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if len(revoked) != 1 || revoked[0].Revoked == nil || revoked[0].Agency != agencyA {
		t.Fatalf("revoked %+v", revoked)
	}
	// Revoking alone changes nothing on a running server: it is the push.
	time.Sleep(200 * time.Millisecond)
	if a.nc.Status() != nats.CONNECTED {
		t.Fatalf("closed before the push: %v", a.nc.Status())
	}
	sysCreds, err := e.a.SystemCreds(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sys, err := e.connect(url, sysCreds)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := e.a.Push(ctx, sys.nc); err != nil {
		t.Fatal(err)
	}
	for a.nc.Status() == nats.CONNECTED && time.Since(start) < 10*time.Second {
		time.Sleep(time.Millisecond)
	}
	dropped := time.Since(start)
	waitClosed(t, a, 10*time.Second)
	t.Logf("revoked connection dropped by the server %v after the push returned, closed by the client (refused twice on reconnect) after %v; last error: %v",
		dropped.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), a.nc.LastError())
	if _, err := e.connect(url, credsA); err == nil || !strings.Contains(strings.ToLower(err.Error()), "refused the credentials") {
		t.Fatalf("reconnecting with the revoked credential: %v", err)
	}
	if _, err := b.js.Publish(ctx, subj(e, agencyB, events.TypeDossierReceived), encode(t, event(agencyB))); err != nil {
		t.Fatalf("another agency after the revocation: %v", err)
	}
	list, err := e.a.Credentials()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if (c.PublicKey == credA.PublicKey) != (c.Revoked != nil) && (c.PublicKey == credA.PublicKey || c.PublicKey == credB.PublicKey) {
			t.Fatalf("registry %+v", list)
		}
	}
	return credsA
}

func TestRevokeLive(t *testing.T) {
	e := startEnv(t)
	creds := revokeLive(t, e, e.url)
	// restarted, the server keeps refusing it
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	e.start()
	if _, err := e.connect(e.url, creds); err == nil {
		t.Fatal("revoked credential accepted after a restart")
	}
	if _, err := e.a.Revoke("UNKNOWNKEY"); err == nil {
		t.Fatal("revoking an unknown key: no error")
	}
}

func TestRevokedRefusedAfterRestart(t *testing.T) {
	e := startEnv(t)
	creds, c, err := e.a.IssueAgency(e.sc, agencyA)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.a.Revoke(c.PublicKey); err != nil {
		t.Fatal(err)
	}
	// revoked while the server was down (no push): the restart applies it
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	e.start()
	if _, err := e.connect(e.url, creds); err == nil {
		t.Fatal("revoked credential accepted after a restart")
	}
	if _, _, err := e.a.IssueAgency(e.sc, "bad code!"); err == nil {
		t.Fatal("issued a credential for an invalid agency code")
	}
}

// TestRevokeService: a service credential kept in a file (compose) is
// recorded and revocable like an agency's.
func TestRevokeService(t *testing.T) {
	e := startEnv(t)
	creds, c, err := e.a.IssueService(natsauth.Ingest, e.sc, durable, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if c.Service != natsauth.Ingest || c.Expires == nil || c.Agency != "" {
		t.Fatalf("recorded %+v", c)
	}
	path := filepath.Join(t.TempDir(), "creds", "ingest.creds")
	if err := natsauth.WriteCreds(path, creds); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("creds file mode %v", fi.Mode().Perm())
	}
	if fi, _ := os.Stat(filepath.Dir(path)); fi.Mode().Perm() != 0o700 {
		t.Fatalf("creds folder mode %v", fi.Mode().Perm())
	}
	in := e.mustConnect(creds)
	if _, err := e.a.Revoke(c.PublicKey); err != nil {
		t.Fatal(err)
	}
	sysCreds, err := e.a.SystemCreds(time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	sys := e.mustConnect(sysCreds)
	if err := e.a.Push(context.Background(), sys.nc); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, in, 10*time.Second)
	if list, err := e.a.Credentials(); err != nil || len(list) != 1 || list[0].Revoked == nil {
		t.Fatalf("registry %+v %v", list, err)
	}
}

// KeepServiceCreds writes each service's recorded credentials once; run
// again, it keeps them, so the deployment's services stay valid.
func TestKeepServiceCreds(t *testing.T) {
	a, err := natsauth.Open(filepath.Join(t.TempDir(), "auth"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sc := stream.DefaultConfig()
	first, err := a.KeepServiceCreds(dir, sc, durable, natsauth.Services...)
	if err != nil {
		t.Fatal(err)
	}
	before := map[natsauth.Service][]byte{}
	for _, k := range first {
		b, err := os.ReadFile(k.Path)
		if k.Issued == nil || err != nil || k.Path != filepath.Join(dir, string(k.Service), string(k.Service)+".creds") {
			t.Fatalf("first run, %s: %+v %v", k.Service, k, err)
		}
		before[k.Service] = b
	}
	again, err := a.KeepServiceCreds(dir, sc, durable, natsauth.Services...)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range again {
		b, _ := os.ReadFile(k.Path)
		if k.Issued != nil || string(b) != string(before[k.Service]) {
			t.Errorf("second run, %s: issued %v, file changed %v; want kept", k.Service, k.Issued, string(b) != string(before[k.Service]))
		}
	}
	list, err := a.Credentials()
	if err != nil || len(list) != len(natsauth.Services) {
		t.Errorf("registry holds %d credentials (%v), want one per service", len(list), err)
	}
}
