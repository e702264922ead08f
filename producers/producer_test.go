package producers_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
)

func connect(t *testing.T, cfg stream.ConnConfig) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := stream.Connect(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return nc, js
}

var agency = "000.00.31.H23"

func dossier(i int, at time.Time) events.Event {
	return events.New(agency, "H23.31-"+time.Now().Format("060102")+"-"+strconv.Itoa(i), at, events.DossierReceived{
		Procedure: "1.001234", Channel: events.ChannelInPerson, DueAt: at.Add(48 * time.Hour), Components: 2,
	})
}

func streamMsgs(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	return natstest.StreamState(t, js).Msgs
}

func TestPublishOutcomes(t *testing.T) {
	ctx := context.Background()
	e := natstest.StartWithStream(t)
	p, err := producers.New(e.JS, producers.Config{Stream: stream.DefaultConfig().Name})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)

	ev := dossier(1, time.Now().Add(-time.Hour))
	r := p.Publish(ctx, ev)
	if r.Outcome != producers.Published || r.Sequence != 1 || r.ID != ev.ID || r.Subject != "baocao.events.000_00_31_H23.dossier.received" {
		t.Fatalf("first publish: %+v", r)
	}
	if r = p.Publish(ctx, ev); r.Outcome != producers.Duplicate || r.Sequence != 1 {
		t.Fatalf("re-publish: %+v; want duplicate of sequence 1", r)
	}

	// The stored message carries the id as Nats-Msg-Id and the event as sent.
	s, _ := e.JS.Stream(ctx, stream.DefaultConfig().Name)
	msg, err := s.GetMsg(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	if msg.Header.Get(jetstream.MsgIDHeader) != ev.ID {
		t.Fatalf("Nats-Msg-Id = %q; want %q", msg.Header.Get(jetstream.MsgIDHeader), ev.ID)
	}
	got, err := events.Decode(msg.Data, time.Now())
	if err != nil || got.ID != ev.ID || got.SubjectID != ev.SubjectID {
		t.Fatalf("stored event %+v, %v", got, err)
	}

	bad := dossier(2, time.Now().Add(-time.Hour))
	bad.Payload = events.DossierReceived{Procedure: "1.001234", Channel: events.ChannelOnline, DueAt: bad.OccurredAt.Add(-time.Hour)}
	r = p.Publish(ctx, bad)
	var ve *events.ValidationError
	if r.Outcome != producers.Rejected || !errors.As(r.Err, &ve) || ve.Fields[0].Field != "payload.due_at" {
		t.Fatalf("invalid event: %+v; want rejected naming payload.due_at", r)
	}
	if n := streamMsgs(t, e.JS); n != 1 {
		t.Fatalf("stream holds %d events; want 1", n)
	}

	// Raw bytes from an agency: validated, then stored unchanged.
	raw, _ := json.Marshal(dossier(3, time.Now().Add(-time.Minute)))
	if r = p.PublishRaw(ctx, raw); r.Outcome != producers.Published {
		t.Fatalf("raw publish: %+v", r)
	}
	msg, _ = s.GetMsg(ctx, r.Sequence)
	if string(msg.Data) != string(raw) {
		t.Fatalf("stored bytes differ from the bytes sent")
	}
	if r = p.PublishRaw(ctx, []byte(`{"id":`)); r.Outcome != producers.Rejected || !errors.Is(r.Err, events.ErrMalformed) {
		t.Fatalf("malformed raw: %+v", r)
	}
}

func TestPublishAsyncInOrderWithDuplicates(t *testing.T) {
	ctx := context.Background()
	e := natstest.StartWithStream(t)
	p, err := producers.New(e.JS, producers.Config{MaxPending: 256})
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	base := time.Now().Add(-time.Hour)
	evs := make([]events.Event, n)
	for i := range evs {
		evs[i] = dossier(i, base)
	}
	var mu sync.Mutex
	counts := map[producers.Outcome]int{}
	var order []string
	publish := func(ev events.Event) {
		if err := p.PublishAsync(ctx, ev, func(r producers.Result) {
			mu.Lock()
			defer mu.Unlock()
			counts[r.Outcome]++
			order = append(order, r.ID)
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, ev := range evs {
		publish(ev)
	}
	for _, ev := range evs[:500] { // an agency re-sends the first 500
		publish(ev)
	}
	invalid := evs[0]
	invalid.ID = "not-a-ksuid"
	publish(invalid)
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if counts[producers.Published] != n || counts[producers.Duplicate] != 500 || counts[producers.Rejected] != 1 || counts[producers.Failed] != 0 {
		t.Fatalf("outcomes %v; want %d published, 500 duplicates, 1 rejected", counts, n)
	}
	if got := streamMsgs(t, e.JS); got != n {
		t.Fatalf("stream holds %d; want %d", got, n)
	}
	for i := range n { // callbacks come in publish order
		if order[i] != evs[i].ID {
			t.Fatalf("result %d is for %s; want %s", i, order[i], evs[i].ID)
		}
	}
	if err := p.PublishAsync(ctx, evs[0], func(producers.Result) {}); err == nil {
		t.Fatal("PublishAsync after Close succeeded")
	}
}

// A stream that is not there yet (a leader election, a stream being created)
// is a transient failure: the producer retries until the stream answers.
func TestPublishRetriesUntilTheStreamExists(t *testing.T) {
	ctx := context.Background()
	js := natstest.Start(t).JS
	p, _ := producers.New(js, producers.Config{Backoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond, Attempts: 50, AckTimeout: time.Second})
	defer p.Close(ctx)
	go func() {
		time.Sleep(400 * time.Millisecond)
		if _, _, _, err := stream.Provision(ctx, js, stream.DefaultConfig()); err != nil {
			t.Error(err)
		}
	}()
	var async producers.Result
	done := make(chan struct{})
	if err := p.PublishAsync(ctx, dossier(2, time.Now()), func(r producers.Result) { async = r; close(done) }); err != nil {
		t.Fatal(err)
	}
	r := p.Publish(ctx, dossier(1, time.Now()))
	if r.Outcome != producers.Published || r.Attempts < 2 {
		t.Fatalf("sync: %+v; want published after retries", r)
	}
	<-done
	if async.Outcome != producers.Published || async.Attempts < 2 {
		t.Fatalf("async: %+v; want published after retries", async)
	}
}

func TestPublishFailsAfterItsAttempts(t *testing.T) {
	ctx := context.Background()
	js := natstest.Start(t).JS
	p, _ := producers.New(js, producers.Config{Attempts: 3, Backoff: time.Millisecond, MaxBackoff: time.Millisecond, AckTimeout: 200 * time.Millisecond})
	defer p.Close(ctx)
	r := p.Publish(ctx, dossier(1, time.Now()))
	if r.Outcome != producers.Failed || r.Attempts != 3 || !errors.Is(r.Err, jetstream.ErrNoStreamResponse) && !errors.Is(r.Err, nats.ErrNoResponders) {
		t.Fatalf("%+v; want failed after 3 attempts with no stream responding", r)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if r := p.Publish(cctx, dossier(2, time.Now())); r.Outcome != producers.Failed || !errors.Is(r.Err, context.Canceled) {
		t.Fatalf("cancelled: %+v", r)
	}
}

// TestCloseGivesEveryPublishItsResult: with no stream to answer, publishes
// retry on; Close, out of time, ends them, and each gets its Failed result
// with ErrClosed — none is left without a callback.
func TestCloseGivesEveryPublishItsResult(t *testing.T) {
	ctx := context.Background()
	js := natstest.Start(t).JS // no stream: every attempt is transient
	p, _ := producers.New(js, producers.Config{MaxPending: 3, Attempts: 1000, Backoff: 10 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, AckTimeout: 200 * time.Millisecond})
	var mu sync.Mutex
	results := map[int][]producers.Result{}
	for i := range 3 {
		if err := p.PublishAsync(ctx, dossier(i, time.Now()), func(r producers.Result) {
			mu.Lock()
			defer mu.Unlock()
			results[i] = append(results[i], r)
		}); err != nil {
			t.Fatal(err)
		}
	}
	closed := make(chan error, 1)
	go func() {
		cctx, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		defer cancel()
		closed <- p.Close(cctx)
	}()
	select {
	case err := <-closed:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Close: %v; want the flush's deadline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not return 10 s after its deadline")
	}
	mu.Lock()
	defer mu.Unlock()
	for i := range 3 {
		if rs := results[i]; len(rs) != 1 || rs[0].Outcome != producers.Failed || !errors.Is(rs[0].Err, producers.ErrClosed) {
			t.Errorf("publish %d: results %+v; want one, failed with ErrClosed", i, rs)
		}
	}
}

// "Agency X may publish only its own events" is one subject permission.
func TestAgencyPermissions(t *testing.T) {
	ctx := context.Background()
	perm := func(subjects ...string) *server.Permissions {
		return &server.Permissions{
			Publish:   &server.SubjectPermission{Allow: subjects},
			Subscribe: &server.SubjectPermission{Allow: []string{"_INBOX.>"}},
		}
	}
	e := natstest.StartWithStream(t, func(o *server.Options) {
		o.Users = []*server.User{
			{Username: "admin", Password: "admin"},
			{Username: "tuphap", Password: "secret", Permissions: perm(events.AgencySubjects(events.DefaultPrefix, agency))},
		}
	})
	_, js := connect(t, stream.ConnConfig{URL: e.URL, User: "tuphap", Password: "secret"})
	p, _ := producers.New(js, producers.Config{Backoff: time.Millisecond, AckTimeout: 300 * time.Millisecond})
	defer p.Close(ctx)

	if r := p.Publish(ctx, dossier(1, time.Now())); r.Outcome != producers.Published {
		t.Fatalf("own event: %+v", r)
	}
	other := dossier(2, time.Now())
	other.Agency = "000.00.32.H23"
	if r := p.Publish(ctx, other); r.Outcome != producers.Failed || !errors.Is(r.Err, nats.ErrPermissionViolation) || r.Attempts != 1 {
		t.Fatalf("another agency's event: %+v; want failed at once with a permissions violation", r)
	}
	if n := streamMsgs(t, e.JS); n != 1 {
		t.Fatalf("stream holds %d; want only the agency's own event", n)
	}

	_, err := stream.Connect(stream.ConnConfig{URL: e.URL, User: "tuphap", Password: "wrong"}, nil)
	if err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("wrong password: %v", err)
	}
}

// When acks are lost together — the node a producer is connected to dies,
// or the stream's leader dies before it answers — every publish in flight
// waits for its ack at the same time, so the whole window is retried after
// one ack timeout, not after one ack timeout per publish (4,000 in flight
// would have stalled the producer for hours). A core subscriber stands in
// for the stream: it drops the first copy of every event and acks the next.
func TestLostAcksAreWaitedForTogether(t *testing.T) {
	ctx := context.Background()
	srv := natstest.Start(t)
	nc, js := connect(t, stream.ConnConfig{URL: srv.URL})
	var mu sync.Mutex
	seen := map[string]int{}
	var seq uint64
	sub, err := nc.Subscribe("baocao.events.>", func(m *nats.Msg) {
		mu.Lock()
		defer mu.Unlock()
		id := m.Header.Get(jetstream.MsgIDHeader)
		if seen[id]++; seen[id] == 1 {
			return // the ack of the first copy is lost
		}
		seq++
		m.Respond([]byte(`{"stream":"BAOCAO_EVENTS","seq":` + strconv.FormatUint(seq, 10) + `}`))
	})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Unsubscribe()
	const n, ackTimeout = 50, 300 * time.Millisecond
	p, _ := producers.New(js, producers.Config{AckTimeout: ackTimeout, Backoff: 300 * time.Millisecond, MaxBackoff: time.Second})
	var results []producers.Result
	began := time.Now()
	for i := range n {
		if err := p.PublishAsync(ctx, dossier(i, time.Now()), func(r producers.Result) { results = append(results, r) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	took := time.Since(began)
	for i, r := range results {
		if r.Outcome != producers.Published || r.Attempts != 2 {
			t.Errorf("publish %d: %+v; want published at the second attempt", i, r)
		}
	}
	// One wait and one backoff for all of them is about ackTimeout+1s+backoff;
	// one each would be 50 times that.
	if limit := 4 * (ackTimeout + time.Second); took > limit {
		t.Errorf("%d publishes whose first ack was lost took %v to retry; want one ack timeout for all (under %v)", n, took, limit)
	}
	t.Logf("%d publishes with lost acks retried in %v", n, took)
}
