package contributions

import (
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
)

// Slot is what a contribution is for: a report of a kind and period, and a
// section of its outline.
type Slot struct {
	Kind    report.Kind
	Period  report.Period
	Section string
}

// Submission is the contribution.submitted event of agency for slot, at time
// at (the submission's occurred_at), validated with now as the clock.
func Submission(agency string, s Slot, d Draft, at, now time.Time) (events.Event, error) {
	p := events.ContributionSubmitted{
		Report: events.ReportKind(s.Kind), PeriodKind: events.PeriodKind(s.Period.Kind), Cutoff: events.Cutoff(s.Period.Cutoff),
		Year: s.Period.Year, Number: s.Period.Number, Section: s.Section, Paragraphs: d.Paragraphs, Figures: d.Figures,
	}
	e := events.New(agency, p.Slot(), at, p)
	return e, e.Validate(now)
}

// Withdrawal is the contribution.withdrawn event of agency for slot.
func Withdrawal(agency string, s Slot, reason string, at, now time.Time) (events.Event, error) {
	p := events.ContributionWithdrawn{
		Report: events.ReportKind(s.Kind), PeriodKind: events.PeriodKind(s.Period.Kind), Cutoff: events.Cutoff(s.Period.Cutoff),
		Year: s.Period.Year, Number: s.Period.Number, Section: s.Section, Reason: reason,
	}
	e := events.New(agency, p.Slot(), at, p)
	return e, e.Validate(now)
}
