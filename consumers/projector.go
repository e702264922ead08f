package consumers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/stream"
)

// Config tunes a Projector. Zero values take the defaults.
type Config struct {
	Stream stream.Config
	// Durable names the consumer; processes with the same name share the work.
	Durable string
	// DB is the ClickHouse database holding the projections.
	DB string
	// A batch is inserted when it has BatchMax events, BatchBytes bytes, or
	// BatchWait has passed since its first event, whichever comes first.
	BatchMax   int
	BatchBytes int
	BatchWait  time.Duration
	// AckWait is how long JetStream waits for an ack before redelivering; a
	// batch still being inserted is kept alive with in-progress acks.
	AckWait time.Duration
	// Backoff and MaxBackoff pace retries while ClickHouse is unavailable.
	Backoff, MaxBackoff time.Duration
	// FlushTimeout bounds the last batch's insert on shutdown.
	FlushTimeout time.Duration
}

// DefaultDurable is the name of the projector's durable consumer.
const DefaultDurable = "baocao-projector"

// The default batch: 20,000 events cost ClickHouse less than half the CPU
// per event of 5,000 (BENCHMARKS.md), and 16 MiB holds them at 800 bytes.
const (
	DefaultBatchMax   = 20000
	DefaultBatchBytes = 16 << 20
)

func (c *Config) setDefaults() {
	if c.Stream.Name == "" {
		c.Stream = stream.DefaultConfig()
	}
	if c.Durable == "" {
		c.Durable = DefaultDurable
	}
	if c.DB == "" {
		c.DB = "baocao"
	}
	if c.BatchMax == 0 {
		c.BatchMax = DefaultBatchMax
	}
	if c.BatchBytes == 0 {
		c.BatchBytes = DefaultBatchBytes
	}
	if c.BatchWait == 0 {
		c.BatchWait = 500 * time.Millisecond
	}
	if c.AckWait == 0 {
		c.AckWait = 60 * time.Second
	}
	if c.Backoff == 0 {
		c.Backoff = 200 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 10 * time.Second
	}
	if c.FlushTimeout == 0 {
		c.FlushTimeout = 30 * time.Second
	}
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.BatchMax < 0 || c.BatchBytes < 0 || c.BatchWait < 0:
		return errors.New("projector: batch limits must be positive")
	case c.AckWait != 0 && c.AckWait < time.Second:
		return fmt.Errorf("projector: ack wait %v: want at least 1s", c.AckWait)
	}
	return nil
}

// Projector moves events from the stream into ClickHouse: it fetches
// batches from a durable pull consumer, decodes each event, inserts the
// batch, and acks only after the insert returned. Undecodable events go to
// the dead-letter stream and table and are terminated. Several projectors
// with the same Durable share the stream between them.
type Projector struct {
	js      jetstream.JetStream
	store   store.Store
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
}

// New returns a Projector; metrics may be nil.
func New(js jetstream.JetStream, st store.Store, cfg Config, log *slog.Logger, metrics *Metrics) (*Projector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	if log == nil {
		log = slog.Default()
	}
	if metrics == nil {
		metrics = NewMetrics(nil)
	}
	return &Projector{js: js, store: st, cfg: cfg, log: log.With("component", "projector"), metrics: metrics}, nil
}

// ConsumerConfig is the durable pull consumer the projectors share.
func (p *Projector) ConsumerConfig() jetstream.ConsumerConfig {
	return jetstream.ConsumerConfig{
		Durable:       p.cfg.Durable,
		Description:   "baocao projector: events into ClickHouse",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       p.cfg.AckWait,
		MaxAckPending: 4 * p.cfg.BatchMax,
		MaxDeliver:    -1, // an event is never given up on: poison goes to dead letters instead
		FilterSubject: p.cfg.Stream.Subjects(),
	}
}

// Run projects until ctx ends, then flushes the batch in hand (within
// FlushTimeout), acks it and returns nil. It returns an error only when it
// cannot start or a batch fails for a reason retrying cannot fix.
func (p *Projector) Run(ctx context.Context) error {
	s, err := p.js.Stream(ctx, p.cfg.Stream.Name)
	if err != nil {
		return fmt.Errorf("projector: stream %s: %w", p.cfg.Stream.Name, err)
	}
	if _, _, _, err := stream.ProvisionDeadLetters(ctx, p.js, p.cfg.Stream); err != nil {
		return fmt.Errorf("projector: %w", err)
	}
	cons, err := s.CreateOrUpdateConsumer(ctx, p.ConsumerConfig())
	if err != nil {
		return fmt.Errorf("projector: consumer %s: %w", p.cfg.Durable, err)
	}
	p.log.Info("projecting", "stream", p.cfg.Stream.Name, "consumer", p.cfg.Durable, "db", p.cfg.DB)
	go p.watchLag(ctx, cons)

	// One batch is inserted while the next is collected, so fetching and
	// decoding overlap ClickHouse's work on the insert before.
	batches := make(chan batch)
	inserted := make(chan error, 1)
	go func() { inserted <- p.insertAll(ctx, batches) }()
	for ctx.Err() == nil {
		b := p.collect(ctx, cons)
		if len(b.msgs) == 0 {
			continue
		}
		// kept from redelivery while it waits and while it is inserted
		b.release = p.keepAlive(ctx, b.msgs)
		if err := p.decodeBatch(&b); err != nil {
			b.release()
			close(batches)
			<-inserted
			return err
		}
		select {
		case batches <- b:
		case err := <-inserted: // failed, or stopped during the last flush
			b.release()
			return err
		}
	}
	close(batches)
	if err := <-inserted; err != nil {
		return err
	}
	p.log.Info("stopped")
	return nil
}

// insertAll processes the batches in order until the channel closes. The
// batch in hand is finished even when ctx ended meanwhile: flushing it is
// part of shutting down.
func (p *Projector) insertAll(ctx context.Context, batches <-chan batch) error {
	for b := range batches {
		fctx, cancel := p.flushContext(ctx)
		err := p.process(fctx, b)
		cancel()
		b.release()
		if err != nil && ctx.Err() != nil {
			p.log.Warn("last batch not flushed; it will be redelivered", "events", len(b.msgs), "err", err)
			return nil
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flushContext keeps working for FlushTimeout after ctx ends.
func (p *Projector) flushContext(ctx context.Context) (context.Context, context.CancelFunc) {
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(p.cfg.FlushTimeout, cancel) })
	return fctx, func() { stop(); cancel() }
}

type batch struct {
	msgs    []jetstream.Msg
	bytes   int
	release func() // stops keeping msgs from redelivery
	// what decodeBatch made of msgs: rows for the good ones, dead letters
	// for the others
	rows     []store.EventRow
	good     []jetstream.Msg
	dead     []store.DeadLetter
	deadMsgs []jetstream.Msg
}

// decodeBatch turns b's messages into rows, or into dead letters saying why
// they cannot be projected. The collector does it, so decoding a batch
// overlaps the insert of the one before.
func (p *Projector) decodeBatch(b *batch) error {
	b.rows = make([]store.EventRow, 0, len(b.msgs))
	b.good = make([]jetstream.Msg, 0, len(b.msgs))
	for _, m := range b.msgs {
		meta, err := m.Metadata()
		if err != nil { // not a JetStream message: cannot happen on a pull consumer
			return fmt.Errorf("projector: message metadata: %w", err)
		}
		row, reason := p.decode(m, meta)
		if reason != "" {
			b.dead = append(b.dead, store.DeadLetter{StreamSeq: meta.Sequence.Stream, Subject: m.Subject(), ReceivedAt: meta.Timestamp, Reason: reason, Raw: m.Data()})
			b.deadMsgs = append(b.deadMsgs, m)
			continue
		}
		b.rows = append(b.rows, row)
		b.good = append(b.good, m)
	}
	return nil
}

// collect fetches until the batch is full by count or bytes, or BatchWait
// has passed since its first message, or ctx ends.
func (p *Projector) collect(ctx context.Context, cons jetstream.Consumer) batch {
	var b batch
	var deadline time.Time
	for ctx.Err() == nil && len(b.msgs) < p.cfg.BatchMax && b.bytes < p.cfg.BatchBytes {
		wait := p.cfg.BatchWait
		if !deadline.IsZero() {
			if wait = time.Until(deadline); wait <= 0 {
				break
			}
		}
		wait = max(wait, 100*time.Millisecond) // the server's floor for a pull request
		fetched, err := cons.Fetch(min(p.cfg.BatchMax-len(b.msgs), 1000), jetstream.FetchMaxWait(wait))
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			p.log.Warn("fetch failed; retrying", "err", err)
			sleep(ctx, p.cfg.Backoff)
			continue
		}
		for m := range fetched.Messages() {
			if deadline.IsZero() {
				deadline = time.Now().Add(p.cfg.BatchWait)
			}
			b.msgs = append(b.msgs, m)
			b.bytes += len(m.Data())
		}
		if err := fetched.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			p.log.Warn("fetch ended early", "err", err)
		}
	}
	return b
}

// process inserts and acks one decoded batch. Transient failures are
// retried until they pass or ctx ends; nothing is acked before its row is in.
func (p *Projector) process(ctx context.Context, b batch) error {
	start := time.Now()
	// an id already recorded with another body is a dead letter, not a row
	if err := p.checkIdentity(ctx, &b); err != nil {
		return err
	}
	rows, dead, good, deadMsgs := b.rows, b.dead, b.good, b.deadMsgs
	// Not sorted: ClickHouse splits a block by partition and sorts each
	// part by its key whatever the rows' order (sorting here by time cost
	// 8 % of consume's CPU and saved the server nothing).
	if err := p.retry(ctx, "insert events", func(ctx context.Context) error { return p.store.InsertEvents(ctx, p.cfg.DB, rows) }); err != nil {
		return err
	}
	if len(dead) > 0 {
		if err := p.deadLetter(ctx, dead); err != nil {
			return err
		}
	}
	b.release()
	for _, m := range good {
		_ = m.Ack() // a lost ack means a redelivery, which the projections absorb
	}
	for i, m := range deadMsgs {
		_ = m.TermWithReason(clipReason(dead[i].Reason))
	}
	p.metrics.observeBatch(len(rows), len(dead), time.Since(start))
	if len(dead) > 0 {
		p.log.Warn("dead letters", "count", len(dead), "first_seq", dead[0].StreamSeq, "reason", dead[0].Reason)
	}
	return nil
}

// decode turns a message into its row, or says why it cannot be projected.
func (p *Projector) decode(m jetstream.Msg, meta *jetstream.MsgMetadata) (store.EventRow, string) {
	e, err := events.Decode(m.Data(), meta.Timestamp)
	if err != nil {
		return store.EventRow{}, err.Error()
	}
	agency, typ, err := events.ParseSubject(p.cfg.Stream.Prefix, m.Subject())
	switch {
	case err != nil:
		return store.EventRow{}, err.Error()
	case agency != e.Agency || typ != e.Type:
		return store.EventRow{}, fmt.Sprintf("subject %s does not match the event's agency %s and type %s", m.Subject(), e.Agency, e.Type)
	}
	row, err := store.RowFromEvent(e, meta.Sequence.Stream, meta.Timestamp)
	if err != nil {
		return store.EventRow{}, err.Error()
	}
	return row, ""
}

// deadLetter records poison events in the dead-letter table and stream.
func (p *Projector) deadLetter(ctx context.Context, dead []store.DeadLetter) error {
	if err := p.retry(ctx, "insert dead letters", func(ctx context.Context) error {
		return p.store.InsertDeadLetters(ctx, p.cfg.DB, dead)
	}); err != nil {
		return err
	}
	subject := p.cfg.Stream.DeadLetterPrefix() + ".projector"
	for _, d := range dead {
		msg := &nats.Msg{Subject: subject, Data: d.Raw, Header: nats.Header{}}
		seq := strconv.FormatUint(d.StreamSeq, 10)
		msg.Header.Set(jetstream.MsgIDHeader, "dead-"+p.cfg.Stream.Name+"-"+seq)
		msg.Header.Set("Baocao-Stream-Seq", seq)
		msg.Header.Set("Baocao-Subject", d.Subject)
		msg.Header.Set("Baocao-Reason", clipReason(d.Reason))
		if err := p.retry(ctx, "publish dead letter", func(ctx context.Context) error {
			_, err := p.js.PublishMsg(ctx, msg)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// retry runs op until it succeeds, fails for good, or ctx ends. Store errors
// marked unavailable and NATS timeouts are retried with backoff.
func (p *Projector) retry(ctx context.Context, what string, op func(context.Context) error) error {
	delay := p.cfg.Backoff
	for attempt := 1; ; attempt++ {
		err := op(ctx)
		if err == nil {
			if attempt > 1 {
				p.log.Info(what+" succeeded after retries", "attempts", attempt)
			}
			return nil
		}
		if !retryable(err) {
			return fmt.Errorf("projector: %s: %w", what, err)
		}
		if ctx.Err() != nil {
			return fmt.Errorf("projector: %s: gave up on shutdown, batch left unacked for redelivery: %w", what, err)
		}
		p.metrics.retries.Inc()
		p.log.Warn(what+" failed; retrying", "attempt", attempt, "in", delay, "err", err)
		sleep(ctx, delay)
		delay = min(2*delay, p.cfg.MaxBackoff)
	}
}

func retryable(err error) bool {
	return errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse)
}

// keepAlive sends in-progress acks for msgs every AckWait/3 until the
// returned stop is called, so a slow insert is not redelivered meanwhile.
func (p *Projector) keepAlive(ctx context.Context, msgs []jetstream.Msg) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(p.cfg.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				for _, m := range msgs {
					_ = m.InProgress()
				}
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}

// watchLag publishes the consumer's pending count as a metric.
func (p *Projector) watchLag(ctx context.Context, cons jetstream.Consumer) {
	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		if info, err := cons.Info(ctx); err == nil {
			p.metrics.lag.Set(float64(info.NumPending))
			p.metrics.ackPending.Set(float64(info.NumAckPending))
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func clipReason(s string) string {
	if len(s) > 1000 {
		return s[:1000] + "…"
	}
	return s
}
