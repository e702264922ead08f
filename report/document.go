package report

import (
	"fmt"
	"math"
	"strings"
)

// Document is a report independent of its format: numbered sections of
// paragraphs, bullet lists, tables and charts. Markdown, HTML and XLSX
// render the same Document, so the formats never disagree.
type Document struct {
	Kind      Kind
	Period    Period
	Issuer    string // "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG"
	Number    string // "Số:      /BC-UBND"
	Place     string // "Hải Phòng"
	Date      string // after the place: "ngày    tháng    năm 2024"
	Title     string // "BÁO CÁO"
	Subject   string // the line under the title
	Recipient string // "Kính gửi: Bộ Nội vụ"
	// Notice is a line under the subject that qualifies the whole report,
	// e.g. that it was written before every agency's part arrived; empty
	// for a complete report.
	Notice     string
	Intro      string
	Sections   []Section
	Closing    string
	Signature  []string // the signing block's title lines
	SignerName string
	Recipients []string // Nơi nhận
	// Figures are the named figures of the contributions, in document
	// order; the sections state them too.
	Figures []SectionFigure
	// Stated are the figures the computed sentences state, in document
	// order, each by name (see Stated).
	Stated []Stated
	// Unplaced are the contributions and indicators no section of the
	// outline took; not printed (report and the scheduler name them).
	Unplaced []Unplaced
	// AsOf is the sequence of the events stream up to which every event
	// was in the projections when the figures were read; 0 when nobody
	// checked (baocao report). The renderers put it in the files' metadata,
	// never in the text: see AsOfMeta.
	AsOf uint64
}

// AsOfMeta names the stream sequence in each format's metadata: the
// Markdown's first line is an HTML comment, invisible once rendered
// (<!-- baocao as_of_seq: 123 -->); the HTML has a meta tag of this name
// (<meta name="baocao-as-of-seq" content="123">); the workbook a custom
// document property of this name (File → Info → Properties in Excel).
const AsOfMeta = "baocao-as-of-seq"

// Section is a numbered heading (I., 1., a)) with its content; Level 1 is
// the Roman-numbered level. Key is the outline's key of the section.
type Section struct {
	Key     string
	Heading string
	Level   int
	Blocks  []Block
}

// Block is one of Paragraph, Bullets, Rich, RichBullets, *Table or *Chart.
type Block interface{ block() }

// Paragraph is running text.
type Paragraph string

// Bullets is a dash list, as the seeds write them.
type Bullets []string

// Table is a form or a summary; the first Header row may span columns
// (Span gives each header cell's width, default 1).
type Table struct {
	Name    string // sheet name in XLSX, caption elsewhere
	Caption string
	// Form is the official form the table is, with the lines printed above
	// it; nil for the report's own tables.
	Form   *FormHead
	Header [][]Cell
	Rows   [][]Cell
}

// FormHead are the lines above an official form (Thông tư 01/2020): its
// code and the circular it was issued with at the top left, the reporting
// and receiving units and the period, its title, and the unit line.
type FormHead struct {
	Key    string   // the form's key: dossiers, centre, procedures
	Code   string   // "Biểu số 06/VPCP/KSTT"
	Issued string   // "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"
	Title  string   // the form's title
	Lines  []string // "Đơn vị báo cáo: …", "Đơn vị nhận báo cáo: …", "Kỳ báo cáo: …"
	Unit   string   // "Đơn vị tính: Số hồ sơ TTHC"
}

// Cell is a table cell: text, or a number rendered the Vietnamese way and
// stored as a number in spreadsheets.
type Cell struct {
	Text   string
	Number *float64
	// Decimals are the decimals written; -1 writes those the number has
	// (a figure an agency gave).
	Decimals int
	Percent  bool
	// OutOf, when above 0, is the most the number could be: points
	// written "17,10/18", stored as the number 17.1 shown with "/18".
	OutOf float64
	Span  int
	// RowSpan 2 merges a header cell with the one under it, which is
	// Covered: the lower rows of a header give every column.
	RowSpan int
	Covered bool
	Bold    bool
}

// Chart is a bar chart: one bar group per category, one bar per series;
// Targets, when set, mark a target per category (rates).
type Chart struct {
	Title      string
	Categories []string
	Series     []Series
	Targets    []float64
	Unit       string // "%" for rates, "" for counts
}

// Series is one set of bars of a chart.
type Series struct {
	Name   string
	Values []float64
}

func (Paragraph) block() {}
func (Bullets) block()   {}
func (*Table) block()    {}
func (*Chart) block()    {}

func text(s string) Cell { return Cell{Text: s} }
func bold(s string) Cell { return Cell{Text: s, Bold: true} }
func num(n int64) Cell   { x := float64(n); return Cell{Number: &x} }

func pct(x float64) Cell {
	if math.IsNaN(x) {
		return text("—")
	}
	return Cell{Number: &x, Decimals: 1, Percent: true}
}

func span(s string, n int) Cell { return Cell{Text: s, Span: n, Bold: true} }

// String renders c as in running text.
func (c Cell) String() string {
	if c.Number == nil {
		return c.Text
	}
	if c.Percent {
		return Decimal(*c.Number, c.Decimals) + "%"
	}
	if c.OutOf > 0 {
		return Decimal(*c.Number, c.Decimals) + "/" + FigureValue(c.OutOf)
	}
	if c.Decimals > 0 {
		return Decimal(*c.Number, c.Decimals)
	}
	if c.Decimals < 0 {
		return FigureValue(*c.Number)
	}
	return Int(int64(math.Round(*c.Number)))
}

// Text is the document's running text, sentences and table captions, as
// plain lines; the golden tests read it.
func (d *Document) Text() string {
	var b strings.Builder
	head := []string{d.Title, d.Subject}
	if d.Notice != "" {
		head = append(head, d.Notice)
	}
	for _, l := range append(head, d.Recipient, d.Intro) {
		b.WriteString(l + "\n")
	}
	for _, s := range d.Sections {
		b.WriteString(s.Heading + "\n")
		for _, bl := range s.Blocks {
			switch v := bl.(type) {
			case Paragraph:
				b.WriteString(string(v) + "\n")
			case Bullets:
				for _, item := range v {
					b.WriteString("- " + item + "\n")
				}
			case Rich:
				b.WriteString(v.String() + "\n")
			case RichBullets:
				for _, item := range v {
					b.WriteString("- " + item.String() + "\n")
				}
			case *Table:
				b.WriteString(v.Caption + "\n")
			case *Chart:
				b.WriteString(v.Title + "\n")
			}
		}
	}
	b.WriteString(d.Closing + "\n")
	return b.String()
}

// change writes the change from before to now as the seeds do: "tăng 1,78
// điểm", "giảm 3,2%", "không thay đổi".
func change(now, before float64, decimals int, unit string) string {
	diff := now - before
	switch {
	case math.Abs(diff) < math.Pow10(-decimals)/2:
		return "không thay đổi"
	case diff > 0:
		return "tăng " + Decimal(diff, decimals) + unit
	}
	return "giảm " + Decimal(-diff, decimals) + unit
}

func parenthesised(s string) string {
	if s == "" {
		return ""
	}
	return " (" + s + ")"
}

func sentenceList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " và " + items[len(items)-1]
}

func capitalise(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// LowerFirst lowers a label's first letter, for a label inside a sentence:
// "Quý II/2024" → "quý II/2024", "Năm 2024" → "năm 2024".
func LowerFirst(label string) string {
	for i, r := range label {
		return strings.ToLower(string(r)) + label[i+len(string(r)):]
	}
	return label
}

func fmtf(format string, a ...any) Paragraph { return Paragraph(fmt.Sprintf(format, a...)) }

// Stated is a figure a computed sentence states: its name (the figure's
// key, e.g. "dossiers.received_total", "rate.online", "catalogue.in_force"),
// its value and the text written for it, in the order the document writes
// them. A number in a computed sentence is always one of these, so the
// figures in the text can be held against the tables and the views by
// name (Document.Stated).
type Stated struct {
	Section string // the outline key of the section the sentence is in
	Name    string
	Value   float64
	Text    string
}

// recorder collects the figures the computed blocks state while Build
// writes them, and what the document's outline introduces.
type recorder struct {
	kind    Kind
	section string
	// plans are the plan kinds the outline's computed blocks introduce
	// (reform_plan: reform, egov: digital_government…): directions name
	// only plans the body has introduced.
	plans  map[string]bool
	stated []Stated
}

// state records figure name of value v, written as text, and returns text.
func (d *Data) state(name string, v float64, text string) string {
	if d.rec != nil {
		d.rec.stated = append(d.rec.stated, Stated{Section: d.rec.section, Name: name, Value: v, Text: text})
	}
	return text
}

// count states a count in running text (08, 1.317).
func (d *Data) count(name string, n int64) string { return d.state(name, float64(n), Count(n)) }

// plain states a count as the portal's statistics write it (8, 1.317).
func (d *Data) plain(name string, n int64) string { return d.state(name, float64(n), Int(n)) }

// percent states a rate in percent with one decimal (95,4%).
func (d *Data) percent(name string, x float64) string { return d.state(name, x, Percent(x)) }

// decimal states x with the given decimals (91,87).
func (d *Data) decimal(name string, x float64, decimals int) string {
	return d.state(name, x, Decimal(x, decimals))
}

// target states a target as plans write it (80%, 100%, 92,5%).
func (d *Data) target(name string, x float64) string { return d.state(name, x, targetPercent(x)) }

// kind is the kind of report being written; "" outside Build.
func (d *Data) kind() Kind {
	if d.rec == nil {
		return ""
	}
	return d.rec.kind
}
