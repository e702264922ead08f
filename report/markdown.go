package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Markdown writes doc as Markdown; a chart becomes the table of its values.
func Markdown(w io.Writer, doc *Document) error {
	var b strings.Builder
	if doc.AsOf != 0 {
		fmt.Fprintf(&b, "<!-- baocao as_of_seq: %d -->\n\n", doc.AsOf)
	}
	fmt.Fprintf(&b, "**%s**\n\n", mdText(doc.Issuer))
	if doc.Number != "" {
		fmt.Fprintf(&b, "%s\n\n", mdLine(doc.Number))
	}
	fmt.Fprintf(&b, "*%s, %s*\n\n", mdText(doc.Place), mdText(doc.Date))
	fmt.Fprintf(&b, "# %s\n\n**%s**\n\n", mdText(doc.Title), mdText(doc.Subject))
	if doc.Notice != "" {
		fmt.Fprintf(&b, "*%s*\n\n", mdText(doc.Notice))
	}
	fmt.Fprintf(&b, "%s\n\n%s\n\n", mdLine(doc.Recipient), mdLine(doc.Intro))
	for _, s := range doc.Sections {
		fmt.Fprintf(&b, "%s %s\n\n", strings.Repeat("#", s.Level+1), mdText(s.Heading))
		// A list right after another (two agencies' parts) changes its
		// marker, or CommonMark would merge them into one loose list.
		marker, prevList := "-", false
		for _, bl := range s.Blocks {
			_, isList := bl.(Bullets)
			if _, ok := bl.(RichBullets); ok {
				isList = true
			}
			if isList && prevList {
				marker = map[string]string{"-": "+", "+": "-"}[marker]
			} else if isList {
				marker = "-"
			}
			prevList = isList
			switch v := bl.(type) {
			case Paragraph:
				b.WriteString(mdLine(string(v)) + "\n\n")
			case Bullets:
				for _, item := range v {
					b.WriteString(marker + " " + mdLine(item) + "\n")
				}
				b.WriteString("\n")
			case Rich:
				b.WriteString(mdRich(v) + "\n\n")
			case RichBullets:
				for _, item := range v {
					b.WriteString(marker + " " + mdRich(item) + "\n")
				}
				b.WriteString("\n")
			case *Table:
				caption := v.Caption
				if v.Form != nil {
					markdownFormHead(&b, v.Form)
					caption = "" // the form's title says it
				}
				markdownTable(&b, caption, v.Header, v.Rows)
			case *Chart:
				markdownTable(&b, v.Title, chartHeader(v), chartRows(v))
			}
		}
	}
	fmt.Fprintf(&b, "%s\n\n", mdLine(doc.Closing))
	b.WriteString("**Nơi nhận:**\n\n")
	for _, r := range doc.Recipients {
		b.WriteString("- " + mdLine(r) + "\n")
	}
	sig := make([]string, len(doc.Signature))
	for i, l := range doc.Signature {
		sig[i] = mdText(l)
	}
	b.WriteString("\n**" + strings.Join(sig, "**  \n**") + "**\n")
	if doc.SignerName != "" {
		b.WriteString("\n**" + mdText(doc.SignerName) + "**\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownFormHead writes the lines above an official form, as on paper:
// the code, the circular, the units and period, the title, the unit line.
func markdownFormHead(b *strings.Builder, h *FormHead) {
	fmt.Fprintf(b, "**%s**", mdText(h.Code))
	if h.Issued != "" {
		fmt.Fprintf(b, "  \n*%s*", mdText(h.Issued))
	}
	b.WriteString("\n\n**" + mdText(strings.ToUpper(h.Title)) + "**\n\n")
	for i, l := range h.Lines {
		if i > 0 {
			b.WriteString("  \n")
		}
		b.WriteString(mdText(l))
	}
	b.WriteString("\n\n")
	if h.Unit != "" {
		fmt.Fprintf(b, "*%s*\n\n", mdText(h.Unit))
	}
}

func markdownTable(b *strings.Builder, caption string, header, rows [][]Cell) {
	if caption != "" {
		fmt.Fprintf(b, "*%s*\n\n", mdText(caption))
	}
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
		s[i] = mdText(c.String())
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

// ---- Escaping ----
//
// Every string of a Document may carry text from events (agency, procedure
// and plan names), so each is written as literal text: whatever it holds
// renders as those characters in any CommonMark or GFM renderer, never as
// HTML, a link, emphasis, code or a table cell boundary. Text with nothing
// to escape — all of the usual Vietnamese text and numbers — is written
// unchanged.

// mdText escapes s for an inline position: inside a heading, emphasis or a
// table cell. Line breaks and tabs become spaces (a line break would end the
// block); other control characters, which validation rejects but older
// events may hold, become U+FFFD.
func mdText(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || r >= 0x7f && r <= 0x9f:
			b.WriteRune('\uFFFD')
		case r == '&':
			// Only an entity reference (&amp; &#60;) would be decoded.
			if i+1 < len(s) && (isAlnum(s[i+1]) || s[i+1] == '#') {
				b.WriteByte('\\')
			}
			b.WriteByte('&')
		case r == ':' && strings.HasPrefix(s[i:], "://") || r == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www") || r == '@':
			// GFM turns bare URLs, www. and e-mail addresses into links;
			// an escape between the parts leaves them text.
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < utf8.RuneSelf && strings.IndexByte(mdPunct, byte(r)) >= 0:
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdPunct are the characters that open inline Markdown: backslash escapes,
// code spans, emphasis and strikethrough, links and images, HTML and
// autolinks, table cells.
const mdPunct = "\\`*_~[]<>|"

func needsEscape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c == '&' || c == '@' || c == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f ||
			strings.IndexByte(mdPunct, c) >= 0 || c == ':' && strings.HasPrefix(s[i:], "://") || c == '.' && i >= 3 && strings.EqualFold(s[i-3:i], "www") {
			return true
		}
	}
	return false
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// mdRich writes rich text at the start of a block: each span escaped as
// literal text (mdLine for the first), emphasis as ** and *, with the
// spaces at a span's ends outside its markers so that they stay emphasis.
func mdRich(r Rich) string {
	var b strings.Builder
	for i, s := range r {
		t := mdText(s.Text)
		if i == 0 {
			t = mdLine(s.Text)
		}
		if !s.Bold && !s.Italic {
			b.WriteString(t)
			continue
		}
		core := strings.TrimSpace(t)
		if core == "" {
			b.WriteString(t)
			continue
		}
		lead, trail := t[:strings.Index(t, core)], t[strings.Index(t, core)+len(core):]
		mark := "*"
		switch {
		case s.Bold && s.Italic:
			mark = "***"
		case s.Bold:
			mark = "**"
		}
		b.WriteString(lead + mark + core + mark + trail)
	}
	return b.String()
}

// mdLine escapes s for the start of a block (a paragraph, a list item): as
// mdText, and a leading ATX heading, list marker, ordered-list number or
// thematic break is escaped; leading spaces, which could open a code block,
// are dropped.
func mdLine(s string) string {
	t := strings.TrimLeft(mdText(s), " ")
	if t == "" {
		return t
	}
	switch c := t[0]; {
	case c == '#':
		n := len(t) - len(strings.TrimLeft(t, "#"))
		if n <= 6 && (n == len(t) || t[n] == ' ') {
			return "\\" + t
		}
	case c == '-' || c == '+':
		if len(t) == 1 || t[1] == ' ' || c == '-' && strings.Trim(t, "- ") == "" {
			return "\\" + t
		}
	case c >= '0' && c <= '9':
		n := len(t) - len(strings.TrimLeft(t, "0123456789"))
		if n <= 9 && n < len(t) && (t[n] == '.' || t[n] == ')') && (n+1 == len(t) || t[n+1] == ' ') {
			return t[:n] + "\\" + t[n:]
		}
	}
	return t
}
