package stream_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

func startJS(t *testing.T) jetstream.JetStream { return natstest.Start(t).JS }

func TestProvisionIsIdempotent(t *testing.T) {
	ctx := context.Background()
	js := startJS(t)
	cfg := stream.DefaultConfig()

	s, action, _, err := stream.Provision(ctx, js, cfg)
	if err != nil || action != stream.Created {
		t.Fatalf("first Provision = %v, %v; want created", action, err)
	}
	info := s.CachedInfo().Config
	if info.Storage != jetstream.FileStorage || info.Retention != jetstream.LimitsPolicy || info.MaxAge != 0 ||
		info.Duplicates != 2*time.Minute || !info.DenyDelete || !info.DenyPurge || info.Subjects[0] != "baocao.events.>" {
		t.Fatalf("stream config %+v is not the system-of-record configuration", info)
	}

	if _, action, _, err = stream.Provision(ctx, js, cfg); err != nil || action != stream.Unchanged {
		t.Fatalf("second Provision = %v, %v; want unchanged", action, err)
	}

	cfg.DuplicateWindow = 5 * time.Minute
	s, action, changes, err := stream.Provision(ctx, js, cfg)
	if err != nil || action != stream.Updated || len(changes) != 1 || !strings.Contains(changes[0], "duplicate window 2m0s → 5m0s") {
		t.Fatalf("Provision with a new window = %v, %v, %v; want updated with that one change", action, changes, err)
	}
	if s.CachedInfo().Config.Duplicates != 5*time.Minute {
		t.Fatalf("window not updated: %v", s.CachedInfo().Config.Duplicates)
	}

	// The record cannot lose history: deleting a message is refused.
	if _, err := js.Publish(ctx, "baocao.events.X.dossier.received", []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMsg(ctx, 1); err == nil {
		t.Fatal("deleting an event from the stream succeeded; want refused")
	}
	if err := s.Purge(ctx); err == nil {
		t.Fatal("purging the stream succeeded; want refused")
	}

	// A change JetStream cannot make on a live stream is reported with its name.
	js2cfg := cfg
	js2cfg.Compress = true
	if _, _, _, err := stream.Provision(ctx, js, js2cfg); err != nil && !strings.Contains(err.Error(), "compression") {
		t.Fatalf("error %v does not name the setting", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*stream.Config)
		want   string
	}{
		{"defaults", func(*stream.Config) {}, ""},
		{"name with dot", func(c *stream.Config) { c.Name = "A.B" }, "stream name"},
		{"wildcard prefix", func(c *stream.Config) { c.Prefix = "baocao.*" }, "subject prefix"},
		{"trailing dot", func(c *stream.Config) { c.Prefix = "baocao." }, "subject prefix"},
		{"no replicas", func(c *stream.Config) { c.Replicas = 0 }, "replicas"},
		{"tiny window", func(c *stream.Config) { c.DuplicateWindow = time.Millisecond }, "duplicate window"},
		{"age below window", func(c *stream.Config) { c.MaxAge = time.Second }, "max age"},
		{"zero bytes", func(c *stream.Config) { c.MaxBytes = 0 }, "max bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := stream.DefaultConfig()
			tt.mutate(&c)
			err := c.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Fatalf("Validate() = %v; want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestConnectErrorsSayWhy(t *testing.T) {
	_, err := stream.Connect(stream.ConnConfig{URL: "nats://127.0.0.1:1"}, nil)
	if err == nil || !strings.Contains(err.Error(), "cannot reach NATS") {
		t.Fatalf("unreachable server: %v", err)
	}
	if !errors.Is(err, nats.ErrNoServers) {
		t.Fatalf("error %v does not wrap nats.ErrNoServers", err)
	}
	_, err = stream.Connect(stream.ConnConfig{URL: "nats://127.0.0.1:1", Password: "x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "without a user") {
		t.Fatalf("password without user: %v", err)
	}
	_, err = stream.Connect(stream.ConnConfig{URL: "nats://127.0.0.1:1", InboxPrefix: "_INBOX.*"}, nil)
	if err == nil || !strings.Contains(err.Error(), "inbox prefix") {
		t.Fatalf("wildcard inbox prefix: %v", err)
	}
}

// "streams --replicas 3" run while the cluster is not whole yet (its
// servers starting or restarting: here two of three are down, so there is
// no meta leader, then no third server for a replica) waits for the servers
// instead of failing the deployment's one-shot service.
func TestProvisionWaitsForTheClusterToPlaceReplicas(t *testing.T) {
	ctx := context.Background()
	c := natstest.StartCluster(t, 3)
	_, js := c.Connect(t)
	cfg := stream.DefaultConfig()
	cfg.Replicas = 3
	var down []*natstest.Node
	for _, n := range c.Nodes {
		if n.Name != js.Conn().ConnectedServerName() && len(down) < 2 { // keep the one we talk to
			n.Kill()
			down = append(down, n)
		}
	}
	done := make(chan error, 1)
	began := time.Now()
	go func() { _, _, _, err := stream.Provision(ctx, js, cfg); done <- err }()
	select {
	case err := <-done:
		t.Fatalf("provisioning R3 with two servers of three down returned after %v (%v): want it to wait for them", time.Since(began).Round(time.Millisecond), err)
	case <-time.After(7 * time.Second): // longer than a JetStream request's 5 s

	}
	for _, n := range down {
		n.Restart(t)
	}
	if err := <-done; err != nil {
		t.Fatalf("provisioning R3 once the servers are back: %v", err)
	}
	info := natstest.StreamInfo(t, js, cfg.Name)
	if info.Config.Replicas != 3 {
		t.Errorf("stream created with %d replicas; want 3", info.Config.Replicas)
	}
	t.Logf("R3 stream placed %v after provisioning began, the servers back after 7 s", time.Since(began).Round(time.Millisecond))
}
