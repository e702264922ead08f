package natsauth_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/store"
)

// noViolations fails if the server refused anything c did.
func noViolations(t *testing.T, c *client) {
	t.Helper()
	for _, err := range c.asyncErrors() {
		if errors.Is(err, nats.ErrPermissionViolation) {
			t.Errorf("permission violation: %v", err)
		}
	}
}

func TestAgencyPublishesWithItsOwnInbox(t *testing.T) {
	e := startEnv(t)
	a := e.agency(agencyA)
	if got, want := a.nc.Opts.InboxPrefix, "_INBOX.agency.000_00_31_H23"; got != want {
		t.Fatalf("inbox prefix from the creds %q, want %q", got, want)
	}
	ctx := context.Background()
	ack, err := a.js.Publish(ctx, subj(e, agencyA, events.TypeDossierReceived), encode(t, event(agencyA)))
	if err != nil || ack.Sequence != 1 {
		t.Fatalf("publish: %v %+v", err, ack)
	}
	// through the producer, sync and async, as "baocao publish" does
	p, err := producers.New(a.js, producers.Config{Prefix: e.sc.Prefix, Stream: e.sc.Name})
	if err != nil {
		t.Fatal(err)
	}
	if r := p.Publish(ctx, event(agencyA)); r.Outcome != producers.Published {
		t.Fatalf("producer: %v %v", r.Outcome, r.Err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var outcomes []producers.Outcome
	for range 100 {
		wg.Add(1)
		if err := p.PublishAsync(ctx, event(agencyA), func(r producers.Result) {
			mu.Lock()
			outcomes = append(outcomes, r.Outcome)
			mu.Unlock()
			wg.Done()
		}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	for _, o := range outcomes {
		if o != producers.Published {
			t.Fatalf("async outcome %v", o)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(e.sc.Name); n != 102 {
		t.Fatalf("stream holds %d events, want 102", n)
	}
	noViolations(t, a)
}

// fakeStore takes the projector's inserts; its event_ids is empty.
type fakeStore struct {
	mu     sync.Mutex
	events int
	dead   int
}

func (s *fakeStore) Exec(context.Context, string) error { return nil }
func (s *fakeStore) Query(context.Context, string) (*store.Result, error) {
	return &store.Result{}, nil
}
func (s *fakeStore) InsertEvents(_ context.Context, _ string, rows []store.EventRow) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.events += len(rows)
	return nil
}
func (s *fakeStore) InsertDeadLetters(_ context.Context, _ string, rows []store.DeadLetter) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dead += len(rows)
	return nil
}
func (s *fakeStore) Engine(context.Context) (string, error) { return "fake", nil }
func (s *fakeStore) Close() error                           { return nil }

func (s *fakeStore) counts() (int, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events, s.dead
}

// TestProjectorIdentity runs the real projector with the projector's
// identity, on a server where the dead-letter stream does not exist yet:
// it provisions it, binds its durable, fetches, acks and dead-letters.
func TestProjectorIdentity(t *testing.T) {
	e := startEnv(t)
	ctx := context.Background()
	if err := e.admin.js.DeleteStream(ctx, e.sc.DeadLetterStreamConfig().Name); err != nil {
		t.Fatal(err)
	}
	a := e.agency(agencyA)
	for range 5 {
		if _, err := a.js.Publish(ctx, subj(e, agencyA, events.TypeDossierReceived), encode(t, event(agencyA))); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := a.js.Publish(ctx, subj(e, agencyA, events.TypeDossierReceived), []byte("not an event")); err != nil {
		t.Fatal(err)
	}
	pc := e.service(natsauth.Projector)
	st := &fakeStore{}
	p, err := consumers.New(pc.js, st, consumers.Config{Stream: e.sc, Durable: durable, DB: "baocao", BatchWait: 100 * time.Millisecond}, quiet, nil)
	if err != nil {
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- p.Run(rctx) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ev, dead := st.counts()
		if ev == 5 && dead == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("projector inserted %d events and %d dead letters, want 5 and 1; health: %v; async errors %v", ev, dead, p.Health(ctx), pc.asyncErrors())
		}
		time.Sleep(50 * time.Millisecond)
	}
	// acked: the server's ack floor reaches the last event
	deadline = time.Now().Add(10 * time.Second)
	for {
		pr, err := consumers.ReadProgress(ctx, e.admin.js, e.sc.Name, durable)
		if err != nil {
			t.Fatal(err)
		}
		if pr.Behind == 0 && pr.StreamSeq == 6 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("progress %+v: events left unacked", pr)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if n := e.count(e.sc.DeadLetterStreamConfig().Name); n != 1 {
		t.Fatalf("dead-letter stream holds %d, want 1", n)
	}
	if err := p.Health(ctx); err != nil {
		t.Fatalf("health: %v", err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	noViolations(t, pc)
}

// TestSchedulerIdentity reads the projector's progress and announces a
// report for a province, as the scheduler does.
func TestSchedulerIdentity(t *testing.T) {
	e := startEnv(t)
	seed(e)
	sc := e.service(natsauth.Scheduler)
	ctx := context.Background()
	pr, err := consumers.ReadProgress(ctx, sc.js, e.sc.Name, durable)
	if err != nil {
		t.Fatal(err)
	}
	if pr.StreamSeq != 2 || pr.Behind != 2 {
		t.Fatalf("progress %+v, want seq 2, 2 behind", pr)
	}
	p, err := producers.New(sc.js, producers.Config{Prefix: e.sc.Prefix, Stream: e.sc.Name})
	if err != nil {
		t.Fatal(err)
	}
	for _, province := range []string{agencyA, agencyB} {
		if r := p.Publish(ctx, reportEvent(province)); r.Outcome != producers.Published {
			t.Fatalf("report.generated for %s: %v %v", province, r.Outcome, r.Err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if n := e.count(e.sc.Name); n != 4 {
		t.Fatalf("stream holds %d, want 4", n)
	}
	noViolations(t, sc)
}

// TestIngestIdentity publishes for any agency, as the HTTP intake does.
func TestIngestIdentity(t *testing.T) {
	e := startEnv(t)
	in := e.service(natsauth.Ingest)
	ctx := context.Background()
	p, err := producers.New(in.js, producers.Config{Prefix: e.sc.Prefix, Stream: e.sc.Name})
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{agencyA, agencyB} {
		if r := p.Publish(ctx, event(code)); r.Outcome != producers.Published {
			t.Fatalf("ingest for %s: %v %v", code, r.Outcome, r.Err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	noViolations(t, in)
}

func TestBadIdentitiesRefused(t *testing.T) {
	e := startEnv(t)
	if _, _, err := e.a.Creds(natsauth.ServiceIdentity("reporter", e.sc, durable), 0); err == nil {
		t.Fatal("creds for an unknown service: no error (it would be allowed everything)")
	}
	if _, _, err := e.a.Creds(natsauth.Identity{Name: "x", InboxPrefix: "_INBOX.x"}, 0); err == nil {
		t.Fatal("creds without permissions: no error")
	}
	// a wildcard where a name goes would widen the permissions
	for _, id := range []natsauth.Identity{
		natsauth.AgencyIdentity(e.sc, "*"),
		natsauth.AgencyIdentity(e.sc, ">"),
		natsauth.ServiceIdentity(natsauth.Projector, e.sc, "*"),
		natsauth.ServiceIdentity(natsauth.Scheduler, e.sc, ""),
	} {
		if _, _, err := e.a.Creds(id, 0); err == nil {
			t.Fatalf("creds for %q: no error", id.Name)
		} else {
			t.Log(err)
		}
	}
}

// The agency that keeps the directory is granted its events; the grant is
// recorded with the credential.
func TestDirectoryGrant(t *testing.T) {
	e := startEnv(t)
	creds, c, err := e.a.IssueAgency(e.sc, agencyA, natsauth.Directory)
	if err != nil || len(c.Grants) != 1 || c.Grants[0] != natsauth.Directory {
		t.Fatalf("issue with the directory grant: %+v %v", c, err)
	}
	keeper := e.mustConnect(creds)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := keeper.js.Publish(ctx, subj(e, agencyA, events.TypeAgencyMerged), encode(t, mergedEvent(agencyA, agencyB))); err != nil {
		t.Fatalf("the directory's keeper cannot publish a directory event: %v", err)
	}
	noViolations(t, keeper)
	if _, _, err := e.a.IssueAgency(e.sc, agencyA, natsauth.Grant("everything")); err == nil {
		t.Error("an unknown grant was issued")
	}
}
