package report

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/store"
)

// Contribution is an agency's part of a report's section in force: the
// latest submission of the agency for the slot, not withdrawn since
// (queries/13_contributions.sql).
type Contribution struct {
	Kind        Kind
	Agency      string
	AgencyName  string // at the period's end; the code when the directory lacks it
	Section     string
	Paragraphs  []string // baocao's Markdown subset, one paragraph each
	Figures     []events.Figure
	SubmittedAt time.Time
	EventID     string
	Submissions int
}

// ReadContributions reads the contributions in force for period p, of
// report kind k or of every kind when k is "", ordered by kind, section
// and agency.
func ReadContributions(ctx context.Context, st store.Store, db string, k Kind, p Period) ([]Contribution, error) {
	where := fmt.Sprintf("period_kind = %s AND cutoff = %s AND year = %d AND number = %d", store.Quote(p.Kind), store.Quote(p.Cutoff), p.Year, p.Number)
	if k != "" {
		where += " AND report = " + store.Quote(string(k))
	}
	res, err := st.Query(ctx, `SELECT report, agency, section, paragraphs, figures, toString(toUnixTimestamp(submitted_at)), event_id, toString(submissions)
FROM `+db+`.contributions WHERE `+where+` ORDER BY report, section, agency`)
	if err != nil {
		return nil, fmt.Errorf("contributions: %w", err)
	}
	out := make([]Contribution, 0, len(res.Rows))
	for _, r := range res.Rows {
		c := Contribution{Kind: Kind(r[0]), Agency: r[1], Section: r[2], EventID: r[6]}
		if err := json.Unmarshal([]byte(r[3]), &c.Paragraphs); err != nil {
			return nil, fmt.Errorf("contributions: %s %s: paragraphs: %w", r[1], r[2], err)
		}
		if err := json.Unmarshal([]byte(r[4]), &c.Figures); err != nil {
			return nil, fmt.Errorf("contributions: %s %s: figures: %w", r[1], r[2], err)
		}
		// Events stored before the contract refused control characters may
		// carry them; no format copies them (see row.str).
		for i, p := range c.Paragraphs {
			c.Paragraphs[i] = printable(p)
		}
		for i, f := range c.Figures {
			c.Figures[i].Name, c.Figures[i].Unit = printable(f.Name), printable(f.Unit)
			if f.Compare != nil {
				earlier := *f.Compare
				earlier.Label = printable(earlier.Label)
				c.Figures[i].Compare = &earlier
			}
		}
		sec, _ := strconv.ParseInt(r[5], 10, 64)
		c.SubmittedAt = time.Unix(sec, 0).In(events.Vietnam)
		c.Submissions, _ = strconv.Atoi(r[7])
		out = append(out, c)
	}
	return out, nil
}

// OtherIndicator is an indicator.reported figure of kind other ending in
// the period; the outline's sections name the ones they state.
type OtherIndicator struct {
	Name     string
	Value    float64
	Unit     string
	From, To events.Date
	Source   string
}

// Unplaced is a part the document could not put in a section: a
// contribution whose key the outline lacks or whose section takes no
// contributions, or an indicator no section names. It is never printed;
// report and the scheduler name it so the office can fix the outline or ask
// the agency.
type Unplaced struct {
	Agency  string // the contributing agency; "" for an indicator
	Section string // the key the contribution names
	Name    string // the indicator's name
	Reason  string
}

func (u Unplaced) String() string {
	if u.Name != "" {
		return fmt.Sprintf("indicator %q: %s", u.Name, u.Reason)
	}
	return fmt.Sprintf("%s's contribution to %s: %s", u.Agency, u.Section, u.Reason)
}

// loadContributions reads the period's contributions of every kind (one
// query; names and levels come from the directory loadDossiers read) and
// the other indicators ending in it, and orders the contributions as the
// document lists them: by section, the province's own first, then the
// agencies in the form's order (level group, then code).
func (d *Data) loadContributions(ctx context.Context, st store.Store, db string, q func(string) ([]row, error)) error {
	cs, err := ReadContributions(ctx, st, db, "", d.Period)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(cs) > 0 {
		agencies := d.agencies // read by loadDossiers
		if agencies == nil {
			if agencies, err = agenciesAt(q, d.Period.where()); err != nil {
				return err
			}
		}
		for i, c := range cs {
			cs[i].AgencyName = c.Agency
			if a, ok := agencies[c.Agency]; ok && a.str("name") != "" {
				cs[i].AgencyName = a.str("name")
			}
		}
		rank := func(code string) string {
			if code == d.ProvinceCode {
				return "0"
			}
			if a, ok := agencies[code]; ok {
				return "1" + levelOrder(LevelGroup(a.str("level")))
			}
			return "2" // not in the directory at the period's end
		}
		slices.SortStableFunc(cs, func(a, b Contribution) int {
			return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Section, b.Section),
				cmp.Compare(rank(a.Agency), rank(b.Agency)), cmp.Compare(a.Agency, b.Agency))
		})
	}
	d.Contributions = cs
	return nil
}

// Span is a run of running text with its emphasis.
type Span struct {
	Text         string
	Bold, Italic bool
}

// Rich is running text with emphasis: a paragraph an agency wrote.
type Rich []Span

// RichBullets is a dash list of rich items.
type RichBullets []Rich

// SectionFigure is a named figure an agency gave for a section; the
// workbook lists them on a sheet of their own.
type SectionFigure struct {
	Section string // the section's numbered heading
	Agency  string // the agency's name
	Figure  events.Figure
}

func (Rich) block()        {}
func (RichBullets) block() {}

// String is the text without its emphasis.
func (r Rich) String() string {
	var b strings.Builder
	for _, s := range r {
		b.WriteString(s.Text)
	}
	return b.String()
}

// parseInline splits a paragraph of the Markdown subset at its emphasis
// markers: ** toggles bold, * italic (events.MarkdownProblem holds them
// paired). A marker left open by an older event ends with the paragraph.
func parseInline(p string) Rich {
	var out Rich
	var cur strings.Builder
	bold, italic := false, false
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, Span{Text: cur.String(), Bold: bold, Italic: italic})
			cur.Reset()
		}
	}
	for i := 0; i < len(p); i++ {
		if p[i] != '*' {
			cur.WriteByte(p[i])
			continue
		}
		flush()
		if i+1 < len(p) && p[i+1] == '*' {
			bold = !bold
			i++
			continue
		}
		italic = !italic
	}
	flush()
	return out
}

// contributionBlocks are a contribution's paragraphs as blocks (runs of
// "- " paragraphs make one list) and its figures as one list of sentences.
func contributionBlocks(c Contribution) []Block {
	var out []Block
	var list RichBullets
	endList := func() {
		if len(list) > 0 {
			out = append(out, list)
			list = nil
		}
	}
	for _, p := range c.Paragraphs {
		if item, ok := strings.CutPrefix(p, "- "); ok {
			list = append(list, parseInline(item))
			continue
		}
		endList()
		out = append(out, parseInline(p))
	}
	for _, f := range c.Figures {
		list = append(list, Rich{{Text: figureSentence(f)}})
	}
	endList()
	return out
}

// figureSentence states a named figure: "Văn bản QPPL ban hành: 25 văn bản
// (cùng kỳ năm trước: 20 văn bản)".
func figureSentence(f events.Figure) string {
	s := f.Name + ": " + withUnit(FigureValue(f.Value), f.Unit)
	if f.Compare != nil {
		s += " (" + f.Compare.Label + ": " + withUnit(FigureValue(f.Compare.Value), f.Unit) + ")"
	}
	return s + "."
}

func withUnit(v, unit string) string {
	switch unit {
	case "":
		return v
	case "%":
		return v + "%"
	}
	return v + " " + unit
}

// FigureValue writes a submitted value the Vietnamese way with the decimals
// the agency gave, no more and no fewer: 1.317; 4.048,546; 25,6.
func FigureValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	n, _ := strconv.ParseInt(whole, 10, 64)
	out := Int(n)
	if len(whole) > 18 { // beyond int64: group the digits as they are
		out = groupDigits(whole)
	}
	if frac != "" {
		out += "," + frac
	}
	if v < 0 {
		out = "-" + out
	}
	return out
}

func groupDigits(s string) string {
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
