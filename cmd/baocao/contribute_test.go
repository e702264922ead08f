package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
)

// contribute reads a Markdown file, publishes a valid contribution.submitted
// to a real NATS, withdraws it, and rejects a bad file naming its line.
func TestContributeCommand(t *testing.T) {
	url := startNATS(t)
	if code, _, errs := baocao(t, "", "--nats-url", url, "streams"); code != 0 {
		t.Fatalf("streams: %s", errs)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "stp.md")
	os.WriteFile(good, []byte("---\nVăn bản QPPL được thẩm định = 25 văn bản | 6 tháng đầu năm 2023 = 20\n---\n"+
		"Sở Tư pháp đã thẩm định **25** dự thảo văn bản,\ntăng so với cùng kỳ.\n\n- Rà soát 1234 văn bản.\n- Kiến nghị sửa đổi\n  12 văn bản.\n"), 0o644)
	args := []string{"--nats-url", url, "contribute", "--agency", "000.00.31.H23", "--kind", "reform", "--period", "2024-H1", "--section", "results.institutions.drafting"}
	code, out, errs := baocao(t, "", append(args, "--figure", "Tỷ lệ đúng hạn = 98.5 %", good)...)
	if code != 0 || !strings.Contains(out, "contribution.submitted reform/half_year/official/2024-1/results.institutions.drafting published") {
		t.Fatalf("contribute: %d %q %q", code, out, errs)
	}
	if code, out, errs := baocao(t, "", append(args, "--withdraw")...); code != 0 || !strings.Contains(out, "contribution.withdrawn") {
		t.Fatalf("withdraw: %d %q %q", code, out, errs)
	}
	msgs := readStream(t, url)
	if len(msgs) != 2 {
		t.Fatalf("%d messages in the stream; want 2", len(msgs))
	}
	if msgs[0].Subject() != "baocao.events.000_00_31_H23.contribution.submitted" {
		t.Errorf("subject %s", msgs[0].Subject())
	}
	e, err := events.Decode(msgs[0].Data(), time.Now())
	if err != nil {
		t.Fatalf("the published event does not decode: %v", err)
	}
	w, err := events.Decode(msgs[1].Data(), time.Now())
	if err != nil {
		t.Fatalf("the withdrawal does not decode: %v", err)
	}
	// Run right after the submission, the withdrawal is a second later: the
	// projection orders by occurred_at, kept to the second.
	if !w.OccurredAt.After(e.OccurredAt) || e.OccurredAt.Nanosecond() != 0 {
		t.Errorf("submitted at %v, withdrawn at %v: want whole seconds, in order", e.OccurredAt, w.OccurredAt)
	}
	p := e.Payload.(events.ContributionSubmitted)
	wantParas := []string{"Sở Tư pháp đã thẩm định **25** dự thảo văn bản, tăng so với cùng kỳ.", "- Rà soát 1234 văn bản.", "- Kiến nghị sửa đổi 12 văn bản."}
	if strings.Join(p.Paragraphs, "|") != strings.Join(wantParas, "|") || len(p.Figures) != 2 ||
		p.Figures[0].Value != 25 || p.Figures[0].Unit != "văn bản" || p.Figures[0].Compare == nil || p.Figures[0].Compare.Value != 20 ||
		p.Figures[1].Name != "Tỷ lệ đúng hạn" || p.Figures[1].Value != 98.5 {
		t.Fatalf("payload %+v", p)
	}

	bad := filepath.Join(dir, "bad.md")
	os.WriteFile(bad, []byte("Đoạn một.\n\nĐoạn hai có <b>HTML</b>.\n\n## Tiêu đề\n"), 0o644)
	code, _, errs = baocao(t, "", append(args, bad)...)
	if code == 0 || !strings.Contains(errs, "bad.md:3: raw HTML is not allowed") || !strings.Contains(errs, "bad.md:5: headings are not allowed") {
		t.Fatalf("bad file: %d %q", code, errs)
	}
	badFig := filepath.Join(dir, "fig.md")
	os.WriteFile(badFig, []byte("---\nTỷ lệ = 98,5 %\n---\nVăn bản.\n"), 0o644)
	if code, _, errs = baocao(t, "", append(args, badFig)...); code == 0 || !strings.Contains(errs, "fig.md:2: figure \"Tỷ lệ\": value \"98,5\"") {
		t.Fatalf("bad figure: %d %q", code, errs)
	}
	if code, _, errs = baocao(t, "", "--nats-url", url, "contribute", "--agency", "000.00.31.H23", "--period", "2024-H1", "--section", "II.1", good); code == 0 || !strings.Contains(errs, "payload.section") {
		t.Fatalf("bad section: %d %q", code, errs)
	}
	// a well-formed key the province's outline lacks, or a heading no part fills
	if code, _, errs = baocao(t, "", "--nats-url", url, "contribute", "--agency", "000.00.31.H23", "--period", "2024-H1", "--section", "results.budget", good); code != 2 ||
		!strings.Contains(errs, "--section: outlines/reform.yaml has no section results.budget; the sections that take contributions are direction.documents,") {
		t.Fatalf("unknown section: %d %q", code, errs)
	}
	if code, _, errs = baocao(t, "", "--nats-url", url, "contribute", "--agency", "000.00.31.H23", "--period", "2024-H1", "--section", "results", good); code != 2 ||
		!strings.Contains(errs, "--section: section results of outlines/reform.yaml takes no contributions") {
		t.Fatalf("a heading: %d %q", code, errs)
	}
	if code, out, errs := baocao(t, "", "--nats-url", "nats://127.0.0.1:1", "contribute", "--agency", "000.00.31.H23", "--period", "2024-H1",
		"--section", "results.institutions.drafting", "--dry-run", good); code != 0 || !strings.Contains(out, "valid (dry run, nothing published)") {
		t.Fatalf("dry run: %d %q %q", code, out, errs)
	}
	if code, _, errs := baocao(t, "", append(args, "--withdraw", good)...); code == 0 || !strings.Contains(errs, "--withdraw takes no file") {
		t.Fatalf("withdraw with a file: %d %q", code, errs)
	}
	if n := len(readStream(t, url)); n != 2 {
		t.Fatalf("%d messages after the rejections; want still 2", n)
	}
}
