package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/baocao/baocao/report"
)

// The --document-* settings from the config file, the environment and the
// command line reach the report: lists whose items hold commas stay items,
// and a province's outline file replaces the embedded one.
func TestDocumentSettings(t *testing.T) {
	dir := t.TempDir()
	outline := filepath.Join(dir, "reform.yaml")
	os.WriteFile(outline, []byte(`kind: reform
subject: "Báo cáo cải cách hành chính {period} của {province}"
intro: "Ủy ban nhân dân {province} báo cáo như sau:"
closing: "Kính gửi {recipient}./."
sections:
  - key: results
    level: 1
    heading: "KẾT QUẢ {PERIOD}"
    computed: [institutions]
  - key: results.budget
    level: 2
    heading: "Ngân sách"
    contributions: true
`), 0o644)
	file := filepath.Join(dir, "baocao.yaml")
	os.WriteFile(file, []byte(`
document:
  number: "Số: 12/BC-UBND"
  signer:
    title: [TM. ỦY BAN NHÂN DÂN, CHỦ TỊCH]
    name: Nguyễn Văn Thử
  reform:
    outline: `+outline+`
    recipient: Bộ Nội vụ
    copies: ["Văn phòng Chính phủ;", "TTTU, TTHĐND TP;", "Lưu: VT, KSTTHC1."]
`), 0o644)
	t.Setenv("BAOCAO_DOCUMENT_REFORM_BASIS", "Công văn số 581/BNV-CCHC ngày 21/02/2022 của Bộ Nội vụ\nKế hoạch số 4791/QĐ-UBND, năm 2024")

	root := newRootCmd(nil, io.Discard, io.Discard)
	cmd, rest, err := root.Find([]string{"report", "--config", file, "--document-place", "Thử Nghiệm"})
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Fatal(err)
	}
	if err := applySettings(cmd); err != nil {
		t.Fatal(err)
	}
	// the report command's options are its own: read them back into ours
	var do documentOptions
	fs := pflag.NewFlagSet("document", pflag.ContinueOnError)
	do.flags(fs)
	fs.VisitAll(func(f *pflag.Flag) {
		src := cmd.Flags().Lookup(f.Name)
		if src == nil {
			t.Fatalf("baocao report has no --%s", f.Name)
		}
		if sv, ok := src.Value.(pflag.SliceValue); ok {
			f.Value.(pflag.SliceValue).Replace(sv.GetSlice())
		} else {
			f.Value.Set(src.Value.String())
		}
	})
	layouts, err := do.layouts()
	if err != nil {
		t.Fatal(err)
	}
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	doc := layouts.For(report.Reform).Build(&report.Data{Period: p, Province: "thành phố Hải Phòng"})
	var md bytes.Buffer
	if err := report.Markdown(&md, doc); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Số: 12/BC-UBND", "*Thử Nghiệm, ngày", "## I. KẾT QUẢ 6 THÁNG ĐẦU NĂM 2024", "### 1. Ngân sách",
		"Thực hiện Công văn số 581/BNV-CCHC ngày 21/02/2022 của Bộ Nội vụ; Kế hoạch số 4791/QĐ-UBND, năm 2024, Ủy ban nhân dân",
		"- TTTU, TTHĐND TP;\n", "**CHỦ TỊCH**", "**Nguyễn Văn Thử**"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("the Markdown lacks %q:\n%s", want, md.String())
		}
	}
	if pc := layouts.For(report.ProcedureControl); pc.Recipient != "Văn phòng Chính phủ" || pc.Outline.Source != "outlines/procedure_control.yaml" {
		t.Errorf("procedure_control keeps its defaults: %q, %s", pc.Recipient, pc.Outline.Source)
	}
}

// A faulty outline file stops the command before it reads anything, with
// an error naming the file, the line, the section and the reason.
func TestDocumentOutlineError(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "reform.yaml")
	os.WriteFile(bad, []byte("kind: reform\nsubject: S\nintro: I\nclosing: C\nsections:\n  - key: results\n    level: 1\n    heading: KẾT QUẢ\n    computed: [budget]\n"), 0o644)
	code, _, errs := baocao(t, "", "report", "--period", "2024-H1", "--document-reform-outline", bad)
	if code == 0 || !strings.Contains(errs, "outline "+bad+":9: section results: computed: unknown block \"budget\"") {
		t.Errorf("exit %d, %s", code, errs)
	}
}

// --document-forms replaces the forms it gives and stops at start, naming
// the file, the line and the form, when the file is faulty.
func TestDocumentForms(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "forms.yaml")
	os.WriteFile(good, []byte("forms:\n  procedures:\n    code: \"Biểu số II.07b/VPCP/KSTT\"\n    title: \"Tổng hợp\"\n    sheet: \"II.07b\"\n"+
		"    columns: [\"Đơn vị\", {group: \"A\", columns: [a, b, c, d]}, {group: \"B\", columns: [a, b, c, d]}, {group: \"C\", columns: [a, b, c, d]}]\n"), 0o644)
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("forms:\n  centre:\n    code: x\n"), 0o644)
	for _, c := range []struct {
		file, err string
	}{{good, ""}, {bad, "bad.yaml:3: form centre: title: missing"}} {
		var do documentOptions
		fs := pflag.NewFlagSet("document", pflag.ContinueOnError)
		do.flags(fs)
		if err := fs.Parse([]string{"--document-forms", c.file}); err != nil {
			t.Fatal(err)
		}
		layouts, err := do.layouts()
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.file, err)
		case c.err == "" && layouts.For(report.ProcedureControl).Forms[report.FormProcedures].Sheet != "II.07b":
			t.Errorf("%s: the layouts do not carry the province's forms", c.file)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), "--document-forms: ") || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: %v; want %q", c.file, err, c.err)
		}
	}
}
