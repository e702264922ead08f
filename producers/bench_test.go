package producers_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
)

// BenchmarkPublishAsync measures validated, deduplicated publishing into the
// events stream on an embedded server over loopback TCP.
func BenchmarkPublishAsync(b *testing.B) {
	publishN(b, natstest.StartWithStream(b).JS)
}

// publishN publishes b.N events through a producer and reports events/s.
func publishN(b *testing.B, js jetstream.JetStream) {
	ctx := context.Background()
	p, _ := producers.New(js, producers.Config{})
	at := time.Now().Add(-time.Hour)
	var failed atomic.Int64
	b.ResetTimer()
	for i := range b.N {
		if err := p.PublishAsync(ctx, dossier(i, at), func(r producers.Result) {
			if r.Outcome != producers.Published {
				failed.Add(1)
			}
		}); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		b.Fatal(err)
	}
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d events not published", failed.Load())
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkPublishAsyncCluster measures the same publishing into the events
// stream on a 3-node cluster (three processes on this machine), with one
// replica and with three: what R3's replication costs a producer.
func BenchmarkPublishAsyncCluster(b *testing.B) {
	for _, replicas := range []int{1, 3} {
		b.Run(fmt.Sprintf("R%d", replicas), func(b *testing.B) {
			ctx := context.Background()
			c := natstest.StartCluster(b, 3)
			_, js := c.Connect(b)
			cfg := stream.DefaultConfig()
			cfg.Replicas = replicas
			// a cluster just formed may not place three replicas yet
			for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(200 * time.Millisecond) {
				_, _, _, err := stream.Provision(ctx, js, cfg)
				if err == nil {
					break
				}
				if time.Now().After(deadline) {
					b.Fatal(err)
				}
			}
			publishN(b, js)
		})
	}
}
