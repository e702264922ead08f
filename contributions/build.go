package contributions

import (
	"context"
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

// NextSecond waits for the next whole second and returns it, in Vietnam's
// zone. The projection orders an agency's events for a slot by occurred_at,
// which ClickHouse keeps to the second, and then by id, which within a
// second is random: a submission and a withdrawal stamped in the same second
// could end either way. Stamped on a whole second after waiting for it, two
// commands run one after the other always get different seconds, in their
// order.
func NextSecond(ctx context.Context) (time.Time, error) {
	now := time.Now()
	next := now.Truncate(time.Second).Add(time.Second)
	select {
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	case <-time.After(next.Sub(now)):
	}
	return next.In(events.Vietnam), nil
}
