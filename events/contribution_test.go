package events

import (
	"strings"
	"testing"
)

// Every rejection of a contribution names the field and the reason.
func TestDecodeRejectsContributions(t *testing.T) {
	var sub, wd Event
	for _, e := range samples() {
		switch e.Type {
		case TypeContributionSubmitted:
			sub = e
		case TypeContributionWithdrawn:
			wd = e
		}
	}
	paras := func(ps ...any) []any { return ps }
	many := func(n int, s string) []any {
		out := make([]any, n)
		for i := range out {
			out[i] = s
		}
		return out
	}
	fig := func(name string, value any) map[string]any {
		return map[string]any{"name": name, "value": value, "unit": "%"}
	}
	tests := []struct {
		name      string
		event     Event
		path      string
		value     any
		wantField string
		wantIn    string
	}{
		{"raw HTML", sub, "payload.paragraphs", paras("Một", "Hai", "Ba <b>đậm</b>"), "payload.paragraphs[2]", "raw HTML is not allowed"},
		{"script", sub, "payload.paragraphs", paras("<script>alert(1)</script>"), "payload.paragraphs[0]", "raw HTML is not allowed"},
		{"HTML comment", sub, "payload.paragraphs", paras("a <!-- b -->"), "payload.paragraphs[0]", "raw HTML"},
		{"link", sub, "payload.paragraphs", paras("xem [đây](https://x.vn)"), "payload.paragraphs[0]", "links are not allowed"},
		{"bare URL", sub, "payload.paragraphs", paras("xem https://x.vn"), "payload.paragraphs[0]", "links are not allowed"},
		{"image", sub, "payload.paragraphs", paras("![ảnh](a.png)"), "payload.paragraphs[0]", "images are not allowed"},
		{"heading", sub, "payload.paragraphs", paras("## Kết quả"), "payload.paragraphs[0]", "headings are not allowed"},
		{"quote", sub, "payload.paragraphs", paras("> trích"), "payload.paragraphs[0]", "block quotes"},
		{"star bullet", sub, "payload.paragraphs", paras("* mục"), "payload.paragraphs[0]", "bullets are written '- '"},
		{"numbered", sub, "payload.paragraphs", paras("1. mục"), "payload.paragraphs[0]", "numbered lists"},
		{"code", sub, "payload.paragraphs", paras("a `b` c"), "payload.paragraphs[0]", "code"},
		{"unbalanced bold", sub, "payload.paragraphs", paras("**đậm"), "payload.paragraphs[0]", "unbalanced **"},
		{"unbalanced italic", sub, "payload.paragraphs", paras("2 * 3"), "payload.paragraphs[0]", "unbalanced *"},
		{"rule", sub, "payload.paragraphs", paras("---"), "payload.paragraphs[0]", "a line of only"},
		{"setext underline", sub, "payload.paragraphs", paras("==="), "payload.paragraphs[0]", "a line of only"},
		{"empty bullet", sub, "payload.paragraphs", paras("- "), "payload.paragraphs[0]", "empty"},
		{"nested numbered", sub, "payload.paragraphs", paras("- 1. mục"), "payload.paragraphs[0]", "nested lists"},
		{"task box", sub, "payload.paragraphs", paras("- [x] xong"), "payload.paragraphs[0]", "task-list boxes"},
		{"underscore emphasis", sub, "payload.paragraphs", paras("rất _quan trọng_"), "payload.paragraphs[0]", "underscores are not allowed"},
		{"strikethrough", sub, "payload.paragraphs", paras("~~bỏ~~"), "payload.paragraphs[0]", "strikethrough"},
		{"named entity", sub, "payload.paragraphs", paras("&lt;script&gt;"), "payload.paragraphs[0]", "character references"},
		{"numeric entity", sub, "payload.paragraphs", paras("a &#60;b"), "payload.paragraphs[0]", "character references"},
		{"leading space", sub, "payload.paragraphs", paras("    code"), "payload.paragraphs[0]", "leading spaces"},
		{"line break", sub, "payload.paragraphs", paras("a\nb"), "payload.paragraphs[0]", "control character U+000A"},
		{"blank paragraph", sub, "payload.paragraphs", paras("a", " "), "payload.paragraphs[1]", "empty"},
		{"no paragraphs", sub, "payload.paragraphs", []any{}, "payload.paragraphs", "below the minimum 1"},
		{"paragraph too long", sub, "payload.paragraphs", paras(strings.Repeat("ư", MaxContributionParagraph+1)), "payload.paragraphs[0]", "2001 characters; the limit is 2000"},
		{"too many paragraphs", sub, "payload.paragraphs", many(MaxContributionParas+1, "a"), "payload.paragraphs", "101 paragraphs; the limit is 100"},
		{"text too large", sub, "payload.paragraphs", many(20, strings.Repeat("a", 1900)), "payload.paragraphs", "38000 bytes of text; the limit is 32000"},
		{"section syntax", sub, "payload.section", "Results.Institutions", "payload.section", "is not a section key"},
		{"section numbered", sub, "payload.section", "II.1", "payload.section", "is not a section key"},
		{"section empty part", sub, "payload.section", "results..x", "payload.section", "is not a section key"},
		{"section too long", sub, "payload.section", strings.Repeat("a", 65), "payload.section", "65 characters; the limit is 64"},
		{"unknown report kind", sub, "payload.report", "weekly", "payload.report", `unknown value "weekly"`},
		{"number past its kind", sub, "payload.number", 3, "payload.number", "more than the 2 period(s) of kind half_year"},
		{"subject not the slot", sub, "subject_id", "reform/2024-H1/results.institutions", "subject_id", "is not the contribution's slot"},
		{"figure name twice", sub, "payload.figures", []any{fig("A", 1), fig("A", 2)}, "payload.figures[1].name", "figures[0] has that name"},
		{"figure value a string", sub, "payload.figures", []any{fig("A", "1,5")}, "payload.figures[0].value", "want a number"},
		{"figure name too long", sub, "payload.figures", []any{fig(strings.Repeat("n", 201), 1)}, "payload.figures[0].name", "201 characters; the limit is 200"},
		{"figure unknown field", sub, "payload.figures", []any{map[string]any{"name": "A", "value": 1, "units": "%"}}, "payload.figures[0].units", "unknown field"},
		{"comparison without value", sub, "payload.figures", []any{map[string]any{"name": "A", "value": 1, "compare": map[string]any{"label": "2023"}}}, "payload.figures[0].compare.value", "missing"},
		{"too many figures", sub, "payload.figures", func() []any {
			out := []any{}
			for i := range MaxContributionFigures + 1 {
				out = append(out, fig(strings.Repeat("x", i+1), i))
			}
			return out
		}(), "payload.figures", "51 figures; the limit is 50"},
		{"withdrawal section", wd, "payload.section", "kết_quả", "payload.section", "is not a section key"},
		{"withdrawal subject", wd, "subject_id", "reform/half_year/official/2024-2/results.institutions", "subject_id", "is not the contribution's slot"},
	}
	set := func(path string, v any) func(map[string]any) {
		return func(m map[string]any) {
			keys := strings.Split(path, ".")
			for _, k := range keys[:len(keys)-1] {
				m = m[k].(map[string]any)
			}
			m[keys[len(keys)-1]] = v
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(patch(t, tt.event, set(tt.path, tt.value)), testNow)
			assertRejected(t, err, ErrInvalid, tt.wantField, tt.wantIn)
		})
	}
}

func TestMarkdownSubsetAccepts(t *testing.T) {
	for _, p := range []string{
		"Tổng số **1.234** hồ sơ, đạt *98,5%* kế hoạch.",
		"- Ban hành 12 văn bản; 3 < 5 và 7 > 2; a & b.",
		"Giá trị (ước tính) [tạm tính] là 25%.",
		"Mục 2) và mục 3.",
		"Doanh thu tăng 5% & chi phí giảm; P&G, a & b; ~5 ngày.",
		"- Nhiệm vụ 1.2: hoàn thành.",
	} {
		if msg := MarkdownProblem(p); msg != "" {
			t.Errorf("%q rejected: %s", p, msg)
		}
	}
}
