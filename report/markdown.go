package report

import (
	"fmt"
	"io"
	"strings"
)

// Markdown writes doc as Markdown; a chart becomes the table of its values.
func Markdown(w io.Writer, doc *Document) error {
	var b strings.Builder
	if doc.AsOf != 0 {
		fmt.Fprintf(&b, "<!-- baocao as_of_seq: %d -->\n\n", doc.AsOf)
	}
	fmt.Fprintf(&b, "**%s**\n\n*%s, ngày    tháng    năm %d*\n\n", doc.Issuer, doc.Place, doc.Period.End().Year())
	fmt.Fprintf(&b, "# %s\n\n**%s**\n\n%s\n\n%s\n\n", doc.Title, doc.Subject, doc.Recipient, doc.Intro)
	for _, s := range doc.Sections {
		fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", s.Level+1), s.Heading)
		for _, bl := range s.Blocks {
			switch v := bl.(type) {
			case Paragraph:
				b.WriteString(string(v) + "\n\n")
			case Bullets:
				for _, item := range v {
					b.WriteString("- " + item + "\n")
				}
				b.WriteString("\n")
			case *Table:
				markdownTable(&b, v.Caption, v.Header, v.Rows)
			case *Chart:
				markdownTable(&b, v.Title, chartHeader(v), chartRows(v))
			}
		}
	}
	fmt.Fprintf(&b, "%s\n\n", doc.Closing)
	b.WriteString("**Nơi nhận:**\n\n")
	for _, r := range doc.Recipients {
		b.WriteString("- " + r + "\n")
	}
	b.WriteString("\n**" + strings.Join(doc.Signature, "**  \n**") + "**\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func markdownTable(b *strings.Builder, caption string, header, rows [][]Cell) {
	fmt.Fprintf(b, "*%s*\n\n", caption)
	// Markdown has no spanning cells: the last header row names the columns.
	last := header[len(header)-1]
	if len(header) > 1 {
		last = mergeHeader(header)
	}
	b.WriteString("| " + joinCells(last) + " |\n|")
	for range last {
		b.WriteString(" --- |")
	}
	b.WriteString("\n")
	for _, r := range rows {
		cells := make([]Cell, len(last))
		copy(cells, r)
		b.WriteString("| " + joinCells(cells) + " |\n")
	}
	b.WriteString("\n")
}

// mergeHeader flattens spanning header rows into one: "Số hồ sơ đã giải
// quyết: Trước hạn (8)".
func mergeHeader(header [][]Cell) []Cell {
	n := 0
	for _, c := range header[0] {
		n += max(c.Span, 1)
	}
	out := make([]Cell, n)
	col := 0
	for _, c := range header[0] {
		for i := 0; i < max(c.Span, 1); i++ {
			out[col+i].Text = c.Text
		}
		col += max(c.Span, 1)
	}
	for _, row := range header[1:] {
		for i, c := range row {
			if i >= n || c.Text == "" {
				continue
			}
			if out[i].Text != "" && !strings.HasPrefix(c.Text, "(") {
				out[i].Text += ": " + c.Text
			} else if out[i].Text != "" {
				out[i].Text += " " + c.Text
			} else {
				out[i].Text = c.Text
			}
		}
	}
	return out
}

func joinCells(cells []Cell) string {
	s := make([]string, len(cells))
	for i, c := range cells {
		s[i] = strings.ReplaceAll(c.String(), "|", "\\|")
		if c.Bold && s[i] != "" {
			s[i] = "**" + s[i] + "**"
		}
	}
	return strings.Join(s, " | ")
}

func chartHeader(c *Chart) [][]Cell {
	h := []Cell{bold("")}
	for _, s := range c.Series {
		h = append(h, bold(s.Name))
	}
	if c.Targets != nil {
		h = append(h, bold("Chỉ tiêu"))
	}
	return [][]Cell{h}
}

func chartRows(c *Chart) [][]Cell {
	var rows [][]Cell
	for i, cat := range c.Categories {
		r := []Cell{text(cat)}
		for _, s := range c.Series {
			v := s.Values[i]
			r = append(r, chartCell(v, c.Unit))
		}
		if c.Targets != nil {
			r = append(r, chartCell(c.Targets[i], c.Unit))
		}
		rows = append(rows, r)
	}
	return rows
}

func chartCell(v float64, unit string) Cell {
	if unit == "%" {
		return Cell{Number: &v, Decimals: 1, Percent: true}
	}
	return Cell{Number: &v}
}
