package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/simulate"
)

// The crash during a backfill: "up" starts over a stream that
// holds a whole backfill its projector has not projected (a fresh store, as
// after losing it, or a restart after a kill). The scheduler writes nothing
// while the projector is behind, says so, tries again within seconds though
// its interval is an hour, and then writes the quarter's report once, as of
// the backfill's last sequence.
func TestUpReportsOnlyFromCompleteData(t *testing.T) {
	n := natstest.StartWithStream(t)
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2026, 8, 1), events.NewDate(2026, 10, 31)
	cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict, cfg.Procedures, cfg.DossiersPerDay = 3, 2, 2, 60, 20
	var feed []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { feed = append(feed, e); return nil }); err != nil {
		t.Fatal(err)
	}
	publishAll(t, n.URL, feed)
	backfill := streamLastSeq(t, n.JS)

	data := t.TempDir()
	up := startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-url", n.URL,
		"--grace", "0s", "--lookback", "2880h", "--interval", "1h", "--format", "md,html", "--batch-max", "100",
		"--periods", "quarter,half_year,year") // the monthly reports are TestUpWaitsForData's
	web, _ := upAddresses(t, up, data)
	md := filepath.Join(data, "reports", "procedure_control", "2026-Q3-official.md")
	start := time.Now()
	waitFor(t, "the Q3 report", 2*time.Minute, func() bool { _, err := os.Stat(md); return err == nil })
	t.Logf("Q3 written %v after up served", time.Since(start).Round(100*time.Millisecond))
	if !strings.Contains(up.output(), "projector behind: ") {
		t.Errorf("no pass said the projector was behind:\n%s", lastLines(up.output(), 20))
	}
	first, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if asOf, err := report.ReadAsOf(report.FormatMarkdown, first); err != nil || asOf != backfill {
		t.Errorf("the report is as of stream sequence %d (%v); the backfill ends at %d", asOf, err, backfill)
	}
	// Once a pass has found the projector caught up, the report is the one
	// first written, announced once.
	waitFor(t, "a schedule pass with the projector caught up", time.Minute, func() bool {
		_, body := httpGet(t, web+"/metrics")
		return metricValue(body, "baocao_schedule_as_of_seq") >= float64(backfill) && metricValue(body, "baocao_schedule_projector_behind_events") == 0
	})
	if final, err := os.ReadFile(md); err != nil || string(final) != string(first) {
		t.Errorf("the report was rewritten after it was first written (%v): it was first written from part of the backfill", err)
	}
	announced := "SELECT count() AS n, max(JSONExtractUInt(payload, 'as_of_seq')) AS seq FROM baocao.events WHERE type = 'report.generated'"
	waitFor(t, "report.generated projected", time.Minute, func() bool { return httpSQL(t, web, announced) != "n,seq\n0,0\n" })
	if got := httpSQL(t, web, announced); got != "n,seq\n1,"+strconv.FormatUint(backfill, 10)+"\n" {
		t.Errorf("report.generated events: %q; want one, as of %d", got, backfill)
	}
	up.stop(t)

	// The report equals the one "baocao report" makes now from the
	// projected backfill, but for the line naming the sequence.
	out := t.TempDir()
	rep := startChild(t, "report", "--data", data, "--kind", "procedure_control", "--period", "2026-Q3", "--format", "md", "--out", out)
	if code := rep.wait(t, 2*time.Minute); code != 0 {
		t.Fatalf("baocao report: exit %d\n%s", code, rep.output())
	}
	want, err := os.ReadFile(filepath.Join(out, "procedure_control", "2026-Q3-official.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, body, _ := strings.Cut(string(first), "-->\n\n")
	if body != string(want) {
		t.Errorf("the scheduler's Q3 report is not the report of the whole backfill:\n%s\nwant:\n%s", firstDiff(body, string(want)), firstDiff(string(want), body))
	}
}

// firstDiff is a from the line where it first differs from b.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range al {
		if i >= len(bl) || al[i] != bl[i] {
			return strings.Join(al[i:min(i+3, len(al))], "\n")
		}
	}
	return ""
}

// A fresh "up" has nothing to report on: its scheduler says at info level
// what it waits for — events, then the agency directory naming the
// province — and tries again within seconds of their arrival though its
// interval is an hour. Never a document of zeros, never an error.
func TestUpWaitsForData(t *testing.T) {
	n := natstest.StartWithStream(t)
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2026, 8, 1), events.NewDate(2026, 9, 20)
	cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict, cfg.Procedures, cfg.DossiersPerDay = 2, 1, 1, 30, 10
	var directory, rest []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error {
		if strings.HasPrefix(string(e.Type), "agency.") {
			directory = append(directory, e)
		} else {
			rest = append(rest, e)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	data := t.TempDir()
	up := startChild(t, "up", "--data", data, "--http", "127.0.0.1:0", "--nats-url", n.URL,
		"--grace", "0s", "--lookback", "2880h", "--interval", "1h", "--format", "md", "--periods", "month")
	upAddresses(t, up, data)
	waitFor(t, "the scheduler saying it waits for events", time.Minute, func() bool {
		return strings.Contains(up.output(), "reports wait for events")
	})

	publishAll(t, n.URL, rest)
	waitFor(t, "the scheduler saying it waits for the directory", time.Minute, func() bool {
		return strings.Contains(up.output(), "reports wait for the agency directory")
	})
	for _, line := range strings.Split(up.output(), "\n") {
		if strings.Contains(line, "reports wait for") && !strings.Contains(line, "level=INFO") {
			t.Errorf("not at info level: %s", line)
		}
		if strings.Contains(line, "level=ERROR") {
			t.Errorf("an error while waiting for data: %s", line)
		}
	}
	reports := filepath.Join(data, "reports", "procedure_control")
	if entries, _ := os.ReadDir(reports); len(entries) > 0 {
		t.Fatalf("reports written without the province in the directory: %d files", len(entries))
	}

	publishAll(t, n.URL, directory)
	start := time.Now()
	md := filepath.Join(reports, "2026-M09-official.md") // 15/8 – 14/9
	waitFor(t, "the September report", 2*time.Minute, func() bool { _, err := os.Stat(md); return err == nil })
	t.Logf("written %v after the directory was published", time.Since(start).Round(100*time.Millisecond))
	body, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(body), "tháng 9/2026") || strings.Contains(string(body), "Ủy ban nhân dân tỉnh báo cáo") {
		t.Errorf("the monthly report does not name its month and province:\n%.1200s", body)
	}
	if strings.Count(up.output(), "reports wait for the agency directory") != 1 {
		t.Errorf("the wait was logged %d times; want once", strings.Count(up.output(), "reports wait for the agency directory"))
	}
}
