package events

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ---- Contributions (subject_id: the slot, <report>/<period_kind>/<cutoff>/<year>-<number>/<section>) ----
//
// An agency's part of a report: the text and figures of one section, which
// the province office would otherwise collect by official letter. The slot is
// the report's key as report.generated names it (reform/half_year/official/2024-1)
// followed by the section key, so a contribution's subject says which report
// and section it belongs to; with the envelope's agency it is what the
// projection keys on. The latest submission of an agency for a slot wins, by
// (occurred_at, id); a withdrawal later than it removes it.

// Bounds of a contribution.
const (
	MaxSectionKeyLen         = 64
	MaxContributionParagraph = 2000 // characters of one paragraph
	MaxContributionParas     = 100
	MaxContributionText      = 32000 // bytes of all paragraphs together
	MaxContributionFigures   = 50
	MaxFigureNameLen         = 200
	MaxFigureUnitLen         = 32
	MaxFigureLabelLen        = 64
)

// SectionKeyPattern is the syntax of a section key: stable ASCII slugs, a
// dot-separated path, independent of the numbering a province gives sections.
const SectionKeyPattern = `^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$`

// ContributionSubmitted: an agency submits (or resubmits, replacing it) its
// part of a report's section. occurred_at is the submission time.
type ContributionSubmitted struct {
	Report     ReportKind `json:"report"`
	PeriodKind PeriodKind `json:"period_kind"`
	Cutoff     Cutoff     `json:"cutoff"`
	Year       int        `json:"year" jsonschema:"minimum=2000,maximum=2100"`
	Number     int        `json:"number" jsonschema:"minimum=1,maximum=12" jsonschema_description:"The month, quarter or half of the year; 1 for nine_months and year"`
	Section    string     `json:"section" jsonschema:"pattern=^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$,maxLength=64" jsonschema_description:"Section key of the report kind's outline, e.g. results.institutions"`
	Paragraphs []string   `json:"paragraphs" jsonschema:"minItems=1,maxItems=100" jsonschema_description:"Paragraphs in baocao's Markdown subset: one line each, at most 2000 characters; a paragraph starting with '- ' is a bullet; **bold** and *italic*; no HTML, links, images, headings, code or other block markup. All paragraphs together at most 32000 bytes"`
	Figures    []Figure   `json:"figures,omitempty" jsonschema:"maxItems=50" jsonschema_description:"Named figures the section states; names unique"`
}

// Figure is one named figure of a contribution, e.g. "Văn bản QPPL ban hành"
// 25 "văn bản", compared with 20 in "6 tháng đầu năm 2023".
type Figure struct {
	Name    string            `json:"name" jsonschema:"maxLength=200"`
	Value   float64           `json:"value"`
	Unit    string            `json:"unit,omitempty" jsonschema:"maxLength=32" jsonschema_description:"e.g. văn bản, %, hồ sơ; empty for a plain count"`
	Compare *FigureComparison `json:"compare,omitempty"`
}

// FigureComparison is the same figure in an earlier period.
type FigureComparison struct {
	Label string  `json:"label" jsonschema:"maxLength=64" jsonschema_description:"The earlier period, e.g. 6 tháng đầu năm 2023"`
	Value float64 `json:"value"`
}

// ContributionWithdrawn: the agency withdraws its part of a section; a later
// submission brings one back.
type ContributionWithdrawn struct {
	Report     ReportKind `json:"report"`
	PeriodKind PeriodKind `json:"period_kind"`
	Cutoff     Cutoff     `json:"cutoff"`
	Year       int        `json:"year" jsonschema:"minimum=2000,maximum=2100"`
	Number     int        `json:"number" jsonschema:"minimum=1,maximum=12"`
	Section    string     `json:"section" jsonschema:"pattern=^[a-z][a-z0-9_]*([.][a-z][a-z0-9_]*)*$,maxLength=64"`
	Reason     string     `json:"reason,omitempty"`
}

func (ContributionSubmitted) EventType() Type { return TypeContributionSubmitted }
func (ContributionWithdrawn) EventType() Type { return TypeContributionWithdrawn }

// ContributionSlot is the subject_id of a contribution event.
func ContributionSlot(r ReportKind, k PeriodKind, c Cutoff, year, number int, section string) string {
	return string(r) + "/" + string(k) + "/" + string(c) + "/" + strconv.Itoa(year) + "-" + strconv.Itoa(number) + "/" + section
}

// Slot is the subject_id the submission must carry.
func (p ContributionSubmitted) Slot() string {
	return ContributionSlot(p.Report, p.PeriodKind, p.Cutoff, p.Year, p.Number, p.Section)
}

// Slot is the subject_id the withdrawal must carry.
func (p ContributionWithdrawn) Slot() string {
	return ContributionSlot(p.Report, p.PeriodKind, p.Cutoff, p.Year, p.Number, p.Section)
}

func (p ContributionSubmitted) check(c *checker, e *Event) {
	checkSlot(c, e, p.PeriodKind, p.Number, p.Section, p.Slot())
	total := 0
	for i, para := range p.Paragraphs {
		field := indexed("paragraphs", i)
		total += len(para)
		if n := utf8.RuneCountInString(para); n > MaxContributionParagraph {
			c.failf(field, "%d characters; the limit is %d", n, MaxContributionParagraph)
		} else if strings.TrimSpace(para) == "" {
			c.failf(field, "empty")
		} else if msg := MarkdownProblem(para); msg != "" {
			c.failf(field, "%s", msg)
		}
	}
	if len(p.Paragraphs) > MaxContributionParas {
		c.failf("paragraphs", "%d paragraphs; the limit is %d", len(p.Paragraphs), MaxContributionParas)
	}
	if total > MaxContributionText {
		c.failf("paragraphs", "%d bytes of text; the limit is %d", total, MaxContributionText)
	}
	if len(p.Figures) > MaxContributionFigures {
		c.failf("figures", "%d figures; the limit is %d", len(p.Figures), MaxContributionFigures)
	}
	seen := map[string]int{}
	for i, f := range p.Figures {
		field := indexed("figures", i)
		maxLen(c, join(field, "name"), f.Name, MaxFigureNameLen)
		maxLen(c, join(field, "unit"), f.Unit, MaxFigureUnitLen)
		if j, dup := seen[f.Name]; dup {
			c.failf(join(field, "name"), "%q again: figures[%d] has that name already", clip(f.Name), j)
		} else {
			seen[f.Name] = i
		}
		finite(c, join(field, "value"), f.Value)
		if f.Compare != nil {
			maxLen(c, join(field, "compare.label"), f.Compare.Label, MaxFigureLabelLen)
			finite(c, join(field, "compare.value"), f.Compare.Value)
		}
	}
}

func (p ContributionWithdrawn) check(c *checker, e *Event) {
	checkSlot(c, e, p.PeriodKind, p.Number, p.Section, p.Slot())
}

// checkSlot holds the rules both contribution types share: a section key of
// the right syntax, a period number its kind has, and the subject_id that
// names exactly that slot (the projection keys on it).
func checkSlot(c *checker, e *Event, kind PeriodKind, number int, section, slot string) {
	if msg := SectionKeyProblem(section); msg != "" {
		c.failf("section", "%s", msg)
	}
	if n := periodsPerYear[kind]; number > n && n > 0 {
		c.failf("number", "%d is more than the %d period(s) of kind %s in a year", number, n, kind)
	}
	if e.SubjectID != slot && c.err() == nil {
		c.errs = append(c.errs, FieldError{Field: "subject_id", Reason: fmt.Sprintf("%q is not the contribution's slot %q (<report>/<period_kind>/<cutoff>/<year>-<number>/<section>)", clip(e.SubjectID), slot)})
	}
}

// SectionKeyProblem says why s is not a section key, or "".
func SectionKeyProblem(s string) string {
	if len(s) > MaxSectionKeyLen {
		return fmt.Sprintf("%d characters; the limit is %d", len(s), MaxSectionKeyLen)
	}
	for _, part := range strings.Split(s, ".") {
		if part == "" || part[0] < 'a' || part[0] > 'z' {
			return fmt.Sprintf("%q is not a section key: dot-separated parts, each a lowercase ASCII letter then letters, digits or _ (e.g. results.institutions)", clip(s))
		}
		for i := 1; i < len(part); i++ {
			if b := part[i]; !(b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_') {
				return fmt.Sprintf("%q is not a section key: dot-separated parts, each a lowercase ASCII letter then letters, digits or _ (e.g. results.institutions)", clip(s))
			}
		}
	}
	return ""
}

func maxLen(c *checker, field, s string, limit int) {
	if n := utf8.RuneCountInString(s); n > limit {
		c.failf(field, "%d characters; the limit is %d", n, limit)
	}
}

func finite(c *checker, field string, v float64) {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		c.failf(field, "not a finite number")
	}
}

// MarkdownProblem says why a paragraph is outside baocao's Markdown subset,
// or "". The subset is what every report format can render faithfully and
// escape safely: plain text, a leading "- " for a bullet, **bold** and
// *italic*. Everything else a Markdown renderer would interpret is refused
// rather than passed through: raw HTML, links and images, headings, block
// quotes, other list markers, code, tables.
func MarkdownProblem(p string) string {
	t := strings.TrimLeft(p, " ")
	if t != p {
		return "leading spaces are not allowed (they would make a code block)"
	}
	switch {
	case strings.HasPrefix(t, "#"):
		return "headings are not allowed: the outline gives the sections their titles"
	case strings.HasPrefix(t, ">"):
		return "block quotes are not allowed"
	case strings.HasPrefix(t, "* "), strings.HasPrefix(t, "+ "):
		return "bullets are written '- '"
	case strings.HasPrefix(t, "|"):
		return "tables are not allowed: give figures instead"
	case orderedMarker(t):
		return "numbered lists are not allowed: write bullets '- ' or number the text yourself without a '.' or ')' after the number"
	}
	if t == "-" || strings.HasPrefix(t, "- ") && strings.TrimSpace(t[2:]) == "" {
		return "empty bullet"
	}
	if strings.Trim(t, "-_*= ") == "" {
		return "a line of only - _ * = is not allowed (Markdown reads it as a rule or a heading underline)"
	}
	body := strings.TrimPrefix(t, "- ")
	switch {
	case strings.HasPrefix(body, "- "), strings.HasPrefix(body, "* "), strings.HasPrefix(body, "+ "), orderedMarker(body):
		return "nested lists are not allowed"
	case strings.HasPrefix(body, "[ ]"), strings.HasPrefix(body, "[x]"), strings.HasPrefix(body, "[X]"):
		return "task-list boxes are not allowed"
	}
	for i := 0; i < len(body); i++ {
		switch b := body[i]; b {
		case '<':
			if i+1 < len(body) && (isASCIILetter(body[i+1]) || body[i+1] == '/' || body[i+1] == '!' || body[i+1] == '?') {
				return fmt.Sprintf("raw HTML is not allowed (at offset %d)", utf8.RuneCountInString(p[:len(p)-len(body)+i]))
			}
		case '`':
			return "code (`) is not allowed"
		case '!':
			if i+1 < len(body) && body[i+1] == '[' {
				return "images are not allowed"
			}
		case ']':
			if i+1 < len(body) && (body[i+1] == '(' || body[i+1] == '[' || body[i+1] == ':') {
				return "links are not allowed"
			}
		case '\\':
			return "backslash escapes are not allowed"
		case '_':
			return "underscores are not allowed (Markdown may read them as emphasis): write *italic* or **bold**"
		case '~':
			if i+1 < len(body) && body[i+1] == '~' {
				return "strikethrough (~~) is not allowed"
			}
		case '&':
			if entity(body[i+1:]) {
				return "character references (&…;) are not allowed: write the character itself"
			}
		}
	}
	if strings.Contains(body, "://") || strings.Contains(body, "www.") {
		return "links are not allowed (a URL would become one)"
	}
	return emphasisProblem(body)
}

// emphasisProblem checks that ** and * pair up, not nested in themselves.
func emphasisProblem(s string) string {
	bold, italic := false, false
	for i := 0; i < len(s); i++ {
		if s[i] != '*' {
			continue
		}
		if i+1 < len(s) && s[i+1] == '*' {
			if i+2 < len(s) && s[i+2] == '*' {
				return "*** is not allowed: write **bold** or *italic*"
			}
			bold = !bold
			i++
			continue
		}
		italic = !italic
	}
	switch {
	case bold:
		return "unbalanced ** (bold): every ** opens and closes"
	case italic:
		return "unbalanced * (italic): every * opens and closes; write a multiplication as ×"
	}
	return ""
}

func orderedMarker(s string) bool {
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// entity reports whether s (after an &) starts a character reference:
// &name; &#123; &#x1F;.
func entity(s string) bool {
	i := 0
	if i < len(s) && s[i] == '#' {
		i++
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			i++
		}
	}
	start := i
	for i < len(s) && i-start < 32 && (isASCIILetter(s[i]) || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	return i > start && i < len(s) && s[i] == ';'
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }
