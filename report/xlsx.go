package report

import (
	"fmt"
	"io"
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
	first := true
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			t, ok := b.(*Table)
			if !ok {
				continue
			}
			name := sheetName(t.Name)
			if first {
				if err := f.SetSheetName("Sheet1", name); err != nil {
					return err
				}
				first = false
			} else if _, err := f.NewSheet(name); err != nil {
				return err
			}
			if err := writeSheet(f, name, doc, t, styles); err != nil {
				return fmt.Errorf("report: sheet %s: %w", name, err)
			}
		}
	}
	if len(doc.Figures) > 0 {
		t := figureTable(doc.Figures)
		name := sheetName(t.Name)
		if first {
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
	if doc.AsOf != 0 {
		// a string: the property's integer type holds 32 bits
		if err := f.SetCustomProps(excelize.CustomProperty{Name: AsOfMeta, Value: strconv.FormatUint(doc.AsOf, 10)}); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

// sheetName fits Excel's limit of 31 characters.
func sheetName(s string) string {
	for utf8.RuneCountInString(s) > 31 {
		r := []rune(s)
		s = string(r[:31])
	}
	return s
}

type sheetStyles struct{ title, header, text, bold, number, percent, decimal, general int }

func newSheetStyles(f *excelize.File) (sheetStyles, error) {
	border := []excelize.Border{{Type: "left", Color: "555555", Style: 1}, {Type: "top", Color: "555555", Style: 1},
		{Type: "right", Color: "555555", Style: 1}, {Type: "bottom", Color: "555555", Style: 1}}
	font := &excelize.Font{Family: "Times New Roman", Size: 12}
	boldFont := &excelize.Font{Family: "Times New Roman", Size: 12, Bold: true}
	var s sheetStyles
	var err error
	for _, st := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&s.title, &excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 14, Bold: true}}},
		{&s.header, &excelize.Style{Font: boldFont, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EEF1F5"}}}},
		{&s.text, &excelize.Style{Font: font, Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&s.bold, &excelize.Style{Font: boldFont, Border: border, Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}}},
		{&s.number, &excelize.Style{Font: font, Border: border, NumFmt: 3}}, // #,##0
		{&s.percent, &excelize.Style{Font: font, Border: border, CustomNumFmt: ptrTo("0.0%")}},
		{&s.decimal, &excelize.Style{Font: font, Border: border, CustomNumFmt: ptrTo("0.00")}},
		{&s.general, &excelize.Style{Font: font, Border: border, NumFmt: 0}}, // General: the decimals it has
	} {
		if *st.id, err = f.NewStyle(st.style); err != nil {
			return s, err
		}
	}
	return s, nil
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

func writeSheet(f *excelize.File, sheet string, doc *Document, t *Table, st sheetStyles) error {
	cell := func(col, row int) string { c, _ := excelize.CoordinatesToCellName(col, row); return c }
	if err := f.SetCellValue(sheet, "A1", t.Caption); err != nil {
		return err
	}
	if err := f.SetCellValue(sheet, "A2", fmt.Sprintf("%s – %s (từ ngày %s đến ngày %s)", doc.Issuer, doc.Period.Label(),
		Date(doc.Period.Start()), Date(doc.Period.End()))); err != nil {
		return err
	}
	// the form's receiving unit, as Biểu số 06/VPCP/KSTT names it
	if err := f.SetCellValue(sheet, "A3", "Đơn vị nhận báo cáo: "+strings.TrimPrefix(doc.Recipient, "Kính gửi: ")); err != nil {
		return err
	}
	if doc.Notice != "" {
		if err := f.SetCellValue(sheet, "A4", doc.Notice); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A2", st.title); err != nil {
		return err
	}
	row := 5
	width := 0
	for _, h := range t.Header {
		col := 1
		for _, c := range h {
			n := max(c.Span, 1)
			if err := f.SetCellValue(sheet, cell(col, row), c.String()); err != nil {
				return err
			}
			if n > 1 {
				if err := f.MergeCell(sheet, cell(col, row), cell(col+n-1, row)); err != nil {
					return err
				}
			}
			col += n
		}
		width = max(width, col-1)
		if err := f.SetCellStyle(sheet, cell(1, row), cell(width, row), st.header); err != nil {
			return err
		}
		row++
	}
	for _, r := range t.Rows {
		for i := 0; i < width; i++ {
			c := Cell{}
			if i < len(r) {
				c = r[i]
			}
			style := st.text
			var v any = c.Text
			switch {
			case c.Number != nil && c.Percent:
				v, style = *c.Number/100, st.percent
			case c.Number != nil && c.Decimals < 0:
				v, style = *c.Number, st.general
			case c.Number != nil && c.Decimals > 0:
				v, style = *c.Number, st.decimal
			case c.Number != nil:
				v, style = *c.Number, st.number
			case c.Bold:
				style = st.bold
			}
			if err := f.SetCellValue(sheet, cell(i+1, row), v); err != nil {
				return err
			}
			if err := f.SetCellStyle(sheet, cell(i+1, row), cell(i+1, row), style); err != nil {
				return err
			}
		}
		row++
	}
	if err := f.SetColWidth(sheet, "A", "A", 6); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 42); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(max(width, 3))
	return f.SetColWidth(sheet, "C", last, 13)
}
