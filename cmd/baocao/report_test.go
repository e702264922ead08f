package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
)

// From the stream to the reports through the commands an operator runs:
// project, query the views, generate a report, schedule every closed one.
func TestReportCommands(t *testing.T) {
	ns := natstest.StartWithStream(t)
	ch := chtest.Start(t)
	feed := filepath.Join(t.TempDir(), "feed.jsonl")
	if code, _, errs := baocao(t, "", "simulate", "--from", "2024-05-01", "--to", "2024-06-30", "--dossiers-per-day", "30",
		"--departments", "3", "--districts", "2", "--communes-per-district", "2", "--procedures", "60", "--out", feed); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := baocao(t, "", "--nats-url", ns.URL, "publish", feed); code != 0 {
		t.Fatal(errs)
	}
	// a part the province's outline below has no section for
	part := filepath.Join(t.TempDir(), "part.md")
	os.WriteFile(part, []byte("Sáng kiến của sở.\n"), 0o644)
	if code, _, errs := baocao(t, "", "--nats-url", ns.URL, "contribute", "--agency", "000.00.31.H23", "--kind", "procedure_control",
		"--period", "2024-Q2", "--section", "results.initiatives", part); code != 0 {
		t.Fatal(errs)
	}
	server := []string{"--clickhouse-addr", ch.Addr, "--db", "rep"}
	if code, _, errs := baocao(t, "", append([]string{"--nats-url", ns.URL, "rebuild"}, server...)...); code != 0 {
		t.Fatal(errs)
	}

	code, out, errs := baocao(t, "", append([]string{"sql", "--format", "csv",
		"SELECT sum(received_total) AS received, sum(resolved_total + in_progress_total) AS balance FROM rep.dossier_form_by_agency " +
			"WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2"}, server...)...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 2 || lines[0] != "received,balance" {
		t.Fatalf("sql: exit %d, %q, %s", code, out, errs)
	}
	if parts := strings.Split(lines[1], ","); parts[0] == "0" || parts[0] != parts[1] {
		t.Errorf("sql: received and resolved + in progress should be equal and not zero: %s", lines[1])
	}

	dir := t.TempDir()
	code, out, errs = baocao(t, "", append([]string{"report", "--kind", "procedure_control", "--period", "2024-Q2", "--out", dir}, server...)...)
	if code != 0 || strings.Count(out, "sha256") != 3 {
		t.Fatalf("report: exit %d, %s, %s", code, out, errs)
	}
	md, err := os.ReadFile(filepath.Join(dir, "procedure_control", "2024-Q2-official.md"))
	if err != nil || !strings.Contains(string(md), "quý II/2024") || !strings.Contains(string(md), "Tổng số hồ sơ tiếp nhận giải quyết") {
		t.Errorf("report: the Markdown is missing or not the Q2 report (%v):\n%.600s", err, md)
	}
	if !strings.Contains(string(md), "Sáng kiến của sở.") || strings.Contains(errs, "warning") {
		t.Errorf("report: the part is not in its section, or a warning: %s", errs)
	}
	// The province's outline drops the section: the part is not printed,
	// and the command names it.
	embedded, err := os.ReadFile(filepath.Join("..", "..", "report", "outlines", "procedure_control.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dropped := strings.Replace(string(embedded), "  - key: results.initiatives\n    level: 2\n    heading: \"Sáng kiến, giải pháp cải cách thủ tục hành chính\"\n    contributions: true\n", "", 1)
	outline := filepath.Join(t.TempDir(), "procedure_control.yaml")
	os.WriteFile(outline, []byte(dropped), 0o644)
	code, _, errs = baocao(t, "", append([]string{"report", "--kind", "procedure_control", "--period", "2024-Q2", "--format", "md", "--out", dir,
		"--document-procedure-control-outline", outline}, server...)...)
	md, _ = os.ReadFile(filepath.Join(dir, "procedure_control", "2024-Q2-official.md"))
	if want := "warning: not in the report: 000.00.31.H23's contribution to results.initiatives: the outline (" + outline + ") has no section results.initiatives"; code != 0 || !strings.Contains(errs, want) || strings.Contains(string(md), "Sáng kiến của sở.") {
		t.Errorf("report with the section dropped: exit %d, %s; want the warning %q and the part left out", code, errs, want)
	}
	if code, _, errs := baocao(t, "", append([]string{"report", "--period", "2024-Q5"}, server...)...); code != 2 || !strings.Contains(errs, "2024-Q5") {
		t.Errorf("a bad period: exit %d, %s", code, errs)
	}
	if code, _, errs := baocao(t, "", append([]string{"report", "--kind", "reform", "--period", "2024-Q2", "--out", dir}, server...)...); code != 2 || !strings.Contains(errs, "reform report is made for six months (2024-H1, 2024-H2) and years (2024), not for quarter") {
		t.Errorf("a reform report for a quarter: exit %d, %s; want it refused with the periods it is made for", code, errs)
	}
	if code, _, errs := baocao(t, "", append([]string{"report", "--kind", "procedure_control", "--period", "2023-Q2", "--format", "md", "--out", dir}, server...)...); code != 2 || !strings.Contains(errs, "no events in the period: Quý II/2023") {
		t.Errorf("a quarter without events: exit %d, %s; want an error naming it", code, errs)
	}
	missing := filepath.Join(t.TempDir(), "no-such-folder")
	if code, _, errs := baocao(t, "", "report", "--data", missing, "--kind", "procedure_control", "--period", "2024-Q2", "--out", dir); code != 2 || !strings.Contains(errs, "data folder "+missing+" holds no database") {
		t.Errorf("a data folder that does not exist: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("report created the data folder it was wrongly given")
	}
	if code, _, errs := baocao(t, "", "report", "--clickhouse-addr", ch.Addr, "--db", "no_such_db", "--kind", "procedure_control", "--period", "2024-Q2", "--out", dir); code != 2 || !strings.Contains(errs, "database no_such_db does not exist") {
		t.Errorf("a database that does not exist: exit %d, %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(dir, "procedure_control", "2023-Q2-official.md")); err == nil {
		t.Error("a report of a quarter without events was written")
	}

	// The scheduler writes only once the projector's durable consumer has
	// acknowledged the stream: the live projector, as an operator runs it.
	consume := startChild(t, append([]string{"--nats-url", ns.URL, "consume"}, server...)...)
	waitConsumed(t, ns.JS)
	consume.stop(t)

	// back from today to the simulated 2024
	lookback := fmt.Sprintf("%.0fh", time.Since(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Hours())
	sched := append([]string{"--nats-url", ns.URL, "schedule", "--once", "--lookback", lookback, "--format", "md", "--out", t.TempDir()}, server...)
	if code, out, errs := baocao(t, "", sched...); code != 0 || !strings.Contains(out, "reform/2024-H1-official") {
		t.Fatalf("schedule: exit %d, %s, %s", code, out, errs)
	}
	announced := 0
	for _, m := range readStream(t, ns.URL) {
		if strings.HasSuffix(m.Subject(), ".report.generated") {
			announced++
		}
	}
	if announced == 0 {
		t.Fatal("schedule announced no report on the stream")
	}
	if code, out, errs := baocao(t, "", sched...); code != 0 || out != "" {
		t.Fatalf("a second schedule pass: exit %d, generated %q, %s; want nothing generated", code, out, errs)
	}
	again := 0
	for _, m := range readStream(t, ns.URL) {
		if strings.HasSuffix(m.Subject(), ".report.generated") {
			again++
		}
	}
	if again != announced {
		t.Errorf("the second pass announced %d more reports", again-announced)
	}
}
