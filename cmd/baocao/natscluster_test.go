package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
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
	// A command started while a server of its list is down connects to another.
	urls := c.Node(t, only).URL
	for _, n := range c.Nodes {
		if n.Name != only {
			urls += "," + n.URL
		}
	}
	if code, out, errs := baocao(t, "", "--nats-url", urls, "streams", "--replicas", "3"); code != 0 || strings.Count(out, "unchanged") != 2 {
		t.Errorf("streams with %s (first of --nats-url) down: exit %d\n%s%s", only, code, out, errs)
	}
}

// ackFloor is how far the projector has acked the stream, 0 while its
// consumer cannot answer (a leader being elected).
func ackFloor(js jetstream.JetStream) uint64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	c, err := js.Consumer(ctx, stream.DefaultConfig().Name, consumers.DefaultDurable)
	if err != nil {
		return 0
	}
	info, err := c.Info(ctx)
	if err != nil {
		return 0
	}
	return info.AckFloor.Stream
}

// A simulated province flows into a 3-node cluster with R3 streams while a
// projector (the consume command, in its own process) inserts it into
// ClickHouse 18.16 and a scheduler (the schedule command) waits to write the
// reports. The stream's leader is killed with SIGKILL mid-flow and
// restarted, then the node the projector is connected to, then the
// scheduler's; a bad event is published during the first failover. Every
// event is projected once: each view equals the feed projected directly, and
// the bad event is a dead letter in the R3 dead-letter stream and the
// dead_letters table. The scheduler, still running, writes the reports once
// the projector has caught up. BAOCAO_NATS_FAULT_ROUNDS=N kills N nodes in
// turn instead of 3.
func TestNATSNodeKilledWhileEventsFlow(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster fault test: skipped with -short")
	}
	rounds := 3
	if s := os.Getenv("BAOCAO_NATS_FAULT_ROUNDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("BAOCAO_NATS_FAULT_ROUNDS=%q: want a positive number", s)
		}
		rounds = n
	}
	ctx := context.Background()
	c := startCluster(t)
	if code, out, errs := baocao(t, "", "--nats-url", c.URLs, "streams", "--replicas", "3"); code != 0 {
		t.Fatalf("streams: exit %d\n%s%s", code, out, errs)
	}
	_, js := c.Connect(t)
	ch := chtest.Start(t)
	feed := simulatedFeed(t, 7, events.NewDate(2024, 3, 1), events.NewDate(2024, 3, 10), 300)
	const rate = 800 // events/s: about 30 s of feed, flowing through the failovers
	proj := startChild(t, "--nats-url", c.URLs, "--log-level", "info", "consume", "--db", "failover",
		"--clickhouse-addr", ch.Addr, "--batch-max", "2000", "--batch-wait", "100ms")

	published := publishPaced(t, js, feed, rate)

	poisoned := make(chan error, 1)
	waitFor(t, "projection under way", time.Minute, func() bool { return ackFloor(js) > 0 })
	// back from today to the simulated 2024; the database exists once the projector is under way
	lookback := fmt.Sprintf("%.0fh", time.Since(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Hours())
	sched := startChild(t, "--nats-url", c.URLs, "--log-level", "info", "schedule", "--db", "failover", "--clickhouse-addr", ch.Addr,
		"--lookback", lookback, "--interval", "1s", "--format", "md", "--out", t.TempDir())
	for round := range rounds {
		waitFor(t, "projection under way", time.Minute, func() bool { return ackFloor(js) > 0 })
		var victim *natstest.Node
		what := "the stream leader"
		switch round % 3 {
		case 0:
			victim = c.Node(t, natstest.StreamInfo(t, js, stream.DefaultConfig().Name).Cluster.Leader)
		case 1:
			what = "the projector's node"
			waitFor(t, "the projector connected", time.Minute, func() bool { victim = c.ClientNode("baocao consume"); return victim != nil })
		case 2:
			what = "the scheduler's node"
			waitFor(t, "the scheduler connected", time.Minute, func() bool {
				victim = c.ClientNode("baocao schedule")
				return victim != nil || sched.exited()
			})
			if sched.exited() {
				t.Fatalf("the scheduler exited before its node was killed:\n%s", lastLines(sched.output(), 20))
			}
		}
		before := ackFloor(js)
		victim.Kill()
		killed := time.Now()
		if round == 0 {
			go func() { // a bad event while the cluster elects new leaders
				deadline := time.Now().Add(time.Minute)
				for {
					pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
					_, err := js.Publish(pctx, "baocao.events.000_00_31_H23.dossier.received", []byte(`{"id": "broken`))
					cancel()
					if err == nil || time.Now().After(deadline) {
						poisoned <- err
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
			}()
		}
		waitFor(t, "projection resumed after SIGKILL of "+what, 2*time.Minute, func() bool { return ackFloor(js) > before })
		t.Logf("round %d: SIGKILL of %s (%s) at ack floor %d; projection resumed after %v", round+1, what, victim.Name, before, since(killed))
		victim.Restart(t)
		victim.WaitHealthy(t, time.Minute)
		t.Logf("round %d: %s back and current %v after the kill", round+1, victim.Name, since(killed))
	}
	if err := <-published; err != nil {
		t.Fatal(err)
	}
	if err := <-poisoned; err != nil {
		t.Fatalf("the bad event was never stored: %v", err)
	}
	waitConsumed(t, js)
	// The scheduler rode out its node's death: still running, it writes
	// the reports (and lists them) once the projector has caught up.
	waitFor(t, "the scheduler writes the reports", 2*time.Minute, func() bool {
		return sched.exited() || strings.Contains(sched.output(), "procedure_control/2024-")
	})
	if sched.exited() {
		t.Fatalf("the scheduler exited after its node was killed:\n%s", lastLines(sched.output(), 20))
	}
	sched.stop(t)
	waitConsumed(t, js) // the reports' announcements
	proj.stop(t)

	s, err := clickhouse.Open(ctx, clickhouse.Config{Addr: []string{ch.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	unique := storetest.Unique(feed)
	// the scheduler's report.generated announcements are projected too
	if got := storetest.Query(t, s, "SELECT uniqExact(id), count() FROM failover.events WHERE type != 'report.generated'"); got[0][0] != strconv.Itoa(len(unique)) {
		t.Fatalf("events table holds %s distinct events (%s rows); the feed has %d", got[0][0], got[0][1], len(unique))
	}
	want := directProjection(t, s, unique)
	have := storetest.Snapshot(t, s, "failover")
	for _, v := range storetest.Views {
		if !slices.EqualFunc(have[v], want[v], slices.Equal) {
			t.Errorf("view %s after %d node kills differs from the feed projected once (%d rows, want %d)", v, rounds, len(have[v]), len(want[v]))
		}
	}
	if dead := storetest.Query(t, s, "SELECT count() FROM failover.dead_letters"); dead[0][0] != "1" {
		t.Errorf("dead_letters holds %s rows; want the bad event once", dead[0][0])
	}
	dl := waitReplicated(t, js, stream.DefaultConfig().DeadLetterStreamConfig().Name, 3, time.Minute)
	if dl.State.Msgs != 1 {
		t.Errorf("the R3 dead-letter stream holds %d messages; want the bad event once", dl.State.Msgs)
	}
	t.Logf("%d events (%d distinct) projected through %d node kills", len(feed), len(unique), rounds)
}
