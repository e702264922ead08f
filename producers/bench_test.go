package producers_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
)

// BenchmarkPublishAsync measures validated, deduplicated publishing into the
// events stream on an embedded server over loopback TCP.
func BenchmarkPublishAsync(b *testing.B) {
	ctx := context.Background()
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: b.TempDir(), Port: -1})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Shutdown()
	nc, err := stream.Connect(stream.ConnConfig{URL: srv.ClientURL()}, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4000))
	if _, _, _, err := stream.Provision(ctx, js, stream.DefaultConfig()); err != nil {
		b.Fatal(err)
	}
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
