package consumers_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

// On a JetStream cluster a consumer just created is, for a moment, known to
// servers that have not started it: asked for its info, they answer with a
// zero state, nothing pending. A projector's durable created on a stream
// full of events must not read as caught up then, or the scheduler writes
// the reports from empty tables (and a rebuild switches to them).
func TestReadProgressOnANewClusteredConsumer(t *testing.T) {
	ctx := context.Background()
	c := natstest.StartCluster(t, 3)
	_, js := c.Connect(t)
	cfg := stream.DefaultConfig()
	cfg.Replicas = 3
	if _, _, _, err := stream.Provision(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	for range 2000 {
		if _, err := js.PublishAsync(cfg.Prefix+".000_00_31_H23.dossier.received", []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	<-js.PublishAsyncComplete()
	s, err := js.Stream(ctx, cfg.Name)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		durable := fmt.Sprintf("projector-%d", round)
		p, err := consumers.New(js, nil, consumers.Config{Stream: cfg, Durable: durable}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		// An info request may also go unanswered while the consumer is
		// placed (a timeout): an error the scheduler retries, not a
		// wrong answer.
		var reads, failed, caughtUp int
		wg.Add(1)
		go func() { // a scheduler asking while the projector starts
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				pr, err := consumers.ReadProgress(ctx, js, cfg.Name, durable)
				reads++
				switch {
				case err != nil:
					failed++
				case pr.Behind == 0:
					caughtUp++
				}
			}
		}()
		if _, err := s.CreateOrUpdateConsumer(ctx, p.ConsumerConfig()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		close(stop)
		wg.Wait()
		if caughtUp > 0 || failed == reads {
			t.Fatalf("round %d: %d of %d progress reads said caught up with 2000 events unread (%d failed)", round, caughtUp, reads, failed)
		}
	}
}
