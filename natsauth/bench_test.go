package natsauth_test

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/stream"
)

// BenchmarkPublish measures the JetStream publish ceiling of 1 KB events
// on one connection: without authentication; in operator mode as admin
// (a JWT user allowed everything); as an agency (its permissions checked on
// every publish):
//
//	go test -run '^$' -bench Publish -benchtime 200000x ./natsauth/
func BenchmarkPublish(b *testing.B) {
	for _, auth := range []string{"none", "admin-jwt", "agency-jwt"} {
		for _, mode := range []string{"sync", "async"} {
			b.Run(auth+"/"+mode, func(b *testing.B) {
				js, subject := benchTarget(b, auth)
				data := make([]byte, 1024)
				for i := range data {
					data[i] = 'a' + byte(i%26)
				}
				ctx := context.Background()
				b.SetBytes(int64(len(data)))
				// the previous run's 200 MB written back now, not during this one
				syscall.Sync()
				b.ResetTimer()
				if mode == "sync" {
					for range b.N {
						if _, err := js.Publish(ctx, subject, data); err != nil {
							b.Fatal(err)
						}
					}
				} else {
					for range b.N {
						if _, err := js.PublishAsync(subject, data, jetstream.WithStallWait(30*time.Second)); err != nil {
							b.Fatal(err)
						}
					}
					<-js.PublishAsyncComplete()
				}
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

func benchTarget(b *testing.B, auth string) (jetstream.JetStream, string) {
	sc := stream.DefaultConfig()
	subject := events.SubjectFor(sc.Prefix, agencyA, events.TypeDossierReceived)
	if auth == "none" {
		srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: b.TempDir(), Port: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
		nc, err := stream.Connect(stream.ConnConfig{URL: srv.ClientURL()}, quiet)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(nc.Close)
		js, _ := newJS(nc)
		if _, _, _, err := stream.Provision(context.Background(), js, sc); err != nil {
			b.Fatal(err)
		}
		return js, subject
	}
	e := startEnv(b)
	if auth == "admin-jwt" {
		return e.admin.js, subject
	}
	return e.agency(agencyA).js, subject
}
