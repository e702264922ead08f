// Package natstest runs a real nats-server with JetStream for tests, in the
// test process, listening on a free loopback port.
package natstest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/stream"
)

// Server is a running server and one client connection to it.
type Server struct {
	URL string
	NC  *nats.Conn
	JS  jetstream.JetStream
}

// Start runs a server for the test (stopped when it ends) and connects to
// it. tweak may change the server's options, e.g. to add users; Start then
// connects with user "admin", password "admin", which tweak must define.
func Start(t testing.TB, tweak ...func(*server.Options)) *Server {
	t.Helper()
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: t.TempDir(), Port: -1}, tweak...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	cfg := stream.ConnConfig{URL: srv.ClientURL()}
	if len(tweak) > 0 {
		cfg.User, cfg.Password = "admin", "admin"
	}
	nc, err := stream.Connect(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4000))
	if err != nil {
		t.Fatal(err)
	}
	return &Server{URL: srv.ClientURL(), NC: nc, JS: js}
}

// StartWithStream is Start with the default events stream provisioned.
func StartWithStream(t testing.TB, tweak ...func(*server.Options)) *Server {
	t.Helper()
	s := Start(t, tweak...)
	if _, _, _, err := stream.Provision(context.Background(), s.JS, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	return s
}

// StartFromConfig runs nats-server from a configuration file, read by the
// server's own parser, for the test; tweak may then change the options
// (a test's own store folder and ports instead of a deployment's).
func StartFromConfig(t testing.TB, conf string, tweak ...func(*server.Options)) *server.Server {
	t.Helper()
	opts, err := server.ProcessConfigFile(conf)
	if err != nil {
		b, _ := os.ReadFile(conf)
		t.Fatalf("nats-server cannot read %s: %v\n%s", conf, err, b)
	}
	for _, f := range tweak {
		f(opts)
	}
	opts.NoSigs, opts.NoLog = true, true
	srv, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		t.Fatalf("nats-server from %s: not ready", conf)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	return srv
}

// StreamState is the default events stream's state, read through js.
func StreamState(t testing.TB, js jetstream.JetStream) jetstream.StreamState {
	t.Helper()
	s, err := js.Stream(context.Background(), stream.DefaultConfig().Name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return info.State
}
