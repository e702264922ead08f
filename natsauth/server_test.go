package natsauth_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

// TestServerConfig starts a nats-server from the configuration file an
// external server (docker-compose) gets: agency credentials work there,
// revocations reach it live, and the same credentials are refused by a
// server of another authority (a server without authentication accepts
// any client: the credential is ignored there).
func TestServerConfig(t *testing.T) {
	e := startEnv(t) // the authority (its own server is not used here)
	dir := t.TempDir()
	text, err := e.a.ServerConfig(filepath.Join(dir, "jwt"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(dir, "nats-server.conf")
	full := text + fmt.Sprintf("listen: \"127.0.0.1:-1\"\njetstream { store_dir: %q }\n", filepath.Join(dir, "store"))
	if err := os.WriteFile(conf, []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := natstest.StartFromConfig(t, conf)
	url := srv.ClientURL()

	adminCreds, _, err := e.a.Creds(natsauth.ServiceIdentity(natsauth.Admin, e.sc, durable), time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := e.connect(url, adminCreds)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := stream.Provision(context.Background(), admin.js, e.sc); err != nil {
		t.Fatal(err)
	}
	creds, _, err := e.a.IssueAgency(e.sc, agencyB)
	if err != nil {
		t.Fatal(err)
	}
	b, err := e.connect(url, creds)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.js.Publish(context.Background(), subj(e, agencyB, events.TypeDossierReceived), encode(t, event(agencyB))); err != nil {
		t.Fatal(err)
	}
	// the same attacks are refused there too
	if _, achieved := deletesStream(e, b); achieved {
		t.Fatal("agency deleted the stream on the configured server")
	}

	// refused elsewhere: another deployment's server, a server without auth
	other := startEnv(t)
	if _, err := other.connect(other.url, creds); err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("another authority's server: %v", err)
	}

	// revocation, live, on the external server
	revoked := revokeLive(t, e, url)

	// restarted from the same, older config file: the resolver folder keeps
	// the pushed JWT (a preload older than the stored JWT is ignored)
	srv.Shutdown()
	srv.WaitForShutdown()
	srv = natstest.StartFromConfig(t, conf)
	if _, err := e.connect(srv.ClientURL(), revoked); err == nil {
		t.Fatal("revoked credential accepted after a restart from the config written before the revocation")
	}
	if _, err := e.connect(srv.ClientURL(), creds); err != nil {
		t.Fatalf("agency after the restart: %v", err)
	}
}

// TestAdoptGlobalStore enables authentication on a data folder written
// without it: the events stay.
func TestAdoptGlobalStore(t *testing.T) {
	store := t.TempDir()
	sc := stream.DefaultConfig()
	noauth, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: store, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := stream.Connect(stream.ConnConfig{URL: noauth.ClientURL()}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{nc: nc}
	c.js, _ = newJS(nc)
	if _, _, _, err := stream.Provision(context.Background(), c.js, sc); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		if _, err := c.js.Publish(context.Background(), events.SubjectFor(sc.Prefix, agencyA, events.TypeDossierReceived), encode(t, event(agencyA))); err != nil {
			t.Fatal(err)
		}
	}
	nc.Close()
	noauth.Shutdown()
	noauth.WaitForShutdown()

	a, err := natsauth.Open(filepath.Join(t.TempDir(), "auth"))
	if err != nil {
		t.Fatal(err)
	}
	// without adopting: the account starts empty (what the test guards)
	copyDir := t.TempDir()
	if err := os.CopyFS(copyDir, os.DirFS(store)); err != nil {
		t.Fatal(err)
	}
	if n := countWithAuth(t, a, copyDir, sc); n != -1 {
		t.Fatalf("without adoption the account sees %d events; expected no stream", n)
	}

	if err := natsauth.AdoptGlobalStore(store, a.AccountPublicKey()); err != nil {
		t.Fatal(err)
	}
	if n := countWithAuth(t, a, store, sc); n != 10 {
		t.Fatalf("after adoption the stream holds %d events, want 10", n)
	}
	if err := natsauth.AdoptGlobalStore(store, a.AccountPublicKey()); err != nil {
		t.Fatalf("second adoption: %v", err)
	}
	// events published without auth again, after the adoption: both
	// folders hold streams, and adopting is refused
	noauth, err = stream.StartEmbedded(stream.EmbeddedConfig{Dir: store, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	nc, err = stream.Connect(stream.ConnConfig{URL: noauth.ClientURL()}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := newJS(nc)
	if _, _, _, err := stream.Provision(context.Background(), js, sc); err != nil {
		t.Fatal(err)
	}
	nc.Close()
	noauth.Shutdown()
	noauth.WaitForShutdown()
	if err := natsauth.AdoptGlobalStore(store, a.AccountPublicKey()); err == nil || !strings.Contains(err.Error(), "both") {
		t.Fatalf("both folders holding streams: %v", err)
	}
	if err := natsauth.AdoptGlobalStore(store, "../x"); err == nil {
		t.Fatal("adopting into a path: no error")
	}
}

// countWithAuth starts the server on store with a's configuration and
// counts the events stream's messages as admin; -1 when there is no stream.
func countWithAuth(t *testing.T, a *natsauth.Authority, store string, sc stream.Config) int {
	t.Helper()
	var cerr error
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: store, Port: -1}, func(o *server.Options) {
		cerr = a.Configure(o, filepath.Join(store, "jwt"))
	})
	if cerr != nil || err != nil {
		t.Fatal(cerr, err)
	}
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	creds, _, err := a.Creds(natsauth.ServiceIdentity(natsauth.Admin, sc, durable), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := stream.Connect(stream.ConnConfig{URL: srv.ClientURL(), Creds: writeCreds(t, creds)}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := newJS(nc)
	s, err := js.Stream(context.Background(), sc.Name)
	if err != nil {
		return -1
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(info.State.Msgs)
}

func TestOpen(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "auth")
	a, err := natsauth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Fatalf("folder mode %v", fi.Mode().Perm())
	}
	seeds, _ := filepath.Glob(filepath.Join(dir, "*.nk"))
	if len(seeds) != 3 {
		t.Fatalf("seeds %v", seeds)
	}
	for _, s := range seeds {
		if fi, _ := os.Stat(s); fi.Mode().Perm() != 0o600 {
			t.Fatalf("%s mode %v", s, fi.Mode().Perm())
		}
	}
	if _, _, err := a.IssueAgency(stream.DefaultConfig(), agencyA); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(filepath.Join(dir, "registry.json")); fi.Mode().Perm() != 0o600 {
		t.Fatalf("registry mode %v", fi.Mode().Perm())
	}
	b, err := natsauth.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if a.AccountPublicKey() != b.AccountPublicKey() || !strings.HasPrefix(a.AccountPublicKey(), "A") {
		t.Fatalf("reopened: account %s, was %s", b.AccountPublicKey(), a.AccountPublicKey())
	}
	if list, _ := b.Credentials(); len(list) != 1 {
		t.Fatalf("reopened registry: %v", list)
	}

	seed := filepath.Join(dir, "events-account.nk")
	if err := os.Chmod(seed, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := natsauth.Open(dir); err == nil || !strings.Contains(err.Error(), seed) {
		t.Fatalf("world-readable seed: %v", err)
	}
	_ = os.Chmod(seed, 0o600)
	// a seed of the wrong kind (the operator's in the account's place)
	op, _ := os.ReadFile(filepath.Join(dir, "operator.nk"))
	if err := os.WriteFile(seed, op, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := natsauth.Open(dir); err == nil || !strings.Contains(err.Error(), "wrong kind") {
		t.Fatalf("operator seed as the account's: %v", err)
	}
}
