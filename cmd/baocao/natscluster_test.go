package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
)

// startCluster starts a 3-node JetStream cluster and logs how long it took.
func startCluster(t *testing.T) *natstest.Cluster {
	t.Helper()
	began := time.Now()
	c := natstest.StartCluster(t, 3)
	t.Logf("3-node JetStream cluster ready in %v", since(began))
	return c
}

// publishAllJS publishes evs through a producer and fails the test on any
// event not stored.
func publishAllJS(t *testing.T, js jetstream.JetStream, evs []events.Event) {
	t.Helper()
	ctx := context.Background()
	p, err := producers.New(js, producers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if err := p.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Outcome != producers.Published && r.Outcome != producers.Duplicate {
				t.Errorf("publish %s: %v %v", r.ID, r.Outcome, r.Err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// waitReplicated waits until the stream has want replicas, each current.
func waitReplicated(t *testing.T, js jetstream.JetStream, name string, want int, limit time.Duration) *jetstream.StreamInfo {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		info := natstest.StreamInfo(t, js, name)
		if info.Config.Replicas == want && natstest.Current(info) {
			return info
		}
		if time.Now().After(deadline) {
			t.Fatalf("stream %s: %d replica(s) configured, cluster %+v; want %d current after %v", name, info.Config.Replicas, info.Cluster, want, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func eventIDs(evs []events.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	slices.Sort(out)
	return slices.Compact(out) // the simulation re-sends some events, as agencies do
}

// idsEventually reads the stream's event ids, trying again for up to a
// minute: right after a replica change or an election a request can still
// find no responder while the consumer's placement settles, and a reader
// tries again, as clients do.
func idsEventually(t *testing.T, url string) []string {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		ids, err := readIDs(url)
		if err == nil {
			return ids
		}
		if time.Now().After(deadline) {
			t.Fatalf("reading the stream: %v", err)
		}
		time.Sleep(time.Second)
	}
}

// readIDs reads the event ids of the stream, sorted.
func readIDs(url string) ([]string, error) {
	nc, err := stream.Connect(stream.ConnConfig{URL: url}, nil)
	if err != nil {
		return nil, err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream.DefaultConfig().Name)
	if err != nil {
		return nil, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return nil, err
	}
	var out []string
	for uint64(len(out)) < info.State.Msgs {
		batch, err := c.Fetch(min(1000, int(info.State.Msgs)-len(out)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return nil, err
		}
		n := len(out)
		for m := range batch.Messages() {
			out = append(out, m.Headers().Get(jetstream.MsgIDHeader))
		}
		if err := batch.Error(); err != nil {
			return nil, err
		}
		if len(out) == n {
			return nil, fmt.Errorf("no message in 5s after %d of %d", n, info.State.Msgs)
		}
	}
	slices.Sort(out)
	return out, nil
}

// A stream created with one replica on a cluster is moved to three in
// place by running "baocao streams --replicas 3" again: every event is
// still there, on three servers, and stays there when the server that held
// the only copy dies.
func TestStreamsMovesR1ToR3InPlace(t *testing.T) {
	c := startCluster(t)
	if code, out, errs := baocao(t, "", "--nats-url", c.URLs, "streams"); code != 0 || strings.Count(out, "1 replica(s)") != 2 {
		t.Fatalf("streams: exit %d\n%s%s", code, out, errs)
	}
	_, js := c.Connect(t)
	name := stream.DefaultConfig().Name
	dlName := stream.DefaultConfig().DeadLetterStreamConfig().Name
	only := natstest.StreamInfo(t, js, name).Cluster.Leader
	feed := simulatedFeed(t, 5, events.NewDate(2024, 3, 1), events.NewDate(2024, 3, 10), 300)
	publishAllJS(t, js, feed)

	began := time.Now()
	code, out, errs := baocao(t, "", "--nats-url", c.URLs, "streams", "--replicas", "3")
	if code != 0 || strings.Count(out, "changed: replicas 1 → 3") != 2 {
		t.Fatalf("streams --replicas 3: exit %d; want both streams moved to 3 replicas\n%s%s", code, out, errs)
	}
	for _, n := range []string{name, dlName} {
		info := waitReplicated(t, js, n, 3, time.Minute)
		t.Logf("%s: leader %s, replicas %d, current after %v", n, info.Cluster.Leader, len(info.Cluster.Replicas), since(began))
	}
	if code, out, _ := baocao(t, "", "--nats-url", c.URLs, "streams", "--replicas", "3"); code != 0 || strings.Count(out, "unchanged") != 2 {
		t.Errorf("streams --replicas 3 again: exit %d; want both unchanged\n%s", code, out)
	}
	want := eventIDs(feed)
	if got := idsEventually(t, c.URLs); !slices.Equal(got, want) {
		t.Fatalf("after R1 → R3 the stream holds %d events; want the %d published", len(got), len(want))
	}
	// The server that held the only copy dies: the two new replicas have it all.
	c.Node(t, only).Kill()
	killed := time.Now()
	info := natstest.StreamInfo(t, js, name)
	t.Logf("%s killed: stream leader %s after %v, %d messages", only, info.Cluster.Leader, since(killed), info.State.Msgs)
	if got := idsEventually(t, c.URLs); !slices.Equal(got, want) {
		t.Fatalf("with %s (the R1 copy) dead, the stream holds %d events; want the %d published", only, len(got), len(want))
	}
	t.Logf("%d events moved from R1 to R3 and read back without %s", len(want), only)
}
