package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// XLSX writes the tables of doc as a workbook with one sheet per form (the
// government reporting system works in forms), numbers stored as numbers.
// It uses excelize, the maintained pure-Go library for the OOXML format.
func XLSX(w io.Writer, doc *Document) error {
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newSheetStyles(f)
	if err != nil {
		return err
	}
	// the official forms first, in the circular's order, then the report's
	// tables in the document's order, then the agencies' figures
	var tables []*Table
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if t, ok := b.(*Table); ok {
				tables = append(tables, t)
			}
		}
	}
	slices.SortStableFunc(tables, func(a, b *Table) int { return cmp.Compare(formOrder(a), formOrder(b)) })
	if len(doc.Figures) > 0 {
		tables = append(tables, figureTable(doc.Figures))
	}
	for i, t := range tables {
		name := sheetName(t.Name)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := writeSheet(f, name, doc, t, styles); err != nil {
			return fmt.Errorf("report: sheet %s: %w", name, err)
		}
	}
	// Vietnamese: what the reader's Excel shows the number formats in is
	// its own locale; the property says whose document it is
	if err := f.SetDocProps(&excelize.DocProperties{Language: "vi-VN", Title: doc.Subject}); err != nil {
		return err
	}
	if doc.AsOf != 0 {
		// a string: the property's integer type holds 32 bits
		if err := f.SetCustomProps(excelize.CustomProperty{Name: AsOfMeta, Value: strconv.FormatUint(doc.AsOf, 10)}); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// formOrder places an official form's sheet by the circular's order, the
// report's own tables after.
func formOrder(t *Table) int {
	if t.Form == nil {
		return len(formOrderKeys)
	}
	if i := slices.Index(formOrderKeys, t.Form.Key); i >= 0 {
		return i
	}
	return len(formOrderKeys)
}

var formOrderKeys = []string{FormDossiers, FormCentre, FormProcedures}

// sheetName fits Excel's limit of 31 characters.
func sheetName(s string) string {
	for utf8.RuneCountInString(s) > 31 {
		r := []rune(s)
		s = string(r[:31])
	}
	return s
}

// sheetStyles makes the workbook's cell styles on first use, one per
// look: Times New Roman 12 as the documents, borders in the table, the
// number formats of the Vietnamese forms.
type sheetStyles struct {
	f     *excelize.File
	cache map[styleKey]int
}

// styleKey is a look: kind is title, line, unit, header, or cell; numFmt is
// the number format of a number cell ("" for text).
type styleKey struct {
	kind, numFmt, align string
	bold, italic        bool
}

func newSheetStyles(f *excelize.File) (*sheetStyles, error) {
	return &sheetStyles{f: f, cache: map[styleKey]int{}}, nil
}

func (s *sheetStyles) get(k styleKey) (int, error) {
	if id, ok := s.cache[k]; ok {
		return id, nil
	}
	font := &excelize.Font{Family: "Times New Roman", Size: 12, Bold: k.bold, Italic: k.italic}
	st := &excelize.Style{Font: font, Alignment: &excelize.Alignment{Horizontal: k.align, Vertical: "center", WrapText: true}}
	switch k.kind {
	case "title":
		font.Size = 14
	case "header":
		st.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF1F5"}}
		fallthrough
	case "cell":
		st.Border = []excelize.Border{{Type: "left", Color: "555555", Style: 1}, {Type: "top", Color: "555555", Style: 1},
			{Type: "right", Color: "555555", Style: 1}, {Type: "bottom", Color: "555555", Style: 1}}
	}
	switch k.numFmt {
	case "":
	case "General":
		st.NumFmt = 0 // the decimals the number has
	default:
		st.CustomNumFmt = ptrTo(k.numFmt)
	}
	if k.numFmt != "" {
		st.Alignment.WrapText = false
	}
	id, err := s.f.NewStyle(st)
	if err != nil {
		return 0, err
	}
	s.cache[k] = id
	return id, nil
}

// numberFormat is the format of a number cell: counts with thousands
// separators, percentages and points with their decimals. Excel shows the
// separators of the reader's locale (1.234 and 95,4% in Vietnamese), as
// the format's "," and "." stand for "thousands" and "decimal", not for
// those characters.
func numberFormat(c Cell) string {
	decimals := func(n int) string {
		if n <= 0 {
			return ""
		}
		return "." + strings.Repeat("0", n)
	}
	switch {
	case c.Percent:
		return "0" + decimals(c.Decimals) + "%"
	case c.OutOf > 0:
		return "0" + decimals(c.Decimals) + `"/` + FigureValue(c.OutOf) + `"`
	case c.Decimals < 0:
		return "General" // the decimals the agency gave
	}
	return "#,##0" + decimals(c.Decimals)
}

func ptrTo[T any](v T) *T { return &v }

// figureTable lists the contributions' named figures, numbers as numbers
// with the decimals the agency gave.
func figureTable(figs []SectionFigure) *Table {
	t := &Table{Name: "Số liệu các đơn vị", Caption: "Số liệu do các cơ quan, đơn vị gửi",
		Header: [][]Cell{{bold("Mục"), bold("Cơ quan, đơn vị"), bold("Chỉ tiêu"), bold("Số liệu"), bold("Đơn vị tính"), bold("Kỳ so sánh"), bold("Số liệu kỳ so sánh")}}}
	for _, sf := range figs {
		f := sf.Figure
		row := []Cell{text(sf.Section), text(sf.Agency), text(f.Name), figureCell(f.Value), text(f.Unit), text(""), text("")}
		if f.Compare != nil {
			row[5], row[6] = text(f.Compare.Label), figureCell(f.Compare.Value)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// figureCell is a number with as many decimals as it has (Decimals -1).
func figureCell(v float64) Cell { return Cell{Number: &v, Decimals: -1} }

// sheetLines are the lines above a table on its sheet, each with its look.
func sheetLines(doc *Document, t *Table) []struct {
	text string
	key  styleKey
} {
	type line = struct {
		text string
		key  styleKey
	}
	var out []line
	if h := t.Form; h != nil {
		out = append(out, line{h.Code, styleKey{kind: "line", bold: true, align: "left"}})
		if h.Issued != "" {
			out = append(out, line{h.Issued, styleKey{kind: "line", italic: true, align: "left"}})
		}
		out = append(out, line{strings.ToUpper(h.Title), styleKey{kind: "title", bold: true, align: "center"}})
		for _, l := range h.Lines {
			out = append(out, line{l, styleKey{kind: "line", align: "center"}})
		}
		if doc.Notice != "" {
			out = append(out, line{doc.Notice, styleKey{kind: "line", italic: true, align: "center"}})
		}
		if h.Unit != "" {
			out = append(out, line{h.Unit, styleKey{kind: "line", italic: true, align: "right"}})
		}
		return out
	}
	out = append(out,
		line{t.Caption, styleKey{kind: "title", bold: true, align: "left"}},
		// the period as the report's text writes it
		line{fmt.Sprintf("%s – %s (%s)", doc.Issuer, doc.Period.Label(), periodDates(doc.Period)), styleKey{kind: "title", bold: true, align: "left"}},
		// the form's receiving unit, as Biểu số 06/VPCP/KSTT names it
		line{"Đơn vị nhận báo cáo: " + strings.TrimPrefix(doc.Recipient, "Kính gửi: "), styleKey{kind: "line", align: "left"}})
	if doc.Notice != "" {
		out = append(out, line{doc.Notice, styleKey{kind: "line", italic: true, align: "left"}})
	}
	return out
}

// writeSheet writes a table on its sheet ready to print: the lines above
// it (an official form's code, title, units, period and unit line), the
// header with its merged cells as on paper, the rows with numbers stored as
// numbers; A4 landscape, as wide as the page, the header rows repeated on
// every page and frozen on screen with the first two columns.
func writeSheet(f *excelize.File, sheet string, doc *Document, t *Table, st *sheetStyles) error {
	cell := func(col, row int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
	width := 0
	for _, h := range t.Header {
		n := 0
		for _, c := range h {
			n += max(c.Span, 1)
		}
		width = max(width, n)
	}
	for _, r := range t.Rows {
		width = max(width, len(r))
	}
	setStyle := func(from, to string, k styleKey) error {
		id, err := st.get(k)
		if err != nil {
			return err
		}
		return f.SetCellStyle(sheet, from, to, id)
	}
	row := 1
	for _, l := range sheetLines(doc, t) {
		if err := f.SetCellValue(sheet, cell(1, row), l.text); err != nil {
			return err
		}
		if width > 1 {
			if err := f.MergeCell(sheet, cell(1, row), cell(width, row)); err != nil {
				return err
			}
		}
		if err := setStyle(cell(1, row), cell(width, row), l.key); err != nil {
			return err
		}
		row++
	}
	row++ // a blank row above the table
	first := row
	for _, h := range t.Header {
		if err := setStyle(cell(1, row), cell(width, row), styleKey{kind: "header", bold: true, align: "center"}); err != nil {
			return err
		}
		col := 1
		for _, c := range h {
			n := max(c.Span, 1)
			if !c.Covered {
				if err := f.SetCellValue(sheet, cell(col, row), c.String()); err != nil {
					return err
				}
			}
			if down := max(c.RowSpan, 1); n > 1 || down > 1 {
				if err := f.MergeCell(sheet, cell(col, row), cell(col+n-1, row+down-1)); err != nil {
					return err
				}
			}
			col += n
		}
		row++
	}
	last := row - 1
	for _, r := range t.Rows {
		for i := 0; i < width; i++ {
			c := Cell{}
			if i < len(r) {
				c = r[i]
			}
			k := styleKey{kind: "cell", bold: c.Bold}
			var v any = c.Text
			if c.Number != nil {
				v, k.numFmt = *c.Number, numberFormat(c)
				if c.Percent {
					v = *c.Number / 100
				}
			} else if i == 0 {
				k.align = "center" // STT
			}
			if err := f.SetCellValue(sheet, cell(i+1, row), v); err != nil {
				return err
			}
			if err := setStyle(cell(i+1, row), cell(i+1, row), k); err != nil {
				return err
			}
		}
		row++
	}
	if err := f.SetColWidth(sheet, "A", "A", 7); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 42); err != nil {
		return err
	}
	if width > 2 {
		lastCol, _ := excelize.ColumnNumberToName(width)
		if err := f.SetColWidth(sheet, "C", lastCol, 12); err != nil {
			return err
		}
	}
	return printReady(f, sheet, first, last)
}

// printReady sets a sheet up for printing and reading: A4 landscape (paper
// size 9), the columns fitted to the page's width, the header rows first to
// last repeated on every printed page (the print titles), and the panes
// frozen below the header and right of the first two columns.
func printReady(f *excelize.File, sheet string, first, last int) error {
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{
		Size: ptrTo(9), Orientation: ptrTo("landscape"), FitToWidth: ptrTo(1), FitToHeight: ptrTo(0),
	}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptrTo(true)}); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptrTo(0.4), Right: ptrTo(0.4), Top: ptrTo(0.6), Bottom: ptrTo(0.6),
	}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{
		Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), first, last), Scope: sheet,
	}); err != nil {
		return err
	}
	top, _ := excelize.CoordinatesToCellName(3, last+1)
	return f.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: last, TopLeftCell: top, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomRight"}}})
}

// quoteSheet quotes a sheet name for a reference: 'Biểu 06'.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }
