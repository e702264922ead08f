package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/ingest"
)

// The three benchmarks below publish the same events (dossier.received, about
// 330 bytes) into the product's stream on an embedded NATS over loopback TCP:
// over HTTP through the intake, through the producers (what `baocao publish`
// does), and raw asynchronous JetStream publishes with the Msg-Id (the
// ceiling, as bench/ measures it). Each reports events/s.

func benchEvents(b *testing.B, n int) [][]byte {
	at := time.Now().Add(-time.Hour).Truncate(time.Second)
	out := make([][]byte, n)
	for i := range out {
		e := events.New(agencyA, fmt.Sprintf("H23.31-240305-%07d", i), at, events.DossierReceived{
			Procedure: "1.001234", Channel: events.ChannelOnline, DueAt: at.Add(48 * time.Hour), Components: 2,
		})
		data, err := json.Marshal(e)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = data
	}
	return out
}

// cpuTime is the CPU time of the whole process so far: NATS is embedded, so
// it counts the server's work too (and, for HTTP, the client's).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// report gives events/s and the process's CPU microseconds per event, the
// steadier figure on a shared machine.
func report(b *testing.B, cpu0 time.Duration) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N), "cpu-µs/event")
}

// BenchmarkHTTPIngest posts batches of BatchSize events as JSON Lines, with
// inFlight requests at a time, and checks every event's outcome.
func BenchmarkHTTPIngest(b *testing.B) {
	for _, c := range []struct{ batch, inFlight int }{{1000, 1}, {1000, 4}, {1, 16}} {
		b.Run(fmt.Sprintf("batch=%d/in-flight=%d", c.batch, c.inFlight), func(b *testing.B) {
			benchHTTP(b, c.batch, c.inFlight)
		})
	}
}

func benchHTTP(b *testing.B, batch, inFlight int) {
	js := natstest.StartWithStream(b).JS
	in, err := ingest.New(ingest.Config{JS: js, Stream: stream.DefaultConfig(), MaxEvents: batch, Rate: rate.Inf, Burst: batch, MaxConcurrent: inFlight})
	if err != nil {
		b.Fatal(err)
	}
	defer in.Close(context.Background())
	srv := httptest.NewServer(asCaller(in, agencyCaller))
	defer srv.Close()
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = inFlight

	evs := benchEvents(b, b.N)
	var bodies [][]byte
	for i := 0; i < len(evs); i += batch {
		bodies = append(bodies, bytes.Join(evs[i:min(i+batch, len(evs))], []byte("\n")))
	}
	next := atomic.Int64{}
	var failed atomic.Int64
	var firstErr atomic.Value
	b.ResetTimer()
	cpu0 := cpuTime()
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(bodies) {
					return
				}
				resp, err := http.Post(srv.URL+"/v1/events", "application/x-ndjson", bytes.NewReader(bodies[i]))
				if err != nil {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, err)
					return
				}
				var out ingest.Response
				err = json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK || out.Counts.Published != len(out.Events) {
					failed.Add(1)
					firstErr.CompareAndSwap(nil, fmt.Errorf("status %d %v %+v", resp.StatusCode, err, out.Counts))
				}
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d batches not wholly published, the first: %v", failed.Load(), firstErr.Load())
	}
	report(b, cpu0)
}

// BenchmarkProducerPublish is `baocao publish`'s path: PublishRawAsync of
// encoded events (validated, 4,000 in flight).
func BenchmarkProducerPublish(b *testing.B) {
	ctx := context.Background()
	js := natstest.StartWithStream(b).JS
	p, err := producers.New(js, producers.Config{Stream: stream.DefaultConfig().Name})
	if err != nil {
		b.Fatal(err)
	}
	evs := benchEvents(b, b.N)
	var failed atomic.Int64
	b.ResetTimer()
	cpu0 := cpuTime()
	for _, data := range evs {
		if err := p.PublishRawAsync(ctx, data, func(r producers.Result) {
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
	report(b, cpu0)
}

// BenchmarkJetStreamCeiling is the raw asynchronous publish with Msg-Id, no
// validation, 4,000 in flight: what JetStream itself takes.
func BenchmarkJetStreamCeiling(b *testing.B) {
	js := natstest.StartWithStream(b).JS
	evs := benchEvents(b, b.N)
	msgs := make([]*nats.Msg, len(evs))
	for i, data := range evs {
		e, err := events.Decode(data, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		msgs[i] = &nats.Msg{Subject: events.Subject(events.DefaultPrefix, &e), Data: data, Header: nats.Header{jetstream.MsgIDHeader: []string{e.ID}}}
	}
	b.ResetTimer()
	cpu0 := cpuTime()
	var futures []jetstream.PubAckFuture
	for _, m := range msgs {
		f, err := js.PublishMsgAsync(m, jetstream.WithStallWait(time.Minute))
		if err != nil {
			b.Fatal(err)
		}
		futures = append(futures, f)
	}
	<-js.PublishAsyncComplete()
	b.StopTimer()
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			b.Fatal(err)
		}
	}
	report(b, cpu0)
}
