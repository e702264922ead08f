package contributions_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
)

func TestParseMarkdown(t *testing.T) {
	in := "\ufeff---\r\n# a comment\r\nHồ sơ = 1234 hồ sơ\r\nTỷ lệ = 98.5 % | 6 tháng đầu năm 2023 = 97\r\n---\r\n" +
		"Dòng một\r\n  dòng hai.\r\n\r\n- Gạch một\r\n  tiếp.\r\n- Gạch hai\r\nĐoạn sau gạch.\r\n"
	d, err := contributions.ParseMarkdown("a.md", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := contributions.Draft{
		Paragraphs: []string{"Dòng một dòng hai.", "- Gạch một tiếp.", "- Gạch hai", "Đoạn sau gạch."},
		Figures: []events.Figure{{Name: "Hồ sơ", Value: 1234, Unit: "hồ sơ"},
			{Name: "Tỷ lệ", Value: 98.5, Unit: "%", Compare: &events.FigureComparison{Label: "6 tháng đầu năm 2023", Value: 97}}},
	}
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("got %+v\nwant %+v", d, want)
	}
}

func TestParseMarkdownNamesTheLine(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"html and heading", "Một.\n\nHai <i>x</i>.\n\n# Ba\n", []string{"a.md:3: raw HTML is not allowed", "a.md:5: headings are not allowed"}},
		{"paragraph's first line", "Một\nhai [x](y)\n", []string{"a.md:1: links are not allowed"}},
		{"figure value", "---\nA = 1.234,5\n---\nx\n", []string{`a.md:2: figure "A": value "1.234,5"`}},
		{"figure without value", "---\nA =\n---\nx\n", []string{`a.md:2: figure "A": no value`}},
		{"comparison", "---\nA = 1 | 2023\n---\nx\n", []string{`a.md:2: figure "A": comparison "2023"`}},
		{"unclosed front matter", "---\nA = 1\n", []string{"a.md:2: the front matter opened on line 1 is not closed"}},
		{"control character", "Một\x07.\n", []string{"a.md:1: control character U+0007"}},
		{"empty", "\n\n", []string{"a.md:2: no paragraph"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := contributions.ParseMarkdown("a.md", strings.NewReader(tt.in))
			var es contributions.Errors
			if !errors.As(err, &es) || len(es) != len(tt.want) {
				t.Fatalf("err %v; want %d line errors", err, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(es[i].Error(), w) {
					t.Errorf("error %d: %q; want it to start %q", i, es[i].Error(), w)
				}
			}
		})
	}
}
