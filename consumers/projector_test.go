package consumers_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

// engines runs f against a ClickHouse 18.16 server and against chDB.
var engines = enginetest.Engines

type natsEnv struct {
	js  jetstream.JetStream
	cfg stream.Config
}

func startNATS(t *testing.T) natsEnv {
	return natsEnv{js: natstest.StartWithStream(t).JS, cfg: stream.DefaultConfig()}
}

// publishRaw puts bytes on a subject without validation or Msg-Id: what a
// careless agency, or a retry without the header, produces.
func (n natsEnv) publishRaw(t *testing.T, subject string, data []byte) {
	t.Helper()
	if _, err := n.js.Publish(context.Background(), subject, data); err != nil {
		t.Fatal(err)
	}
}

func (n natsEnv) publishEvents(t *testing.T, evs []events.Event) {
	t.Helper()
	for _, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		n.publishRaw(t, events.Subject(n.cfg.Prefix, &e), b)
	}
}

// runProjector runs a projector until the consumer has nothing pending or
// unacked, then stops it.
func runProjector(t *testing.T, n natsEnv, s store.Store, cfg consumers.Config) {
	t.Helper()
	runProjectorMetrics(t, n, s, cfg)
}

func waitCaughtUp(t *testing.T, n natsEnv, durable string) {
	t.Helper()
	if durable == "" {
		durable = consumers.DefaultDurable
	}
	ctx := context.Background()
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		c, err := n.js.Consumer(ctx, n.cfg.Name, durable)
		if err != nil {
			continue
		}
		info, err := c.Info(ctx)
		if err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.Delivered.Stream > 0 {
			return
		}
	}
	t.Fatal("projector did not catch up within 2 minutes")
}

// expected projects evs by inserting them straight into a fresh database.
func expected(t *testing.T, s store.Store, evs []events.Event) map[string][][]string {
	t.Helper()
	db := storetest.FreshDB(t)
	if _, err := schema.Migrate(context.Background(), s, db); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertEvents(context.Background(), db, storetest.Rows(t, evs)); err != nil {
		t.Fatal(err)
	}
	return storetest.Snapshot(t, s, db)
}

func assertSameProjections(t *testing.T, got, want map[string][][]string) {
	t.Helper()
	for _, v := range storetest.Views {
		if !slices.EqualFunc(got[v], want[v], slices.Equal) {
			t.Errorf("view %s differs from the events projected directly:\n got %d rows %v\nwant %d rows %v",
				v, len(got[v]), first(got[v]), len(want[v]), first(want[v]))
		}
	}
}

func first(rows [][]string) [][]string { return rows[:min(3, len(rows))] }

// Events published twice (no Msg-Id, so JetStream keeps both), in shuffled
// order, among poison messages: the projections equal those of the events
// projected once, and every poison message is a dead letter with its reason.
func TestProjectorExactlyOnceEffect(t *testing.T) {
	engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		n := startNATS(t)
		evs := storetest.Lifecycle()
		feed := slices.Clone(evs)
		feed = append(feed, evs...)
		for i := range feed { // a deterministic shuffle
			j := (i * 7919) % len(feed)
			feed[i], feed[j] = feed[j], feed[i]
		}
		n.publishEvents(t, feed[:len(feed)/2])
		good, _ := json.Marshal(evs[0])
		n.publishRaw(t, "baocao.events.000_00_31_H23.dossier.received", []byte(`{"id": "broken`))
		teleported := strings.Replace(string(good), `"type":"agency.created"`, `"type":"dossier.teleported"`, 1)
		n.publishRaw(t, "baocao.events.000_00_00_H23.dossier.teleported", []byte(teleported))
		n.publishRaw(t, "baocao.events.000_00_99_H23.agency.created", good) // another agency's subject
		n.publishEvents(t, feed[len(feed)/2:])

		db := storetest.Migrated(t, s)
		runProjector(t, n, s, consumers.Config{DB: db, BatchMax: 7, BatchWait: 50 * time.Millisecond})

		assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, evs))
		es, _ := n.js.Stream(context.Background(), n.cfg.Name)
		if info, _ := es.Info(context.Background()); info.State.Msgs != uint64(2*len(evs)+3) {
			t.Fatalf("the stream holds %d messages; want every event twice and 3 poison", info.State.Msgs)
		}
		got := storetest.Query(t, s, "SELECT uniqExact(id) FROM "+db+".events")
		if got[0][0] != strconv.Itoa(len(evs)) {
			t.Errorf("events table holds %v distinct events; want %d", got, len(evs))
		}
		dead := storetest.Query(t, s, "SELECT subject, reason FROM "+db+".dead_letters ORDER BY stream_seq")
		if len(dead) != 3 {
			t.Fatalf("dead letters %v; want 3", dead)
		}
		for i, want := range []string{"malformed event", "unknown event type", "does not match the event's agency"} {
			if !strings.Contains(dead[i][1], want) {
				t.Errorf("dead letter %d reason %q; want %q", i, dead[i][1], want)
			}
		}
		dls, err := n.js.Stream(context.Background(), n.cfg.Name+"_DEADLETTER")
		if err != nil {
			t.Fatal(err)
		}
		if info, _ := dls.Info(context.Background()); info.State.Msgs != 3 {
			t.Errorf("dead-letter stream holds %d; want 3", info.State.Msgs)
		}
	})
}

// ClickHouse stops in the middle of ingestion: nothing is acked while it is
// down, nothing is lost, and ingestion resumes by itself when it is back.
func TestProjectorSurvivesClickHouseOutage(t *testing.T) {
	s, srv := enginetest.Server(t)
	n := startNATS(t)
	db := storetest.Migrated(t, s)
	evs := storetest.Lifecycle()

	p, _ := consumers.New(n.js, s, consumers.Config{Stream: n.cfg, DB: db, BatchMax: 5, BatchWait: 20 * time.Millisecond,
		Backoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond}, testLog(t), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	n.publishEvents(t, evs[:10])
	waitCaughtUp(t, n, "")
	srv.Kill()
	n.publishEvents(t, evs[10:])
	time.Sleep(time.Second) // the projector fails and retries meanwhile
	c, _ := n.js.Consumer(context.Background(), n.cfg.Name, consumers.DefaultDurable)
	info, _ := c.Info(context.Background())
	if info.AckFloor.Stream > 10 {
		t.Fatalf("events acked while ClickHouse was down: ack floor %d", info.AckFloor.Stream)
	}
	srv.Restart()
	waitCaughtUp(t, n, "")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, evs))
}

// testLog shows the projector's log with the test's output.
func testLog(t *testing.T) *slog.Logger { return slog.New(slog.NewTextHandler(t.Output(), nil)) }

func schemaMigrate(s store.Store, db string) ([]string, error) {
	return schema.Migrate(context.Background(), s, db)
}

func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// Two projectors with the same durable share the stream: both do work, and
// together they project every event.
func TestProjectorsShareTheStream(t *testing.T) {
	n := startNATS(t)
	evs := storetest.Simulated(t, 20_000)
	n.publishEvents(t, evs)
	db := storetest.Migrated(t, enginetest.Embedded())

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	regs := []*prometheus.Registry{prometheus.NewRegistry(), prometheus.NewRegistry()}
	for _, reg := range regs {
		p, err := consumers.New(n.js, enginetest.Embedded(), consumers.Config{Stream: n.cfg, DB: db, BatchMax: 500, BatchWait: 20 * time.Millisecond},
			testLog(t), consumers.NewMetrics(reg))
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() { defer wg.Done(); _ = p.Run(ctx) }()
	}
	waitCaughtUp(t, n, "")
	cancel()
	wg.Wait()
	for i, reg := range regs {
		if got := counter(t, reg, "baocao_projector_events_total"); got == 0 {
			t.Errorf("projector %d projected nothing: the work was not shared", i)
		}
	}
	assertSameProjections(t, storetest.Snapshot(t, enginetest.Embedded(), db), expected(t, enginetest.Embedded(), storetest.Unique(evs)))
}

func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("metric %s not registered", name)
	return 0
}
