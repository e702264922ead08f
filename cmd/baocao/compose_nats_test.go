package main

// The deployment's NATS asks every client for credentials: the server
// configuration deploy/nats/nats.conf, with the auth settings the auth
// service writes, is started here as a real nats-server, and each
// service's credentials are checked against what that service does.

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

// composeIdentity is the NATS identity each baocao service connects with.
var composeIdentity = map[string]natsauth.Service{
	"streams":  natsauth.Admin,
	"consume":  natsauth.Projector,
	"schedule": natsauth.Scheduler,
	"serve":    natsauth.Ingest,
}

// Each service that reaches NATS has its own identity's credentials, on
// its own read-only volume; only the auth service mounts the authority
// and every credentials volume.
func TestComposeServicesConnectAsThemselves(t *testing.T) {
	p := loadCompose(t, composeSecrets)
	for name, s := range p.Services {
		if !isBaocao(s) || name == "auth" {
			for _, v := range s.Volumes {
				if name != "auth" && (v.Source == "auth" || strings.HasPrefix(v.Source, "creds-")) {
					t.Errorf("%s mounts %s: the authority and the credentials are the auth service's and their own service's", name, v.Source)
				}
			}
			continue
		}
		want, ok := composeIdentity[name]
		_, nats := env(s, "BAOCAO_NATS_URL")
		if !nats {
			if ok {
				t.Errorf("%s: no BAOCAO_NATS_URL, but it connects as %s", name, want)
			}
			continue
		}
		if !ok {
			t.Errorf("%s reaches NATS but has no identity in composeIdentity", name)
			continue
		}
		creds, _ := env(s, "BAOCAO_NATS_CREDS")
		if creds != "/creds/"+string(want)+".creds" {
			t.Errorf("%s: BAOCAO_NATS_CREDS=%q, want /creds/%s.creds", name, creds, want)
		}
		var mounted []string
		for _, v := range s.Volumes {
			if v.Source == "auth" {
				t.Errorf("%s mounts the authority", name)
			}
			if strings.HasPrefix(v.Source, "creds-") {
				mounted = append(mounted, v.Source)
				if v.Source != "creds-"+string(want) || v.Target != "/creds" || !v.ReadOnly {
					t.Errorf("%s: volume %s on %s (read-only %v), want creds-%s on /creds read-only", name, v.Source, v.Target, v.ReadOnly, want)
				}
			}
		}
		if len(mounted) != 1 {
			t.Errorf("%s: credentials volumes %v, want exactly creds-%s", name, mounted, want)
		}
	}
	// The auth service writes each identity into the volume its service
	// mounts.
	auth := p.Services["auth"]
	for _, svc := range natsauth.Services {
		found := false
		for _, v := range auth.Volumes {
			found = found || v.Source == "creds-"+string(svc) && v.Target == "/creds/"+string(svc) && !v.ReadOnly
		}
		if !found {
			t.Errorf("auth: does not mount creds-%s on /creds/%s to write %s's credentials", svc, svc, svc)
		}
	}
}

// composeNATS runs baocao auth init as the auth service does, into a
// temporary folder, and starts nats-server from deploy/nats/nats.conf with
// the settings it wrote. It returns the server's URL and the folder.
func composeNATS(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	for _, d := range []string{"etc/auth", "data", "creds", "users"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	conf, err := os.ReadFile(filepath.Join(composeDir, "deploy/nats/nats.conf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "etc/nats.conf"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	root := newRootCmd(nil, &bytes.Buffer{}, &stderr)
	root.SetArgs([]string{"auth", "init", "--auth-dir", filepath.Join(dir, "auth"), "--nats-config", filepath.Join(dir, "etc/auth/auth.conf"),
		"--resolver-dir", filepath.Join(dir, "data/jwt"), "--services-dir", filepath.Join(dir, "creds"), "--http-users", filepath.Join(dir, "users/http-users.yaml")})
	if err := root.ExecuteContext(context.Background()); err != nil {
		t.Fatalf("auth init: %v\n%s", err, stderr.String())
	}
	ns := natstest.StartFromConfig(t, filepath.Join(dir, "etc/nats.conf"), func(opts *server.Options) {
		if len(opts.TrustedOperators) != 1 || opts.AccountResolver == nil || opts.SystemAccount == "" {
			t.Fatalf("the server is not in operator mode: operators %d, resolver %v, system account %q", len(opts.TrustedOperators), opts.AccountResolver, opts.SystemAccount)
		}
		if !opts.JetStream || opts.StoreDir != "/data" {
			t.Fatalf("jetstream %v in %q, want enabled in /data (the nats-data volume)", opts.JetStream, opts.StoreDir)
		}
		// The container's paths and ports are the test's own.
		opts.StoreDir, opts.Host, opts.Port, opts.HTTPPort = filepath.Join(dir, "data"), "127.0.0.1", -1, 0
	})
	return ns.ClientURL(), dir
}

func composeConnect(t *testing.T, url, creds string) (*nats.Conn, jetstream.JetStream, error) {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: url, Creds: creds}, nil)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	return nc, js, err
}

func TestComposeNATSAsksCredentials(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url, dir := composeNATS(t)
	sc := stream.DefaultConfig()
	creds := func(s natsauth.Service) string { return filepath.Join(dir, "creds", string(s), string(s)+".creds") }

	if _, err := stream.Connect(stream.ConnConfig{URL: url}, nil); err == nil {
		t.Fatal("connected without credentials; want refused")
	}
	// The streams service provisions the stream as the admin.
	_, admin, err := composeConnect(t, url, creds(natsauth.Admin))
	if err != nil {
		t.Fatal(err)
	}
	s, _, _, err := stream.Provision(ctx, admin, sc)
	if err != nil {
		t.Fatalf("streams (admin) cannot provision: %v", err)
	}
	// The projector binds its durable consumer, and may not delete the
	// stream nor its consumer.
	_, proj, err := composeConnect(t, url, creds(natsauth.Projector))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := proj.Stream(ctx, sc.Name)
	if err != nil {
		t.Fatalf("projector: stream info: %v", err)
	}
	if _, err := ps.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: consumers.DefaultDurable, AckPolicy: jetstream.AckExplicitPolicy, FilterSubject: sc.Subjects()}); err != nil {
		t.Fatalf("projector: bind its consumer: %v", err)
	}
	// A refused request gets no answer: it waits for its deadline. What
	// was refused is checked below: the stream and the consumer still
	// exist, and the stream holds only the allowed events.
	refused := func() context.Context {
		c, cancel := context.WithTimeout(ctx, time.Second)
		t.Cleanup(cancel)
		return c
	}
	if err := proj.DeleteConsumer(refused(), sc.Name, consumers.DefaultDurable); err == nil {
		t.Error("the projector deleted its consumer; only the admin may")
	}
	if err := proj.DeleteStream(refused(), sc.Name); err == nil {
		t.Error("the projector deleted the stream of record")
	}
	// An agency issued by the deployment's authority publishes its own
	// events only; the ingest identity any agency's but no report.
	a, err := natsauth.Open(filepath.Join(dir, "auth"))
	if err != nil {
		t.Fatal(err)
	}
	agencyCreds, _, err := a.IssueAgency(sc, "000.00.31.H23")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "agency.creds")
	if err := os.WriteFile(path, agencyCreds, 0o600); err != nil {
		t.Fatal(err)
	}
	_, agency, err := composeConnect(t, url, path)
	if err != nil {
		t.Fatal(err)
	}
	pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
	defer pcancel()
	if _, err := agency.Publish(pctx, "baocao.events.000_00_31_H23.dossier.received", []byte("{}")); err != nil {
		t.Fatalf("the agency cannot publish its own event: %v", err)
	}
	if _, err := agency.Publish(refused(), "baocao.events.000_00_32_H23.dossier.received", []byte("{}")); err == nil {
		t.Error("the agency published as another agency")
	}
	_, ingest, err := composeConnect(t, url, creds(natsauth.Ingest))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ingest.Publish(pctx, "baocao.events.000_00_32_H23.dossier.received", []byte("{}")); err != nil {
		t.Fatalf("ingest cannot publish for an agency: %v", err)
	}
	if _, err := ingest.Publish(refused(), "baocao.events.000_00_00_H23.report.generated", []byte("{}")); err == nil {
		t.Error("ingest published a report.generated")
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 2 {
		t.Errorf("stream holds %d events, want the agency's and ingest's 2", info.State.Msgs)
	}
	if err := admin.DeleteConsumer(ctx, sc.Name, consumers.DefaultDurable); err != nil {
		t.Errorf("the admin cannot delete the projector's consumer (or it was deleted before): %v", err)
	}
}
