package stream_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

func nationalConfig(provinces ...string) stream.NationalConfig {
	c := stream.DefaultNationalConfig()
	c.Provinces = provinces
	return c
}

// publishN publishes n events of agency token agency into a province's
// stream, each with its own message id.
func publishN(t *testing.T, js jetstream.JetStream, agency string, from, n int) {
	t.Helper()
	ctx := context.Background()
	for i := from; i < from+n; i++ {
		subj := fmt.Sprintf("baocao.events.%s.dossier.received", agency)
		if _, err := js.Publish(ctx, subj, []byte(fmt.Sprintf(`{"n":%d}`, i)), jetstream.WithMsgID(fmt.Sprintf("%s-%d", agency, i))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNationalSourcesEveryProvince(t *testing.T) {
	n := natstest.StartNational(t, nationalConfig("H23", "H24"))
	publishN(t, n.Provinces["H23"].JS, "000_00_01_H23", 0, 300)
	publishN(t, n.Provinces["H24"].JS, "000_00_01_H24", 0, 200)
	n.WaitSourced(t, 500, 10*time.Second)

	// A province offline — its link cut — keeps taking events; back, the
	// national stream catches up with each event once.
	h24 := n.Provinces["H24"]
	h24.Link.Cut()
	n.WaitLeafs(t, 1)
	publishN(t, h24.JS, "000_00_01_H24", 200, 400)
	publishN(t, n.Provinces["H23"].JS, "000_00_01_H23", 300, 10)
	n.WaitSourced(t, 510, 10*time.Second)
	time.Sleep(3 * time.Second) // the province retries its link meanwhile
	n.WaitSourced(t, 510, time.Second)
	h24.Link.Restore(t)
	n.WaitLeafs(t, 2)
	n.WaitSourced(t, 910, 20*time.Second)

	// A province server stopped and started again.
	h23 := n.Provinces["H23"]
	h23.Stop()
	n.WaitLeafs(t, 1)
	h23.Start()
	publishN(t, h23.JS, "000_00_01_H23", 310, 90)
	n.WaitSourced(t, 1000, time.Minute) // the source's retry: 16–20 s here
	time.Sleep(time.Second)             // nothing more arrives: no event doubled
	n.WaitSourced(t, 1000, time.Second)
}

// TestNationalLeafCredentialsCannotWriteIntoAProvince: whoever holds a
// province's national leaf credentials (its user and password on the
// national server) cannot put an event into any province's stream, nor
// change or empty the stream through its JetStream domain — with the
// configurations as generated, and with either of their two guards alone
// (the national leaf users' permissions, the province's refused imports).
// Without both, the same attack gets through: the test can fail.
func TestNationalLeafCredentialsCannotWriteIntoAProvince(t *testing.T) {
	hubOpen := func(who, conf string) string { // the leaf users may do anything
		if who != "national" {
			return conf
		}
		return regexp.MustCompile(`permissions: \{publish: \{allow: \[[^]]*\]\}, subscribe: \{allow: \[[^]]*\]\}\}`).
			ReplaceAllString(conf, `permissions: {publish: ">", subscribe: ">"}`)
	}
	provinceOpen := func(who, conf string) string { // the province refuses nothing
		if who == "national" {
			return conf
		}
		return regexp.MustCompile(`(?m)^\s*deny_imports: .*$`).ReplaceAllString(conf, "")
	}
	for _, c := range []struct {
		name    string
		edit    []func(string, string) string
		through bool
	}{
		{"as generated", nil, false},
		{"the province's refused imports alone", []func(string, string) string{hubOpen}, false},
		{"the leaf users' permissions alone", []func(string, string) string{provinceOpen}, false},
		{"neither", []func(string, string) string{hubOpen, provinceOpen}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := natstest.StartNational(t, nationalConfig("H23", "H24"), c.edit...)
			h23 := n.Provinces["H23"]
			publishN(t, h23.JS, "000_00_01_H23", 0, 5)
			if c.through {
				time.Sleep(time.Second)
			} else {
				n.WaitSourced(t, 5, 10*time.Second)
			}
			info := attack(t, n)
			intact := info.State.Msgs == 5 && info.Config.DenyPurge && len(info.Config.Subjects) == 1
			switch {
			case c.through && intact:
				t.Fatal("with neither guard the attack should reach the province's stream; the test cannot tell")
			case !c.through && !intact:
				t.Fatalf("province stream after the attack: %d messages (want 5), subjects %v, deny purge %v", info.State.Msgs, info.Config.Subjects, info.Config.DenyPurge)
			case !c.through:
				// and sourcing still works
				publishN(t, h23.JS, "000_00_01_H23", 5, 5)
				n.WaitSourced(t, 10, 10*time.Second)
			}
		})
	}
}

// attack joins the national server as a leaf node with H24's leaf
// credentials and, from there and as the national admin, publishes events
// for H23 and asks H23's JetStream domain to purge, delete and open up its
// stream; it returns H23's stream afterwards.
func attack(t *testing.T, n *natstest.National) *jetstream.StreamInfo {
	t.Helper()
	// The leaf user cannot log in as a client.
	if nc, err := nats.Connect(n.URL, nats.UserInfo(stream.LeafUser("H24"), n.LeafPasswords["H24"])); err == nil {
		nc.Close()
		t.Fatal("the leaf user logged in to the national server as a client")
	}
	conf := fmt.Sprintf("listen: \"127.0.0.1:-1\"\nleafnodes { remotes: [ { url: %q } ] }\n",
		"nats-leaf://"+stream.LeafUser("H24")+":"+n.LeafPasswords["H24"]+"@"+n.LeafAddr)
	evil := natstest.StartFromConfig(t, writeTemp(t, conf))
	n.WaitLeafs(t, 3)
	enc, err := nats.Connect(evil.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	// a few rounds: the evil leaf's interest takes a moment to reach the hub
	for round := range 5 {
		time.Sleep(200 * time.Millisecond)
		forge(t, []*nats.Conn{enc, n.NC}, round)
	}
	time.Sleep(500 * time.Millisecond)
	s, err := n.Provinces["H23"].JS.Stream(context.Background(), stream.DefaultConfig().Name)
	if err != nil {
		t.Fatal(err)
	}
	return s.CachedInfo()
}

// forge publishes from each connection events for H23 and requests to its
// JetStream domain that would purge, delete and open up its stream.
func forge(t *testing.T, conns []*nats.Conn, round int) {
	t.Helper()
	for _, nc := range conns {
		for _, subj := range []string{
			"baocao.events.000_00_01_H23.dossier.received",
			"baocao.events.000_00_00_H23.agency.merged",
			"$JS.H23.API.STREAM.PURGE.BAOCAO_EVENTS",
			"$JS.H23.API.STREAM.DELETE.BAOCAO_EVENTS",
		} {
			if err := nc.Publish(subj, []byte(fmt.Sprintf(`{"forged":%d}`, round))); err != nil {
				t.Fatal(err)
			}
		}
		upd := `{"name":"BAOCAO_EVENTS","subjects":["baocao.events.>","forged.>"],"storage":"file","deny_delete":false,"deny_purge":false}`
		_, _ = nc.Request("$JS.H23.API.STREAM.UPDATE.BAOCAO_EVENTS", []byte(upd), 200*time.Millisecond)
		if err := nc.Flush(); err != nil {
			t.Fatal(err)
		}
	}
}

func writeTemp(t *testing.T, conf string) string {
	t.Helper()
	p := t.TempDir() + "/evil.conf"
	if err := writeFile(p, conf); err != nil {
		t.Fatal(err)
	}
	return p
}

func writeFile(p, s string) error { return os.WriteFile(p, []byte(s), 0o600) }

// A province running baocao up (embedded NATS) joins with ProvinceRemote,
// the same leaf connection as province-conf's.
func TestEmbeddedProvinceJoins(t *testing.T) {
	cfg := nationalConfig("H25")
	n := natstest.StartNationalServer(t, cfg)
	join, err := cfg.ProvinceRemote("H25", "nats-leaf://"+n.LeafAddr, n.LeafPasswords["H25"], "")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: t.TempDir(), Port: -1}, join)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	nc, err := stream.Connect(stream.ConnConfig{URL: srv.ClientURL()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := stream.Provision(context.Background(), js, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	publishN(t, js, "000_00_01_H25", 0, 50)
	n.WaitLeafs(t, 1)
	n.Provision(t)
	n.WaitSourced(t, 50, 10*time.Second)

	if _, err := cfg.ProvinceRemote("h25", "nats-leaf://"+n.LeafAddr, "x", ""); err == nil || !strings.Contains(err.Error(), `province "h25"`) {
		t.Errorf("a bad province token: %v", err)
	}
}

// ProvisionNational is idempotent, and a province added becomes a source.
func TestProvisionNationalIsIdempotent(t *testing.T) {
	js := startJS(t)
	ctx := context.Background()
	cfg := nationalConfig("H23")
	for i, want := range []stream.Action{stream.Created, stream.Unchanged} {
		if _, got, changes, err := stream.ProvisionNational(ctx, js, cfg); err != nil || got != want {
			t.Fatalf("run %d: %s %v %v, want %s", i, got, changes, err, want)
		}
	}
	cfg.Provinces = append(cfg.Provinces, "H24")
	s, got, _, err := stream.ProvisionNational(ctx, js, cfg)
	if err != nil || got != stream.Updated || len(s.CachedInfo().Config.Sources) != 2 {
		t.Fatalf("a province added: %s %v", got, err)
	}
	if _, _, _, err := stream.ProvisionNational(ctx, js, nationalConfig("H23", "H23")); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("a province twice: %v", err)
	}
}
