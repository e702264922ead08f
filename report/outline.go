package report

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/baocao/baocao/events"
)

// Outline is the sections of one report kind, in order, and the sentences
// around them, as data: the embedded outlines (outlines/<kind>.yaml) are the
// defaults, and a province may replace a kind's outline with its own file
// (rename, reorder, add or drop sections) without rebuilding.
type Outline struct {
	Kind     Kind
	Source   string // where it was read, for messages: "outlines/reform.yaml" or a path
	Subject  string // the line under the title, a template
	Intro    string // the opening sentence after the basis documents, a template
	Closing  string // "Trên đây là báo cáo …", a template
	Sections []OutlineSection
}

// OutlineSection is one section of an outline: a heading numbered by its
// level and place (I., 1., a)) and what fills it.
type OutlineSection struct {
	// Key names the section independently of its numbering and heading:
	// contributions name the section they belong to by it.
	Key     string
	Heading string // without its number; a template
	Level   int    // 1 (I.), 2 (1.) or 3 (a))
	// Computed are the blocks computed from the events, by name (Blocks).
	Computed []string
	// Contributions says the agencies' contributions fill the section.
	Contributions bool
	// Indicators names the indicator.reported figures of kind other the
	// section states, by their name.
	Indicators []string
	line       int
}

// KeySyntax is what a section key looks like: lower-case ASCII words
// joined by dots, at most MaxKeyLength characters — the keys contribution
// events name (events.SectionKeyPattern).
var KeySyntax = regexp.MustCompile(events.SectionKeyPattern)

// MaxKeyLength bounds a section key.
const MaxKeyLength = events.MaxSectionKeyLen

// Blocks are the computed blocks an outline may name, each a function of
// the period's figures.
var Blocks = map[string]func(*Data) []Block{
	"index":                  indexBlocks,
	"reform_plan":            func(d *Data) []Block { return planBlocks(d, "reform") },
	"procedure_control_plan": func(d *Data) []Block { return planBlocks(d, "procedure_control") },
	"government_tasks":       governmentTaskBlocks,
	"press":                  pressBlocks,
	"institutions":           institutionBlocks,
	"catalogue":              catalogueBlocks,
	"review":                 reviewBlocks,
	"feedback":               feedbackBlocks,
	"dossiers":               dossierBlocks,
	"fields":                 func(d *Data) []Block { return []Block{fieldTable(d)} },
	"agencies":               func(d *Data) []Block { return []Block{agencyTable(d)} },
	"dossier_form":           dossierFormBlocks,
	"centre_form":            centreFormBlocks,
	"procedure_form":         procedureFormBlocks,
	"late_causes":            lateCauseBlocks,
	"feedback_table":         feedbackTableBlocks,
	"catalogue_table":        catalogueTableBlocks,
	"tasks_table":            taskTableBlocks,
	"rates":                  rateBlocks,
	"egov":                   egovBlocks,
	"strengths":              func(d *Data) []Block { return []Block{strengths(d)} },
	"difficulties":           func(d *Data) []Block { return []Block{difficulties(d)} },
	"directions":             directionBlocks,
}

// placeholders are the names a template may hold in braces; see vars.
var placeholders = []string{"period", "PERIOD", "period_short", "next_period", "NEXT_PERIOD", "year", "province", "dates", "recipient"}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

//go:embed outlines/*.yaml
var embedded embed.FS

// defaultOutlines are the embedded outlines, read once.
var defaultOutlines = sync.OnceValue(func() map[Kind]*Outline {
	out := map[Kind]*Outline{}
	for k := range Kinds {
		out[k] = readEmbedded(k)
	}
	return out
})

// DefaultOutline is kind k's embedded outline; callers do not change it.
func DefaultOutline(k Kind) *Outline {
	o := defaultOutlines()[k]
	if o == nil {
		panic(fmt.Sprintf("report: no embedded outline for %s", k))
	}
	return o
}

func readEmbedded(k Kind) *Outline {
	name := "outlines/" + string(k) + ".yaml"
	b, err := embedded.ReadFile(name)
	if err != nil {
		panic(fmt.Sprintf("report: no embedded outline for %s", k))
	}
	o, err := ParseOutline(k, name, b)
	if err != nil {
		panic(err) // the tests load every embedded outline
	}
	return o
}

// LoadOutline reads a province's outline of kind k from a file.
func LoadOutline(k Kind, path string) (*Outline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("outline: %w", err)
	}
	return ParseOutline(k, path, b)
}

// OutlineError is a fault in an outline file: its name, the line and, when
// the fault is in a section, the section's key.
type OutlineError struct {
	File, Key, Reason string
	Line              int
}

func (e *OutlineError) Error() string {
	where := e.File
	if e.Line > 0 {
		where += fmt.Sprintf(":%d", e.Line)
	}
	if e.Key != "" {
		where += ": section " + e.Key
	}
	return "outline " + where + ": " + e.Reason
}

// ParseOutline reads an outline of kind k from data, name naming it in
// errors. Every fault is reported, each naming the file, line and section.
func ParseOutline(k Kind, name string, data []byte) (*Outline, error) {
	var errs []error
	fail := func(line int, key, format string, a ...any) {
		errs = append(errs, &OutlineError{File: name, Line: line, Key: key, Reason: fmt.Sprintf(format, a...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &OutlineError{File: name, Reason: err.Error()}
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, &OutlineError{File: name, Line: 1, Reason: "want a mapping with kind, subject, intro, closing and sections"}
	}
	o := &Outline{Kind: k, Source: name}
	var sections *yaml.Node
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		key, v := top.Content[i], top.Content[i+1]
		switch key.Value {
		case "kind":
			if v.Value != string(k) {
				fail(v.Line, "", "kind %q: this file is read as the %s outline", v.Value, k)
			}
		case "subject", "intro", "closing":
			s, ok := scalarString(v)
			if !ok {
				fail(v.Line, "", "%s: want text", key.Value)
				continue
			}
			if err := checkTemplate(s); err != nil {
				fail(v.Line, "", "%s: %v", key.Value, err)
			}
			*map[string]*string{"subject": &o.Subject, "intro": &o.Intro, "closing": &o.Closing}[key.Value] = s
		case "sections":
			sections = v
		default:
			fail(key.Line, "", "unknown field %q: want kind, subject, intro, closing or sections", key.Value)
		}
	}
	for _, f := range []struct{ name, v string }{{"subject", o.Subject}, {"intro", o.Intro}, {"closing", o.Closing}} {
		if strings.TrimSpace(f.v) == "" {
			fail(top.Line, "", "%s: missing", f.name)
		}
	}
	if sections == nil || sections.Kind != yaml.SequenceNode || len(sections.Content) == 0 {
		fail(top.Line, "", "sections: want a list of sections")
		return nil, errors.Join(errs...)
	}
	keys := map[string]int{}
	for _, n := range sections.Content {
		// A faulty section still takes part in the checks below, so that
		// one reading gives every fault.
		s, _ := parseSection(n, fail)
		if s.Key == "" || s.Level == 0 {
			continue
		}
		if first, dup := keys[s.Key]; dup {
			fail(s.line, s.Key, "duplicate key (first at line %d)", first)
		}
		keys[s.Key] = s.line
		o.Sections = append(o.Sections, s)
	}
	// Levels descend one at a time: a 1. under an I., an a) under a 1.
	prev := 0
	for i, s := range o.Sections {
		if s.Level > prev+1 {
			if prev == 0 {
				fail(s.line, s.Key, "level %d: the first section must be of level 1", s.Level)
			} else {
				fail(s.line, s.Key, "level %d after a section of level %d: a section goes at most one level below the one before", s.Level, prev)
			}
		}
		prev = s.Level
		leaf := i+1 == len(o.Sections) || o.Sections[i+1].Level <= s.Level
		if leaf && len(s.Computed) == 0 && !s.Contributions && len(s.Indicators) == 0 {
			fail(s.line, s.Key, "nothing fills it: give computed blocks, contributions: true, indicators or subsections")
		}
	}
	// An indicator is stated once.
	named := map[string]string{}
	for _, s := range o.Sections {
		for _, name := range s.Indicators {
			if first, dup := named[name]; dup && first != s.Key {
				fail(s.line, s.Key, "indicators: %q is named by section %s too", name, first)
			}
			named[name] = s.Key
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return o, nil
}

func parseSection(n *yaml.Node, fail func(int, string, string, ...any)) (OutlineSection, bool) {
	s := OutlineSection{line: n.Line}
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "", "a section: want a mapping with key, heading, level, computed, contributions and indicators")
		return s, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "key" {
			s.Key = n.Content[i+1].Value
		}
	}
	ok := true
	bad := func(line int, format string, a ...any) { fail(line, s.Key, format, a...); ok = false }
	switch {
	case s.Key == "":
		bad(n.Line, "key: missing")
	case len(s.Key) > MaxKeyLength:
		bad(n.Line, "key: %d characters; at most %d", len(s.Key), MaxKeyLength)
	case !KeySyntax.MatchString(s.Key):
		bad(n.Line, "key: want lower-case ASCII words joined by dots, as results.procedures.feedback")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		field, v := n.Content[i].Value, n.Content[i+1]
		seen[field] = true
		switch field {
		case "key":
		case "heading":
			h, isText := scalarString(v)
			switch {
			case !isText || strings.TrimSpace(h) == "":
				bad(v.Line, "heading: want text")
			case strings.ContainsAny(h, "\n\r"):
				bad(v.Line, "heading: one line")
			default:
				if err := checkTemplate(h); err != nil {
					bad(v.Line, "heading: %v", err)
				}
				s.Heading = h
			}
		case "level":
			if err := v.Decode(&s.Level); err != nil || s.Level < 1 || s.Level > 3 {
				bad(v.Line, "level %q: want 1 (I.), 2 (1.) or 3 (a))", v.Value)
				s.Level = 0
			}
		case "computed":
			if err := v.Decode(&s.Computed); err != nil {
				bad(v.Line, "computed: want a list of block names")
				continue
			}
			for _, b := range s.Computed {
				if Blocks[b] == nil {
					bad(v.Line, "computed: unknown block %q; want one of %s", b, strings.Join(BlockNames(), ", "))
				}
			}
		case "contributions":
			if err := v.Decode(&s.Contributions); err != nil {
				bad(v.Line, "contributions %q: want true or false", v.Value)
			}
		case "indicators":
			if err := v.Decode(&s.Indicators); err != nil {
				bad(v.Line, "indicators: want a list of names of indicators of kind other")
				continue
			}
			for _, name := range s.Indicators {
				if strings.TrimSpace(name) == "" {
					bad(v.Line, "indicators: an empty name")
				}
			}
		default:
			bad(n.Content[i].Line, "unknown field %q: want key, heading, level, computed, contributions or indicators", field)
		}
	}
	for _, f := range []string{"heading", "level"} {
		if !seen[f] {
			bad(n.Line, "%s: missing", f)
		}
	}
	return s, ok
}

func scalarString(n *yaml.Node) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	return n.Value, true
}

// BlockNames lists the computed blocks' names, sorted.
func BlockNames() []string {
	names := make([]string, 0, len(Blocks))
	for n := range Blocks {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func checkTemplate(s string) error {
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !slices.Contains(placeholders, m[1]) {
			return fmt.Errorf("unknown placeholder {%s}; want one of {%s}", m[1], strings.Join(placeholders, "}, {"))
		}
	}
	return nil
}

// CheckTemplate checks the placeholders of a header or footer text.
func CheckTemplate(s string) error { return checkTemplate(s) }

// expand fills a checked template's placeholders.
func expand(s string, vars map[string]string) string {
	return placeholder.ReplaceAllStringFunc(s, func(m string) string { return vars[m[1:len(m)-1]] })
}

// vars are the values of the placeholders for a report of d's period.
func vars(d *Data, recipient string) map[string]string {
	label := LowerFirst(d.Period.Label())
	next := LowerFirst(nextPeriod(d.Period).Label())
	short := label
	// "6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2024":
	// the year is said once when both periods end in it.
	if suffix := fmt.Sprintf(" năm %d", d.Period.Year); strings.HasSuffix(label, suffix) && strings.HasSuffix(next, suffix) {
		short = strings.TrimSuffix(label, fmt.Sprintf(" %d", d.Period.Year))
	}
	return map[string]string{
		"period":       label,
		"PERIOD":       strings.ToUpper(label),
		"period_short": short,
		"next_period":  next,
		"NEXT_PERIOD":  strings.ToUpper(next),
		"year":         fmt.Sprint(d.Period.Year),
		"province":     d.Province,
		"dates":        fmt.Sprintf("từ ngày %s đến ngày %s", ShortDate(d.Period.Start()), ShortDate(d.Period.End())),
		"recipient":    recipient,
	}
}

// numbering writes the number of the n-th section (from 1) of a level:
// I., 1., a) — the letters as Vietnamese documents count them.
func numbering(level, n int) string {
	switch level {
	case 1:
		return roman(n) + "."
	case 2:
		return fmt.Sprintf("%d.", n)
	}
	letters := []string{"a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"}
	if n <= len(letters) {
		return letters[n-1] + ")"
	}
	return fmt.Sprintf("%d)", n)
}

func roman(n int) string {
	var b strings.Builder
	for _, r := range []struct {
		v int
		s string
	}{{1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}} {
		for ; n >= r.v; n -= r.v {
			b.WriteString(r.s)
		}
	}
	return b.String()
}

// TakesContributions says why the section key cannot take an agency's
// part in this outline, or nil when it can: a section with that key that
// contributions fill.
func (o *Outline) TakesContributions(key string) error {
	var open []string
	for _, s := range o.Sections {
		if s.Key == key && s.Contributions {
			return nil
		}
		if s.Key == key {
			return fmt.Errorf("section %s of %s takes no contributions", key, o.Source)
		}
		if s.Contributions {
			open = append(open, s.Key)
		}
	}
	return fmt.Errorf("%s has no section %s; the sections that take contributions are %s", o.Source, key, strings.Join(open, ", "))
}
