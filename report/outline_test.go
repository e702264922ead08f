package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
)

// seed004Headings are the headings of seed 004 (Hải Phòng's six-month
// report of 2024), number and text, in order: the embedded reform outline
// must give each, worded as the seed words it.
var seed004Headings = []string{
	"I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH",
	"1. Ban hành văn bản chỉ đạo, điều hành",
	"2. Đánh giá, cập nhật tiến độ thực hiện Kế hoạch cải cách hành chính năm 2024",
	"3. Về công tác kiểm tra cải cách hành chính, kỷ luật kỷ cương công vụ",
	"4. Về công tác thông tin tuyên truyền cải cách hành chính",
	"5. Thực hiện nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao",
	"6. Đánh giá về những mô hình, sáng kiến, giải pháp mới trong cải cách hành chính được thí điểm, nhân rộng và triển khai có hiệu quả tại địa phương",
	"II. KẾT QUẢ THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH 6 THÁNG ĐẦU NĂM 2024",
	"1. Cải cách thể chế",
	"a) Công tác xây dựng, ban hành văn bản quy phạm pháp luật",
	"b) Công tác rà soát, hệ thống hóa văn bản quy phạm pháp luật",
	"c) Công tác kiểm tra, xử lý văn bản quy phạm pháp luật",
	"d) Công tác theo dõi tình hình thi hành pháp luật",
	"2. Cải cách thủ tục hành chính (TTHC)",
	"3. Cải cách tổ chức bộ máy",
	"4. Xây dựng, nâng cao chất lượng đội ngũ cán bộ, công chức",
	"5. Cải cách tài chính công",
	"6. Xây dựng và phát triển Chính phủ điện tử, Chính phủ số",
	"III. ĐÁNH GIÁ CHUNG",
	"1. Mặt tích cực",
	"2. Một số khó khăn, vướng mắc",
	"IV. PHƯƠNG HƯỚNG, NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH 6 THÁNG CUỐI NĂM 2024",
	"1. Phương hướng thực hiện",
	"2. Nhiệm vụ 6 tháng cuối năm 2024",
}

// seed004Data is a period's figures with nothing in them but the period and
// the province: enough for the outline, the header and the footer.
func seed004Data(t *testing.T) *report.Data {
	t.Helper()
	p, err := report.ParsePeriod("2024-H1", report.Official)
	if err != nil {
		t.Fatal(err)
	}
	return &report.Data{Period: p, Prev: p.YearBefore(), Province: "thành phố Hải Phòng"}
}

func headings(doc *report.Document) []string {
	var out []string
	for _, s := range doc.Sections {
		out = append(out, s.Heading)
	}
	return out
}

// The embedded outlines load; the reform report's headings are seed 004's,
// in its order (with the lettered parts of II.2 the generator adds), its
// title carries the full name and IV is split into 1. and 2.
func TestEmbeddedOutlines(t *testing.T) {
	for k := range report.Kinds {
		o := report.DefaultOutline(k)
		if o.Kind != k || len(o.Sections) == 0 {
			t.Errorf("%s: the embedded outline has kind %s and %d sections", k, o.Kind, len(o.Sections))
		}
		for _, s := range o.Sections {
			// contribution events can name every section
			if msg := events.SectionKeyProblem(s.Key); msg != "" || !report.KeySyntax.MatchString(s.Key) {
				t.Errorf("%s: key %q: %s", k, s.Key, msg)
			}
		}
	}
	doc := report.Build(report.Reform, seed004Data(t))
	got := headings(doc)
	i := 0
	for _, h := range got {
		if i < len(seed004Headings) && h == seed004Headings[i] {
			i++
		}
	}
	if i < len(seed004Headings) {
		t.Errorf("the reform report lacks seed 004's heading %q (in order); its headings:\n%s", seed004Headings[i], strings.Join(got, "\n"))
	}
	want := "Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2024 của thành phố Hải Phòng"
	if doc.Subject != want {
		t.Errorf("subject %q; want %q", doc.Subject, want)
	}
	// the year report names the next year
	y, _ := report.ParsePeriod("2024", report.Official)
	d := seed004Data(t)
	d.Period = y
	if s := report.Build(report.Reform, d).Subject; !strings.Contains(s, "năm 2024 và phương hướng, nhiệm vụ năm 2025") {
		t.Errorf("the annual report's subject %q", s)
	}
	// sections only contributions fill say they have nothing yet; those
	// with subsections do not
	for _, s := range doc.Sections {
		empty := len(s.Blocks) == 1 && s.Blocks[0] == report.Paragraph(report.DefaultEmpty)
		switch s.Key {
		case "direction.inspection", "results.organisation", "outlook.direction", "results.institutions.review":
			if !empty {
				t.Errorf("%s (%s): %v; want %q", s.Key, s.Heading, s.Blocks, report.DefaultEmpty)
			}
		case "results", "results.institutions", "results.procedures":
			if len(s.Blocks) != 0 {
				t.Errorf("%s (%s) has blocks %v; its subsections follow", s.Key, s.Heading, s.Blocks)
			}
		}
	}
}

// With --document-empty "" a section only contributions fill shows its
// heading alone.
func TestEmptySectionLine(t *testing.T) {
	l := report.DefaultLayout(report.Reform)
	l.Empty = ""
	for _, s := range l.Build(seed004Data(t)).Sections {
		if s.Key == "direction.inspection" && len(s.Blocks) != 0 {
			t.Errorf("%s: %v; want no block", s.Heading, s.Blocks)
		}
	}
}

// provinceOutline is the embedded reform outline with I.3 renamed, a
// section added after II.5 and I.6 dropped.
func provinceOutline(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("outlines", "reform.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, r := range [][2]string{
		{`"Về công tác kiểm tra cải cách hành chính, kỷ luật kỷ cương công vụ"`, `"Công tác thanh tra, kiểm tra công vụ năm {year}"`},
		{`  - key: direction.initiatives
    level: 2
    heading: "Đánh giá về những mô hình, sáng kiến, giải pháp mới trong cải cách hành chính được thí điểm, nhân rộng và triển khai có hiệu quả tại địa phương"
    contributions: true
`, ""},
		{`  - key: results.digital_government`, `  - key: results.public_finance.debt
    level: 3
    heading: "Quản lý nợ công"
    contributions: true
  - key: results.digital_government`},
	} {
		if !strings.Contains(s, r[0]) {
			t.Fatalf("the embedded outline lacks %q", r[0])
		}
		s = strings.Replace(s, r[0], r[1], 1)
	}
	path := filepath.Join(t.TempDir(), "reform.yaml")
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// A province's own outline file (a section renamed, one added, one dropped)
// changes the generated document accordingly, in every format.
func TestProvinceOutline(t *testing.T) {
	o, err := report.LoadOutline(report.Reform, provinceOutline(t))
	if err != nil {
		t.Fatal(err)
	}
	l := report.DefaultLayout(report.Reform)
	l.Outline = o
	doc := l.Build(seed004Data(t))
	got := headings(doc)
	for _, want := range []string{"3. Công tác thanh tra, kiểm tra công vụ năm 2024", "a) Quản lý nợ công", "6. Xây dựng và phát triển Chính phủ điện tử, Chính phủ số"} {
		if !slices.Contains(got, want) {
			t.Errorf("the province's report lacks %q; its headings:\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, gone := range []string{"Về công tác kiểm tra cải cách hành chính", "mô hình, sáng kiến"} {
		if strings.Contains(strings.Join(got, "\n"), gone) {
			t.Errorf("the province's report still has %q", gone)
		}
	}
	if len(got) != len(headings(report.Build(report.Reform, seed004Data(t)))) {
		t.Errorf("%d sections; want as many as the embedded outline's (one added, one dropped)", len(got))
	}
	md, page, _ := renderAll(t, doc)
	// the generator writes it so when the request carries the layout
	dir := t.TempDir()
	r := report.Request{Kind: report.Reform, Period: doc.Period, Formats: []string{report.FormatMarkdown}, Dir: dir, Layouts: report.Layouts{report.Reform: l}}
	files, err := report.Write(r, seed004Data(t))
	if err != nil {
		t.Fatal(err)
	}
	if written := string(generated(t, dir, files[0])); written != md {
		t.Errorf("report.Write with the province's layout wrote another Markdown:\n%.800s", written)
	}
	for _, f := range []struct{ name, text string }{{"Markdown", md}, {"HTML", page}} {
		if !strings.Contains(f.text, "a) Quản lý nợ công") || !strings.Contains(f.text, "3. Công tác thanh tra, kiểm tra công vụ năm 2024") || strings.Contains(f.text, "sáng kiến, giải pháp mới") {
			t.Errorf("the %s does not follow the province's outline", f.name)
		}
	}
}

// Faults in an outline file are errors naming the file, the line, the
// section's key and the reason.
func TestOutlineErrors(t *testing.T) {
	head := "kind: reform\nsubject: S {period}\nintro: I\nclosing: C\nsections:\n"
	for _, c := range []struct {
		name, sections string
		want           []string
	}{
		{"unknown block", "  - key: a\n    level: 1\n    heading: A\n    computed: [index, budget]\n", []string{":9: section a: computed: unknown block \"budget\""}},
		{"duplicate key", "  - key: a\n    level: 1\n    heading: A\n    contributions: true\n  - key: a\n    level: 1\n    heading: B\n    contributions: true\n", []string{":10: section a: duplicate key (first at line 6)"}},
		{"key syntax", "  - key: Results.Feedback\n    level: 1\n    heading: A\n    contributions: true\n", []string{":6: section Results.Feedback: key: want lower-case ASCII"}},
		{"long key", "  - key: " + strings.Repeat("a", 65) + "\n    level: 1\n    heading: A\n    contributions: true\n", []string{"key: 65 characters; at most 64"}},
		{"level order", "  - key: a\n    level: 1\n    heading: A\n    contributions: true\n  - key: a.b.c\n    level: 3\n    heading: C\n    contributions: true\n", []string{":10: section a.b.c: level 3 after a section of level 1"}},
		{"first level", "  - key: a\n    level: 2\n    heading: A\n    contributions: true\n", []string{":6: section a: level 2: the first section must be of level 1"}},
		{"bad level", "  - key: a\n    level: 4\n    heading: A\n    contributions: true\n", []string{":7: section a: level \"4\""}},
		{"nothing fills it", "  - key: a\n    level: 1\n    heading: A\n", []string{":6: section a: nothing fills it"}},
		{"unknown placeholder", "  - key: a\n    level: 1\n    heading: A {quarter}\n    contributions: true\n", []string{":8: section a: heading: unknown placeholder {quarter}"}},
		{"unknown field", "  - key: a\n    level: 1\n    heading: A\n    contribution: true\n", []string{":9: section a: unknown field \"contribution\"", "nothing fills it"}},
		{"two faults", "  - key: a\n    level: 1\n    heading: A\n    computed: [x]\n  - key: a\n    level: 1\n    heading: A\n    contributions: true\n", []string{"unknown block \"x\"", "duplicate key"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "province.yaml")
			if err := os.WriteFile(path, []byte(head+c.sections), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := report.LoadOutline(report.Reform, path)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), "outline "+path) || !strings.Contains(err.Error(), w) {
					t.Errorf("error %q; want the file and %q", err, w)
				}
			}
		})
	}
	if _, err := report.ParseOutline(report.ProcedureControl, "x.yaml", []byte(head+"  - key: a\n    level: 1\n    heading: A\n    contributions: true\n")); err == nil || !strings.Contains(err.Error(), `outline x.yaml:1: kind "reform"`) {
		t.Errorf("a reform outline read as procedure_control: %v", err)
	}
}

// The header and footer settings reach every format: the number line,
// place and date, Kính gửi (and the closing that names the recipient), the
// basis documents, Nơi nhận and the signer in the Markdown and the HTML;
// the issuer and the receiving unit on every sheet of the workbook.
func TestHeaderAndFooter(t *testing.T) {
	l := report.DefaultLayout(report.Reform)
	l.Number = "Số: 125/BC-UBND"
	l.Issuer = "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM"
	l.Place = "Thử Nghiệm"
	l.Date = "ngày 20 tháng 6 năm {year}"
	l.Recipient = "Bộ Nội vụ (Vụ Cải cách hành chính)"
	l.Basis = []string{"Công văn số 581/BNV-CCHC ngày 21/02/2022 của Bộ Nội vụ", "Kế hoạch số 4791/QĐ-UBND"}
	l.Copies = []string{"Văn phòng Chính phủ;", "TTTU, TTHĐND TP;", "Lưu: VT, KSTTHC1."}
	l.Signer = []string{"TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"}
	l.SignerName = "Nguyễn Văn Thử"
	d := seed004Data(t)
	d.Rates = nil
	doc := l.Build(d)
	// a table, so that the workbook has a sheet
	doc.Sections[1].Blocks = append(doc.Sections[1].Blocks, &report.Table{Name: "Bảng", Caption: "Bảng", Header: [][]report.Cell{{{Text: "STT"}}}, Rows: [][]report.Cell{{{Text: "1"}}}})
	md, page, book := renderAll(t, doc)
	for _, f := range []struct{ name, text string }{{"Markdown", md}, {"HTML", page}} {
		for _, want := range []string{"Số: 125/BC-UBND", "ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM", "Thử Nghiệm, ngày 20 tháng 6 năm 2024",
			"Kính gửi: Bộ Nội vụ (Vụ Cải cách hành chính)", "kính gửi Bộ Nội vụ (Vụ Cải cách hành chính) tổng hợp",
			"Thực hiện Công văn số 581/BNV-CCHC ngày 21/02/2022 của Bộ Nội vụ; Kế hoạch số 4791/QĐ-UBND, Ủy ban nhân dân thành phố Hải Phòng báo cáo",
			"TTTU, TTHĐND TP;", "Lưu: VT, KSTTHC1.", "CHỦ TỊCH", "Nguyễn Văn Thử"} {
			if !strings.Contains(f.text, want) {
				t.Errorf("the %s lacks %q", f.name, want)
			}
		}
		if strings.Contains(f.text, "PHÓ CHỦ TỊCH") || strings.Contains(f.text, "Các sở, ban, ngành;") {
			t.Errorf("the %s keeps a default the settings replaced", f.name)
		}
	}
	for _, want := range []string{"ỦY BAN NHÂN DÂN TỈNH THỬ NGHIỆM – 6 tháng đầu năm 2024", "Đơn vị nhận báo cáo: Bộ Nội vụ (Vụ Cải cách hành chính)"} {
		if !strings.Contains(book, want) {
			t.Errorf("the workbook lacks %q: %s", want, book)
		}
	}
}

// renderAll renders doc in the three formats; the workbook as the text of
// its cells.
func renderAll(t *testing.T, doc *report.Document) (md, page, book string) {
	t.Helper()
	var m, h, x bytes.Buffer
	if err := report.Markdown(&m, doc); err != nil {
		t.Fatal(err)
	}
	if err := report.HTML(&h, doc); err != nil {
		t.Fatal(err)
	}
	if err := report.XLSX(&x, doc); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cells strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet)
		for _, r := range rows {
			cells.WriteString(strings.Join(r, " | ") + "\n")
		}
	}
	return m.String(), h.String(), cells.String()
}
