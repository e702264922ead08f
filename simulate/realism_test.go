package simulate

import (
	"context"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
)

// figures are what a six-month report computes from the events.
type figures struct {
	dossiers, received, rejected, online, postal, digitised, reused   int
	fees, paid, paidOnline, forwarded, supplemented, apologies, ended int
	results, late, electronic, returned, rated, satisfied, national   int
	openAtEnd, carriedIntoQ2                                          int
	feedback, feedbackDone, feedbackOverdue                           int
	plans, tasks, reviewPlanned, reviewedInternal, proposedInternal   int
	decisions                                                         map[string]bool
	indicators                                                        map[events.Indicator][]events.IndicatorReported
	events                                                            int
}

func measure(evs []events.Event) figures {
	f := figures{decisions: map[string]bool{}, indicators: map[events.Indicator][]events.IndicatorReported{}}
	type state struct {
		received time.Time
		due      time.Time
		resolved bool
	}
	dossiers := map[string]*state{}
	feedbackDue := map[string]time.Time{}
	q2 := time.Date(2024, 4, 1, 0, 0, 0, 0, events.Vietnam)
	f.events = len(evs)
	for _, e := range evs {
		d := dossiers[e.SubjectID]
		switch p := e.Payload.(type) {
		case events.DossierReceived:
			f.dossiers++
			f.received++
			dossiers[e.SubjectID] = &state{received: e.OccurredAt, due: p.DueAt}
			switch p.Channel {
			case events.ChannelOnline:
				f.online++
			case events.ChannelPostal:
				f.postal++
			}
			if p.ComponentsDigitised > 0 {
				f.digitised++
			}
			if p.ComponentsReused > 0 {
				f.reused++
			}
		case events.DossierRejected:
			f.dossiers++
			f.rejected++
		case events.DossierFeeRequested:
			f.fees++
		case events.DossierFeePaid:
			f.paid++
			if p.Online {
				f.paidOnline++
			}
		case events.DossierForwarded:
			f.forwarded++
		case events.DossierSupplementRequested:
			f.supplemented++
		case events.DossierSupplementSupplied:
			if p.NewDueAt != nil {
				d.due = *p.NewDueAt
			}
		case events.DossierApologyIssued:
			f.apologies++
		case events.DossierStopped, events.DossierWithdrawn:
			f.ended++
			d.resolved = true
		case events.DossierResultIssued:
			f.results++
			d.resolved = true
			if e.OccurredAt.After(d.due) {
				f.late++
			}
			if p.Electronic {
				f.electronic++
			}
			if d.received.Before(q2) && !e.OccurredAt.Before(q2) {
				f.carriedIntoQ2++
			}
		case events.DossierResultReturned:
			f.returned++
		case events.DossierRated:
			f.rated++
			if p.Satisfied {
				f.satisfied++
			}
		case events.FeedbackReceived:
			f.feedback++
			feedbackDue[e.SubjectID] = p.DueAt
		case events.FeedbackAnswered, events.FeedbackRejected:
			f.feedbackDone++
			if e.OccurredAt.After(feedbackDue[e.SubjectID]) {
				f.feedbackOverdue++
			}
		case events.PlanIssued:
			f.plans++
		case events.TaskAssigned:
			f.tasks++
		case events.ProcedureReviewPlanned:
			f.reviewPlanned++
		case events.ProcedureReviewed:
			if p.Internal {
				f.reviewedInternal++
			}
		case events.ProcedureSimplificationProposed:
			if p.Internal {
				f.proposedInternal++
			}
		case events.ProcedurePublished:
			if p.DecisionDate.Year() >= 2024 {
				f.decisions[p.DecisionNo] = true
			}
		case events.ProcedureAmended:
			f.decisions[p.DecisionNo] = true
		case events.ProcedureRepealed:
			f.decisions[p.DecisionNo] = true
		case events.IndicatorReported:
			f.indicators[p.Indicator] = append(f.indicators[p.Indicator], p)
		}
	}
	national := map[string]bool{}
	for _, e := range evs {
		if p, ok := e.Payload.(events.DossierSynced); ok && p.Portal == events.PortalNational {
			national[e.SubjectID] = true
		}
	}
	f.national = len(national)
	for _, d := range dossiers {
		if !d.resolved {
			f.openAtEnd++
		}
	}
	return f
}

// Six months shaped like seed 004 give figures in the ranges real reports
// show and the seeds quote.
func TestRealism(t *testing.T) {
	cfg := DefaultConfig() // the first half of 2024
	cfg.DossiersPerDay = 250
	all, stats := collect(t, cfg)
	f := measure(unique(all))
	ratio := func(name string, num, den int, lo, hi float64) {
		t.Helper()
		r := float64(num) / float64(den)
		t.Logf("%-36s %.3f", name, r)
		if r < lo || r > hi {
			t.Errorf("%s: %d/%d = %.3f; want %.3f–%.3f", name, num, den, r, lo, hi)
		}
	}
	ratio("events per dossier", f.events, int(stats.Dossiers), 8, 10.5)
	ratio("dossiers per working day", f.dossiers, 121*cfg.DossiersPerDay, 0.9, 1.1)
	ratio("online", f.online, f.received, 0.40, 0.60)
	ratio("postal", f.postal, f.received, 0.02, 0.06)
	ratio("digitised", f.digitised, f.received, 0.70, 0.85)
	ratio("reused", f.reused, f.received, 0.35, 0.55)
	ratio("rejected at intake", f.rejected, f.dossiers, 0.01, 0.02)
	ratio("forwarded", f.forwarded, f.received, 0.03, 0.07)
	ratio("supplement requests", f.supplemented, f.received, 0.08, 0.14)
	ratio("with fees", f.fees, f.received, 0.35, 0.50)
	ratio("paid online", f.paidOnline, f.paid, 0.38, 0.52)
	ratio("apologies", f.apologies, f.received, 0.01, 0.035)
	ratio("withdrawn or stopped", f.ended, f.received, 0.005, 0.025)
	ratio("resolved", f.results, f.received, 0.85, 0.97)
	ratio("late", f.late, f.results, 0.02, 0.05)
	ratio("electronic results", f.electronic, f.results, 0.60, 0.90)
	ratio("returned", f.returned, f.results, 0.93, 0.99)
	ratio("rated", f.rated, f.received, 0.25, 0.35)
	ratio("satisfied", f.satisfied, f.rated, 0.85, 0.95)
	ratio("synced to the national portal", f.national, f.received, 0.93, 0.97)
	if f.openAtEnd == 0 || f.carriedIntoQ2 == 0 {
		t.Errorf("%d dossiers open at the end, %d received in Q1 and resolved in Q2", f.openAtEnd, f.carriedIntoQ2)
	}
	// Seed 004: 192 new feedback items, most done, a few overdue.
	ratio("feedback", f.feedback, 182, 0.9, 1.5)
	ratio("feedback completed", f.feedbackDone, f.feedback, 0.8, 1)
	ratio("feedback overdue", f.feedbackOverdue, f.feedbackDone, 0.01, 0.12)
	// 55 decisions on the catalogue in six months; 3 plans, 57 + 40 + 78
	// tasks; 63 + 43 procedures in review plans, 11 of 43 internal ones
	// with a simplification proposal.
	ratio("decisions", len(f.decisions), 55, 0.7, 1.3)
	if f.plans != 3 || f.tasks != 57+40+78 {
		t.Errorf("%d plans with %d tasks", f.plans, f.tasks)
	}
	ratio("review planned", f.reviewPlanned, 63+43, 0.95, 1.1)
	ratio("internal simplification proposals", f.proposedInternal, f.reviewedInternal, 0.1, 0.45)
	par, sipas := f.indicators[events.IndicatorPARIndex], f.indicators[events.IndicatorSIPAS]
	if len(par) != 1 || par[0].Value != 91.87 || par[0].Rank != 2 || len(sipas) != 1 || sipas[0].Value != 88.90 || sipas[0].Rank != 5 {
		t.Errorf("PAR Index %+v, SIPAS %+v", par, sipas)
	}
	press := 0.0
	for _, p := range f.indicators[events.IndicatorPressItems] {
		press += p.Value
	}
	if n := len(f.indicators[events.IndicatorPressItems]); n != 6 || press < 900 || press > 1400 {
		t.Errorf("%d monthly press counts, %v items; seed 004 says about 1.150", n, press)
	}
}

func BenchmarkRun(b *testing.B) {
	cfg := DefaultConfig()
	cfg.To = events.NewDate(2024, 1, 31)
	var n, dossiers int64
	start := time.Now()
	for b.Loop() {
		stats, err := Run(context.Background(), cfg, func(events.Event) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		n += stats.Events
		dossiers += stats.Dossiers
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
	b.ReportMetric(float64(n)/float64(dossiers), "events/dossier")
}

func BenchmarkWriteJSONL(b *testing.B) {
	cfg := DefaultConfig()
	cfg.To = events.NewDate(2024, 1, 31)
	var n int64
	var w countingWriter
	start := time.Now()
	for b.Loop() {
		stats, err := WriteJSONL(context.Background(), cfg, &w)
		if err != nil {
			b.Fatal(err)
		}
		n += stats.Events
	}
	el := time.Since(start).Seconds()
	b.ReportMetric(float64(n)/el, "events/s")
	b.ReportMetric(float64(w)/el/1e6, "MB/s")
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
