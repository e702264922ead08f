package contributions

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/baocao/baocao/events"
)

// Draft is a contribution read from a file: its paragraphs and figures.
type Draft struct {
	Paragraphs []string
	Figures    []events.Figure
}

// LineError names a line of the input and what is wrong with it.
type LineError struct {
	File   string
	Line   int
	Reason string
}

func (e *LineError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

// Errors is every problem found in a file, in line order.
type Errors []*LineError

func (es Errors) Error() string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// ParseMarkdown reads a contribution file:
//
//	---
//	Văn bản QPPL được thẩm định = 25 văn bản | 6 tháng đầu năm 2023 = 20
//	Tỷ lệ đúng hạn = 98.5 %
//	---
//	Sở Tư pháp đã thẩm định **25** dự thảo văn bản,
//	tăng so với cùng kỳ.
//
//	- Rà soát 1.234 văn bản.
//	- Kiến nghị sửa đổi 12 văn bản.
//
// An optional front matter between two "---" lines holds one figure a line
// (ParseFigure). The body's paragraphs are separated by blank lines; the
// lines of a paragraph are joined with a space; each line starting with "- "
// is a bullet of its own (an indented line continues it). Each paragraph
// must be in the event contract's Markdown subset (events.MarkdownProblem);
// every problem is reported with its line.
func ParseMarkdown(name string, r io.Reader) (Draft, error) {
	var d Draft
	var errs Errors
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &LineError{File: name, Line: line, Reason: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), events.MaxEventBytes)
	var cur []string
	curLine := 0
	flush := func() {
		if len(cur) == 0 {
			return
		}
		p := strings.Join(cur, " ")
		if msg := events.MarkdownProblem(p); msg != "" {
			fail(curLine, "%s", msg)
		} else if n := len([]rune(p)); n > events.MaxContributionParagraph {
			fail(curLine, "paragraph of %d characters; the limit is %d", n, events.MaxContributionParagraph)
		}
		d.Paragraphs = append(d.Paragraphs, p)
		cur = nil
	}
	n, front := 0, false
	for sc.Scan() {
		n++
		line := strings.TrimRight(strings.TrimSuffix(sc.Text(), "\r"), " \t")
		if n == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a BOM from Windows editors
		}
		if msg := controlProblem(line); msg != "" {
			fail(n, "%s", msg)
			continue
		}
		switch {
		case n == 1 && line == "---":
			front = true
			continue
		case front && line == "---":
			front = false
			continue
		case front:
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			f, err := ParseFigure(line)
			if err != nil {
				fail(n, "%v", err)
				continue
			}
			d.Figures = append(d.Figures, f)
			continue
		}
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "- "):
			flush()
			cur, curLine = []string{line}, n
		case len(cur) > 0 && strings.HasPrefix(cur[0], "- ") && strings.HasPrefix(line, "  "):
			cur = append(cur, strings.TrimSpace(line))
		case len(cur) > 0 && strings.HasPrefix(cur[0], "- "):
			flush()
			cur, curLine = []string{line}, n
		case len(cur) == 0:
			cur, curLine = []string{line}, n
		default:
			cur = append(cur, strings.TrimLeft(line, " "))
		}
	}
	if err := sc.Err(); err != nil {
		fail(n+1, "%v", err)
	}
	if front {
		fail(n, "the front matter opened on line 1 is not closed by a line ---")
	}
	flush()
	if len(d.Paragraphs) == 0 && len(errs) == 0 {
		fail(max(n, 1), "no paragraph: a contribution needs text")
	}
	if len(errs) > 0 {
		return Draft{}, errs
	}
	return d, nil
}

func controlProblem(s string) string {
	for i, r := range s {
		if r < 0x20 && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f {
			return fmt.Sprintf("control character U+%04X at offset %d", r, len([]rune(s[:i])))
		}
	}
	return ""
}

// ParseFigure reads one figure: "name = value [unit] [| label = value]", e.g.
// "Văn bản QPPL được thẩm định = 25 văn bản | 6 tháng đầu năm 2023 = 20".
// Values are written with a dot for decimals and no thousands separator
// (98.5, 1234), so that "1.234" is never read two ways.
func ParseFigure(s string) (events.Figure, error) {
	main, cmp, hasCmp := strings.Cut(s, "|")
	name, rest, ok := strings.Cut(main, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return events.Figure{}, fmt.Errorf("figure %q: want name = value [unit] [| earlier period = value]", s)
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return events.Figure{}, fmt.Errorf("figure %q: no value after =", name)
	}
	v, err := number(fields[0])
	if err != nil {
		return events.Figure{}, fmt.Errorf("figure %q: %v", name, err)
	}
	f := events.Figure{Name: name, Value: v, Unit: strings.Join(fields[1:], " ")}
	if hasCmp {
		label, val, ok := strings.Cut(cmp, "=")
		label = strings.TrimSpace(label)
		if !ok || label == "" {
			return events.Figure{}, fmt.Errorf("figure %q: comparison %q: want earlier period = value", name, strings.TrimSpace(cmp))
		}
		cv, err := number(strings.TrimSpace(val))
		if err != nil {
			return events.Figure{}, fmt.Errorf("figure %q: comparison: %v", name, err)
		}
		f.Compare = &events.FigureComparison{Label: label, Value: cv}
	}
	return f, nil
}

func number(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || strings.ContainsAny(s, "_xXpPiInN") {
		return 0, fmt.Errorf("value %q: want a number with a dot for decimals and no thousands separator, e.g. 98.5 or 1234", s)
	}
	return v, nil
}
