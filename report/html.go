package report

import (
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// HTML writes doc as one self-contained page: styles inline, charts as
// inline SVG, no script and nothing fetched from elsewhere.
func HTML(w io.Writer, doc *Document) error {
	return pageTemplate.Execute(w, doc)
}

// Stylesheet is the CSS of the HTML reports, for pages that show a report
// or its blocks inside their own frame (the web pages).
const Stylesheet template.CSS = `body { font-family: "Times New Roman", Times, serif; font-size: 14pt; line-height: 1.45; max-width: 62em; margin: 2em auto; padding: 0 1em; color: #111; }
header { display: flex; justify-content: space-between; text-align: center; }
header p { margin: 0; }
h1 { text-align: center; font-size: 15pt; margin: 1.2em 0 0; }
.subject { text-align: center; font-weight: bold; margin: .3em 0 1em; }
.recipient { text-align: center; }
h2 { font-size: 13pt; margin-top: 1.4em; }
h3, h4 { font-size: 13pt; margin: 1em 0 .4em; }
p { text-align: justify; text-indent: 2em; margin: .4em 0; }
ul { list-style: none; padding-left: 2em; margin: .4em 0; }
ul li::before { content: "- "; }
table { border-collapse: collapse; width: 100%; font-size: 10.5pt; margin: .6em 0 1.2em; }
caption { font-style: italic; margin-bottom: .3em; }
th, td { border: 1px solid #555; padding: 2px 4px; }
th { background: #eef1f5; }
td.num { text-align: right; white-space: nowrap; }
.form-head { margin: 1.2em 0 0; font-size: 11pt; }
.form-head p { text-indent: 0; margin: 0; }
.form-title { text-align: center !important; margin-top: .6em !important; }
.form-line { text-align: center !important; }
.form-unit { text-align: right !important; }
figure { margin: 1em 0; }
figcaption { font-style: italic; text-align: center; }
svg text { font-family: Arial, Helvetica, sans-serif; }
footer { display: flex; justify-content: space-between; margin-top: 2em; }
footer ul { padding-left: 0; font-size: 11pt; }
.sign { text-align: center; font-weight: bold; }
.signer { margin-top: 4em; }
header p.number, header p.date { white-space: pre-wrap; }
`

// HTMLBlocks renders blocks as the HTML report does.
func HTMLBlocks(blocks []Block) template.HTML {
	var s strings.Builder
	for _, b := range blocks {
		s.WriteString(string(renderBlock(b)) + "\n")
	}
	return template.HTML(s.String())
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"heading": func(s Section) template.HTML {
		tag := fmt.Sprintf("h%d", min(s.Level+1, 6))
		return template.HTML("<" + tag + ">" + template.HTMLEscapeString(s.Heading) + "</" + tag + ">")
	},
	"render": renderBlock,
	"style":  func() template.CSS { return Stylesheet },
}).Parse(`<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{if .AsOf}}<meta name="baocao-as-of-seq" content="{{.AsOf}}">
{{end}}<title>{{.Title}} – {{.Subject}}</title>
<style>
{{style}}</style>
</head>
<body>
<header>
<div><p><strong>{{.Issuer}}</strong></p>{{with .Number}}<p class="number">{{.}}</p>{{end}}</div>
<div><p><strong>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</strong></p><p><strong>Độc lập - Tự do - Hạnh phúc</strong></p><p class="date"><em>{{.Place}}, {{.Date}}</em></p></div>
</header>
<h1>{{.Title}}</h1>
<p class="subject">{{.Subject}}</p>
{{with .Notice}}<p class="notice"><em>{{.}}</em></p>
{{end}}<p class="recipient">{{.Recipient}}</p>
<p>{{.Intro}}</p>
{{range .Sections}}{{heading .}}
{{range .Blocks}}{{render .}}
{{end}}{{end}}<p>{{.Closing}}</p>
<footer>
<div><strong><em>Nơi nhận:</em></strong><ul>{{range .Recipients}}<li>{{.}}</li>{{end}}</ul></div>
<div class="sign">{{range .Signature}}<div>{{.}}</div>{{end}}{{with .SignerName}}<div class="signer">{{.}}</div>{{end}}</div>
</footer>
</body>
</html>
`))

func renderBlock(b Block) template.HTML {
	var s strings.Builder
	switch v := b.(type) {
	case Paragraph:
		s.WriteString("<p>" + template.HTMLEscapeString(string(v)) + "</p>")
	case Bullets:
		s.WriteString("<ul>")
		for _, item := range v {
			s.WriteString("<li>" + template.HTMLEscapeString(item) + "</li>")
		}
		s.WriteString("</ul>")
	case Rich:
		s.WriteString("<p>" + htmlRich(v) + "</p>")
	case RichBullets:
		s.WriteString("<ul>")
		for _, item := range v {
			s.WriteString("<li>" + htmlRich(item) + "</li>")
		}
		s.WriteString("</ul>")
	case *Table:
		htmlTable(&s, v)
	case *Chart:
		s.WriteString(`<figure class="chart">`)
		s.WriteString(barChartSVG(v))
		s.WriteString("<figcaption>" + template.HTMLEscapeString(v.Title) + "</figcaption></figure>")
	}
	return template.HTML(s.String())
}

// htmlRich writes rich text, each span escaped, emphasis as strong and em.
func htmlRich(r Rich) string {
	var b strings.Builder
	for _, s := range r {
		t := template.HTMLEscapeString(s.Text)
		if s.Italic {
			t = "<em>" + t + "</em>"
		}
		if s.Bold {
			t = "<strong>" + t + "</strong>"
		}
		b.WriteString(t)
	}
	return b.String()
}

func htmlTable(s *strings.Builder, t *Table) {
	esc := template.HTMLEscapeString
	if h := t.Form; h != nil {
		s.WriteString(`<div class="form-head"><div class="form-code"><p><strong>` + esc(h.Code) + `</strong></p>`)
		if h.Issued != "" {
			s.WriteString("<p><em>" + esc(h.Issued) + "</em></p>")
		}
		s.WriteString(`</div><p class="form-title"><strong>` + esc(strings.ToUpper(h.Title)) + "</strong></p>")
		for _, l := range h.Lines {
			s.WriteString(`<p class="form-line">` + esc(l) + "</p>")
		}
		if h.Unit != "" {
			s.WriteString(`<p class="form-unit"><em>` + esc(h.Unit) + "</em></p>")
		}
		s.WriteString("</div>")
	}
	if t.Form != nil {
		s.WriteString("<table><thead>") // the form's title above is its caption
	} else {
		s.WriteString("<table><caption>" + esc(t.Caption) + "</caption><thead>")
	}
	for _, row := range t.Header {
		s.WriteString("<tr>")
		for _, c := range row {
			if c.Covered {
				continue // under a cell of the row above that spans it
			}
			attr := ""
			if c.Span > 1 {
				attr = fmt.Sprintf(` colspan="%d"`, c.Span)
			}
			if c.RowSpan > 1 {
				attr += fmt.Sprintf(` rowspan="%d"`, c.RowSpan)
			}
			s.WriteString("<th" + attr + ">" + template.HTMLEscapeString(c.String()) + "</th>")
		}
		s.WriteString("</tr>")
	}
	s.WriteString("</thead><tbody>")
	for _, row := range t.Rows {
		s.WriteString("<tr>")
		for _, c := range row {
			class := ""
			if c.Number != nil {
				class = ` class="num"`
			}
			v := template.HTMLEscapeString(c.String())
			if c.Bold {
				v = "<strong>" + v + "</strong>"
			}
			s.WriteString("<td" + class + ">" + v + "</td>")
		}
		s.WriteString("</tr>")
	}
	s.WriteString("</tbody></table>")
}

// palette holds the bar colours, one per series.
var palette = []string{"#1f5fa8", "#3f9e4d", "#e08a1e", "#8e44ad"}

// Chart text is measured generously, as no font is at hand: at most
// charWidth font sizes a character (Arial's widest capitals are 0.72–0.94,
// its lower case 0.5 on average), so a label is given room it never lacks.
const (
	chartFont  = 12.0
	charWidth  = 0.62
	lineHeight = 14.0
)

// textWidth is the room given to s at font size size.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * charWidth
}

// wrapWords breaks s into lines of at most width (textWidth), at spaces;
// a word longer than the width is a line of its own.
func wrapWords(s string, width float64) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case textWidth(line+" "+w, chartFont) <= width:
			line += " " + w
		default:
			lines = append(lines, line)
			line = w
		}
	}
	return append(lines, line)
}

// barChartSVG draws c as horizontal bars: one group per category, one bar
// per series, a red tick at the category's target when there is one. Every
// text is whole: category names wrap onto as many lines as they need, the
// plot leaves room for the longest value, and a value is written after the
// end of its bar, or after the target's tick when the tick would cross it.
func barChartSVG(c *Chart) string {
	const (
		width, labelW, barH, gap, legendH = 760.0, 300.0, 14.0, 10.0, 24.0
	)
	top := 0.0
	valueW := 0.0
	for _, s := range c.Series {
		for _, v := range s.Values {
			top = math.Max(top, v)
			valueW = math.Max(valueW, textWidth(chartCell(v, c.Unit).String(), 11))
		}
	}
	for _, t := range c.Targets {
		top = math.Max(top, t)
	}
	if top == 0 {
		top = 1
	}
	plotW := width - labelW - valueW - 12
	labels := make([][]string, len(c.Categories))
	groupTop := make([]float64, len(c.Categories)+1)
	groupTop[0] = legendH
	for i, cat := range c.Categories {
		labels[i] = wrapWords(cat, labelW-12)
		h := math.Max(float64(len(c.Series))*barH, float64(len(labels[i]))*lineHeight) + gap
		groupTop[i+1] = groupTop[i] + h
	}
	height := groupTop[len(c.Categories)] + 10
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 %.0f %.0f" width="100%%" aria-label="%s">`, width, height, template.HTMLEscapeString(c.Title))
	x := labelW
	for i, s := range c.Series {
		fmt.Fprintf(&b, `<rect x="%.0f" y="6" width="12" height="12" fill="%s"/><text x="%.0f" y="16" font-size="12">%s</text>`,
			x, palette[i%len(palette)], x+16, template.HTMLEscapeString(s.Name))
		x += 24 + textWidth(s.Name, chartFont)
	}
	if c.Targets != nil {
		fmt.Fprintf(&b, `<rect x="%.0f" y="5" width="3" height="14" fill="#c0392b"/><text x="%.0f" y="16" font-size="12">Chỉ tiêu</text>`, x, x+8)
	}
	for i := range c.Categories {
		bars := float64(len(c.Series)) * barH
		text := float64(len(labels[i])) * lineHeight
		// the bars and the name's lines centred on each other in the group
		y := groupTop[i] + math.Max(0, text-bars)/2
		ly := groupTop[i] + math.Max(0, bars-text)/2 + lineHeight - 3
		fmt.Fprintf(&b, `<text class="category" x="%.0f" y="%.1f" font-size="12" text-anchor="end">`, labelW-8, ly)
		for j, l := range labels[i] {
			dy := 0.0
			if j > 0 {
				dy = lineHeight
			}
			fmt.Fprintf(&b, `<tspan x="%.0f" dy="%.0f">%s</tspan>`, labelW-8, dy, template.HTMLEscapeString(l))
		}
		b.WriteString("</text>")
		tx := -1.0
		if c.Targets != nil {
			tx = labelW + c.Targets[i]/top*plotW
		}
		for j, s := range c.Series {
			v := s.Values[i]
			w := v / top * plotW
			by := y + float64(j)*barH
			fmt.Fprintf(&b, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.0f" fill="%s"><title>%s: %s</title></rect>`,
				labelW, by, w, barH-2, palette[j%len(palette)], template.HTMLEscapeString(s.Name), chartCell(v, c.Unit).String())
			vx := labelW + w + 4
			if tx >= 0 && vx < tx+2 && vx+textWidth(chartCell(v, c.Unit).String(), 11) > tx-1 {
				vx = tx + 2 + 4 // the tick would cross the value: after it
			}
			fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f" font-size="11">%s</text>`, vx, by+barH-4, chartCell(v, c.Unit).String())
		}
		if c.Targets != nil {
			fmt.Fprintf(&b, `<rect class="target" x="%.1f" y="%.1f" width="3" height="%.0f" fill="#c0392b"><title>Chỉ tiêu: %s</title></rect>`,
				tx-1, y-2, bars+2, chartCell(c.Targets[i], c.Unit).String())
		}
	}
	b.WriteString("</svg>")
	return b.String()
}
