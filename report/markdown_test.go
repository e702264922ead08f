package report_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store/storetest"
)

// hostile are names an agency's system could send (or, for the control
// characters, could have sent before validation rejected them): markup,
// links, Markdown syntax and spreadsheet formulas.
var hostile = []string{
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	"[x](javascript:alert(1))",
	"![y](javascript:alert(2))",
	"<a href=\"javascript:alert(3)\">z</a>",
	"<javascript:alert(4)>",
	"https://evil.example/đăng-nhập www.evil.example thư@evil.example",
	"a | b | c",
	"`mã` ``x``",
	"*nghiêng* **đậm** _gạch_ ~~xóa~~",
	"# tiêu đề",
	"- mục",
	"1. mục",
	"> trích",
	"&lt;b&gt; &amp; &#60;i&#62;",
	`C:\thư mục\`,
	"=HYPERLINK(\"http://evil.example\",\"x\")",
	"+1+2",
	"-3-4",
	"@SUM(A1:A9)",
	"ESC\x1b[31mđỏ NUL\x00 DEL\x7f C1\u009b",
	"dòng\nmới\ttab",
}

// hostileSeed004 is seed 004 with each agency (but the province), procedure
// field, plan and task named after one of the hostile strings, and an
// agency's contributions written in them: the texts that flow from events
// into the reports.
func hostileSeed004() []events.Event {
	evs := reporttest.Seed004()
	n := 0
	name := func(s string) string {
		n++
		return hostile[n%len(hostile)] + " " + s
	}
	fields := map[string]string{}
	field := func(f string) string {
		if f == "" {
			return f
		}
		if _, ok := fields[f]; !ok {
			fields[f] = name(f)
		}
		return fields[f]
	}
	for i, e := range evs {
		switch p := e.Payload.(type) {
		case events.AgencyCreated:
			if p.Level != events.LevelProvince {
				p.Name = name(p.Name)
			}
			evs[i].Payload = p
		case events.ProcedurePublished:
			p.Name, p.Field = name(p.Name), field(p.Field)
			evs[i].Payload = p
		case events.DossierReceived:
			p.Field = field(p.Field)
			evs[i].Payload = p
		case events.PlanIssued:
			p.Number, p.Title = name(p.Number), name(p.Title)
			evs[i].Payload = p
		case events.TaskAssigned:
			p.Title = name(p.Title)
			evs[i].Payload = p
		}
	}
	// Agencies' contributions: each hostile string as a paragraph (the
	// start of a block) and as a figure's name, unit and comparison, built
	// without validation as an older event could be stored.
	at := time.Date(2024, 6, 17, 9, 0, 0, 0, events.Vietnam)
	for _, slot := range []struct {
		report  events.ReportKind
		kind    events.PeriodKind
		number  int
		section string
	}{{events.ReportReform, events.PeriodHalfYear, 1, "direction.inspection"}, {events.ReportProcedureControl, events.PeriodQuarter, 2, "results.direction"}} {
		c := events.ContributionSubmitted{Report: slot.report, PeriodKind: slot.kind, Cutoff: events.CutoffOfficial, Year: 2024, Number: slot.number,
			Section: slot.section, Paragraphs: hostile}
		for _, h := range hostile {
			c.Figures = append(c.Figures, events.Figure{Name: h, Value: 1, Unit: h, Compare: &events.FigureComparison{Label: h, Value: 2}})
		}
		evs = append(evs, events.New(reporttest.JusticeCode, c.Slot(), at, c))
	}
	return evs
}

// TestEventTextIsLiteralInEveryFormat: a feed whose names carry markup,
// links, Markdown syntax, formulas and control characters gives reports in
// which each renders as the text it is. Markdown is rendered by goldmark, a
// CommonMark renderer with GFM tables, strikethrough and autolinks, letting
// raw HTML through so that any that leaked would show; the HTML report is
// parsed as a browser would; the workbook's cells are read back.
func TestEventTextIsLiteralInEveryFormat(t *testing.T) {
	s := enginetest.Embedded()
	db := storetest.Migrated(t, s)
	storetest.InsertOnce(t, s, db, hostileSeed004())
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	for _, r := range []struct {
		kind   report.Kind
		period string
	}{{report.Reform, "2024-H1"}, {report.ProcedureControl, "2024-Q2"}} {
		t.Run(string(r.kind), func(t *testing.T) {
			p, _ := report.ParsePeriod(r.period, report.Official)
			dir := t.TempDir()
			files, err := report.Generate(context.Background(), s, db, report.Request{Kind: r.kind, Period: p, Formats: report.AllFormats, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			read := func(f report.File) []byte {
				b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
				if err != nil {
					t.Fatal(err)
				}
				return b
			}

			src := read(files[0])
			assertNoControl(t, "Markdown", src)
			var out bytes.Buffer
			if err := md.Convert(src, &out); err != nil {
				t.Fatal(err)
			}
			text := assertInertHTML(t, "Markdown rendered by goldmark", out.Bytes(), markdownElements)
			assertLiteral(t, "Markdown rendered by goldmark", text)
			assertFiguresLiteral(t, "Markdown rendered by goldmark", text)

			page := read(files[1])
			assertNoControl(t, "HTML report", page)
			text = assertInertHTML(t, "HTML report", page, nil)
			assertLiteral(t, "HTML report", text)
			assertFiguresLiteral(t, "HTML report", text)

			assertFormulasAreText(t, read(files[2]))
		})
	}
}

// assertNoControl fails on a control character (C0 but tab and line
// breaks, DEL, C1) in a written file: events stored before the contract
// refused them must not carry them into a report.
func assertNoControl(t *testing.T, what string, b []byte) {
	t.Helper()
	if i := bytes.IndexFunc(b, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r >= 0x7f && r <= 0x9f }); i >= 0 {
		t.Errorf("%s: control character %q at byte %d: %q", what, b[i], i, b[max(i-40, 0):min(i+40, len(b))])
	}
}

// markdownElements are the elements the Markdown report is made of; any
// other (a link, an image, code, a quote, raw HTML) came from data.
var markdownElements = map[string]bool{"html": true, "head": true, "body": true, "p": true, "h1": true, "h2": true, "h3": true,
	"h4": true, "h5": true, "h6": true, "strong": true, "em": true, "ul": true, "li": true, "table": true, "thead": true,
	"tbody": true, "tr": true, "th": true, "td": true, "br": true}

// assertInertHTML parses page and fails on scripts, images, frames, links,
// event-handler attributes and, when allowed is set, any element outside
// it. It returns the page's text as a reader sees it.
func assertInertHTML(t *testing.T, what string, page []byte, allowed map[string]bool) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for n := range doc.Descendants() {
		switch n.Type {
		case html.TextNode:
			if n.Parent == nil || n.Parent.Data != "style" {
				text.WriteString(n.Data)
			}
		case html.ElementNode:
			switch {
			case n.Data == "script" || n.Data == "img" || n.Data == "iframe" || n.Data == "object" || n.Data == "a":
				t.Errorf("%s: a <%s> element %v", what, n.Data, n.Attr)
			case allowed != nil && !allowed[n.Data]:
				t.Errorf("%s: a <%s> element, which the report does not make", what, n.Data)
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "on") || strings.Contains(strings.ToLower(a.Val), "javascript:") {
					t.Errorf("%s: <%s %s=%q>", what, n.Data, a.Key, a.Val)
				}
			}
		}
	}
	return text.String()
}

// assertLiteral holds that every hostile string reads as itself (control
// characters aside) in text.
func assertLiteral(t *testing.T, what, text string) {
	t.Helper()
	for _, h := range hostile {
		if strings.ContainsFunc(h, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) {
			continue
		}
		if !strings.Contains(text, h) {
			t.Errorf("%s: %q does not read as itself", what, h)
		}
	}
}

// assertFiguresLiteral holds that the contribution's figures, named, with
// units and comparisons in the hostile strings, read as themselves.
func assertFiguresLiteral(t *testing.T, what, text string) {
	t.Helper()
	for _, h := range hostile {
		if strings.ContainsFunc(h, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) {
			continue
		}
		if want := h + ": 1 " + h + " (" + h + ": 2 " + h + ")."; !strings.Contains(text, want) {
			t.Errorf("%s: the figure %q does not read as itself", what, want)
		}
	}
}

// assertFormulasAreText: a name beginning with =, +, - or @ is a text cell
// in the workbook, never a formula.
func assertFormulasAreText(t *testing.T, xlsx []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[byte]bool{}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c, v := range row {
				if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r >= 0x7f && r <= 0x9f }) {
					t.Errorf("XLSX %s row %d: control character in %q", sheet, r+1, v)
				}
				if v == "" || !strings.ContainsAny(v[:1], "=+-@") {
					continue
				}
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				typ, _ := f.GetCellType(sheet, cell)
				formula, _ := f.GetCellFormula(sheet, cell)
				if formula != "" || typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
					t.Errorf("XLSX %s!%s %q: type %v, formula %q; want a text cell", sheet, cell, v, typ, formula)
				}
				seen[v[0]] = true
			}
		}
	}
	if len(seen) < 4 {
		t.Errorf("the workbook has names beginning with %v; want =, +, - and @", seen)
	}
}

// TestMarkdownKeepsOrdinaryText: escaping leaves the usual text alone —
// every line of seed 004's reports (sentences, headings, captions) stands
// in the Markdown as it is.
func TestMarkdownKeepsOrdinaryText(t *testing.T) {
	s := enginetest.Embedded()
	db := storetest.Migrated(t, s)
	storetest.InsertOnce(t, s, db, reporttest.Seed004())
	for _, r := range []struct {
		kind   report.Kind
		period string
	}{{report.Reform, "2024-H1"}, {report.ProcedureControl, "2024-Q2"}} {
		p, _ := report.ParsePeriod(r.period, report.Official)
		d, err := report.Load(context.Background(), s, db, p)
		if err != nil {
			t.Fatal(err)
		}
		doc := report.Build(r.kind, d)
		var b bytes.Buffer
		if err := report.Markdown(&b, doc); err != nil {
			t.Fatal(err)
		}
		if dir := os.Getenv("BAOCAO_DUMP_MD"); dir != "" {
			os.WriteFile(filepath.Join(dir, string(r.kind)+".md"), b.Bytes(), 0o644)
		}
		for _, line := range strings.Split(strings.TrimSpace(doc.Text()), "\n") {
			if !strings.Contains(b.String(), line) {
				t.Errorf("%s: the Markdown changed %q", r.kind, line)
			}
		}
	}
}
