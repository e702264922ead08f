package main

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/chdb"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

// crashFeed simulates a province until it has at least n events.
func crashFeed(t *testing.T, n int) []events.Event {
	t.Helper()
	out := simulatedFeed(t, 11, events.NewDate(2024, 3, 1), events.NewDate(2024, 3, 31), 1200)
	if len(out) < n {
		t.Fatalf("the simulation gave %d events; the test needs %d", len(out), n)
	}
	return out
}

// simulatedFeed is a simulated province's events from one day to another.
func simulatedFeed(t *testing.T, seed int64, from, to events.Date, dossiersPerDay int) []events.Event {
	t.Helper()
	cfg := simulate.DefaultConfig()
	cfg.Seed = seed
	cfg.From, cfg.To = from, to
	cfg.DossiersPerDay = dossiersPerDay
	var out []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error {
		out = append(out, e)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// A consume process is killed with SIGKILL at random moments while a
// simulated feed of 200,000+ events flows, and restarted, at least 20 times.
// Afterwards every projection equals the feed projected directly: nothing
// lost, nothing counted twice.
func TestConsumeSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test: skipped with -short")
	}
	feed := crashFeed(t, 200_000)
	t.Run("clickhouse-18.16", func(t *testing.T) { crashTest(t, feed, false) })
	// The embedded engine is killed together with the process.
	t.Run("chdb-26.5", func(t *testing.T) { crashTest(t, feed, true) })
}

func crashTest(t *testing.T, feed []events.Event, embeddedEngine bool) {
	ctx := context.Background()
	ns := natstest.StartWithStream(t)
	url, js := ns.URL, ns.JS
	engineArgs := []string{"--data", t.TempDir()}
	var ch *chtest.Server
	if !embeddedEngine {
		ch = chtest.Start(t)
		engineArgs = []string{"--clickhouse-addr", ch.Addr}
	}

	// The feed flows while the consumer is being killed: about 12,000
	// events/s, so it is still flowing during most kills.
	published := publishPaced(t, js, feed, 12_000)

	logs := filepath.Join(t.TempDir(), "consume.log")
	logf, _ := os.Create(logs)
	defer logf.Close()
	start := func() *exec.Cmd {
		args := append([]string{"--nats-url", url, "--log-level", "warn", "consume", "--db", "crash", "--batch-max", "2000", "--batch-wait", "100ms"}, engineArgs...)
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "BAOCAO_TEST_MAIN=1")
		cmd.Stdout, cmd.Stderr = logf, logf
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	r := rand.New(rand.NewPCG(3, 4))
	kills := 0
	for kills < 20 {
		cmd := start()
		time.Sleep(time.Duration(300+r.IntN(1200)) * time.Millisecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		_ = cmd.Wait()
		kills++
	}
	if err := <-published; err != nil {
		t.Fatal(err)
	}
	// One last run to the end of the stream, stopped cleanly.
	final := start()
	waitConsumed(t, js)
	_ = final.Process.Signal(syscall.SIGTERM)
	if err := final.Wait(); err != nil {
		t.Fatalf("consume did not exit cleanly on SIGTERM: %v (log: %s)", err, logs)
	}

	var s store.Store
	var err error
	if embeddedEngine {
		// This test binary's one chDB: no other test here opens one.
		s, err = chdb.Open(filepath.Join(engineArgs[1], "chdb"))
	} else {
		s, err = clickhouse.Open(ctx, clickhouse.Config{Addr: []string{ch.Addr}})
	}
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	unique := storetest.Unique(feed)
	got := storetest.Query(t, s, "SELECT uniqExact(id) FROM crash.events")
	if got[0][0] != strconv.Itoa(len(unique)) {
		t.Fatalf("events table holds %s distinct events; the feed has %d", got[0][0], len(unique))
	}
	want := directProjection(t, s, unique)
	have := storetest.Snapshot(t, s, "crash")
	for _, v := range storetest.Views {
		if !slices.EqualFunc(have[v], want[v], slices.Equal) {
			t.Errorf("view %s after %d kills differs from the feed projected once (%d rows, want %d)", v, kills, len(have[v]), len(want[v]))
			for i := range min(len(have[v]), len(want[v])) {
				if !slices.Equal(have[v][i], want[v][i]) {
					t.Errorf("first difference, row %d:\n have %q\n want %q", i, have[v][i], want[v][i])
					break
				}
			}
		}
	}
	t.Logf("%d events (%d distinct), %d kills", len(feed), len(unique), kills)
}

// publishPaced publishes feed through a producer at about rate events/s,
// in the background; the channel gets the producer's Close error once every
// event has its result. An event not stored fails the test.
func publishPaced(t *testing.T, js jetstream.JetStream, feed []events.Event, rate int) <-chan error {
	published := make(chan error, 1)
	go func() {
		ctx := context.Background()
		p, err := producers.New(js, producers.Config{})
		if err != nil {
			published <- err
			return
		}
		began := time.Now()
		for i, e := range feed {
			if i%500 == 0 {
				time.Sleep(time.Until(began.Add(time.Duration(i) * time.Second / time.Duration(rate))))
			}
			if err := p.PublishAsync(ctx, e, func(r producers.Result) {
				if r.Outcome != producers.Published && r.Outcome != producers.Duplicate {
					t.Errorf("publish %s: %v after %d attempt(s): %v", r.ID, r.Outcome, r.Attempts, r.Err)
				}
			}); err != nil {
				published <- err
				return
			}
		}
		err = p.Close(ctx)
		t.Logf("the feed (%d events, %v at %d events/s) published in %v", len(feed), time.Duration(len(feed))*time.Second/time.Duration(rate), rate, since(began))
		published <- err
	}()
	return published
}

func waitConsumed(t *testing.T, js jetstream.JetStream) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		c, err := js.Consumer(ctx, stream.DefaultConfig().Name, consumers.DefaultDurable)
		if err != nil {
			continue
		}
		if info, err := c.Info(ctx); err == nil && info.Delivered.Stream > 0 && info.NumPending == 0 && info.NumAckPending == 0 {
			return
		}
	}
	t.Fatal("consume did not reach the end of the stream in 5 minutes")
}

// directProjection inserts the events once, in order, into a fresh database.
func directProjection(t *testing.T, s store.Store, evs []events.Event) map[string][][]string {
	t.Helper()
	db := storetest.FreshDB(t)
	if _, err := schema.Migrate(context.Background(), s, db); err != nil {
		t.Fatal(err)
	}
	rows := storetest.Rows(t, evs)
	for len(rows) > 0 {
		k := min(50_000, len(rows))
		if err := s.InsertEvents(context.Background(), db, rows[:k]); err != nil {
			t.Fatal(err)
		}
		rows = rows[k:]
	}
	return storetest.Snapshot(t, s, db)
}
