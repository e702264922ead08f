package report_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

// pipeline is the scheduler's world: a real NATS stream, a projector run
// only when the test says, a migrated store and the schedule, whose
// report.generated events go to the stream as in production.
type pipeline struct {
	t         *testing.T
	s         store.Store
	db        string
	nats      *natstest.Server
	producer  *producers.Producer
	sched     report.Schedule
	announced []events.Event // by the last pass
}

func newPipeline(t *testing.T, s store.Store) *pipeline {
	t.Helper()
	n := natstest.StartWithStream(t)
	p, err := producers.New(n.JS, producers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close(context.Background()) })
	db := storetest.Migrated(t, s)
	cfg := stream.DefaultConfig()
	return &pipeline{t: t, s: s, db: db, nats: n, producer: p, sched: report.Schedule{PeriodKinds: []string{report.Quarter, report.HalfYear, report.Year}, // the monthly reports: TestScheduleDueMonthly

		Kinds: []report.Kind{report.ProcedureControl, report.Reform}, Cutoff: report.Official,
		Formats: report.AllFormats, Dir: t.TempDir(), DB: db, Grace: 72 * time.Hour, Lookback: 100 * 24 * time.Hour,
		Progress: func(ctx context.Context) (uint64, uint64, error) {
			pr, err := consumers.ReadProgress(ctx, n.JS, cfg.Name, consumers.DefaultDurable)
			return pr.StreamSeq, pr.Behind, err
		},
	}}
}

// publish sends evs to the stream, as agencies do.
func (p *pipeline) publish(evs []events.Event) {
	p.t.Helper()
	ctx := context.Background()
	for _, e := range evs {
		if err := p.producer.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Outcome == producers.Rejected || r.Outcome == producers.Failed {
				p.t.Errorf("publish %s: %v", r.ID, r.Err)
			}
		}); err != nil {
			p.t.Fatal(err)
		}
	}
	if err := p.producer.Flush(ctx); err != nil {
		p.t.Fatal(err)
	}
}

// project runs the projector until it has acknowledged the whole stream,
// then stops it.
func (p *pipeline) project() {
	p.t.Helper()
	proj, err := consumers.New(p.nats.JS, p.s, consumers.Config{DB: p.db}, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		p.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- proj.Run(ctx) }()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		seq, behind, err := p.sched.Progress(ctx)
		if err == nil && behind == 0 && seq > 0 {
			break
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("the projector did not catch up in 2 minutes: %d behind, %v", behind, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		p.t.Fatal(err)
	}
}

// pass runs one schedule pass at now; its announcements go to the stream.
func (p *pipeline) pass(now time.Time, refresh bool) report.Pass {
	p.t.Helper()
	p.announced = nil
	p.sched.Refresh = refresh
	pass, err := p.sched.Run(context.Background(), p.s, now, func(ctx context.Context, e events.Event) error {
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if _, err := events.Decode(data, now); err != nil {
			p.t.Errorf("the scheduler's event is invalid: %v", err)
		}
		p.announced = append(p.announced, e)
		return p.producer.Publish(ctx, e).Err
	})
	if err != nil {
		p.t.Fatal(err)
	}
	return pass
}

func (p *pipeline) path(key, format string) string {
	return filepath.Join(p.sched.Dir, filepath.FromSlash(key+"."+format))
}

var (
	juneNow = time.Date(2024, 6, 20, 9, 0, 0, 0, events.Vietnam)
	// Q1 ended 14/3, Q2 and the six months 14/6 (+ 72 h grace ≤ 20/6).
	q1, q2, h1 = "procedure_control/2024-Q1-official", "procedure_control/2024-Q2-official", "reform/2024-H1-official"
)

// scheduleFeed is early March 2024 of a simulated province, and a dossier
// in June so that Q2 has begun by the latest event.
func scheduleFeed(t *testing.T) []events.Event {
	evs := storetest.Simulated(t, 20_000)
	june := events.New("000.00.01.H23", "H23.JUNE-0001", time.Date(2024, 6, 10, 9, 0, 0, 0, events.Vietnam),
		events.DossierReceived{Procedure: "1.000001", Channel: events.ChannelOnline, DueAt: time.Date(2024, 6, 17, 17, 0, 0, 0, events.Vietnam)})
	june.RecordedAt = june.OccurredAt
	return append(evs, june)
}

// A backfill projected only in part (a crash, a restart) gives no report:
// the pass says how far behind the projector is and writes and announces
// nothing. Once the projector has caught up, the reports are written with
// the full counts and name the stream sequence they are complete up to,
// in each file's metadata and in the event.
func TestScheduleWaitsForTheProjector(t *testing.T) {
	feed := scheduleFeed(t)
	half := len(feed) / 2
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		ctx := context.Background()
		p := newPipeline(t, s)
		p.publish(feed[:half])
		p.project()
		q1Period, _ := report.ParsePeriod("2024-Q1", report.Official)
		partial, err := report.Load(ctx, s, p.db, q1Period)
		if err != nil {
			t.Fatal(err)
		}

		// The rest of the backfill is in the stream, not yet projected.
		p.publish(feed[half:])
		pass := p.pass(juneNow, false)
		if pass.Behind == 0 || len(pass.Written) != 0 || len(p.announced) != 0 {
			t.Fatalf("projector behind: the pass says %d behind, wrote %d reports, announced %d; want behind > 0 and nothing written", pass.Behind, len(pass.Written), len(p.announced))
		}
		if _, err := os.Stat(p.path(q1, report.FormatMarkdown)); !os.IsNotExist(err) {
			t.Fatalf("a report was written from part of the data: %v", err)
		}

		p.project()
		seq, _, err := p.sched.Progress(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pass = p.pass(juneNow, false)
		if pass.Behind != 0 || pass.AsOf != seq || len(pass.Written) != 3 || len(p.announced) != 3 {
			t.Fatalf("caught up: behind %d, as of %d (stream %d), wrote %d, announced %d; want the three reports as of %d", pass.Behind, pass.AsOf, seq, len(pass.Written), len(p.announced), seq)
		}
		full, err := report.Load(ctx, s, p.db, q1Period)
		if err != nil {
			t.Fatal(err)
		}
		if full.Total.ReceivedTotal <= partial.Total.ReceivedTotal {
			t.Fatalf("Q1 has %d dossiers with the whole feed, %d with half: the test shows nothing", full.Total.ReceivedTotal, partial.Total.ReceivedTotal)
		}
		// The files written are those of the whole feed, as of seq.
		want, err := report.Write(report.Request{Kind: report.ProcedureControl, Period: q1Period, Formats: report.AllFormats, Dir: t.TempDir(), AsOf: seq}, full)
		if err != nil {
			t.Fatal(err)
		}
		ev := p.announced[0]
		got := ev.Payload.(events.ReportGenerated)
		if ev.SubjectID != q1 || got.AsOfSeq != int64(seq) {
			t.Fatalf("first announcement: %s as of %d; want %s as of %d", ev.SubjectID, got.AsOfSeq, q1, seq)
		}
		for i, f := range got.Files {
			if f.SHA256 != want[i].SHA256 {
				t.Errorf("%s: the written file is not the report of the whole feed", f.Path)
			}
			data, err := os.ReadFile(filepath.Join(p.sched.Dir, filepath.FromSlash(f.Path)))
			if err != nil {
				t.Fatal(err)
			}
			if asOf, err := report.ReadAsOf(string(f.Format), data); err != nil || asOf != seq {
				t.Errorf("%s names stream sequence %d (%v); want %d", f.Path, asOf, err, seq)
			}
		}
		md, _ := os.ReadFile(p.path(q1, report.FormatMarkdown))
		if !strings.HasPrefix(string(md), "<!-- baocao as_of_seq: ") {
			t.Errorf("the Markdown begins %.60q; want the as_of_seq comment", md)
		}
	})
}

// A written report is never silently stale: a late dossier rewrites and
// announces again the reports whose figures it changes, leaves the others'
// files untouched, and a pass with no new events writes and announces
// nothing, though the stream moved with the announcements. --refresh
// regenerates everything and rewrites nothing that is unchanged.
func TestScheduleRewritesStaleReports(t *testing.T) {
	feed := scheduleFeed(t)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		p := newPipeline(t, s)
		p.publish(feed)
		p.project()
		first := p.pass(juneNow, false)
		if keys := keysOf(first.Written); keys != strings.Join([]string{q1, q2, h1}, " ") || len(p.announced) != 3 {
			t.Fatalf("first pass wrote %s and announced %d; want %s, %s, %s announced", keys, len(p.announced), q1, q2, h1)
		}
		firstEvents := p.announced
		p.project() // the announcements come back through the stream
		if pass := p.pass(juneNow, false); len(pass.Written)+len(pass.Checked) != 0 || len(p.announced) != 0 {
			t.Errorf("second pass wrote %s, checked %s, announced %d; want nothing", keysOf(pass.Written), keysOf(pass.Checked), len(p.announced))
		}
		start := time.Now()
		quiet := p.pass(juneNow, false)
		t.Logf("a quiet pass over 3 written reports took %v", time.Since(start))
		start = time.Now()
		refresh := p.pass(juneNow, true)
		t.Logf("a pass regenerating 3 written reports in memory took %v", time.Since(start))
		if len(quiet.Written)+len(quiet.Checked) != 0 {
			t.Errorf("a quiet pass wrote %s and checked %s", keysOf(quiet.Written), keysOf(quiet.Checked))
		}
		if pass := refresh; len(pass.Checked) != 3 || len(pass.Written) != 0 || len(p.announced) != 0 {
			t.Errorf("refresh wrote %s, checked %s, announced %d; want all three checked, nothing written", keysOf(pass.Written), keysOf(pass.Checked), len(p.announced))
		}
		q1Before, err := os.Stat(p.path(q1, report.FormatHTML))
		if err != nil {
			t.Fatal(err)
		}

		// A dossier received late in May, delivered now, changes Q2 and H1.
		late := events.New("000.00.01.H23", "H23.LATE-0001", time.Date(2024, 5, 20, 10, 0, 0, 0, events.Vietnam),
			events.DossierReceived{Procedure: "1.000001", Channel: events.ChannelOnline, DueAt: time.Date(2024, 5, 27, 17, 0, 0, 0, events.Vietnam)})
		late.RecordedAt = juneNow
		p.publish([]events.Event{late})
		p.project()
		seq, _, err := p.sched.Progress(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		pass := p.pass(juneNow, false)
		if keysOf(pass.Written) != q2+" "+h1 || keysOf(pass.Checked) != q1 || len(p.announced) != 2 {
			t.Fatalf("after a late dossier the pass wrote %s, checked %s and announced %d; want %s and %s rewritten and announced, %s checked", keysOf(pass.Written), keysOf(pass.Checked), len(p.announced), q2, h1, q1)
		}
		for i, e := range p.announced {
			if e.ID == firstEvents[i+1].ID || e.Payload.(events.ReportGenerated).AsOfSeq != int64(seq) {
				t.Errorf("%s announced again with id %s as of %d; want a new id, as of %d", e.SubjectID, e.ID, e.Payload.(events.ReportGenerated).AsOfSeq, seq)
			}
		}
		for _, f := range report.AllFormats {
			data, _ := os.ReadFile(p.path(q2, f))
			if asOf, err := report.ReadAsOf(f, data); err != nil || asOf != seq {
				t.Errorf("the rewritten Q2 %s names %d (%v); want %d", f, asOf, err, seq)
			}
		}
		if q1After, err := os.Stat(p.path(q1, report.FormatHTML)); err != nil || !q1After.ModTime().Equal(q1Before.ModTime()) {
			t.Errorf("Q1, unchanged by the late dossier, was rewritten (%v)", err)
		}

		p.project()
		if pass := p.pass(juneNow, false); len(pass.Written)+len(pass.Checked) != 0 || len(p.announced) != 0 {
			t.Errorf("a pass with no new events wrote %s, checked %s, announced %d; want nothing", keysOf(pass.Written), keysOf(pass.Checked), len(p.announced))
		}
	})
}

// Periods outside the data are never written: with a lookback of three
// years over events from March to June 2024, nothing of 2021–2023 is
// written, and a year later nothing of 2025.
func TestScheduleOnlyPeriodsWithData(t *testing.T) {
	feed := scheduleFeed(t)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		p := newPipeline(t, s)
		p.publish(feed)
		p.project()
		p.sched.Lookback = 3 * 365 * 24 * time.Hour
		pass := p.pass(juneNow, false)
		if keys := keysOf(pass.Written); keys != strings.Join([]string{q1, q2, h1}, " ") {
			t.Errorf("a three-year lookback over data from March 2024 wrote %s; want only %s, %s and %s", keys, q1, q2, h1)
		}
		// A year later the years 2024 have closed and hold the data; the
		// periods of 2025 hold none.
		p.project()
		year := "procedure_control/2024-official reform/2024-official"
		if pass := p.pass(juneNow.AddDate(1, 0, 0), false); keysOf(pass.Written) != year || len(p.announced) != 2 {
			t.Errorf("a year later: wrote %s and announced %d; want only %s", keysOf(pass.Written), len(p.announced), year)
		}
	})
}

func keysOf(rs []report.Request) string {
	var keys []string
	for _, r := range rs {
		keys = append(keys, r.Key())
	}
	return strings.Join(keys, " ")
}
