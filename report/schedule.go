package report

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// Schedule generates every report whose period has closed, once the grace
// after its last day has passed (late events still arrive after a period
// ends), and announces each with a report.generated event.
type Schedule struct {
	Kinds    []Kind
	Cutoff   string
	Formats  []string
	Dir      string
	DB       string
	Grace    time.Duration // after the period's last day
	Lookback time.Duration // periods that ended longer ago are left alone
	// Refresh regenerates reports already written, so late events reach
	// them; unchanged figures give unchanged files and no new event.
	Refresh bool
	// Agency is the reporting agency the events name; empty takes the
	// province from the agency directory.
	Agency string
}

// Due lists the reports whose periods have closed by now, oldest first.
func (s Schedule) Due(now time.Time) []Request {
	var out []Request
	first := now.Add(-s.Lookback)
	for y := first.Year() - 1; y <= now.Year(); y++ {
		for _, k := range s.Kinds {
			for _, kind := range Kinds[k] {
				for n := 1; n <= PeriodsInYear(kind); n++ {
					p := Period{Kind: kind, Cutoff: s.Cutoff, Year: y, Number: n}
					if p.End().Before(first) || !p.Closed(now, s.Grace) {
						continue
					}
					out = append(out, Request{Kind: k, Period: p, Formats: s.Formats, Dir: s.Dir})
				}
			}
		}
	}
	return out
}

// PeriodsInYear is the number of periods of kind in a year.
func PeriodsInYear(kind string) int {
	switch kind {
	case Month:
		return 12
	case Quarter:
		return 4
	case HalfYear:
		return 2
	}
	return 1
}

// written reports whether every file of r is in the output folder.
func (r Request) written() bool {
	for _, f := range r.Formats {
		if _, err := os.Stat(filepath.Join(r.Dir, filepath.FromSlash(r.Key()+"."+f))); err != nil {
			return false
		}
	}
	return true
}

// Run generates the reports due at now and publishes an event for each
// that is new or changed. It returns the requests it generated.
func (s Schedule) Run(ctx context.Context, st store.Store, now time.Time, publish func(context.Context, events.Event) error) ([]Request, error) {
	agency := s.Agency
	if agency == "" {
		code, _, err := Province(ctx, st, s.DB)
		if errors.Is(err, ErrNoProvince) {
			return nil, fmt.Errorf("report: %w; set the reporting agency", err)
		}
		if err != nil {
			return nil, err
		}
		agency = code
	}
	// A period that begins after the latest event has nothing to report
	// yet (a data folder of past events, as the demo's, served today); it is
	// written once events of its days arrive.
	res, err := st.Query(ctx, "SELECT toString(toDate(max(occurred_at))) AS last FROM "+s.DB+".events WHERE type != 'report.generated'")
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	last, err := time.Parse(time.DateOnly, res.Rows[0][0])
	if err != nil {
		return nil, fmt.Errorf("report: the latest event's day %q: %w", res.Rows[0][0], err)
	}
	var due []Request
	for _, r := range s.Due(now) {
		if !r.Period.Start().After(last) && (s.Refresh || !r.written()) {
			due = append(due, r)
		}
	}
	if len(due) == 0 {
		return nil, nil
	}
	// once for every report of this run
	if _, err := schema.Refresh(ctx, st, s.DB, false); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var done []Request
	for _, r := range due {
		files, err := generate(ctx, st, s.DB, r)
		if err != nil {
			return done, fmt.Errorf("report %s: %w", r.Key(), err)
		}
		done = append(done, r)
		changed := false
		for _, f := range files {
			changed = changed || f.Changed
		}
		if !changed {
			continue
		}
		if err := publish(ctx, GeneratedEvent(agency, r, files, now)); err != nil {
			return done, fmt.Errorf("report %s: publish: %w", r.Key(), err)
		}
	}
	return done, nil
}

// GeneratedEvent is the report.generated event for r's files. Its id comes
// from the report and the files' hashes: announcing the same files twice
// gives the same event, which the stream and the projections drop.
func GeneratedEvent(agency string, r Request, files []File, now time.Time) events.Event {
	h := sha256.New()
	h.Write([]byte(r.Key()))
	p := events.ReportGenerated{
		Report: events.ReportKind(r.Kind), PeriodKind: events.PeriodKind(r.Period.Kind), Cutoff: events.Cutoff(r.Period.Cutoff),
		Year: r.Period.Year, Number: r.Period.Number, PeriodStart: r.Period.Start(), PeriodEnd: r.Period.End(), Label: r.Period.Label(),
	}
	for _, f := range files {
		h.Write([]byte(f.SHA256))
		p.Files = append(p.Files, events.ReportFile{Format: events.FileFormat(f.Format), Path: f.Path, Bytes: f.Bytes, SHA256: f.SHA256})
	}
	e := events.New(agency, r.Key(), now, p)
	e.RecordedAt = now.In(events.Vietnam).Truncate(time.Millisecond) // the scheduler's clock, also in tests
	// The period's end fixes the id's time part, so the id depends on the
	// report alone.
	id, err := ksuid.FromParts(r.Period.End().Time, h.Sum(nil)[:16])
	if err == nil {
		e.ID = id.String()
	}
	return e
}
