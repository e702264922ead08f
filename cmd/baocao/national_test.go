package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

// The configurations baocao national prints are read by nats-server's own
// parser: the national server's leaf users with their permissions and
// bcrypt hashes, and the province's remote with its refused imports.
func TestNationalConfigurations(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	t.Setenv("BAOCAO_ADMIN_PASSWORD", "admin-secret")
	code, out, errs := baocao(t, "", "national", "server-conf", "--province", "H23,H24", "--passwords", pw, "--store-dir", filepath.Join(dir, "js"))
	if code != 0 {
		t.Fatalf("server-conf: exit %d: %s", code, errs)
	}
	conf := filepath.Join(dir, "national.conf")
	if err := os.WriteFile(conf, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		t.Fatalf("nats-server cannot read the national configuration: %v\n%s", err, out)
	}
	leafUsers := 0
	for _, u := range opts.Users {
		if strings.HasPrefix(u.Username, "leaf-") {
			leafUsers++
			if !strings.HasPrefix(u.Password, "$2a$") || u.Permissions == nil || len(u.Permissions.Subscribe.Allow) == 0 {
				t.Errorf("leaf user %s: password %.4q…, permissions %+v; want a bcrypt hash and an allow list", u.Username, u.Password, u.Permissions)
			}
		}
	}
	if leafUsers != 2 || opts.JetStreamDomain != "national" {
		t.Errorf("%d leaf users, domain %q; want 2 and national", leafUsers, opts.JetStreamDomain)
	}
	secret, err := os.ReadFile(filepath.Join(pw, "H23.password"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, strings.TrimSpace(string(secret))) {
		t.Error("the national configuration holds a province's password in clear")
	}

	code, out, errs = baocao(t, "", "national", "province-conf", "--province", "H23", "--national-url", "nats-leaf://vpcp.example.vn:7422", "--password-file", filepath.Join(pw, "H23.password"))
	if code != 0 {
		t.Fatalf("province-conf: exit %d: %s", code, errs)
	}
	pconf := filepath.Join(dir, "province.conf")
	if err := os.WriteFile(pconf, []byte("jetstream { store_dir: \""+dir+"/p\", domain: H23 }\n"+out), 0o600); err != nil {
		t.Fatal(err)
	}
	popts, err := server.ProcessConfigFile(pconf)
	if err != nil {
		t.Fatalf("nats-server cannot read the province's configuration: %v\n%s", err, out)
	}
	if r := popts.LeafNode.Remotes; len(r) != 1 || r[0].URLs[0].User.Username() != "leaf-H23" || !strings.Contains(strings.Join(r[0].DenyImports, " "), "baocao.events.>") {
		t.Errorf("the province's remote: %+v", r)
	}

	for _, bad := range [][]string{
		{"national", "server-conf", "--province", "h23", "--passwords", pw},
		{"national", "province-conf", "--province", "H23", "--national-url", "nats-leaf://vpcp.example.vn:7422", "--password-file", filepath.Join(dir, "none")},
		{"national", "province-conf", "--province", "H23,H24", "--national-url", "x:1", "--password-file", filepath.Join(pw, "H23.password")},
	} {
		if code, _, errs := baocao(t, "", bad...); code == 0 || !strings.Contains(errs, "--") && !strings.Contains(errs, "province") {
			t.Errorf("%v: exit %d, %q; want an error naming the setting", bad, code, errs)
		}
	}
}

// up joins the national roll-up with its embedded NATS, credentials on
// (operator mode: the leaf connection is bound to the events account): the
// national stream sources the province's events.
func TestUpJoinsNational(t *testing.T) {
	cfg := stream.DefaultNationalConfig()
	cfg.Provinces = []string{"H23"}
	n := natstest.StartNationalServer(t, cfg)
	data := t.TempDir()
	pw := filepath.Join(data, "H23.password")
	if err := os.WriteFile(pw, []byte(n.LeafPasswords["H23"]+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	up := startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0", "--nats-auth",
		"--national-url", "nats-leaf://"+n.LeafAddr, "--national-password-file", pw, "--national-province", "H23")
	_, natsURL := upAddresses(t, up, data)
	n.WaitLeafs(t, 1)
	for _, want := range []string{"created", "unchanged"} {
		code, out, errs := baocao(t, "", "national", "streams", "--province", "H23", "--nats-url", n.URL, "--nats-user", "admin", "--nats-password", natstest.AdminPassword)
		if code != 0 || !strings.Contains(out, "stream BAOCAO_NATIONAL "+want+": 1 source(s): H23") {
			t.Fatalf("national streams: exit %d %q %s; want %s", code, out, errs, want)
		}
	}

	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL, Creds: filepath.Join(data, "auth", "services", "admin.creds")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 100 {
		if _, err := js.Publish(ctx, "baocao.events.000_00_01_H23.dossier.received", []byte(`{}`), jetstream.WithMsgID(fmt.Sprint("e", i))); err != nil {
			t.Fatal(err)
		}
	}
	n.WaitSourced(t, 100, 20*time.Second)
	up.stop(t)

	if code, _, errs := baocao(t, "", "up", "--data", t.TempDir(), "--nats-url", "nats://127.0.0.1:1", "--national-url", "nats-leaf://x:1",
		"--national-password-file", pw, "--national-province", "H23"); code != 2 || !strings.Contains(errs, "--national-url joins the embedded NATS") {
		t.Errorf("up --nats-url --national-url: exit %d, %s", code, errs)
	}
}
