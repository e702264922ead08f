package producers_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
)

// BenchmarkPublishAsync measures validated, deduplicated publishing into the
// events stream on an embedded server over loopback TCP.
func BenchmarkPublishAsync(b *testing.B) {
	ctx := context.Background()
	js := natstest.StartWithStream(b).JS
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
