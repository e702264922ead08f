package ingest

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/auth"
)

//go:embed openapi.yaml
var openAPI []byte

// Config is what the intake needs. The zero value of each limit takes its
// default.
type Config struct {
	// JS publishes the events: a connection as the intake's own NATS
	// identity, allowed to publish every agency's events.
	JS jetstream.JetStream
	// Stream is the events stream the events must land in.
	Stream stream.Config
	// MaxBodyBytes bounds a request's body (16 MiB).
	MaxBodyBytes int64
	// MaxEvents bounds the events of one request (5,000).
	MaxEvents int
	// Rate is how many events per second one agency may send (2,000), with
	// bursts of up to Burst events (10,000; at least MaxEvents, or a full
	// batch could never pass). rate.Inf lifts the limit.
	Rate  rate.Limit
	Burst int
	// MaxConcurrent bounds one agency's requests being read or published at
	// once (4): with MaxBodyBytes, what one agency's token can make the
	// intake hold in memory. A request over it is answered 429 at once.
	MaxConcurrent int
	// PublishTimeout bounds the wait for the stream's acknowledgements of
	// one request (30s); events still unanswered then are failed.
	PublishTimeout time.Duration
	// Registry, when set, gets the intake's metrics.
	Registry prometheus.Registerer
	// Now is the clock events are validated against (time.Now).
	Now func() time.Time
	Log *slog.Logger
}

// Defaults of Config.
const (
	DefaultMaxBodyBytes   = 16 << 20
	DefaultMaxEvents      = 5000
	DefaultRate           = 2000
	DefaultBurst          = 10000
	DefaultMaxConcurrent  = 4
	DefaultPublishTimeout = 30 * time.Second
)

func (c *Config) setDefaults() {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.MaxEvents == 0 {
		c.MaxEvents = DefaultMaxEvents
	}
	if c.Rate == 0 {
		c.Rate = DefaultRate
	}
	if c.Burst == 0 {
		c.Burst = max(DefaultBurst, c.MaxEvents)
	}
	if c.MaxConcurrent == 0 {
		c.MaxConcurrent = DefaultMaxConcurrent
	}
	if c.PublishTimeout == 0 {
		c.PublishTimeout = DefaultPublishTimeout
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
}

// Validate names the settings that cannot work (after the defaults).
func (c Config) Validate() error {
	var errs []error
	if c.JS == nil {
		errs = append(errs, errors.New("ingest: no JetStream connection"))
	}
	if err := c.Stream.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("ingest: %w", err))
	}
	if c.MaxBodyBytes < 1 {
		errs = append(errs, fmt.Errorf("ingest: max body bytes %d: want a positive size", c.MaxBodyBytes))
	}
	if c.MaxEvents < 1 {
		errs = append(errs, fmt.Errorf("ingest: max events %d: want at least 1", c.MaxEvents))
	}
	if c.Rate <= 0 {
		errs = append(errs, fmt.Errorf("ingest: rate %v events/s: want a positive rate", float64(c.Rate)))
	}
	if c.Burst < c.MaxEvents {
		errs = append(errs, fmt.Errorf("ingest: burst %d: want at least max events %d, or a full batch never passes", c.Burst, c.MaxEvents))
	}
	if c.MaxConcurrent < 1 {
		errs = append(errs, fmt.Errorf("ingest: max concurrent %d: want at least 1", c.MaxConcurrent))
	}
	if c.PublishTimeout <= 0 {
		errs = append(errs, fmt.Errorf("ingest: publish timeout %v: want a positive duration", c.PublishTimeout))
	}
	return errors.Join(errs...)
}

// Intake serves POST /v1/events and GET /v1/openapi.yaml. The caller must
// be authenticated before it: the login middleware puts an auth.Principal
// in the request's context.
type Intake struct {
	cfg      Config
	producer *producers.Producer
	mux      *http.ServeMux

	mu       sync.Mutex
	agencies map[string]*agencyLimits // by agency code; agencies are few (the users file's)

	requests *prometheus.CounterVec
	outcomes *prometheus.CounterVec
}

var _ http.Handler = (*Intake)(nil)

// New returns the intake publishing through cfg.JS. Close it after the
// HTTP server has shut down.
func New(cfg Config) (*Intake, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p, err := producers.New(cfg.JS, producers.Config{
		Prefix: cfg.Stream.Prefix,
		Stream: cfg.Stream.Name,
		// An HTTP caller waits: a few quick retries, then the event is
		// failed and the agency retries the batch.
		Attempts:   3,
		AckTimeout: 5 * time.Second,
		MaxBackoff: time.Second,
		Now:        cfg.Now,
	})
	if err != nil {
		return nil, err
	}
	in := &Intake{
		cfg: cfg, producer: p, mux: http.NewServeMux(), agencies: map[string]*agencyLimits{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baocao_ingest_requests_total", Help: "Requests to POST /v1/events by HTTP status.",
		}, []string{"code"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baocao_ingest_events_total", Help: "Events received over HTTP by outcome: published, duplicate, rejected, failed.",
		}, []string{"outcome"}),
	}
	if cfg.Registry != nil {
		for _, c := range []prometheus.Collector{in.requests, in.outcomes} {
			if err := cfg.Registry.Register(c); err != nil {
				return nil, fmt.Errorf("ingest: metrics: %w", err)
			}
		}
	}
	in.mux.HandleFunc("POST /v1/events", in.events)
	in.mux.HandleFunc("GET /v1/openapi.yaml", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(openAPI)
	})
	return in, nil
}

// ServeHTTP serves the intake's two routes.
func (in *Intake) ServeHTTP(w http.ResponseWriter, r *http.Request) { in.mux.ServeHTTP(w, r) }

// Close waits within ctx for publishes still in flight, then stops the
// intake's producer. It does not close the NATS connection.
func (in *Intake) Close(ctx context.Context) error { return in.producer.Close(ctx) }

// OpenAPI is the intake's OpenAPI description, as served.
func OpenAPI() []byte { return openAPI }

// Outcomes of one event, as the response names them.
const (
	Published = "published" // the stream stored it
	Duplicate = "duplicate" // the stream already had an event with this id
	Rejected  = "rejected"  // invalid, or not this agency's to send: fix it, do not retry it as is
	Failed    = "failed"    // the stream did not take it: retry
)

// Response is the body of an answered POST /v1/events (200, and 503 when
// every valid event failed).
type Response struct {
	Counts Counts   `json:"counts"`
	Events []Result `json:"events"`
}

// Counts adds up the outcomes.
type Counts struct {
	Events    int `json:"events"`
	Published int `json:"published"`
	Duplicate int `json:"duplicate"`
	Rejected  int `json:"rejected"`
	Failed    int `json:"failed"`
}

// Result is one event's outcome, in input order.
type Result struct {
	Index int `json:"index"`          // 0-based position in the request
	Line  int `json:"line,omitempty"` // 1-based line, for JSON Lines
	// ID is the event's id, when it could be read.
	ID      string `json:"id,omitempty"`
	Outcome string `json:"outcome"`
	// Seq is the stream sequence of a published or duplicate event.
	Seq uint64 `json:"seq,omitempty"`
	// Errors says why an event was rejected (each field and reason) or
	// failed (one entry for the whole event, field "").
	Errors []events.FieldError `json:"errors,omitempty"`
}

// errorBody is the body of every other status.
type errorBody struct {
	Error string `json:"error"`
}

// retryAfterUnavailable is what a 503 asks the agency to wait: NATS
// reconnects within a second or two of a restart.
const retryAfterUnavailable = 5

func (in *Intake) events(w http.ResponseWriter, r *http.Request) {
	status := in.serveEvents(w, r)
	in.requests.WithLabelValues(strconv.Itoa(status)).Inc()
}

func (in *Intake) serveEvents(w http.ResponseWriter, r *http.Request) int {
	p, ok := auth.FromContext(r.Context())
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="baocao"`)
		return fail(w, http.StatusUnauthorized, "an agency's bearer token is required")
	}
	if p.Role != auth.Agency || p.Agency == "" {
		return fail(w, http.StatusForbidden, fmt.Sprintf("identity %q has role %q; only agency identities may send events", p.Name, p.Role))
	}
	conn := w // the server's own writer, which MaxBytesReader tells to close an oversized request
	al := in.limits(p.Agency)
	lim := al.rate
	// No token left at all: answer before reading the body.
	if lim.Tokens() < 1 {
		return in.tooFast(w, p.Agency, lim.Reserve())
	}
	select {
	case al.slots <- struct{}{}:
		// Given back before the answer is written: a client that waits for
		// its answers never finds its own slot still taken.
		held := true
		release := func() {
			if held {
				<-al.slots
				held = false
			}
		}
		defer release()
		w = &releaseOnWrite{ResponseWriter: w, release: release}
	default:
		w.Header().Set("Retry-After", "1")
		return fail(w, http.StatusTooManyRequests, fmt.Sprintf("agency %s already has %d requests in progress, the limit; nothing was published: send again when one has its answer", p.Agency, in.cfg.MaxConcurrent))
	}

	if r.ContentLength > in.cfg.MaxBodyBytes {
		return fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body of %d bytes; the limit is %d", r.ContentLength, in.cfg.MaxBodyBytes))
	}
	body, err := io.ReadAll(http.MaxBytesReader(conn, r.Body, in.cfg.MaxBodyBytes))
	if err != nil {
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			return fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("body over the limit of %d bytes", in.cfg.MaxBodyBytes))
		}
		return fail(w, http.StatusBadRequest, "reading the body: "+err.Error())
	}
	items, form, err := split(body, r.Header.Get("Content-Type"))
	if err != nil {
		return fail(w, http.StatusBadRequest, err.Error())
	}
	if len(items) == 0 {
		return fail(w, http.StatusBadRequest, "no events: the array is empty")
	}
	if len(items) > in.cfg.MaxEvents {
		return fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("%d events; the limit is %d per request", len(items), in.cfg.MaxEvents))
	}
	// Every event counts, rejected or not: validating costs as much.
	res := lim.ReserveN(time.Now(), len(items))
	if d := res.Delay(); d > 0 {
		return in.tooFast(w, p.Agency, res)
	}
	if nc := in.cfg.JS.Conn(); nc != nil && nc.Status() != nats.CONNECTED {
		res.Cancel()
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterUnavailable))
		return fail(w, http.StatusServiceUnavailable, "the events stream is unavailable (NATS "+nc.Status().String()+"); nothing was published: send the same events again later")
	}

	start := time.Now()
	out := in.publish(r.Context(), p.Agency, items)
	status := http.StatusOK
	valid := out.Counts.Events - out.Counts.Rejected
	switch {
	case valid > 0 && out.Counts.Failed == valid:
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterUnavailable))
	case valid == 0 && allOtherAgencys(out.Events):
		// Another agency's token: nothing of this request was its to send.
		status = http.StatusForbidden
	}
	for o, n := range map[string]int{Published: out.Counts.Published, Duplicate: out.Counts.Duplicate, Rejected: out.Counts.Rejected, Failed: out.Counts.Failed} {
		in.outcomes.WithLabelValues(o).Add(float64(n))
	}
	attrs := []any{"component", "ingest", "agency", p.Agency, "form", form.String(),
		"events", out.Counts.Events, "published", out.Counts.Published, "duplicate", out.Counts.Duplicate,
		"rejected", out.Counts.Rejected, "failed", out.Counts.Failed, "took", time.Since(start)}
	level := slog.LevelDebug
	if out.Counts.Failed > 0 {
		level = slog.LevelWarn
		for _, res := range out.Events {
			if res.Outcome == Failed {
				attrs = append(attrs, "first_failure", res.Errors[0].Reason)
				break
			}
		}
	}
	in.cfg.Log.Log(r.Context(), level, "events received", attrs...)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(out)
	return status
}

// publish validates each event and publishes the valid ones, waiting for
// every outcome.
func (in *Intake) publish(ctx context.Context, agency string, items []item) Response {
	ctx, cancel := context.WithTimeout(ctx, in.cfg.PublishTimeout)
	defer cancel()
	results := make([]Result, len(items))
	now := in.cfg.Now()
	var wg sync.WaitGroup
	for i, it := range items {
		results[i] = Result{Index: i, Line: it.line}
		e, err := events.Decode(it.data, now)
		if err != nil {
			results[i].Outcome, results[i].ID = Rejected, rawID(it.data)
			results[i].Errors = fieldErrors(err)
			continue
		}
		results[i].ID = e.ID
		if errs := refuse(agency, &e); errs != nil {
			results[i].Outcome, results[i].Errors = Rejected, errs
			continue
		}
		wg.Add(1)
		// The callback runs on the producer's goroutine; wg.Wait orders
		// its write before the read below.
		err = in.producer.PublishDecodedAsync(ctx, &e, it.data, func(pr producers.Result) {
			defer wg.Done()
			switch pr.Outcome {
			case producers.Published, producers.Duplicate:
				results[i].Outcome, results[i].Seq = pr.Outcome.String(), pr.Sequence
			default:
				results[i].Outcome = Failed
				results[i].Errors = []events.FieldError{{Reason: fmt.Sprint(pr.Err)}}
			}
		})
		if err != nil { // never handed to NATS: ctx ended while the producer was full
			wg.Done()
			results[i].Outcome = Failed
			results[i].Errors = []events.FieldError{{Reason: "not sent: " + err.Error()}}
		}
	}
	wg.Wait()
	out := Response{Events: results, Counts: Counts{Events: len(results)}}
	for _, r := range results {
		switch r.Outcome {
		case Published:
			out.Counts.Published++
		case Duplicate:
			out.Counts.Duplicate++
		case Rejected:
			out.Counts.Rejected++
		case Failed:
			out.Counts.Failed++
		}
	}
	return out
}

// allOtherAgencys reports whether every event was rejected for being
// another agency's.
func allOtherAgencys(results []Result) bool {
	for _, r := range results {
		if !slices.ContainsFunc(r.Errors, func(e events.FieldError) bool { return e.Field == "agency" }) {
			return false
		}
	}
	return len(results) > 0
}

// refuse names why an agency may not send a valid event: another
// agency's, or one only baocao itself publishes.
func refuse(agency string, e *events.Event) []events.FieldError {
	var errs []events.FieldError
	switch e.Type.Family() {
	case events.FamilyReport:
		errs = append(errs, events.FieldError{Field: "type", Reason: fmt.Sprintf("%s is published by baocao's report scheduler, never by an agency", e.Type)})
	case events.FamilyAgency:
		errs = append(errs, events.FieldError{Field: "type", Reason: fmt.Sprintf("%s is the agency directory's, published over NATS by the agency that keeps it, not over HTTP", e.Type)})
	}
	if e.Agency != agency {
		errs = append(errs, events.FieldError{Field: "agency", Reason: fmt.Sprintf("%q is not the sender's agency: this token sends only %q's events", e.Agency, agency)})
	}
	return errs
}

func fieldErrors(err error) []events.FieldError {
	if ve, ok := errors.AsType[*events.ValidationError](err); ok && len(ve.Fields) > 0 {
		return ve.Fields
	}
	return []events.FieldError{{Reason: err.Error()}}
}

// rawID reads the id of an event the decoder rejected, so the agency can
// tell which it was; "" when there is none to read.
func rawID(data []byte) string {
	var v struct {
		ID any `json:"id"`
	}
	json.Unmarshal(data, &v)
	if s, ok := v.ID.(string); ok && len(s) <= 64 && utf8.ValidString(s) {
		return s
	}
	return ""
}

// agencyLimits is what one agency may use of the intake.
type agencyLimits struct {
	rate  *rate.Limiter
	slots chan struct{} // one per request in progress
}

func (in *Intake) limits(agency string) *agencyLimits {
	in.mu.Lock()
	defer in.mu.Unlock()
	l := in.agencies[agency]
	if l == nil {
		l = &agencyLimits{rate: rate.NewLimiter(in.cfg.Rate, in.cfg.Burst), slots: make(chan struct{}, in.cfg.MaxConcurrent)}
		in.agencies[agency] = l
	}
	return l
}

// tooFast answers 429 with the wait the reservation res measured, and
// gives its tokens back: nothing of the request is published.
func (in *Intake) tooFast(w http.ResponseWriter, agency string, res *rate.Reservation) int {
	wait := res.Delay()
	res.Cancel()
	secs := max(1, int(math.Ceil(wait.Seconds())))
	if !res.OK() {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	in.cfg.Log.Debug("rate exceeded", "component", "ingest", "agency", agency, "retry_after_s", secs)
	return fail(w, http.StatusTooManyRequests, fmt.Sprintf("agency %s is over its rate of %v events/s (bursts of %d); nothing was published: send again in %d s", agency, float64(in.cfg.Rate), in.cfg.Burst, secs))
}

// releaseOnWrite calls release before the status is written.
type releaseOnWrite struct {
	http.ResponseWriter
	release func()
}

func (w *releaseOnWrite) WriteHeader(code int) {
	w.release()
	w.ResponseWriter.WriteHeader(code)
}

func (w *releaseOnWrite) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func fail(w http.ResponseWriter, status int, msg string) int {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(errorBody{Error: msg})
	return status
}
