package natsauth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/natsauth"
)

// An attack tries something an identity must not do and says whether it
// achieved it, and on which subject the server must report the violation.
type attack struct {
	name string
	who  string // "agency" (A), or a service
	try  func(e *env, c *client) (subject string, achieved bool)
	// traffic: events the attack publishes legitimately (as B) to see
	// whether a subscription receives them.
	traffic uint64
	// noControl: why the attack fails even with all permissions.
	noControl string
}

func subj(e *env, agency string, t events.Type) string {
	return events.SubjectFor(e.sc.Prefix, agency, t)
}

// publishes tries a JetStream publish (waits for the PubAck).
func publishes(subject func(*env) string, data func(*env) []byte) func(*env, *client) (string, bool) {
	return func(e *env, c *client) (string, bool) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s := subject(e)
		_, err := c.js.Publish(ctx, s, data(e))
		return s, err == nil
	}
}

// listens subscribes to subject, lets agency B publish one event (its
// subject and its inbox see traffic), and says whether anything arrived.
func listens(name string, subject func(*env) string) attack {
	return attack{name: name, who: "agency", traffic: 1, try: listensTo(subject)}
}

func listensTo(subject func(*env) string) func(*env, *client) (string, bool) {
	return func(e *env, c *client) (string, bool) {
		s := subject(e)
		sub, err := c.nc.SubscribeSync(s)
		if err != nil {
			e.t.Fatal(err)
		}
		defer sub.Unsubscribe()
		_ = c.nc.Flush()
		time.Sleep(50 * time.Millisecond) // the server's -ERR, if any, before the traffic
		b := e.agency(agencyB)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if _, err := b.js.Publish(ctx, subj(e, agencyB, events.TypeDossierReceived), encode(e.t, event(agencyB))); err != nil {
			e.t.Fatal(err)
		}
		_, err = sub.NextMsg(500 * time.Millisecond)
		return s, err == nil
	}
}

func api(e *env) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	e.t.Cleanup(cancel)
	return ctx
}

var attacks = []attack{
	{name: "publish as another agency", who: "agency", try: publishes(
		func(e *env) string { return subj(e, agencyB, events.TypeDossierReceived) },
		func(e *env) []byte { return encode(e.t, event(agencyB)) })},
	{name: "publish into the dead letters", who: "agency", try: publishes(
		func(e *env) string { return e.sc.DeadLetterPrefix() + ".projector" },
		func(e *env) []byte { return encode(e.t, event(agencyA)) })},
	{name: "publish a directory event merging another agency away", who: "agency", try: publishes(
		func(e *env) string { return subj(e, agencyA, events.TypeAgencyMerged) },
		func(e *env) []byte { return encode(e.t, mergedEvent(agencyA, agencyB)) })},
	{name: "publish report.generated for itself", who: "agency", try: publishes(
		func(e *env) string { return subj(e, agencyA, events.TypeReportGenerated) },
		func(e *env) []byte { return encode(e.t, reportEvent(agencyA)) })},
	{name: "publish report.generated as the scheduler for another province", who: "agency", try: publishes(
		func(e *env) string { return subj(e, agencyB, events.TypeReportGenerated) },
		func(e *env) []byte { return encode(e.t, reportEvent(agencyB)) })},
	listens("subscribe to another agency's events", func(e *env) string { return events.AgencySubjects(e.sc.Prefix, agencyB) }),
	listens("subscribe to every inbox", func(*env) string { return "_INBOX.>" }),
	listens("subscribe to another agency's inbox", func(*env) string { return natsauth.AgencyInboxPrefix(agencyB) + ".>" }),
	listens("subscribe to everything", func(*env) string { return ">" }),
	{name: "publish into another agency's inbox", who: "agency", try: func(e *env, c *client) (string, bool) {
		b := e.agency(agencyB)
		inbox := natsauth.AgencyInboxPrefix(agencyB) + ".forged"
		sub, err := b.nc.SubscribeSync(inbox)
		if err != nil {
			e.t.Fatal(err)
		}
		_ = b.nc.Flush()
		_ = c.nc.Publish(inbox, []byte(`{"stream":"BAOCAO_EVENTS","seq":1}`))
		_ = c.nc.Flush()
		_, err = sub.NextMsg(500 * time.Millisecond)
		return inbox, err == nil
	}},
	{name: "read stream info", who: "agency", try: func(e *env, c *client) (string, bool) {
		_, err := c.js.Stream(api(e), e.sc.Name)
		return "$JS.API.STREAM.INFO." + e.sc.Name, err == nil
	}},
	{name: "create a consumer on another agency's events", who: "agency", try: func(e *env, c *client) (string, bool) {
		filter := e.sc.Prefix + ".000_00_32_H24.>"
		_, err := c.js.CreateOrUpdateConsumer(api(e), e.sc.Name, jetstream.ConsumerConfig{Durable: "spy", FilterSubject: filter})
		return "$JS.API.CONSUMER.CREATE." + e.sc.Name + ".spy." + filter, err == nil
	}},
	{name: "delete the stream", who: "agency", try: deletesStream},
	{name: "purge the stream", who: "agency", try: purgesStream,
		noControl: "the stream's deny_purge refuses it, and an update cannot cancel deny_purge"},
	{name: "update the stream to expire events after 1s", who: "agency", try: updatesStream},
	{name: "delete the projector's consumer", who: "agency", try: deletesConsumer},
	{name: "projector deletes its own consumer", who: "projector", try: deletesConsumer},
	{name: "projector deletes the stream", who: "projector", try: deletesStream},
	{name: "scheduler deletes the stream", who: "scheduler", try: deletesStream},
	{name: "scheduler deletes the projector's consumer", who: "scheduler", try: deletesConsumer},
	{name: "ingest deletes the stream", who: "ingest", try: deletesStream},
	{name: "ingest publishes report.generated", who: "ingest", try: publishes(
		func(e *env) string { return subj(e, agencyB, events.TypeReportGenerated) },
		func(e *env) []byte { return encode(e.t, reportEvent(agencyB)) })},
	{name: "ingest publishes a directory event", who: "ingest", try: publishes(
		func(e *env) string { return subj(e, agencyA, events.TypeAgencyMerged) },
		func(e *env) []byte { return encode(e.t, mergedEvent(agencyA, agencyB)) })},
	{name: "ingest publishes into the dead letters", who: "ingest", try: publishes(
		func(e *env) string { return e.sc.DeadLetterPrefix() + ".projector" },
		func(e *env) []byte { return encode(e.t, event(agencyA)) })},
}

func deletesStream(e *env, c *client) (string, bool) {
	err := c.js.DeleteStream(api(e), e.sc.Name)
	return "$JS.API.STREAM.DELETE." + e.sc.Name, err == nil
}

// purgesStream sends a purge request.
func purgesStream(e *env, c *client) (string, bool) {
	subject := "$JS.API.STREAM.PURGE." + e.sc.Name
	m, err := c.nc.Request(subject, nil, time.Second)
	return subject, err == nil && !strings.Contains(string(m.Data), `"error"`)
}

// updatesStream shortens the events' max age: JetStream would drop them.
func updatesStream(e *env, c *client) (string, bool) {
	cfg := e.sc.StreamConfig()
	cfg.MaxAge, cfg.Duplicates = time.Second, time.Second
	_, err := c.js.UpdateStream(api(e), cfg)
	return "$JS.API.STREAM.UPDATE." + e.sc.Name, err == nil
}

func deletesConsumer(e *env, c *client) (string, bool) {
	err := c.js.DeleteConsumer(api(e), e.sc.Name, durable)
	return "$JS.API.CONSUMER.DELETE." + e.sc.Name + "." + durable, err == nil
}

// seed puts one event of A and of B in the stream and creates the
// projector's consumer, as admin.
func seed(e *env) {
	e.t.Helper()
	ctx := context.Background()
	for _, code := range []string{agencyA, agencyB} {
		if _, err := e.admin.js.Publish(ctx, subj(e, code, events.TypeDossierReceived), encode(e.t, event(code))); err != nil {
			e.t.Fatal(err)
		}
	}
	if _, err := e.admin.js.CreateOrUpdateConsumer(ctx, e.sc.Name, jetstream.ConsumerConfig{
		Durable: durable, AckPolicy: jetstream.AckExplicitPolicy, FilterSubject: e.sc.Subjects()}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) who(name string) *client {
	if name == "agency" {
		return e.agency(agencyA)
	}
	return e.service(natsauth.Service(name))
}

// TestAttacksRefused runs every attack with the attacker's identity: NATS
// refuses it with a permission violation and nothing is stored or deleted.
// Each attack also runs as admin (all permissions, as any client had before
// authentication) and must succeed there: the attack is real, the refusal
// comes from the identity's permissions.
func TestAttacksRefused(t *testing.T) {
	e := startEnv(t)
	seed(e)
	for _, at := range attacks {
		t.Run(at.name, func(t *testing.T) {
			e.t = t
			before := e.counts()
			c := e.who(at.who)
			subject, achieved := at.try(e, c)
			if achieved {
				t.Fatalf("%s (%s): achieved", at.name, at.who)
			}
			if err := c.violation(subject); err == nil {
				t.Fatalf("%s: no permission violation for %q; async errors: %v", at.name, subject, c.asyncErrors())
			}
			before[0] += at.traffic
			if after := e.counts(); after != before {
				t.Fatalf("%s: stream counts (events, dead letters) %v → %v", at.name, before, after)
			}
			if _, err := e.admin.js.Consumer(context.Background(), e.sc.Name, durable); err != nil {
				t.Fatalf("%s: the projector's consumer: %v", at.name, err)
			}
		})
	}
	t.Run("control: every attack succeeds as admin", func(t *testing.T) {
		for _, at := range attacks {
			if at.noControl != "" {
				t.Logf("%s: no control: %s", at.name, at.noControl)
				continue
			}
			ce := startEnv(t)
			seed(ce)
			subject, achieved := at.try(ce, ce.admin)
			if !achieved {
				t.Errorf("%s: did not succeed with all permissions (async errors %v)", at.name, ce.admin.asyncErrors())
			}
			for _, err := range ce.admin.asyncErrors() {
				if errors.Is(err, nats.ErrPermissionViolation) {
					t.Errorf("%s: admin refused on %s: %v", at.name, subject, err)
				}
			}
		}
	})
}

// TestAgencyPublishesNothingDeeper: an agency's subjects are exactly
// <prefix>.<token>.<family>.<action>; deeper ones would reach the stream
// (it captures <prefix>.>) only to be dead-lettered.
func TestAgencyPublishesNothingDeeper(t *testing.T) {
	e := startEnv(t)
	a := e.agency(agencyA)
	subject := subj(e, agencyA, events.TypeDossierReceived) + ".extra"
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := a.js.Publish(ctx, subject, encode(t, event(agencyA))); err == nil {
		t.Fatal("published on a deeper subject")
	}
	if a.violation(subject) == nil {
		t.Fatalf("no permission violation for %s", subject)
	}
	if n := e.count(e.sc.Name); n != 0 {
		t.Fatalf("stream holds %d", n)
	}
}
