package consumers_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/stream"
)

// BenchmarkConsume measures events/s from publish to projected: a simulated
// feed is published while the projector consumes it, on the same 2 cores,
// into each engine, at several batch sizes. b.N is ignored beyond 1: one
// run is one feed. Run with -benchtime 1x.
func BenchmarkConsume(b *testing.B) {
	feed := simulatedMarch(b)
	for _, engine := range []string{enginetest.ServerName, enginetest.EmbeddedName} {
		for _, batch := range []int{1000, 5000, 20000} {
			b.Run(fmt.Sprintf("%s/batch=%d", engine, batch), func(b *testing.B) {
				s := enginetest.Named(b, engine)
				benchConsume(b, s, feed, batch)
			})
		}
	}
}

// simulatedMarch is a simulated province's March 2024 at 1,200 dossiers a
// day: about 216,000 events.
func simulatedMarch(b *testing.B) []events.Event {
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2024, 3, 1), events.NewDate(2024, 3, 31)
	cfg.DossiersPerDay = 1200
	var feed []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { feed = append(feed, e); return nil }); err != nil {
		b.Fatal(err)
	}
	return feed
}

func benchConsume(b *testing.B, s store.Store, feed []events.Event, batch int) {
	ctx := context.Background()
	js := natstest.StartWithStream(b).JS
	scfg := stream.DefaultConfig()
	db := fmt.Sprintf("bench_%d_%d", batch, time.Now().UnixNano()%1e6)
	n := natsEnv{js: js, cfg: scfg}
	if err := migrateDB(s, db); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	cpu0 := cpuSeconds()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the publish side, running at the same time
		defer wg.Done()
		p, _ := producers.New(js, producers.Config{})
		for _, e := range feed {
			_ = p.PublishAsync(ctx, e, func(producers.Result) {})
		}
		_ = p.Close(ctx)
	}()
	p, _ := consumers.New(js, s, consumers.Config{Stream: scfg, DB: db, BatchMax: batch, BatchWait: 200 * time.Millisecond}, discardLog(), nil)
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(pctx) }()
	wg.Wait()
	waitCaughtUpB(b, n)
	elapsed := time.Since(start)
	cancel()
	<-done
	b.StopTimer()
	reportRate(b, len(feed), elapsed, cpu0)
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-RSS-MiB")
}

// reportRate reports n events in elapsed as events/s and this process's
// CPU seconds since cpu0 per million events.
func reportRate(b *testing.B, n int, elapsed time.Duration, cpu0 float64) {
	b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
	b.ReportMetric((cpuSeconds()-cpu0)/float64(n)*1e6, "cpu-s/M-events")
}

func migrateDB(s store.Store, db string) error {
	_, err := schemaMigrate(s, db)
	return err
}

func waitCaughtUpB(b *testing.B, n natsEnv) {
	ctx := context.Background()
	for {
		time.Sleep(50 * time.Millisecond)
		c, err := n.js.Consumer(ctx, n.cfg.Name, consumers.DefaultDurable)
		if err != nil {
			continue
		}
		if info, err := c.Info(ctx); err == nil && info.Delivered.Stream > 0 && info.NumPending == 0 && info.NumAckPending == 0 {
			return
		}
	}
}

// cpuSeconds is this process's user+system CPU time.
func cpuSeconds() float64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+2:])
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100 // clock ticks
}

// peakRSS is this process's peak resident set, in bytes.
func peakRSS() int64 {
	b, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkDrainCluster measures the projector alone: a simulated month
// already in the stream, drained into chDB, from one embedded NATS server
// and from a 3-node cluster with the stream at R1 and at R3. The nodes are
// processes of their own: cpu-s/M-events is the projector's process (with
// chDB in it), not the servers'. b.N is ignored beyond 1. Run with
// -benchtime 1x.
func BenchmarkDrainCluster(b *testing.B) {
	feed := simulatedMarch(b)
	b.Run("single", func(b *testing.B) { benchDrain(b, natstest.StartWithStream(b).JS, feed) })
	for _, replicas := range []int{1, 3} {
		b.Run(fmt.Sprintf("cluster-R%d", replicas), func(b *testing.B) {
			c := natstest.StartCluster(b, 3)
			_, js := c.Connect(b)
			scfg := stream.DefaultConfig()
			scfg.Replicas = replicas
			if _, _, _, err := stream.Provision(context.Background(), js, scfg); err != nil {
				b.Fatal(err)
			}
			benchDrain(b, js, feed)
		})
	}
}

func benchDrain(b *testing.B, js jetstream.JetStream, feed []events.Event) {
	ctx := context.Background()
	s := enginetest.Embedded()
	scfg := stream.DefaultConfig()
	p, err := producers.New(js, producers.Config{})
	if err != nil {
		b.Fatal(err)
	}
	var failed atomic.Int64
	for _, e := range feed {
		if err := p.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Err != nil {
				failed.Add(1)
			}
		}); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil || failed.Load() > 0 {
		b.Fatalf("publish: %v, %d failed", err, failed.Load())
	}
	db := fmt.Sprintf("drain_%d", time.Now().UnixNano()%1e9)
	if err := migrateDB(s, db); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuSeconds()
	pr, err := consumers.New(js, s, consumers.Config{Stream: scfg, DB: db, BatchMax: 5000, BatchWait: 200 * time.Millisecond}, discardLog(), nil)
	if err != nil {
		b.Fatal(err)
	}
	pctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- pr.Run(pctx) }()
	// Wait for the events themselves: a just-created R3 consumer can report
	// nothing pending before its leader has counted.
	want := distinctIDs(feed)
	for n := 0; n != want; n = projectedCount(b, s, db) {
		select {
		case err := <-done:
			b.Fatalf("projector stopped with %d of %d events projected: %v", n, want, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
	elapsed := time.Since(start)
	cancel()
	<-done
	b.StopTimer()
	reportRate(b, len(feed), elapsed, cpu0)
}

func projectedCount(b *testing.B, s store.Store, db string) int {
	res, err := s.Query(context.Background(), "SELECT uniqExact(id) FROM "+db+".events")
	if err != nil {
		b.Fatal(err)
	}
	n, _ := strconv.Atoi(res.Rows[0][0])
	return n
}

func distinctIDs(feed []events.Event) int {
	ids := map[string]bool{}
	for _, e := range feed {
		ids[e.ID] = true
	}
	return len(ids)
}
