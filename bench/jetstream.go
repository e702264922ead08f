package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/stream"
)

// publishWindow is the producers' default number of unacknowledged
// asynchronous publishes.
const publishWindow = 4096

// natsServer is an embedded NATS with the product's stream, reached over
// loopback TCP as the product's processes reach it.
type natsServer struct {
	srv *server.Server
	nc  *nats.Conn
	js  jetstream.JetStream
	url string
	cfg stream.Config
	// failed counts asynchronous publishes JetStream refused; firstErr is
	// the first of them.
	failed   atomic.Int64
	firstErr atomic.Value
}

func startNATS(ctx context.Context, dir string) (*natsServer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: dir, Port: -1})
	if err != nil {
		return nil, err
	}
	n := &natsServer{srv: srv, url: srv.ClientURL(), cfg: stream.DefaultConfig()}
	if n.nc, err = nats.Connect(n.url); err != nil {
		n.close()
		return nil, err
	}
	onError := jetstream.WithPublishAsyncErrHandler(func(_ jetstream.JetStream, _ *nats.Msg, err error) {
		if n.failed.Add(1) == 1 {
			n.firstErr.Store(err)
		}
	})
	if n.js, err = jetstream.New(n.nc, jetstream.WithPublishAsyncMaxPending(publishWindow), onError); err != nil {
		n.close()
		return nil, err
	}
	if _, _, _, err = stream.Provision(ctx, n.js, n.cfg); err != nil {
		n.close()
		return nil, err
	}
	return n, nil
}

func (n *natsServer) close() {
	if n.nc != nil {
		n.nc.Close()
	}
	n.srv.Shutdown()
	n.srv.WaitForShutdown()
}

// publish sends msgs asynchronously with their ids, as the producers do,
// at most rate per second when rate > 0, calling sent with each message's
// index and send time. It returns when every publish is acknowledged.
func (n *natsServer) publish(ctx context.Context, msgs []message, rate int, sent func(i int, at time.Time)) error {
	failedBefore := n.failed.Load()
	start := time.Now()
	for i, m := range msgs {
		if rate > 0 {
			if wait := time.Until(start.Add(time.Duration(i) * time.Second / time.Duration(rate))); wait > 0 {
				time.Sleep(wait)
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		msg := &nats.Msg{Subject: m.subject, Data: m.data, Header: nats.Header{jetstream.MsgIDHeader: []string{m.id}}}
		if sent != nil {
			sent(i, time.Now())
		}
		// A busy machine may hold acks back longer than the default 200 ms
		// stall; the bench measures throughput, not that limit.
		if _, err := n.js.PublishMsgAsync(msg, jetstream.WithStallWait(time.Minute)); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	select {
	case <-n.js.PublishAsyncComplete():
	case <-ctx.Done():
		return ctx.Err()
	}
	if k := n.failed.Load() - failedBefore; k > 0 {
		return fmt.Errorf("publish: %d failed, the first: %v", k, n.firstErr.Load())
	}
	return nil
}

// jetStreamCeilings measures JetStream alone on the events: asynchronous
// publish into the product's stream, then publish and pull-consume with an
// ack per message at the same time, as the projector consumes.
func (b *bench) jetStreamCeilings(ctx context.Context) error {
	n, err := startNATS(ctx, filepath.Join(b.cfg.Dir, "nats-publish"))
	if err != nil {
		return err
	}
	meter := meterCPU(os.Getpid())
	start := time.Now()
	err = n.publish(ctx, b.msgs, 0, nil)
	took := time.Since(start)
	if err != nil {
		n.close()
		return err
	}
	b.add(Result{Phase: "ceiling: JetStream publish", Engine: "nats", Events: len(b.msgs), Took: took,
		CPU: map[string]time.Duration{"bench": meter.used()[0]}, Note: "async, Msg-Id, 4096 in flight"})

	// The stream just filled, read back as a replay reads it.
	meter = meterCPU(os.Getpid())
	start = time.Now()
	err = n.consume(ctx, "bench-replay", len(b.msgs))
	took = time.Since(start)
	n.close()
	if err != nil {
		return err
	}
	b.add(Result{Phase: "ceiling: JetStream consume", Engine: "nats", Events: len(b.msgs), Took: took,
		CPU: map[string]time.Duration{"bench": meter.used()[0]}, Note: "pre-filled stream, pull, Fetch(1000), ack each"})

	n, err = startNATS(ctx, filepath.Join(b.cfg.Dir, "nats-publish-consume"))
	if err != nil {
		return err
	}
	defer n.close()
	meter = meterCPU(os.Getpid())
	start = time.Now()
	consumed := make(chan error, 1)
	go func() { consumed <- n.consume(ctx, "bench", len(b.msgs)) }()
	if err := n.publish(ctx, b.msgs, 0, nil); err != nil {
		return err
	}
	if err := <-consumed; err != nil {
		return err
	}
	b.add(Result{Phase: "ceiling: JetStream publish + consume", Engine: "nats", Events: len(b.msgs), Took: time.Since(start),
		CPU: map[string]time.Duration{"bench": meter.used()[0]}, Note: "pull, Fetch(1000), ack each"})
	return nil
}

// consume reads want messages through a new durable pull consumer, 1,000
// at a time, acking each, as the projector reads.
func (n *natsServer) consume(ctx context.Context, durable string, want int) error {
	cons, err := n.js.CreateOrUpdateConsumer(ctx, n.cfg.Name, jetstream.ConsumerConfig{
		Durable: durable, AckPolicy: jetstream.AckExplicitPolicy, MaxAckPending: 20_000, DeliverPolicy: jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return err
	}
	got := 0
	for got < want && ctx.Err() == nil {
		batch, err := cons.Fetch(1000, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return fmt.Errorf("consume: %w", err)
		}
		for m := range batch.Messages() {
			if err := m.Ack(); err != nil {
				return fmt.Errorf("consume: %w", err)
			}
			got++
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) {
			return fmt.Errorf("consume: %w", err)
		}
	}
	return ctx.Err()
}
