package natstest

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/stream"
)

// National is a national roll-up for a test: the national server, started
// from the configuration baocao generates, and one province server per
// province, each from its own configuration plus the leaf block baocao
// generates, connected to the national server through a Link the test can
// cut. Every server is stopped when the test ends.
type National struct {
	Config    stream.NationalConfig
	Server    *server.Server
	URL       string // national client URL (user admin, password AdminPassword)
	LeafAddr  string // national leaf-node listener
	NC        *nats.Conn
	JS        jetstream.JetStream
	Provinces map[string]*Province
	// LeafPasswords are the national leaf users' passwords, by province.
	LeafPasswords map[string]string
	dir           string
	edit          []func(who, conf string) string
}

func (n *National) edited(who, conf string) string {
	for _, e := range n.edit {
		conf = e(who, conf)
	}
	return conf
}

// AdminPassword is the national admin's password in tests.
const AdminPassword = "national-admin"

// Province is one province's server in a National.
type Province struct {
	Token string
	Conf  string // its configuration file
	Link  *Link  // its leaf connection's network path to the national server
	t     testing.TB
	srv   *server.Server
	URL   string
	NC    *nats.Conn
	JS    jetstream.JetStream
}

// StartNational starts the national server with cfg (its Provinces are the
// provinces started), each province with its events stream provisioned,
// the national stream provisioned, and waits until every leaf connection
// is up.
//
// edit, for tests of the configuration itself, may change each generated
// configuration before its server reads it: who is "national" or the
// province's token.
func StartNational(t testing.TB, cfg stream.NationalConfig, edit ...func(who, conf string) string) *National {
	t.Helper()
	n := StartNationalServer(t, cfg, edit...)
	for _, p := range cfg.Provinces {
		n.Provinces[p] = n.startProvince(t, n.dir, p)
	}
	// Sourcing starts once the provinces are connected: a source that finds
	// no province retries after 10 s × its failures (up to 2 min,
	// nats-server's backoff).
	n.WaitLeafs(t, len(cfg.Provinces))
	n.Provision(t)
	return n
}

// Provision creates the national stream with its sources.
func (n *National) Provision(t testing.TB) {
	t.Helper()
	if _, _, _, err := stream.ProvisionNational(context.Background(), n.JS, n.Config); err != nil {
		t.Fatal(err)
	}
}

// StartNationalServer starts the national server alone, for provinces the
// test starts itself; Provision then creates the national stream.
func StartNationalServer(t testing.TB, cfg stream.NationalConfig, edit ...func(who, conf string) string) *National {
	t.Helper()
	dir := t.TempDir()
	n := &National{Config: cfg, Provinces: map[string]*Province{}, LeafPasswords: map[string]string{}, dir: dir, edit: edit}
	for _, p := range cfg.Provinces {
		n.LeafPasswords[p] = "leaf-secret-" + p
	}
	n.LeafAddr = fmt.Sprintf("127.0.0.1:%d", freePort(t))
	hashed, err := stream.HashPasswords(n.LeafPasswords) // as baocao national server-conf writes them
	if err != nil {
		t.Fatal(err)
	}
	conf, err := cfg.NationalServerConf("127.0.0.1:-1", n.LeafAddr, filepath.Join(dir, "national"), AdminPassword, hashed)
	if err != nil {
		t.Fatal(err)
	}
	// The national server tells its leaf nodes its own leaf address, which
	// they then use to reconnect: a cut Link would be bypassed. Production
	// keeps the advertisement (a national cluster's other nodes).
	conf = strings.Replace(conf, "leafnodes {\n", "leafnodes {\n  no_advertise: true\n", 1)
	conf = n.edited("national", conf)
	n.Server = StartFromConfig(t, writeConf(t, dir, "national.conf", conf))
	n.URL = n.Server.ClientURL()
	n.NC, n.JS = connect(t, stream.ConnConfig{URL: n.URL, User: "admin", Password: AdminPassword})
	return n
}

func (n *National) startProvince(t testing.TB, dir, token string) *Province {
	t.Helper()
	link := StartLink(t, n.LeafAddr)
	leaf, err := n.Config.ProvinceLeafConf(token, "nats-leaf://"+link.Addr, n.LeafPasswords[token], "")
	if err != nil {
		t.Fatal(err)
	}
	port := freePort(t)
	base := fmt.Sprintf("server_name: %q\nlisten: \"127.0.0.1:%d\"\njetstream {\n  store_dir: %q\n  domain: %s\n}\n",
		"province-"+token, port, filepath.Join(dir, "province-"+token), token)
	p := &Province{Token: token, Link: link, t: t, Conf: writeConf(t, dir, "province-"+token+".conf", n.edited(token, base+leaf))}
	p.Start()
	if _, _, _, err := stream.Provision(context.Background(), p.JS, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	return p
}

// Start starts the province's server (again, after Stop: same store, same
// port) and connects to it.
func (p *Province) Start() {
	p.t.Helper()
	p.srv = StartFromConfig(p.t, p.Conf)
	p.URL = p.srv.ClientURL()
	p.NC, p.JS = connect(p.t, stream.ConnConfig{URL: p.URL})
}

// Stop shuts the province's server down, its stream kept on disk.
func (p *Province) Stop() {
	p.NC.Close()
	p.srv.Shutdown()
	p.srv.WaitForShutdown()
}

// WaitLeafs waits until the national server has want leaf connections.
func (n *National) WaitLeafs(t testing.TB, want int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for n.Server.NumLeafNodes() != want {
		if time.Now().After(deadline) {
			t.Fatalf("national server: %d leaf connections after 20s, want %d", n.Server.NumLeafNodes(), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitSourced waits until the national stream holds want messages, and
// fails the test if it holds more or none arrive for quiet.
func (n *National) WaitSourced(t testing.TB, want uint64, quiet time.Duration) jetstream.StreamState {
	t.Helper()
	s, err := n.JS.Stream(context.Background(), n.Config.Stream)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	last, lastChange := uint64(0), time.Now()
	for {
		info, err := s.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		switch got := info.State.Msgs; {
		case got == want:
			t.Logf("national stream %s: %d messages after %v", n.Config.Stream, got, time.Since(start).Round(time.Millisecond))
			return info.State
		case got > want:
			t.Fatalf("national stream %s: %d messages, more than the %d the provinces hold", n.Config.Stream, got, want)
		case got != last:
			last, lastChange = got, time.Now()
		case time.Since(lastChange) > quiet:
			t.Fatalf("national stream %s: stuck at %d messages for %v, want %d", n.Config.Stream, got, quiet, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func connect(t testing.TB, cfg stream.ConnConfig) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := stream.Connect(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4000))
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

func writeConf(t testing.TB, dir, name, conf string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Link is a TCP relay standing for the network between a province and the
// national server: Cut drops its connections and refuses new ones (an
// outage), Restore lets them through again on the same address.
type Link struct {
	Addr   string
	target string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

// StartLink relays a free loopback address to target until the test ends.
func StartLink(t testing.TB, target string) *Link {
	t.Helper()
	l := &Link{target: target, conns: map[net.Conn]bool{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Addr = ln.Addr().String()
	l.serve(ln)
	t.Cleanup(l.Cut)
	return l
}

func (l *Link) serve(ln net.Listener) {
	l.mu.Lock()
	l.ln = ln
	l.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			u, err := net.Dial("tcp", l.target)
			if err != nil {
				c.Close()
				continue
			}
			l.mu.Lock()
			l.conns[c], l.conns[u] = true, true
			l.mu.Unlock()
			go func() { io.Copy(u, c); u.Close() }()
			go func() { io.Copy(c, u); c.Close() }()
		}
	}()
}

// Cut closes the relay and every connection through it.
func (l *Link) Cut() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
		l.ln = nil
	}
	for c := range l.conns {
		c.Close()
	}
	clear(l.conns)
}

// Restore listens again on the same address.
func (l *Link) Restore(t testing.TB) {
	t.Helper()
	var ln net.Listener
	var err error
	for range 50 { // the port may linger a moment after Cut
		if ln, err = net.Listen("tcp", l.Addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	l.serve(ln)
}
