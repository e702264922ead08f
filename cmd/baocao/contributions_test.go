package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baocao/baocao/contributions/roundtest"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
)

// baocao contributions over the round of roundtest, published and
// projected through the commands: the summary, the agency × part states and
// the agencies not in, in text, JSON and CSV; exit 1 while parts are
// missing, 0 once every asked agency is in, 2 for bad settings naming them.
// The round's settings come from flags or the config file alike.
func TestContributionsCommand(t *testing.T) {
	ns := natstest.StartWithStream(t)
	ch := chtest.Start(t)
	feed := filepath.Join(t.TempDir(), "round.jsonl")
	var lines []string
	for _, e := range append(roundtest.Directory(), roundtest.Contributions(t)...) {
		lines = append(lines, jsonLine(t, e))
	}
	if err := os.WriteFile(feed, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := baocao(t, "", "--nats-url", ns.URL, "publish", feed); code != 0 {
		t.Fatal(errs)
	}
	server := []string{"--clickhouse-addr", ch.Addr, "--db", "rnd"}
	if code, _, errs := baocao(t, "", append([]string{"--nats-url", ns.URL, "rebuild"}, server...)...); code != 0 {
		t.Fatal(errs)
	}
	args := append([]string{"contributions", "--kind", "reform", "--period", "2024-H1", "--at", "2024-06-18T20:00:00+07:00",
		"--round-reform-section", "results.institutions=" + roundtest.Justice,
		"--round-reform-section", "results.public_finance=" + roundtest.Finance}, server...)

	code, out, errs := baocao(t, "", args...)
	for _, want := range []string{
		"Vòng thu thập reform 2024-H1 (6 tháng đầu năm 2024): hạn gửi 18/06/2024, đang mở",
		"5 đơn vị được đề nghị: 2 đã gửi đúng hạn, 1 gửi muộn, 2 chưa gửi đủ",
		"cả báo cáo", "results.public_finance", "đã gửi 10:00 17/06/2024", "gửi muộn 08:00 20/06/2024",
		"Chưa gửi (2):\n  " + roundtest.Finance + "  Sở Tài chính  (results.public_finance)\n  " + roundtest.VinhBao + "  Ủy ban nhân dân huyện Vĩnh Bảo  (cả báo cáo)",
		"Đơn vị khác đã gửi", roundtest.Commune,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if code != 1 || !strings.Contains(errs, "2 agencies have not sent their part") && errs != "" {
		t.Errorf("text: exit %d, %s; want 1", code, errs)
	}

	code, out, _ = baocao(t, "", append(args, "--format", "json")...)
	var js struct {
		Open        bool
		Counts      map[string]int
		Outstanding []string
		Agencies    []struct {
			Agency string
			State  string
			Parts  []struct{ Section, State string }
		}
	}
	if err := json.Unmarshal([]byte(out), &js); err != nil || code != 1 {
		t.Fatalf("json: exit %d, %v:\n%s", code, err, out)
	}
	if !js.Open || js.Counts["asked"] != 5 || js.Counts["late"] != 1 || strings.Join(js.Outstanding, " ") != roundtest.Finance+" "+roundtest.VinhBao ||
		js.Agencies[2].Parts[1].Section != "results.public_finance" || js.Agencies[2].Parts[1].State != "missing" || js.Agencies[3].State != "late" {
		t.Errorf("json: %+v", js)
	}

	code, out, _ = baocao(t, "", append(args, "--format", "csv", "--at", "2024-06-25")...)
	if code != 1 || !strings.HasPrefix(out, "agency,name,level,part,state,submitted_at,sections\n") ||
		!strings.Contains(out, roundtest.VinhBao+",Ủy ban nhân dân huyện Vĩnh Bảo,district,,late,,\n") ||
		!strings.Contains(out, roundtest.Justice+",Sở Tư pháp,department,results.institutions,submitted,2024-06-17T10:00:00+07:00,results.institutions.drafting\n") {
		t.Errorf("csv after the deadline: exit %d\n%s", code, out)
	}

	// The same round from the config file; asking only the three
	// departments that are in gives exit 0.
	cfg := filepath.Join(t.TempDir(), "baocao.yaml")
	os.WriteFile(cfg, []byte("round:\n  reform:\n    asked: ["+roundtest.Justice+", "+roundtest.Home+"]\n    deadline-days: 10\n"), 0o644)
	code, out, errs = baocao(t, "", append([]string{"--config", cfg, "contributions", "--period", "2024-H1", "--at", "2024-06-20"}, server...)...)
	if code != 0 || !strings.Contains(out, "hạn gửi 24/06/2024") || !strings.Contains(out, "2 đơn vị được đề nghị: 2 đã gửi đúng hạn, 0 gửi muộn, 0 chưa gửi đủ") {
		t.Errorf("from the config file: exit %d\n%s%s", code, out, errs)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--round-reform-section", "results.budget=" + roundtest.Finance}, `--round-reform-*: section "results.budget"`},
		{[]string{"--round-reform-section", "results.institutions"}, "--round-reform-section"},
		{[]string{"--round-reform-asked", "ward"}, `asked "ward"`},
		{[]string{"--round-reform-deadline-days", "-2"}, "deadline -2 days"},
		{[]string{"--format", "xml"}, `--format "xml"`},
		{[]string{"--at", "tomorrow"}, "--at"},
		{[]string{"--period", "2024-Q2"}, "a reform report is made for six months (2024-H1, 2024-H2) and years (2024), not for quarter"},
	} {
		if code, _, errs := baocao(t, "", append(slicesConcat(args, tt.args), server...)...); code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: exit %d, %s; want 2 and %q", tt.args, code, errs, tt.want)
		}
	}
}

func slicesConcat(a, b []string) []string { return append(append([]string{}, a...), b...) }
