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
	// batch still being inserted is kept alive with in-progress acks. It is
	// also how long a crashed projector's batch waits for redelivery.
	AckWait time.Duration
	// Backoff and MaxBackoff pace retries while ClickHouse or NATS fails.
	Backoff, MaxBackoff time.Duration
	// StallAfter: events waiting and nothing acked for this long is
	// reported as a stall by Health.
	StallAfter time.Duration
	// FlushTimeout bounds the last batch's insert on shutdown.
	FlushTimeout time.Duration
}

// DefaultDurable is the name of the projector's durable consumer.
const DefaultDurable = "baocao-projector"

// DefaultAckWait is short so that a crashed projector's batch is redelivered
// within seconds, not a minute; keepAlive's in-progress acks every third of
// it protect a slow or retried insert (one round for a 20,000-event batch
// costs about 60 ms of CPU, BenchmarkInProgress: 2 % of a core while a batch
// is held longer than 3 s, nothing for the usual sub-second insert).
const DefaultAckWait = 10 * time.Second

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
		c.AckWait = DefaultAckWait
	}
	if c.Backoff == 0 {
		c.Backoff = 200 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 10 * time.Second
	}
	if c.StallAfter == 0 {
		c.StallAfter = time.Minute
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
//
// Faults degrade, they never stop it: a failing insert (server down, disk
// full, read-only folder, any engine error) is retried with capped backoff
// while its batch stays unacked and kept alive, a deleted consumer is
// created again, a missing stream is waited for; Health names the fault.
type Projector struct {
	js      jetstream.JetStream
	store   store.Store
	cfg     Config
	log     *slog.Logger
	metrics *Metrics
	state   state
}

// New returns a Projector; metrics may be nil.
func New(js jetstream.JetStream, st store.Store, cfg Config, log *slog.Logger, metrics *Metrics) (*Projector, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	if cfg.BatchWait > cfg.AckWait/2 {
		// a batch is kept alive only once collected
		return nil, fmt.Errorf("projector: batch wait %v: want at most half the ack wait %v, or events are redelivered while their batch fills", cfg.BatchWait, cfg.AckWait)
	}
	if log == nil {
		log = slog.Default()
	}
	if metrics == nil {
		metrics = NewMetrics(nil)
	}
	return &Projector{js: js, store: st, cfg: cfg, log: log.With("component", "projector"), metrics: metrics,
		state: state{faults: map[string]*fault{}, progress: time.Now()}}, nil
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
// FlushTimeout), acks it and returns nil. Nothing else ends it: failures,
// at start as later, are retried with backoff and reported by Health (a
// projector that exits takes nothing forward: the events wait in the stream
// either way, and a process that stays up says why it is stuck).
func (p *Projector) Run(ctx context.Context) error {
	cons, err := p.bind(ctx)
	if err != nil {
		return nil // stopped before the consumer existed
	}
	p.log.Info("projecting", "stream", p.cfg.Stream.Name, "consumer", p.cfg.Durable, "db", p.cfg.DB)
	go p.watchLag(ctx)

	// One batch is inserted while the next is collected, so fetching and
	// decoding overlap ClickHouse's work on the insert before.
	batches := make(chan batch)
	inserted := make(chan error, 1)
	go func() { inserted <- p.insertAll(ctx, batches) }()
	fetchFailures := 0
	for ctx.Err() == nil {
		b, err := p.collect(ctx, cons)
		switch {
		case err != nil && len(b.msgs) == 0: // with messages: they go first, the next fetch fails again
			fetchFailures++
			cons = p.fetchFailed(ctx, cons, err, fetchFailures)
			continue
		case err == nil && fetchFailures > 0:
			fetchFailures = 0
			p.recovered("fetch")
		}
		if len(b.msgs) == 0 {
			continue
		}
		// kept from redelivery while it waits and while it is inserted
		b.release = p.keepAlive(b.msgs)
		if err := p.decodeBatch(&b); err != nil {
			b.release()
			close(batches)
			<-inserted
			return err
		}
		select {
		case batches <- b:
		case err := <-inserted: // stopped during the last flush
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

// bind finds the stream and creates (or updates) the durable consumer,
// retrying until it succeeds or ctx ends. The consumer delivers the whole
// stream when it is new: after it was deleted, every event is inserted again,
// which the projections absorb (they are keyed by event id) at the cost of
// replaying the stream. A missing stream is not created: it is the record,
// and an empty one made here would hide that it was lost ("up" provisions it
// when it starts, "baocao streams" at any time).
func (p *Projector) bind(ctx context.Context) (jetstream.Consumer, error) {
	var cons jetstream.Consumer
	err := p.retry(ctx, "consumer", "create consumer "+p.cfg.Durable, func(ctx context.Context) error {
		s, err := p.js.Stream(ctx, p.cfg.Stream.Name)
		if errors.Is(err, jetstream.ErrStreamNotFound) {
			return fmt.Errorf("stream %s not found: it is created by up when it starts or by baocao streams: %w", p.cfg.Stream.Name, err)
		}
		if err != nil {
			return fmt.Errorf("stream %s: %w", p.cfg.Stream.Name, err)
		}
		// kept like the events stream (R3 in a cluster), whatever this
		// process's own stream settings say
		if _, _, _, err := stream.ProvisionDeadLetters(ctx, p.js, p.cfg.Stream.Following(s.CachedInfo().Config)); err != nil {
			return err
		}
		cons, err = s.CreateOrUpdateConsumer(ctx, p.ConsumerConfig())
		return err
	})
	if err != nil {
		return nil, err
	}
	p.metrics.consumerCreated.Inc()
	p.state.setConsumer(cons)
	return cons, nil
}

// fetchFailed waits after a failed fetch, longer each time in a row, and
// binds again when the consumer or its stream is gone. It returns the
// consumer to fetch from next.
func (p *Projector) fetchFailed(ctx context.Context, cons jetstream.Consumer, err error, attempt int) jetstream.Consumer {
	p.failed("fetch", "fetch from consumer "+p.cfg.Durable, err, attempt)
	if _, ierr := cons.Info(ctx); errors.Is(ierr, jetstream.ErrConsumerNotFound) || errors.Is(ierr, jetstream.ErrStreamNotFound) {
		p.log.Warn("consumer gone; creating it again, from the start of the stream", "consumer", p.cfg.Durable, "err", ierr)
		if c, err := p.bind(ctx); err == nil {
			p.recovered("fetch")
			return c
		}
		return cons
	}
	sleep(ctx, p.backoff(attempt))
	return cons
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

// flushContext keeps working for FlushTimeout after ctx ends; retry gives
// up at once when ctx has ended and the store is failing (see stopping).
func (p *Projector) flushContext(ctx context.Context) (context.Context, context.CancelFunc) {
	fctx, cancel := context.WithCancel(context.WithValue(context.WithoutCancel(ctx), runKey{}, ctx))
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
// has passed since its first message, or ctx ends, or a fetch fails (the
// error is returned with what was collected before).
func (p *Projector) collect(ctx context.Context, cons jetstream.Consumer) (batch, error) {
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
			return b, err
		}
		for m := range fetched.Messages() {
			if deadline.IsZero() {
				deadline = time.Now().Add(p.cfg.BatchWait)
			}
			b.msgs = append(b.msgs, m)
			b.bytes += len(m.Data())
		}
		if err := fetched.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			return b, err
		}
	}
	return b, nil
}

// process inserts and acks one decoded batch. Failures are retried until
// they pass or ctx ends (see retry); nothing is acked before its row is in.
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
	if err := p.retry(ctx, "insert", "insert events", func(ctx context.Context) error { return p.store.InsertEvents(ctx, p.cfg.DB, rows) }); err != nil {
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
	p.state.progressed()
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
	if err := p.retry(ctx, "insert", "insert dead letters", func(ctx context.Context) error {
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
		if err := p.retry(ctx, "dead_letter_publish", "publish dead letter", func(ctx context.Context) error {
			_, err := p.js.PublishMsg(ctx, msg)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// retry runs op until it succeeds or ctx ends, whatever the error: a server
// down, a full disk, a read-only folder or a refused statement all leave
// the events in the stream, and retrying is what resumes by itself once the
// cause is gone. Each failure is counted under op and reported by Health;
// the wait doubles up to MaxBackoff.
func (p *Projector) retry(ctx context.Context, op, what string, fn func(context.Context) error) error {
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			if attempt > 1 {
				p.recovered(op)
			}
			return nil
		}
		if ctx.Err() != nil || stopping(ctx) {
			return fmt.Errorf("projector: %s: gave up on shutdown, batch left unacked for redelivery: %w", what, err)
		}
		p.failed(op, what, err, attempt)
		wait := ctx
		if run, ok := ctx.Value(runKey{}).(context.Context); ok {
			wait = run // a stop ends the wait
		}
		sleep(wait, p.backoff(attempt))
	}
}

type runKey struct{}

// stopping reports whether the Run that made ctx (a flush context) is
// ending: a failing flush then stops at once rather than retrying for
// FlushTimeout, since the unacked batch is redelivered anyway.
func stopping(ctx context.Context) bool {
	run, ok := ctx.Value(runKey{}).(context.Context)
	return ok && run.Err() != nil
}

// backoff is the wait after the attempt-th failure in a row.
func (p *Projector) backoff(attempt int) time.Duration {
	d := p.cfg.Backoff
	for i := 1; i < attempt && d < p.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, p.cfg.MaxBackoff)
}

// failed records a failed attempt of op. The log says it on the first
// failure and then at most once a minute (backoff already spaces attempts
// out; a fault lasting hours needs no line every 10 s).
func (p *Projector) failed(op, what string, err error, attempt int) {
	p.metrics.failures.WithLabelValues(op).Inc()
	p.metrics.fault.WithLabelValues(op).Set(1)
	f := p.state.fail(op, what, err)
	level := slog.LevelWarn
	if !transient(err) {
		level = slog.LevelError // a cause someone must remove: a full disk, permissions, the schema
	}
	if attempt == 1 || time.Since(f.logged) >= time.Minute {
		p.log.Log(context.Background(), level, what+" failed; retrying", "attempt", attempt, "since", f.since.Format(time.TimeOnly), "in", p.backoff(attempt), "err", err)
		p.state.logged(op)
	}
}

func (p *Projector) recovered(op string) {
	if f := p.state.recover(op); f != nil {
		p.metrics.fault.WithLabelValues(op).Set(0)
		p.log.Info(f.what+" succeeded again", "attempts", f.attempts+1, "failing_for", time.Since(f.since).Round(time.Millisecond))
	}
}

// transient errors are expected to pass by themselves (a server restarting,
// a timeout); the others need someone to act, though they are retried too.
func transient(err error) bool {
	return errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, nats.ErrTimeout) || errors.Is(err, nats.ErrNoResponders) || errors.Is(err, jetstream.ErrNoStreamResponse)
}

// keepAlive sends in-progress acks for msgs every AckWait/3 until the
// returned stop is called, so a slow insert, or one retried while the store
// fails, is not redelivered meanwhile. It outlives Run's ctx: the last
// batch is flushed after it ends.
func (p *Projector) keepAlive(msgs []jetstream.Msg) (stop func()) {
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
			}
		}
	}()
	return sync.OnceFunc(func() { close(done) })
}

// watchLag publishes the consumer's lag, the events not yet acked
// (pending delivery or delivered and unacked), and notes progress made by
// any projector sharing the consumer, for Health's stall check.
func (p *Projector) watchLag(ctx context.Context) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		if info, err := p.state.consumer().Info(ctx); err == nil {
			p.metrics.lag.Set(float64(info.NumPending + uint64(info.NumAckPending)))
			p.metrics.ackPending.Set(float64(info.NumAckPending))
			p.state.observe(info.NumPending+uint64(info.NumAckPending), info.AckFloor.Stream)
		}
		select {
		case <-t.C:
		case <-ctx.Done():
			return
		}
	}
}

// Health says what keeps the projector from keeping up: each operation
// failing, since when and why, or a stall (events waiting and nothing acked
// for StallAfter, e.g. an insert hanging). nil when it is keeping up.
func (p *Projector) Health(context.Context) error {
	return p.state.health(p.cfg.StallAfter)
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
