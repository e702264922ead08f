package report

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// Schedule generates every report whose period has closed, once the grace
// after its last day has passed (late events still arrive after a period
// ends), and announces each with a report.generated event. It writes only
// from complete data: while the projector is behind the stream a pass
// writes nothing, and a report is written as of the stream sequence the
// projections had caught up with, which its files and its event name. A
// written report is never left stale: when events arrive after that
// sequence, the next pass regenerates it and rewrites and announces it
// again if its figures changed.
type Schedule struct {
	Kinds []Kind
	// PeriodKinds limits the periods written (month, quarter…) to these;
	// empty: every period each kind is made for (Kinds).
	PeriodKinds []string
	Cutoff      string
	Formats     []string
	Dir         string
	DB          string
	Layouts     Layouts       // the province's outlines, headers and footers
	Grace       time.Duration // after the period's last day
	Lookback    time.Duration // periods that ended longer ago are left alone
	// Refresh regenerates every written report in the lookback at each
	// pass, even when no event arrived since it was written (after an
	// upgrade that changed the layout); unchanged files stay as they are.
	Refresh bool
	// Agency is the reporting agency the events name; empty takes the
	// province from the agency directory.
	Agency string
	// Progress reads the stream's last sequence and how many events up to
	// it the projections lack (consumers.ReadProgress). Required.
	Progress func(context.Context) (seq, behind uint64, err error)
	// Rounds are the collection rounds of agencies' contributions: a report
	// whose round is open (before its deadline, some agency's part not in)
	// is not written unless Partial. Nil: reports do not wait.
	Rounds Rounds
	// Partial writes a report whose round is open, with PartialNotice
	// under its subject; it is rewritten without it once the round closes.
	Partial bool

	// checked holds, per report key, the stream sequence at which a pass
	// last found its files current, so that a later pass regenerates it
	// only when events arrived after that.
	checked map[string]uint64
	// closed holds the reports found current after their round's deadline.
	closed map[string]bool
}

// Rounds tell the scheduler about the collection round of a report: the
// contributions package implements it from its configuration and the
// contributions view (report cannot import it).
type Rounds interface {
	// Deadline is when the parts of kind k's report for p are due; zero
	// when the kind has no round.
	Deadline(k Kind, p Period) time.Time
	// Outstanding is how many asked agencies have a part not in.
	Outstanding(ctx context.Context, st store.Store, db string, k Kind, p Period) (int, error)
}

// PartialNotice is the line under the subject of a report written while n
// agencies' parts were not in and the deadline had not passed.
func PartialNotice(n int, deadline time.Time) string {
	return fmt.Sprintf(partialMark+" còn %d đơn vị chưa gửi nội dung (hạn gửi %s).", n, deadline.Add(-time.Second).In(events.Vietnam).Format("02/01/2006"))
}

// partialMark begins PartialNotice.
const partialMark = "Báo cáo tạm:"

// Waiting is a report held back because its round is open.
type Waiting struct {
	Request     Request
	Outstanding int // agencies with a part not in
	Deadline    time.Time
}

// Pass is what one schedule pass did.
type Pass struct {
	// AsOf is the stream sequence the projections had caught up with.
	AsOf uint64
	// Behind is how many events up to AsOf the projector had yet to
	// acknowledge; when it is not 0 the pass wrote nothing.
	Behind uint64
	// Written are the reports written, new or changed, each announced.
	Written []Request
	// Checked are the written reports regenerated in memory and found
	// unchanged: nothing rewritten, nothing announced.
	Checked []Request
	// Waiting are the reports not written because their round is open
	// (without Partial; a report written before stays as it is).
	Waiting []Waiting
	// Incomplete are the reports written or checked after their round's
	// deadline with agencies' parts still missing, and how many agencies:
	// the sections those parts would fill say what the document's empty
	// line says (Layout.Empty).
	Incomplete map[string]int
	// Unplaced are, for each report written, the contributions and
	// indicators its outline had no place for (Document.Unplaced).
	Unplaced map[string][]Unplaced
	// Missing says why the pass could write nothing yet: ErrNoEvents (the
	// store holds no events) or ErrNoProvince (reports are due but the
	// agency directory lacks the province they are written for). Either
	// is a state to wait out, soon retried, not a failure.
	Missing error
}

// Due lists the reports whose periods have closed by now, oldest first.
func (s Schedule) Due(now time.Time) []Request {
	var out []Request
	first := now.Add(-s.Lookback)
	for y := first.Year() - 1; y <= now.Year(); y++ {
		for _, k := range s.Kinds {
			for _, kind := range Kinds[k] {
				if len(s.PeriodKinds) > 0 && !slices.Contains(s.PeriodKinds, kind) {
					continue
				}
				for n := 1; n <= PeriodsInYear(kind); n++ {
					p := Period{Kind: kind, Cutoff: s.Cutoff, Year: y, Number: n}
					if p.End().Before(first) || !p.Closed(now, s.Grace) {
						continue
					}
					out = append(out, Request{Kind: k, Period: p, Formats: s.Formats, Dir: s.Dir, Layouts: s.Layouts})
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

// Run generates the reports due at now that are missing or may be stale
// and publishes an event for each that is new or changed.
func (s *Schedule) Run(ctx context.Context, st store.Store, now time.Time, publish func(context.Context, events.Event) error) (Pass, error) {
	if s.Progress == nil {
		return Pass{}, errors.New("report: the schedule needs the projector's progress")
	}
	// Read before the data: whatever the queries below see includes every
	// event up to seq.
	seq, behind, err := s.Progress(ctx)
	if err != nil {
		return Pass{}, fmt.Errorf("report: projector progress: %w", err)
	}
	pass := Pass{AsOf: seq, Behind: behind}
	if behind > 0 {
		return pass, nil
	}
	// A period that ends before the first event or begins after the latest
	// has nothing to report: a data folder of past events, as the demo's,
	// served today, or a long lookback over a province whose events start
	// mid-year. A later one is written once events of its days arrive.
	res, err := st.Query(ctx, "SELECT count() AS n, toString(toDate(min(occurred_at))) AS first, toString(toDate(max(occurred_at))) AS last, max(stream_seq) AS seq FROM "+s.DB+".events WHERE type != 'report.generated'")
	if err != nil {
		return pass, fmt.Errorf("report: %w", err)
	}
	row := res.Rows[0]
	if row[0] == "0" {
		pass.Missing = ErrNoEvents
		return pass, nil
	}
	first, err1 := time.Parse(time.DateOnly, row[1])
	last, err2 := time.Parse(time.DateOnly, row[2])
	dataSeq, err3 := strconv.ParseUint(row[3], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return pass, fmt.Errorf("report: the events' bounds %v: %w", row, err)
	}
	if s.checked == nil {
		s.checked = map[string]uint64{}
	}
	type job struct {
		r       Request
		written bool
		asOf    uint64 // named by the files written
	}
	var due []job
	for _, r := range s.Due(now) {
		if r.Period.End().Before(first) || r.Period.Start().After(last) {
			continue
		}
		asOf, written, err := r.Written()
		if err != nil {
			return pass, err
		}
		// The files are current if no event in the store came after the
		// sequence they were found complete at: every event up to it was
		// in the projections then.
		if written && !s.Refresh && dataSeq <= max(asOf, s.checked[r.Key()]) && !s.closing(r, now) {
			continue
		}
		due = append(due, job{r, written, asOf})
	}
	if len(due) == 0 {
		return pass, nil
	}
	// The documents name the province from the directory, whichever
	// agency the events are announced as: without it they would say
	// "tỉnh" where the province's name belongs.
	code, _, err := Province(ctx, st, s.DB)
	if errors.Is(err, ErrNoProvince) {
		pass.Missing = ErrNoProvince
		return pass, nil
	}
	if err != nil {
		return pass, err
	}
	agency := cmp.Or(s.Agency, code)
	// once for every report of this pass
	if _, err := schema.Refresh(ctx, st, s.DB, false); err != nil {
		return pass, fmt.Errorf("report: %w", err)
	}
	for _, j := range due {
		r := j.r
		if s.Rounds != nil {
			hold, err := s.round(ctx, st, &r, now, &pass)
			if err != nil {
				return pass, fmt.Errorf("report %s: round: %w", r.Key(), err)
			}
			if hold {
				continue
			}
		}
		d, err := Load(ctx, st, s.DB, r.Period)
		if err != nil {
			return pass, fmt.Errorf("report %s: %w", r.Key(), err)
		}
		if j.written {
			// The same figures with the sequence the files name give the
			// same bytes: a sequence that moved alone rewrites nothing.
			old := r
			old.AsOf = j.asOf
			same, err := old.Unchanged(d)
			if err != nil {
				return pass, fmt.Errorf("report %s: %w", r.Key(), err)
			}
			if same {
				s.checked[r.Key()] = seq
				s.markClosed(r, now)
				pass.Checked = append(pass.Checked, r)
				continue
			}
		}
		r.AsOf = seq
		files, unplaced, err := r.write(d)
		if err != nil {
			return pass, fmt.Errorf("report %s: %w", r.Key(), err)
		}
		s.checked[r.Key()] = seq
		s.markClosed(r, now)
		pass.Written = append(pass.Written, r)
		if len(unplaced) > 0 {
			if pass.Unplaced == nil {
				pass.Unplaced = map[string][]Unplaced{}
			}
			pass.Unplaced[r.Key()] = unplaced
		}
		if err := publish(ctx, GeneratedEvent(agency, r, files, now)); err != nil {
			return pass, fmt.Errorf("report %s: publish: %w", r.Key(), err)
		}
	}
	return pass, nil
}

// round decides whether r waits for its round: it holds r back while the
// round is open, unless Partial, which marks it with PartialNotice. After
// the deadline r is written as it stands, without the notice; the agencies
// still missing are counted in pass.Incomplete.
func (s *Schedule) round(ctx context.Context, st store.Store, r *Request, now time.Time, pass *Pass) (hold bool, err error) {
	deadline := s.Rounds.Deadline(r.Kind, r.Period)
	if deadline.IsZero() {
		return false, nil
	}
	n, err := s.Rounds.Outstanding(ctx, st, s.DB, r.Kind, r.Period)
	if err != nil || n == 0 {
		return false, err
	}
	switch {
	case !now.Before(deadline):
		if pass.Incomplete == nil {
			pass.Incomplete = map[string]int{}
		}
		pass.Incomplete[r.Key()] = n
		return false, nil
	case s.Partial:
		r.Notice = PartialNotice(n, deadline)
		return false, nil
	}
	pass.Waiting = append(pass.Waiting, Waiting{Request: *r, Outstanding: n, Deadline: deadline})
	return true, nil
}

// closing reports whether r, current by the stream, must still be looked
// at because its round's deadline has passed since it was written partial:
// it loses its notice then, even with no new event. The files say whether
// it was (its Markdown or HTML holds the notice); each report is read once
// per process after its deadline.
func (s *Schedule) closing(r Request, now time.Time) bool {
	if s.Rounds == nil || s.closed[r.Key()] {
		return false
	}
	deadline := s.Rounds.Deadline(r.Kind, r.Period)
	if deadline.IsZero() || now.Before(deadline) {
		return false
	}
	s.markClosed(r, now)
	for _, f := range r.Formats {
		if f != FormatMarkdown && f != FormatHTML {
			continue
		}
		data, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(r.Key()+"."+f)))
		return err != nil || bytes.Contains(data, []byte(partialMark))
	}
	return true // XLSX alone: regenerate once, rewriting nothing unchanged
}

// markClosed notes that r was written or found current after its round's
// deadline.
func (s *Schedule) markClosed(r Request, now time.Time) {
	if s.Rounds == nil {
		return
	}
	if deadline := s.Rounds.Deadline(r.Kind, r.Period); !deadline.IsZero() && !now.Before(deadline) {
		if s.closed == nil {
			s.closed = map[string]bool{}
		}
		s.closed[r.Key()] = true
	}
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
		AsOfSeq: int64(r.AsOf),
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
