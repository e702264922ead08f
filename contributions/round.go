package contributions

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// A collection round: for a report kind and period, the agencies asked for
// their part, by when, and what each has sent.
//
// Each asked agency owes one part, the report as a whole: any contribution
// it has in force, in any section, is its answer. That is how the round goes
// on paper — the Department of Home Affairs asks every department and
// district for "its report" following the outline, and each writes the
// sections it has something for — and it keeps the state to one cell per
// agency instead of 35 agencies × 25 sections of which most are not theirs.
// Where a section has an agency responsible for it (the Department of
// Justice for the institutions, Finance for public finance), Sections
// assigns it: that agency then also owes a part for the section and those
// under it, which only a contribution there answers.

// Levels of the directory an asked list may name, besides agency codes.
const (
	AskDepartments = "department"
	AskDistricts   = "district"
	AskCommunes    = "commune"
)

// DefaultDeadlineDays is how many days after its period's last day a part
// is due. The official periods (Nghị định 09/2019) end on the 14th; the
// province's report is due around the 20th (the date Thông tư 01/2020/TT-VPCP
// is implemented with for the KSTTHC reports, and the one Bộ Nội vụ's
// six-month reform reports follow); the office needs the parts a couple of
// days before to merge them: the 18th, 4 days after the 14th. The circular's
// appendix could not be read here (../shared/FORMS.md): configurable.
const DefaultDeadlineDays = 4

// Round is who is asked for a kind's report, and by when.
type Round struct {
	// Asked are directory levels (department, district, commune) and
	// agency codes; every agency of a level named, existing at the period's
	// end, is asked. Empty: departments and districts — communes report to
	// their district, which answers for them.
	Asked []string
	// DeadlineDays is the deadline in days after the period's last day: a
	// part is on time when submitted by the end of that day, Vietnam time.
	DeadlineDays int
	// Sections assigns sections to the agencies responsible for them, each
	// owing that part besides the report as a whole.
	Sections []Assignment
}

// Assignment asks agencies for a section and the sections under it.
type Assignment struct {
	Section  string   // a section key of the kind's outline
	Agencies []string // agency codes
}

// Rounds are the rounds of each report kind; a kind without one has
// DefaultRound's.
type Rounds map[report.Kind]Round

// DefaultRound asks departments and districts, DefaultDeadlineDays after
// the period, for the report as a whole.
func DefaultRound() Round {
	return Round{Asked: []string{AskDepartments, AskDistricts}, DeadlineDays: DefaultDeadlineDays}
}

// For is kind k's round.
func (rs Rounds) For(k report.Kind) Round {
	if r, ok := rs[k]; ok {
		return r
	}
	return DefaultRound()
}

// ParseAssignment reads "results.institutions=000.00.31.H23,000.00.40.H23".
func ParseAssignment(s string) (Assignment, error) {
	key, list, ok := strings.Cut(s, "=")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return Assignment{}, fmt.Errorf("%q: want section=agency code[,agency code…]", s)
	}
	a := Assignment{Section: key}
	for _, c := range strings.Split(list, ",") {
		if c = strings.TrimSpace(c); c != "" {
			a.Agencies = append(a.Agencies, c)
		}
	}
	if len(a.Agencies) == 0 {
		return Assignment{}, fmt.Errorf("%q: no agency code after =", s)
	}
	return a, nil
}

// Check validates r against the kind's outline: every asked entry a level
// or an agency code, the deadline not negative, every assigned section one
// of the outline that contributions fill (or has such sections under it).
func (r Round) Check(o *report.Outline) error {
	for _, a := range r.Asked {
		switch a {
		case AskDepartments, AskDistricts, AskCommunes:
			continue
		}
		// A lower-case word is a level misspelt, not an agency code
		// (codes carry digits or capitals: 000.00.31.H23).
		if levelWord.MatchString(a) {
			return fmt.Errorf("asked %q: want department, district, commune or an agency code", a)
		}
		if err := events.ValidAgencyCode(a); err != nil {
			return fmt.Errorf("asked %q: want department, district, commune or an agency code: %w", a, err)
		}
	}
	if r.DeadlineDays < 0 || r.DeadlineDays > 366 {
		return fmt.Errorf("deadline %d days: want 0–366 days after the period's end", r.DeadlineDays)
	}
	for _, as := range r.Sections {
		filled := false
		for _, s := range o.Sections {
			if s.Contributions && under(s.Key, as.Section) {
				filled = true
			}
		}
		if !filled {
			return fmt.Errorf("section %q: no section of %s that contributions fill is or is under it", as.Section, o.Source)
		}
		for _, c := range as.Agencies {
			if err := events.ValidAgencyCode(c); err != nil {
				return fmt.Errorf("section %q: agency %q: %w", as.Section, c, err)
			}
		}
	}
	return nil
}

var levelWord = regexp.MustCompile(`^[a-z_-]+$`)

// under reports whether section key is prefix or a section under it; ""
// is the report as a whole.
func under(key, prefix string) bool {
	return prefix == "" || key == prefix || strings.HasPrefix(key, prefix+".")
}

// Deadline is the moment p's parts are due: the start of the day after the
// last day of grace, Vietnam time.
func (r Round) Deadline(p report.Period) time.Time {
	end := p.End()
	return time.Date(end.Year(), end.Month(), end.Day()+r.DeadlineDays+1, 0, 0, 0, 0, events.Vietnam)
}

// State of an agency's part.
type State string

const (
	Submitted State = "submitted" // in force, submitted by the deadline
	Missing   State = "missing"   // none in force, the deadline not passed
	Late      State = "late"      // submitted after the deadline, or none in force after it
)

// Part is one part an agency owes and where it stands.
type Part struct {
	Section     string // "" for the report as a whole
	State       State
	SubmittedAt time.Time // the earliest submission in force under it; zero when none
	Sections    []string  // the sections it has in force under it
}

// Agency is one asked agency and its parts, in the order of Status.Parts;
// a part it does not owe has no State.
type Agency struct {
	Code, Name, Level string
	Parts             []Part
}

// In reports whether every part the agency owes is in force.
func (a Agency) In() bool {
	for _, p := range a.Parts {
		if p.State != "" && p.SubmittedAt.IsZero() {
			return false
		}
	}
	return true
}

// State is the agency's state as a whole: missing or late when a part is,
// late when one came in late, else submitted.
func (a Agency) State() State {
	s := Submitted
	for _, p := range a.Parts {
		switch {
		case p.State == Missing:
			return Missing
		case p.State == Late:
			s = Late
		}
	}
	return s
}

// Status is the state of a round at a moment.
type Status struct {
	Kind     report.Kind
	Period   report.Period
	Deadline time.Time
	At       time.Time // the moment the states are for
	// Parts are the columns: "" (the report as a whole), then the assigned
	// sections in the configuration's order.
	Parts    []string
	Agencies []Agency // the asked, departments, then districts, then communes, by code
	// Others are agencies not asked that have contributions in force (the
	// province's own office, say), with their sections.
	Others []Agency
}

// Open reports whether the round is still open at s.At: before the
// deadline, with some part not in.
func (s *Status) Open() bool { return s.At.Before(s.Deadline) && len(s.Outstanding()) > 0 }

// Outstanding are the asked agencies with a part not in force.
func (s *Status) Outstanding() []Agency {
	var out []Agency
	for _, a := range s.Agencies {
		if !a.In() {
			out = append(out, a)
		}
	}
	return out
}

// Counts are how many asked agencies are in on time, in late, and not in.
func (s *Status) Counts() (onTime, late, missing int) {
	for _, a := range s.Agencies {
		switch {
		case !a.In():
			missing++
		case a.State() == Late:
			late++
		default:
			onTime++
		}
	}
	return
}

// Load reads the round of kind k and period p as it stands at the moment
// at: the directory at the period's end and the contributions in force, in
// one query over the views period_agencies and contributions.
func (r Round) Load(ctx context.Context, st store.Store, db string, k report.Kind, p report.Period, at time.Time) (*Status, error) {
	// The agencies existing at the period's end, with the name and level
	// then in force; then the contributions in force. Every column a
	// String, so that both SELECTs agree on 18.16.
	q := fmt.Sprintf(`SELECT 'a' AS row_kind, agency, agency_name, toString(level) AS agency_level, '' AS section_key, '0' AS at
FROM %[1]s.period_agencies
WHERE kind = %[2]s AND cutoff = %[3]s AND year = %[4]d AND number = %[5]d
UNION ALL
SELECT 'c' AS row_kind, agency, '' AS agency_name, '' AS agency_level, section AS section_key, toString(toUnixTimestamp(submitted_at)) AS at
FROM %[1]s.contributions
WHERE report = %[6]s AND period_kind = %[2]s AND cutoff = %[3]s AND year = %[4]d AND number = %[5]d`,
		db, store.Quote(p.Kind), store.Quote(p.Cutoff), p.Year, p.Number, store.Quote(string(k)))
	res, err := st.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("contributions: round %s %s: %w", k, p, err)
	}
	type dir struct{ name, level string }
	directory := map[string]dir{}
	contributed := map[string]map[string]time.Time{} // agency → section → submitted at
	for _, row := range res.Rows {
		if row[0] == "a" {
			directory[row[1]] = dir{row[2], row[3]}
			continue
		}
		sec, err := strconv.ParseInt(row[5], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("contributions: round %s %s: submitted_at %q: %w", k, p, row[5], err)
		}
		if contributed[row[1]] == nil {
			contributed[row[1]] = map[string]time.Time{}
		}
		contributed[row[1]][row[4]] = time.Unix(sec, 0).In(events.Vietnam)
	}

	s := &Status{Kind: k, Period: p, Deadline: r.Deadline(p), At: at, Parts: []string{""}}
	owes := map[string][]string{} // agency → assigned sections
	for _, as := range r.Sections {
		s.Parts = append(s.Parts, as.Section)
		for _, c := range as.Agencies {
			owes[c] = append(owes[c], as.Section)
		}
	}
	asked := func(code string, d dir) bool {
		return slices.Contains(r.asked(), d.level) || slices.Contains(r.asked(), code) || owes[code] != nil
	}
	agency := func(code string, d dir, isAsked bool) Agency {
		a := Agency{Code: code, Name: d.name, Level: d.level}
		for _, part := range s.Parts {
			pt := Part{Section: part}
			for key, t := range contributed[code] {
				if under(key, part) {
					pt.Sections = append(pt.Sections, key)
					if pt.SubmittedAt.IsZero() || t.Before(pt.SubmittedAt) {
						pt.SubmittedAt = t
					}
				}
			}
			slices.Sort(pt.Sections)
			if isAsked && (part == "" || slices.Contains(owes[code], part)) {
				switch {
				case !pt.SubmittedAt.IsZero() && pt.SubmittedAt.Before(s.Deadline):
					pt.State = Submitted
				case !pt.SubmittedAt.IsZero() || !at.Before(s.Deadline):
					pt.State = Late
				default:
					pt.State = Missing
				}
			}
			a.Parts = append(a.Parts, pt)
		}
		return a
	}
	for code, d := range directory {
		if d.level != "province" && asked(code, d) {
			s.Agencies = append(s.Agencies, agency(code, d, true))
		}
	}
	// An agency asked by code or assigned a section that the directory
	// lacks is still asked: a typo shows as an unnamed row, not as nobody.
	for _, code := range append(slices.Clone(r.asked()), keys(owes)...) {
		_, known := directory[code]
		_, isLevel := levelRank[code]
		if !known && !isLevel && !slices.ContainsFunc(s.Agencies, func(a Agency) bool { return a.Code == code }) {
			s.Agencies = append(s.Agencies, agency(code, dir{}, true))
		}
	}
	for code := range contributed {
		if !slices.ContainsFunc(s.Agencies, func(a Agency) bool { return a.Code == code }) {
			s.Others = append(s.Others, agency(code, directory[code], false))
		}
	}
	sortAgencies(s.Agencies)
	sortAgencies(s.Others)
	return s, nil
}

func (r Round) asked() []string {
	if len(r.Asked) == 0 {
		return DefaultRound().Asked
	}
	return r.Asked
}

func keys(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var levelRank = map[string]int{"province": 0, AskDepartments: 1, AskDistricts: 2, AskCommunes: 3}

// sortAgencies orders agencies as the report's form does: province level,
// districts, communes, each by code; unknown agencies last.
func sortAgencies(as []Agency) {
	rank := func(l string) int {
		if r, ok := levelRank[l]; ok {
			return r
		}
		return 4
	}
	slices.SortFunc(as, func(a, b Agency) int {
		if c := rank(a.Level) - rank(b.Level); c != 0 {
			return c
		}
		return strings.Compare(a.Code, b.Code)
	})
}

// Deadline is kind k's deadline for p, for report.Schedule.
func (rs Rounds) Deadline(k report.Kind, p report.Period) time.Time {
	return rs.For(k).Deadline(p)
}

// Outstanding is how many asked agencies have a part not in force, for
// report.Schedule.
func (rs Rounds) Outstanding(ctx context.Context, st store.Store, db string, k report.Kind, p report.Period) (int, error) {
	s, err := rs.For(k).Load(ctx, st, db, k, p, time.Now())
	if err != nil {
		return 0, err
	}
	return len(s.Outstanding()), nil
}

// Check validates every round against its kind's layout.
func (rs Rounds) Check(layouts report.Layouts) error {
	for k, r := range rs {
		if err := r.Check(layouts.For(k).Outline); err != nil {
			return fmt.Errorf("round of %s: %w", k, err)
		}
	}
	return nil
}
