package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
)

// TestMarkdownEscaping renders each text as a paragraph, a list item and a
// table cell with goldmark (CommonMark + GFM tables, strikethrough and
// autolinks; raw HTML let through so that a leak shows): each reads as
// itself, inside the one element it was put in.
func TestMarkdownEscaping(t *testing.T) {
	md := goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify),
		goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	for _, s := range []string{
		"Sở Tư pháp", "# a", "###### a", "####### a", "#a", "#", "- a", "-", "---", "- - -", "-5%", "+ a", "+1",
		"* a", "***", "_ _ _", "1. a", "1) a", "2024. Năm", "1234567890. a", "> a", "    code", "\tcode", "```go", "~~~",
		"<div>", "<!-- x -->", "<?php ?>", "<https://example.com>", "[a]: https://example.com", "[a][b]", "![a](b)",
		"a\\", "a  ", "a | b", "| a |", "&copy; &#65; &#x41; &", "*a* _b_ **c** ~~d~~ `e`", "a\nb", "a\r\n===", "https://example.com/x", "www.example.com", "ftp://a.b", "thư@example.vn", "WWW.EXAMPLE.COM",
		"Kế hoạch số 302/QĐ-UBND (ngày 15/01/2024)",
	} {
		for _, place := range []struct {
			name, src, elem string
		}{
			{"paragraph", "x\n\n" + mdLine(s) + "\n", "p"},
			{"list item", "x\n\n- " + mdLine(s) + "\n", "li"},
			{"table cell", "| h |\n| --- |\n| " + mdText(s) + " |\n", "td"},
			{"bold", "**" + mdText(s) + "**\n", "strong"},
		} {
			var out bytes.Buffer
			if err := md.Convert([]byte(place.src), &out); err != nil {
				t.Fatal(err)
			}
			doc, err := html.Parse(&out)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for n := range doc.Descendants() {
				if n.Type == html.ElementNode && n.Data == place.elem {
					var b strings.Builder
					for c := range n.Descendants() {
						if c.Type == html.TextNode {
							b.WriteString(c.Data)
						} else if c.Type == html.ElementNode {
							b.WriteString("⟨" + c.Data + "⟩")
						}
					}
					got = append(got, b.String())
				}
			}
			want := strings.TrimSpace(strings.NewReplacer("\r", " ", "\n", " ", "\t", " ").Replace(s))
			if place.name == "bold" && want != s {
				want = s // emphasis needs no space inside; only the other places are held to it
			}
			last := ""
			if len(got) > 0 {
				last = strings.TrimSpace(got[len(got)-1])
			}
			if place.name != "bold" && last != want {
				t.Errorf("%q as a %s renders as %q (%s)", s, place.name, got, strings.TrimSpace(out.String()))
			}
			if place.name == "bold" && strings.Contains(last, "⟨") {
				t.Errorf("%q in bold renders as %q", s, got)
			}
		}
	}
}
