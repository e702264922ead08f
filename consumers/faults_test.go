package consumers_test

import (
	"context"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

// A server that hangs (paused with SIGSTOP: no error, no answer) leaves
// events waiting and nothing acked: Health says the projector is stalled,
// and when the server goes on, ingestion resumes and Health is clear.
func TestProjectorReportsStall(t *testing.T) {
	s, srv := enginetest.Server(t)
	n := startNATS(t)
	db := storetest.Migrated(t, s)
	evs := storetest.Lifecycle()
	p, err := consumers.New(n.js, s, consumers.Config{Stream: n.cfg, DB: db, BatchMax: 5, BatchWait: 20 * time.Millisecond,
		StallAfter: 3 * time.Second}, testLog(t), consumers.NewMetrics(prometheus.NewRegistry()))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	n.publishEvents(t, evs[:10])
	waitCaughtUp(t, n, "")
	if err := p.Health(ctx); err != nil {
		t.Fatalf("health while keeping up: %v", err)
	}

	pid := srv.PID()
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(pid, syscall.SIGCONT)
	n.publishEvents(t, evs[10:])
	deadline := time.Now().Add(30 * time.Second)
	for err := p.Health(ctx); err == nil || !strings.Contains(err.Error(), "stalled"); err = p.Health(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("health with the server hung: %v; want stalled", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("server hung: %v", p.Health(ctx))
	syscall.Kill(pid, syscall.SIGCONT)
	waitCaughtUp(t, n, "")
	deadline = time.Now().Add(10 * time.Second)
	for err := p.Health(ctx); err != nil; err = p.Health(ctx) {
		if time.Now().After(deadline) {
			t.Fatalf("health after the server went on: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, evs))
}

// BenchmarkInProgress measures what keepAlive costs: one in-progress ack for
// each event of a 20,000-event batch (sent every AckWait/3 while the batch
// waits or is inserted), until the server has them all.
func BenchmarkInProgress(b *testing.B) {
	ctx := context.Background()
	ns := natstest.StartWithStream(b)
	cfg := stream.DefaultConfig()
	const size = 20_000
	payload := []byte(strings.Repeat("x", 800))
	for i := range size {
		if _, err := ns.JS.PublishAsync(cfg.Prefix+".A.dossier.received", payload); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			<-ns.JS.PublishAsyncComplete()
		}
	}
	<-ns.JS.PublishAsyncComplete()
	s, err := ns.JS.Stream(ctx, cfg.Name)
	if err != nil {
		b.Fatal(err)
	}
	c, err := s.CreateOrUpdateConsumer(ctx, jetstream.ConsumerConfig{Durable: "bench", AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: time.Minute, MaxAckPending: 2 * size})
	if err != nil {
		b.Fatal(err)
	}
	var msgs []jetstream.Msg
	for len(msgs) < size {
		batch, err := c.Fetch(1000)
		if err != nil {
			b.Fatal(err)
		}
		for m := range batch.Messages() {
			msgs = append(msgs, m)
		}
	}
	b.ResetTimer()
	cpu0 := cpuSeconds()
	start := time.Now()
	for b.Loop() {
		for _, m := range msgs {
			_ = m.InProgress()
		}
		if err := ns.NC.Flush(); err != nil { // the server has read them all
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/batch")
	b.ReportMetric((cpuSeconds()-cpu0)*1000/float64(b.N), "cpu-ms/batch")
}
