package producers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
)

// Outcome is what became of one event.
type Outcome int

const (
	// Published: the stream stored the event.
	Published Outcome = iota + 1
	// Duplicate: the stream already had an event with this id (within its
	// duplicate window) and dropped this copy. Nothing is lost.
	Duplicate
	// Rejected: the event failed validation and was not sent; Err is a
	// *events.ValidationError naming each field and the reason.
	Rejected
	// Failed: the event was valid but could not be stored after every retry,
	// or the server refused it for good (e.g. a permission violation).
	Failed
)

func (o Outcome) String() string {
	switch o {
	case Published:
		return "published"
	case Duplicate:
		return "duplicate"
	case Rejected:
		return "rejected"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Result is the outcome of publishing one event.
type Result struct {
	ID       string // the event id, when it could be read
	Subject  string // the subject it was (or would have been) published on
	Outcome  Outcome
	Sequence uint64 // stream sequence, for Published and Duplicate
	Attempts int    // publish attempts made
	Err      error  // the reason, for Rejected and Failed
}

// Config tunes a Producer. The zero value of each field takes its default.
type Config struct {
	// Prefix of event subjects (events.DefaultPrefix).
	Prefix string
	// Stream, when set, is the stream the event must land in: a publish that
	// another stream answers fails instead of storing the event there.
	Stream string
	// MaxPending bounds asynchronous publishes awaiting their ack (4000):
	// PublishAsync blocks while that many are in flight. Create the
	// JetStream context with jetstream.WithPublishAsyncMaxPending of at least
	// this much (its default is 4000).
	MaxPending int
	// AckTimeout bounds one attempt's wait for the stream's ack (5s).
	AckTimeout time.Duration
	// Attempts is how many times a transient failure (no stream responding,
	// timeout, disconnected) is tried before the event Fails (10).
	Attempts int
	// Backoff is the first pause between attempts (100ms); it doubles up to
	// MaxBackoff (5s), with jitter.
	Backoff, MaxBackoff time.Duration
	// Now is the clock for validation (time.Now).
	Now func() time.Time
}

func (c *Config) setDefaults() {
	if c.Prefix == "" {
		c.Prefix = events.DefaultPrefix
	}
	if c.MaxPending == 0 {
		c.MaxPending = 4000
	}
	if c.AckTimeout == 0 {
		c.AckTimeout = 5 * time.Second
	}
	if c.Attempts == 0 {
		c.Attempts = 10
	}
	if c.Backoff == 0 {
		c.Backoff = 100 * time.Millisecond
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = 5 * time.Second
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	switch {
	case c.MaxPending < 0:
		return fmt.Errorf("producer: max pending %d: want a positive number", c.MaxPending)
	case c.AckTimeout < 0:
		return fmt.Errorf("producer: ack timeout %v: want a positive duration", c.AckTimeout)
	case c.Attempts < 0:
		return fmt.Errorf("producer: attempts %d: want at least 1", c.Attempts)
	case c.Backoff < 0 || c.MaxBackoff < 0 || (c.MaxBackoff > 0 && c.Backoff > c.MaxBackoff):
		return fmt.Errorf("producer: backoff %v up to %v: want 0 < backoff ≤ max backoff", c.Backoff, c.MaxBackoff)
	}
	return nil
}

// Producer validates events and publishes them to the events stream, with the
// event id as Nats-Msg-Id so that JetStream drops a re-published event within
// its duplicate window. It is safe for concurrent use.
type Producer struct {
	js  jetstream.JetStream
	cfg Config

	slots   chan struct{}  // one per asynchronous publish in flight
	queue   chan *inFlight // async publishes in order, for the ack waiter
	pending sync.WaitGroup // async publishes whose callback has not returned
	stop    chan struct{}
	waiter  sync.WaitGroup
	closing sync.Once
	// abandon ends the retries of publishes still in flight when Close runs
	// out of time, so each gets its Failed result instead of none.
	abandoned context.Context
	abandon   context.CancelFunc
	// answered is when the stream last acked a publish awaitAcks resolved
	// (only that goroutine touches it).
	answered time.Time
}

// ErrClosed is the reason of a publish the producer was closed on before the
// stream answered: it may or may not be stored (publishing it again is safe).
var ErrClosed = errors.New("producer closed before the stream answered")

// New returns a Producer publishing through js.
func New(js jetstream.JetStream, cfg Config) (*Producer, error) {
	if js == nil {
		return nil, errors.New("producer: nil JetStream")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.setDefaults()
	p := &Producer{
		js:    js,
		cfg:   cfg,
		slots: make(chan struct{}, cfg.MaxPending),
		queue: make(chan *inFlight, cfg.MaxPending),
		stop:  make(chan struct{}),
	}
	p.abandoned, p.abandon = context.WithCancel(context.Background())
	p.waiter.Add(1)
	go p.awaitAcks()
	return p, nil
}

// Publish validates e and publishes it, waiting for the stream's ack and
// retrying transient failures. A zero ID or RecordedAt is filled in first.
func (p *Producer) Publish(ctx context.Context, e events.Event) Result {
	msg, r := p.prepareEvent(&e)
	if r.Outcome != 0 {
		return r
	}
	return p.send(ctx, msg, r, 0)
}

// PublishRaw validates one encoded event (as an agency sends it) and
// publishes those bytes unchanged: the stream records what the agency sent,
// and consumers upgrade old schema versions when they read it.
func (p *Producer) PublishRaw(ctx context.Context, data []byte) Result {
	msg, r := p.prepareRaw(data)
	if r.Outcome != 0 {
		return r
	}
	return p.send(ctx, msg, r, 0)
}

// PublishAsync validates e and starts publishing it; done receives the
// Result once the stream acked it or every retry failed. An invalid event
// gets its Rejected result at once, before PublishAsync returns. It blocks
// while MaxPending publishes are in flight, and returns an error only when
// ctx ends first or the producer is closed; done is not called then.
// Callbacks run one at a time, in publish order, and must not block long.
func (p *Producer) PublishAsync(ctx context.Context, e events.Event, done func(Result)) error {
	msg, r := p.prepareEvent(&e)
	return p.enqueue(ctx, msg, r, done)
}

// PublishRawAsync is PublishAsync for an encoded event; see PublishRaw.
func (p *Producer) PublishRawAsync(ctx context.Context, data []byte, done func(Result)) error {
	msg, r := p.prepareRaw(data)
	return p.enqueue(ctx, msg, r, done)
}

// PublishDecodedAsync is PublishRawAsync for bytes the caller has already
// validated: e is what events.Decode returned for data (the HTTP intake
// decodes each event once to check its agency and type before publishing).
// data is published unchanged, with e's id as Nats-Msg-Id; it is not decoded
// a second time.
func (p *Producer) PublishDecodedAsync(ctx context.Context, e *events.Event, data []byte, done func(Result)) error {
	msg, r := p.message(e, data)
	return p.enqueue(ctx, msg, r, done)
}

// Flush waits until every asynchronous publish has its result.
func (p *Producer) Flush(ctx context.Context) error {
	idle := make(chan struct{})
	go func() { p.pending.Wait(); close(idle) }()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("producer: flush: %w", ctx.Err())
	}
}

// Close flushes within ctx, then stops the producer. Publishes still without
// an answer when ctx ends get their Failed result with ErrClosed, so every
// accepted publish has its callback called. It does not close the NATS
// connection, which the caller owns.
func (p *Producer) Close(ctx context.Context) error {
	err := p.Flush(ctx)
	if err != nil {
		p.abandon()
	}
	p.closing.Do(func() { close(p.stop) })
	p.waiter.Wait()
	p.abandon()
	return err
}

// prepareEvent fills the id and recorded time of an event built in Go,
// validates it and encodes it. A non-zero Outcome in the Result means it was
// rejected.
func (p *Producer) prepareEvent(e *events.Event) (*nats.Msg, Result) {
	now := p.cfg.Now()
	if e.ID == "" {
		e.ID = events.NewID(now)
	}
	if e.RecordedAt.IsZero() {
		e.RecordedAt = now.In(events.Vietnam).Truncate(time.Millisecond)
	}
	if e.Type == "" && e.Payload != nil {
		e.Type = e.Payload.EventType()
	}
	if e.SchemaVersion == 0 {
		e.SchemaVersion = events.CurrentVersion(e.Type)
	}
	data, err := json.Marshal(e)
	if err != nil {
		return nil, Result{ID: e.ID, Outcome: Rejected, Err: fmt.Errorf("encode event: %w", err)}
	}
	msg, r := p.prepareRaw(data)
	r.ID = e.ID // a rejected event still has the id it was built with
	return msg, r
}

func (p *Producer) prepareRaw(data []byte) (*nats.Msg, Result) {
	e, err := events.Decode(data, p.cfg.Now())
	if err != nil { // Decode returns no event, so no id, for bytes it rejects
		return nil, Result{Outcome: Rejected, Err: err}
	}
	return p.message(&e, data)
}

// message is the publish of the valid event e, encoded as data.
func (p *Producer) message(e *events.Event, data []byte) (*nats.Msg, Result) {
	msg := &nats.Msg{Subject: events.Subject(p.cfg.Prefix, e), Data: data, Header: nats.Header{}}
	msg.Header.Set(jetstream.MsgIDHeader, e.ID)
	if p.cfg.Stream != "" {
		msg.Header.Set(jetstream.ExpectedStreamHeader, p.cfg.Stream)
	}
	return msg, Result{ID: e.ID, Subject: msg.Subject}
}

// send publishes synchronously, retrying transient failures with backoff.
// attempts counts tries already made (by an asynchronous publish).
func (p *Producer) send(ctx context.Context, msg *nats.Msg, r Result, attempts int) Result {
	for {
		attempts++
		actx, cancel := context.WithTimeout(ctx, p.cfg.AckTimeout)
		// Our own retry loop owns the retries; the library's would hide them.
		ack, err := p.js.PublishMsg(actx, msg, jetstream.WithRetryAttempts(0))
		cancel()
		if err == nil {
			return acked(r, ack, attempts)
		}
		err = p.explain(err, msg.Subject)
		if !transient(err) || ctx.Err() != nil || attempts >= p.cfg.Attempts {
			r.Outcome, r.Attempts = Failed, attempts
			r.Err = fmt.Errorf("publish %s after %d attempt(s): %w", msg.Subject, attempts, err)
			if ctx.Err() != nil {
				r.Err = fmt.Errorf("publish %s: %w (last error: %v)", msg.Subject, context.Cause(ctx), err)
			}
			return r
		}
		if !sleep(ctx, p.backoff(attempts)) {
			r.Outcome, r.Attempts = Failed, attempts
			r.Err = fmt.Errorf("publish %s: %w (last error: %v)", msg.Subject, context.Cause(ctx), err)
			return r
		}
	}
}

func acked(r Result, ack *jetstream.PubAck, attempts int) Result {
	r.Outcome, r.Sequence, r.Attempts = Published, ack.Sequence, attempts
	if ack.Duplicate {
		r.Outcome = Duplicate
	}
	return r
}

// backoff is the pause after the n-th failed attempt: exponential with
// jitter, so producers that failed together do not retry together.
func (p *Producer) backoff(n int) time.Duration {
	d := p.cfg.Backoff << min(n-1, 20)
	if d <= 0 || d > p.cfg.MaxBackoff {
		d = p.cfg.MaxBackoff
	}
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// jsDuplicateInProcess is JSStreamDuplicateMessageConflict (nats-server's
// errors.json), which nats.go does not name.
const jsDuplicateInProcess jetstream.ErrorCode = 10158

// transient reports whether err may pass if the same publish is tried again.
// The event id makes retrying safe: a copy that did land is dropped as a
// duplicate.
func transient(err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		// 503 is "JetStream not ready / insufficient resources"; 500 covers a
		// leader election in progress.
		// 10158: on a clustered stream an event re-sent while its first copy
		// is still being replicated is answered "duplicate message id is in
		// process"; tried again, it is acked as the duplicate it is.
		return apiErr.Code == 503 || apiErr.Code == 500 || apiErr.ErrorCode == jsDuplicateInProcess
	}
	return errors.Is(err, nats.ErrNoResponders) ||
		errors.Is(err, jetstream.ErrNoStreamResponse) ||
		errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, jetstream.ErrAsyncPublishTimeout) ||
		errors.Is(err, jetstream.ErrTooManyStalledMsgs) ||
		errors.Is(err, nats.ErrConnectionReconnecting) ||
		errors.Is(err, nats.ErrDisconnected) ||
		errors.Is(err, nats.ErrStaleConnection)
}

// explain replaces a timeout caused by a publish permission violation with
// the violation itself. The server reports it to the connection, not to the
// request, which would otherwise wait for an ack that never comes and be
// retried as if the stream were slow.
func (p *Producer) explain(err error, subject string) error {
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, jetstream.ErrAsyncPublishTimeout) {
		return err
	}
	nc := p.js.Conn()
	if nc == nil {
		return err
	}
	if last := nc.LastError(); errors.Is(last, nats.ErrPermissionViolation) && strings.Contains(last.Error(), `"`+subject+`"`) {
		return fmt.Errorf("%w (this agency's credentials may not publish on %s)", last, subject)
	}
	return err
}

// ---- Asynchronous publishing ----

type inFlight struct {
	ctx    context.Context // the caller's, for retries of this one publish
	msg    *nats.Msg
	result Result
	future jetstream.PubAckFuture // nil when the first send failed at once
	sendEr error
	// sent is when it went out; ackBy, when its ack is given up on, counted
	// from the send: the publishes in flight wait for their acks together,
	// so when a failover loses a window of acks it is retried after one ack
	// timeout, not one timeout per publish.
	sent, ackBy time.Time
	done        func(Result)
}

func (p *Producer) enqueue(ctx context.Context, msg *nats.Msg, r Result, done func(Result)) error {
	if r.Outcome != 0 { // rejected before sending
		done(r)
		return nil
	}
	select {
	case p.slots <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("producer: publish %s: %w", r.ID, ctx.Err())
	case <-p.stop:
		return errors.New("producer: closed")
	}
	select {
	case <-p.stop: // closed while we waited for the slot
		<-p.slots
		return errors.New("producer: closed")
	default:
	}
	now := time.Now()
	f := &inFlight{ctx: ctx, msg: msg, result: r, done: done, sent: now, ackBy: now.Add(p.cfg.AckTimeout + time.Second)}
	f.future, f.sendEr = p.js.PublishMsgAsync(msg, jetstream.WithRetryAttempts(0))
	p.pending.Add(1)
	p.queue <- f // never blocks: the queue holds as many as there are slots
	return nil
}

// awaitAcks resolves asynchronous publishes in order. A transient failure is
// retried here synchronously, which also holds back new publishes (their
// slots stay taken) until NATS answers again: backpressure, not loss.
func (p *Producer) awaitAcks() {
	defer p.waiter.Done()
	for {
		select {
		case f := <-p.queue:
			p.resolve(f)
		case <-p.stop:
			for { // Close gave up waiting: what is left fails at once (abandoned)
				select {
				case f := <-p.queue:
					p.resolve(f)
				default:
					return
				}
			}
		}
	}
}

func (p *Producer) resolve(f *inFlight) {
	defer p.pending.Done()
	defer func() { <-p.slots }()
	ctx, cancel := context.WithCancelCause(f.ctx)
	defer cancel(nil)
	defer context.AfterFunc(p.abandoned, func() { cancel(ErrClosed) })()
	err := f.sendEr
	if f.future != nil {
		timeout := time.NewTimer(time.Until(f.ackBy))
		select {
		case ack := <-f.future.Ok():
			timeout.Stop()
			p.answered = time.Now()
			f.done(acked(f.result, ack, 1))
			return
		case err = <-f.future.Err():
		case <-timeout.C:
			err = jetstream.ErrAsyncPublishTimeout
		case <-ctx.Done():
			err = context.Cause(ctx)
		}
		timeout.Stop()
	}
	err = p.explain(err, f.msg.Subject)
	if !transient(err) || ctx.Err() != nil {
		r := f.result
		r.Outcome, r.Attempts, r.Err = Failed, 1, fmt.Errorf("publish %s: %w", f.msg.Subject, err)
		if ctx.Err() != nil && !errors.Is(err, context.Cause(ctx)) {
			r.Err = fmt.Errorf("publish %s: %w (last error: %v)", f.msg.Subject, context.Cause(ctx), err)
		}
		f.done(r)
		return
	}
	// The stream answered since this was sent: its failure was of that
	// moment (a failover), already over, so the retry goes at once instead
	// of every publish of a lost window backing off in turn.
	if p.answered.Before(f.sent) && !sleep(ctx, p.backoff(1)) {
		r := f.result
		r.Outcome, r.Attempts, r.Err = Failed, 1, fmt.Errorf("publish %s: %w (last error: %v)", f.msg.Subject, context.Cause(ctx), err)
		f.done(r)
		return
	}
	r := p.send(ctx, f.msg, f.result, 1)
	if r.Outcome == Published || r.Outcome == Duplicate {
		p.answered = time.Now()
	}
	f.done(r)
}
