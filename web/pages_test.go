package web

import (
	"context"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/browsertest"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the screenshot goldens in testdata")

// seed004Pages serves the pages over Hải Phòng's first half of 2024 (seed
// 004) on 20/7/2024, with the six-month report written at a fixed time.
func seed004Pages(t *testing.T, s store.Store) (ts *httptest.Server, d *report.Data, dir string) {
	t.Helper()
	db := storetest.Migrated(t, s)
	storetest.InsertOnce(t, s, db, reporttest.Seed004())
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	dir = t.TempDir()
	var err error
	d, err = report.Load(context.Background(), s, db, p)
	if err != nil {
		t.Fatal(err)
	}
	files, err := report.Write(report.Request{Kind: report.Reform, Period: p, Formats: report.AllFormats, Dir: dir}, d)
	if err != nil {
		t.Fatal(err)
	}
	written := time.Date(2024, 7, 18, 1, 0, 0, 0, time.UTC) // 08:00 in Hà Nội
	for _, f := range files {
		if err := os.Chtimes(filepath.Join(dir, f.Path), written, written); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2024, 7, 20, 9, 0, 0, 0, events.Vietnam)
	pages := &Pages{Store: s, DB: db, Dir: dir, Now: func() time.Time { return now }}
	ts = httptest.NewServer(Handler(Config{Store: s, Pages: pages}))
	t.Cleanup(ts.Close)
	return ts, d, dir
}

// The pages on both engines: the index lists the written report and the
// periods still open or waiting, a report shows its forms and links each
// agency's drill-down, a period without a file is previewed, the files
// download, and anything else is a 404, not a query.
func TestPages(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		ts, d, dir := seed004Pages(t, s)

		code, body, _ := get(t, ts.URL+"/")
		for _, want := range []string{
			`href="/reports/reform/2024-H1-official"`, "6 tháng đầu năm 2024", "Đã lập lúc 08:00 18/07/2024",
			`href="/files/reform/2024-H1-official.xlsx"`, `href="/files/reform/2024-H1-official.md"`,
			`href="/reports/procedure_control/2024-Q2-official"`, "Đã kết thúc, chưa lập", // Q2 ended 14/6, not written
			`href="/reports/procedure_control/2024-official"`, "Đang diễn ra", // the year runs 15/12/2023–14/12/2024
			"Báo cáo định kỳ – Ủy ban nhân dân thành phố Hải Phòng",
		} {
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("GET /: %d, lacks %q", code, want)
			}
		}
		for _, absent := range []string{"2024-Q4-official", "2024-Q3-official", "2024-H2-official"} {
			if strings.Contains(body, absent) { // not begun on 20/7/2024, or after the last dossier (14/6)
				t.Errorf("GET / lists %s", absent)
			}
		}

		code, body, _ = get(t, ts.URL+"/reports/reform/2024-H1-official")
		for _, want := range []string{
			"Kết quả thực hiện công tác cải cách hành chính 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm 2024 của thành phố Hải Phòng",
			"Báo cáo lập lúc 08:00 18/07/2024", `href="/files/reform/2024-H1-official.xlsx"`, "<svg",
			"Chi tiết hồ sơ theo cơ quan, đơn vị",
		} {
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("the six-month report page: %d, lacks %q", code, want)
			}
		}
		for _, a := range d.Agencies {
			if href := `href="/reports/reform/2024-H1-official/agencies/` + a.Agency + `"`; !strings.Contains(body, href) {
				t.Errorf("the six-month report page has no drill-down link for %s (%s)", a.Agency, a.AgencyName)
			}
		}

		a := d.Agencies[0]
		code, body, _ = get(t, ts.URL+"/reports/reform/2024-H1-official/agencies/"+a.Agency)
		for _, want := range []string{a.AgencyName, "Tình hình, kết quả giải quyết TTHC theo lĩnh vực", "Tháng 6/2024", report.Int(a.ReceivedTotal)} {
			if code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("the drill-down of %s: %d, lacks %q", a.Agency, code, want)
			}
		}

		code, body, _ = get(t, ts.URL+"/reports/procedure_control/2024-Q2-official")
		if code != http.StatusOK || !strings.Contains(body, "Bản xem trước") || !strings.Contains(body, "quý II/2024") {
			t.Errorf("the Q2 preview: %d %.300s", code, grep(body, "notice"))
		}

		code, body, hdr := get(t, ts.URL+"/files/reform/2024-H1-official.xlsx")
		xlsx, err := os.ReadFile(filepath.Join(dir, "reform", "2024-H1-official.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK || body != string(xlsx) || !strings.Contains(hdr.Get("Content-Type"), "spreadsheetml") ||
			hdr.Get("Content-Disposition") != `attachment; filename="reform-2024-H1-official.xlsx"` {
			t.Errorf("the XLSX download: %d %q %q", code, hdr.Get("Content-Type"), hdr.Get("Content-Disposition"))
		}
		code, body, hdr = get(t, ts.URL+"/files/reform/2024-H1-official.md")
		if code != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/markdown") || !strings.Contains(body, "6 tháng đầu năm 2024") {
			t.Errorf("the Markdown download: %d %q", code, hdr.Get("Content-Type"))
		}

		for _, path := range []string{
			"/reports/budget/2024-H1-official",                      // no such kind
			"/reports/reform/2024-H3-official",                      // no such period
			"/reports/reform/2024-Q2-official",                      // reform is six-monthly and yearly
			"/reports/reform/2024-H1-monthly",                       // no such cut-off
			"/reports/reform/2024-H1-official/agencies/000.00.99.X", // no such agency
			"/reports/reform/2024-H1-official/agencies/x'%20OR%201=1%20--",
			"/files/reform/2024-H2-official.xlsx", // not written
			"/files/reform/2024-H1-official.txt",
			"/files/reform/..%2F..%2Fetc%2Fpasswd",
			"/files/..%2Freform/2024-H1-official.md",
			"/nothing",
		} {
			if code, body, _ := get(t, ts.URL+path); code != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404: %.200s", path, code, body)
			}
		}
	})
}

// The pages in headless Chromium: each loads without console errors or
// failed loads, the report shows its charts, and the six-month report page
// looks as its golden screenshot (testdata; -update rewrites it).
func TestPagesInBrowser(t *testing.T) {
	ts, d, _ := seed004Pages(t, enginetest.Embedded())
	for _, path := range []string{
		"/",
		"/reports/reform/2024-H1-official",
		"/reports/procedure_control/2024-Q2-official",
		"/reports/reform/2024-H1-official/agencies/" + d.Agencies[0].Agency,
		"/reports/reform/2024-H1-official/agencies/unknown",
	} {
		page := browsertest.LoadURL(t, ts.URL+path)
		want, problems := http.StatusOK, page.ConsoleProblems
		if strings.HasSuffix(path, "unknown") {
			// the browser logs the 404 of the page itself, and only that
			want, problems = http.StatusNotFound, slices.DeleteFunc(problems, func(p string) bool { return strings.Contains(p, ts.URL+path+")") })
		}
		if page.Status != want || len(problems) > 0 || len(page.FailedLoads) > 0 {
			t.Errorf("%s: status %d, console %v, failed loads %v", path, page.Status, page.ConsoleProblems, page.FailedLoads)
		}
		if path == "/" {
			links := page.Attrs("a[href^='/reports/']", "href")
			if len(links) < 4 {
				t.Errorf("the index links %d report pages: %v", len(links), links)
			}
		}
		if strings.HasPrefix(path, "/reports/reform/2024-H1-official") && !strings.HasSuffix(path, "unknown") && page.Count("figure.chart svg rect") < 10 {
			t.Errorf("%s shows %d chart bars", path, page.Count("figure.chart svg rect"))
		}
		if path == "/reports/reform/2024-H1-official" {
			browsertest.MatchGolden(t, page.Screenshot(), filepath.Join("testdata", "reform-2024-H1-official.png"), *update)
		}
	}
}
