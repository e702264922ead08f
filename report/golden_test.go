package report_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/baocao/baocao/internal/browsertest"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// seed004Sentences are the figures of Hải Phòng's six-month 2024 report
// (seed 004, DOMAIN.md "Example figures"), each as the words that must
// stand together in one sentence of the generated report.
var seed004Sentences = [][]string{
	{"hoàn thành 08/57 nhiệm vụ", "Kế hoạch số 4791/QĐ-UBND"},
	{"giao 78 nhiệm vụ"},
	{"Hoàn thành 37 nhiệm vụ đúng hạn"},
	{"Đang thực hiện 41 nhiệm vụ trong hạn"},
	{"Không có nhiệm vụ quá hạn"},
	{"55 Quyết định công bố danh mục TTHC"},
	{"kế hoạch rà soát đối với 63 TTHC"},
	{"11/43 thủ tục hành chính nội bộ", "đạt tỷ lệ 25,6%"},
	{"04 TTHC", "ủy quyền"},
	{"tiếp nhận mới: 192", "kỳ trước chuyển sang: 12", "đã hoàn thành: 138", "đang xử lý: 66 (trong hạn: 62, quá hạn: 4)"},
	{"35/35 sở, ban, ngành, quận, huyện", "217/217 xã, phường, thị trấn"},
	{"1.317 dịch vụ công trực tuyến toàn trình", "386 dịch vụ công trực tuyến một phần"},
	{"(PAR Index) năm 2023", "vị trí thứ 2/63", "91,87 điểm", "tăng 1,78 điểm so với năm 2022"},
	{"(SIPAS) năm 2023", "vị trí thứ 5/63", "88,90%", "tăng 5,02% so với năm 2022"},
	{"khoảng 1.150 tin, bài"},
	{"17 văn bản quy phạm pháp luật"},
}

// sentences splits running text at sentence ends and line breaks.
var sentenceEnd = regexp.MustCompile(`\.\s+|\n`)

// The golden test: from an event fixture of Hải Phòng's first half of 2024,
// delivered twice and shuffled, the six-month report states every figure of
// seed 004 in a sentence, and its dossier form equals the form computed from
// the events in Go, independently of the SQL. On both engines, with
// byte-identical files.
func TestSeed004Report(t *testing.T) {
	evs := reporttest.Seed004()
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	var files [2][]report.File
	i := 0
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertTwiceShuffled(t, s, db, evs, 4)
		d, err := report.Load(context.Background(), s, db, p)
		if err != nil {
			t.Fatal(err)
		}
		text := report.Build(report.Reform, d).Text()
		chunks := sentenceEnd.Split(text, -1)
		for _, want := range seed004Sentences {
			found := false
			for _, c := range chunks {
				all := true
				for _, w := range want {
					all = all && strings.Contains(c, w)
				}
				found = found || all
			}
			if !found {
				t.Errorf("no sentence of the report says %q", want)
			}
		}
		assertFormMatchesEvents(t, d)
		assertAgencyDrillDown(t, s, db, d)

		dir := t.TempDir()
		files[i], err = report.Generate(context.Background(), s, db, report.Request{Kind: report.Reform, Period: p, Formats: report.AllFormats, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		md := string(generated(t, dir, files[i][0]))
		for _, want := range seed004Sentences {
			if !strings.Contains(md, want[0]) {
				t.Errorf("the Markdown lacks %q", want[0])
			}
		}
		assertWorkbook(t, generated(t, dir, files[i][2]), d)
		assertPageInBrowser(t, filepath.Join(dir, filepath.FromSlash(files[i][1].Path)))
		i++
	})
	if i == 2 {
		for f := range files[0] {
			if files[0][f].SHA256 != files[1][f].SHA256 {
				t.Errorf("%s differs between ClickHouse 18.16 and chDB", files[0][f].Path)
			}
		}
	}
}

// assertAgencyDrillDown holds the drill-down of the first agency of each
// level to the report: the same total as its row of the form by agency,
// fields that add up to it, and months that partition the period's new
// and resolved dossiers.
func assertAgencyDrillDown(t *testing.T, s store.Store, db string, d *report.Data) {
	t.Helper()
	list, err := report.LoadAgencies(context.Background(), s, db, d.Period)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(list) != fmt.Sprint(d.Agencies) {
		t.Errorf("LoadAgencies differs from the report's form by agency:\n%.400v\n%.400v", list, d.Agencies)
	}
	seen := map[string]bool{}
	for _, row := range d.Agencies {
		if seen[row.LevelGroup] {
			continue
		}
		seen[row.LevelGroup] = true
		a, err := report.LoadAgency(context.Background(), s, db, d.Period, row.Agency)
		if err != nil {
			t.Fatal(err)
		}
		if a.Total != row.Form || a.Name != row.AgencyName || a.LevelGroup != row.LevelGroup {
			t.Errorf("%s: the drill-down's total %+v (%s, %s); the report's row %+v (%s, %s)", row.Agency, a.Total, a.Name, a.LevelGroup, row.Form, row.AgencyName, row.LevelGroup)
		}
		var fields, months report.Form
		for _, f := range a.Fields {
			fields.Add(f.Form)
		}
		for _, m := range a.Months {
			months.Add(m.Form)
		}
		if fields != a.Total {
			t.Errorf("%s: the fields add up to %+v; the total is %+v", row.Agency, fields, a.Total)
		}
		if len(a.Months) != 6 || months.ReceivedOnline+months.ReceivedOffline != a.Total.ReceivedOnline+a.Total.ReceivedOffline ||
			months.ResolvedTotal != a.Total.ResolvedTotal {
			t.Errorf("%s: %d months with %d new and %d resolved dossiers; the half-year has %d new and %d resolved", row.Agency, len(a.Months),
				months.ReceivedOnline+months.ReceivedOffline, months.ResolvedTotal, a.Total.ReceivedOnline+a.Total.ReceivedOffline, a.Total.ResolvedTotal)
		}
	}
	if _, err := report.LoadAgency(context.Background(), s, db, d.Period, `x' OR 1 = 1 --`); !errors.Is(err, report.ErrNoAgency) {
		t.Errorf("an unknown agency code with a quote: %v; want ErrNoAgency", err)
	}
}

// assertFormMatchesEvents compares the report's dossier figures with
// reporttest.DossierForm, which folds the events in Go.
func assertFormMatchesEvents(t *testing.T, d *report.Data) {
	t.Helper()
	for _, c := range []struct {
		name string
		got  report.Form
		want map[string]reporttest.DossierColumns
	}{
		{"2024", d.Total, reporttest.DossierForm(reporttest.Seed004(), reporttest.PeriodStart, reporttest.PeriodEnd)},
		{"2023", d.PrevTotal, reporttest.DossierForm(reporttest.Seed004(), reporttest.PrevPeriodStart, reporttest.PrevPeriodEnd)},
	} {
		var w reporttest.DossierColumns
		for _, a := range c.want {
			w.Add(a)
		}
		want := report.Form{ReceivedTotal: int64(w.ReceivedTotal), ReceivedOnline: int64(w.ReceivedOnline), ReceivedOffline: int64(w.ReceivedOffline),
			CarriedOver: int64(w.CarriedOver), ResolvedTotal: int64(w.ResolvedTotal), ResolvedEarly: int64(w.ResolvedEarly),
			ResolvedOnTime: int64(w.ResolvedOnTime), ResolvedLate: int64(w.ResolvedLate), InProgressTotal: int64(w.InProgressTotal),
			InProgressWithinDue: int64(w.InProgressWithinDue), InProgressOverdue: int64(w.InProgressOverdue)}
		if c.got != want || want.ReceivedTotal == 0 {
			t.Errorf("%s: the report's form %+v; the events give %+v", c.name, c.got, want)
		}
		if c.name == "2024" && len(d.Agencies) != len(c.want) {
			t.Errorf("the form has %d agencies; the events give %d", len(d.Agencies), len(c.want))
		}
	}
}

// assertPageInBrowser loads the HTML report in headless Chromium: no console
// errors, nothing fetched from elsewhere, the charts and forms present.
func assertPageInBrowser(t *testing.T, path string) {
	t.Helper()
	page := browsertest.Load(t, path)
	if len(page.ConsoleProblems) > 0 || len(page.FailedLoads) > 0 {
		t.Errorf("the HTML report has console problems %v and failed loads %v", page.ConsoleProblems, page.FailedLoads)
	}
	if page.SVGCount < 2 || page.Count("figure.chart svg rect") < 10 {
		t.Errorf("the HTML report shows %d charts with %d bars; want the level and rate charts", page.SVGCount, page.Count("figure.chart svg rect"))
	}
	if page.Count("table") < 3 || page.Count("h2") < 4 || !strings.Contains(page.Title, "Kết quả thực hiện công tác cải cách hành chính") {
		t.Errorf("the HTML report has title %q, %d tables, %d sections", page.Title, page.Count("table"), page.Count("h2"))
	}
}

// assertWorkbook opens the XLSX: one sheet per form, numbers stored as
// numbers, the total of the form by level equal to the report's.
func assertWorkbook(t *testing.T, data []byte, d *report.Data) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the XLSX does not open: %v", err)
	}
	defer f.Close()
	sheets := strings.Join(f.GetSheetList(), "|")
	for _, want := range []string{"Theo cấp", "Hồ sơ theo cơ quan", "Chỉ tiêu"} {
		if !strings.Contains(sheets, want) {
			t.Errorf("the workbook has sheets %s; want %s", sheets, want)
		}
	}
	rows, err := f.GetRows("Theo cấp", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	last := rows[len(rows)-1]
	if len(last) < 3 || last[1] != "Tổng cộng" || last[2] != strings.TrimSpace(strings.ReplaceAll(report.Int(d.Total.ReceivedTotal), ".", "")) {
		t.Errorf("the total row of Theo cấp is %v; want Tổng cộng and %d received", last, d.Total.ReceivedTotal)
	}
}
