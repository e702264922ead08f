package report_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// Agencies of seed 004's directory: a department and a district after the
// province's own office.
const (
	justice  = reporttest.JusticeCode // Sở Tư pháp, 000.00.02.H23
	dept05   = "000.00.05.H23"
	dept06   = "000.00.06.H23"
	dept07   = "000.00.07.H23"
	district = "000.00.21.H23"
)

// weaveFeed is seed 004 with contributions to its six-month reform report
// (and one to a quarterly report): three agencies in one section, a part
// replaced, a part withdrawn, parts to keys the outline lacks or that take
// none, and an indicator of kind other.
func weaveFeed() []events.Event {
	evs := reporttest.Seed004()
	at := func(day, hour int) time.Time { return time.Date(2024, 6, day, hour, 0, 0, 0, events.Vietnam) }
	part := func(agency, section string, when time.Time, paras []string, figs ...events.Figure) events.Event {
		c := events.ContributionSubmitted{Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
			Year: 2024, Number: 1, Section: section, Paragraphs: paras, Figures: figs}
		return events.New(agency, c.Slot(), when, c)
	}
	evs = append(evs,
		// listed last, then first, then second: the form's order is the
		// province, departments, districts
		part(district, "direction.inspection", at(17, 8), []string{"Quận đã tự kiểm tra 05 phường."}),
		part(reporttest.ProvinceCode, "direction.inspection", at(18, 9), []string{"Thành phố đã thành lập **04 đoàn** kiểm tra *đột xuất*.",
			"- Kiểm tra 05 sở, ngành;", "- Kiểm tra 04 quận, huyện."},
			events.Figure{Name: "Đơn vị được kiểm tra", Value: 19, Unit: "đơn vị", Compare: &events.FigureComparison{Label: "6 tháng đầu năm 2023", Value: 12.5}}),
		part(justice, "direction.inspection", at(17, 10), []string{"Sở Tư pháp đã kiểm tra 03 phòng chuyên môn."},
			events.Figure{Name: "Giải ngân vốn đầu tư công", Value: 4048.546, Unit: "tỷ đồng"}, events.Figure{Name: "Tỷ lệ", Value: 25.6, Unit: "%"}),
		// replaced by its later version
		part(dept05, "direction.communication", at(17, 9), []string{"Bản cũ của Sở."}),
		part(dept05, "direction.communication", at(18, 9), []string{"Bản mới của Sở."}),
		// withdrawn: the section only contributions fill is empty again
		part(dept06, "direction.initiatives", at(17, 9), []string{"Sáng kiến rút lại."}),
		// to a key the outline lacks, and to a heading that takes none
		part(dept07, "direction.unknown_part", at(17, 9), []string{"Mục không có trong đề cương."}),
		part(dept07, "results", at(17, 9), []string{"Mục chỉ có tiêu đề."}),
	)
	w := events.ContributionWithdrawn{Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
		Year: 2024, Number: 1, Section: "direction.initiatives", Reason: "gửi nhầm"}
	evs = append(evs, events.New(dept06, w.Slot(), at(18, 9), w))
	q := events.ContributionSubmitted{Report: events.ReportProcedureControl, PeriodKind: events.PeriodQuarter, Cutoff: events.CutoffOfficial,
		Year: 2024, Number: 2, Section: "results.direction", Paragraphs: []string{"Chỉ của báo cáo quý."}}
	evs = append(evs, events.New(justice, q.Slot(), at(17, 9), q))
	ind := events.IndicatorReported{Indicator: events.IndicatorOther, Name: "Cuộc đối thoại với doanh nghiệp", Value: 12, Unit: "cuộc",
		PeriodFrom: events.NewDate(2023, time.December, 15), PeriodTo: events.NewDate(2024, time.June, 14)}
	evs = append(evs, events.New(reporttest.ProvinceCode, "other/doi_thoai/2024-H1", at(16, 9), ind))
	return evs
}

// sectionText is the running text of the section with key, heading included.
func sectionText(doc *report.Document, key string) string {
	for _, s := range doc.Sections {
		if s.Key == key {
			one := *doc
			one.Sections = []report.Section{s}
			one.Title, one.Subject, one.Notice, one.Recipient, one.Intro, one.Closing = "", "", "", "", "", ""
			return strings.TrimSpace(one.Text())
		}
	}
	return ""
}

// TestContributionsWoven: the agencies' parts stand in their sections, the
// province's own first, then in the form's order, each in force (the later
// version, nothing withdrawn), with their emphasis and figures; what the
// outline has no place for is named, never printed; an indicator of kind
// other stands where the outline names it. On both engines, the events
// delivered twice and shuffled, with byte-identical files.
func TestContributionsWoven(t *testing.T) {
	evs := weaveFeed()
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	// the province's outline states the indicator in I.4
	outline := *report.DefaultOutline(report.Reform)
	outline.Sections = slices.Clone(outline.Sections)
	for i, s := range outline.Sections {
		if s.Key == "direction.communication" {
			outline.Sections[i].Indicators = []string{"Cuộc đối thoại với doanh nghiệp"}
		}
	}
	named := report.DefaultLayout(report.Reform)
	named.Outline = &outline

	var files [2][][]byte
	i := 0
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertTwiceShuffled(t, s, db, evs, 3)
		d, err := report.Load(context.Background(), s, db, p)
		if err != nil {
			t.Fatal(err)
		}
		doc := report.Build(report.Reform, d)

		got := sectionText(doc, "direction.inspection")
		order := []string{"Thành phố đã thành lập 04 đoàn", "- Kiểm tra 05 sở, ngành;", "- Đơn vị được kiểm tra: 19 đơn vị (6 tháng đầu năm 2023: 12,5 đơn vị).",
			"Sở Tư pháp đã kiểm tra", "- Giải ngân vốn đầu tư công: 4.048,546 tỷ đồng.", "- Tỷ lệ: 25,6%.", "Quận đã tự kiểm tra"}
		last := -1
		for _, w := range order {
			at := strings.Index(got, w)
			if at < 0 || at < last {
				t.Errorf("I.3 lacks %q or has it out of order (province, departments, districts):\n%s", w, got)
			}
			last = at
		}
		if got := sectionText(doc, "direction.communication"); !strings.Contains(got, "Bản mới của Sở.") || strings.Contains(got, "Bản cũ") {
			t.Errorf("I.4 should hold the later version alone:\n%s", got)
		}
		if got := sectionText(doc, "direction.initiatives"); strings.Contains(got, "rút lại") || !strings.Contains(got, report.DefaultEmpty) {
			t.Errorf("I.6 should be empty again after the withdrawal:\n%s", got)
		}
		text := doc.Text()
		for _, absent := range []string{"Mục không có trong đề cương", "Mục chỉ có tiêu đề", "Chỉ của báo cáo quý", "Cuộc đối thoại"} {
			if strings.Contains(text, absent) {
				t.Errorf("the report prints %q", absent)
			}
		}
		var unplaced []string
		for _, u := range doc.Unplaced {
			unplaced = append(unplaced, u.String())
		}
		want := []string{
			dept07 + "'s contribution to direction.unknown_part: the outline (outlines/reform.yaml) has no section direction.unknown_part",
			dept07 + "'s contribution to results: the outline's section results takes no contributions",
			`indicator "Cuộc đối thoại với doanh nghiệp": no section of the outline (outlines/reform.yaml) names it under indicators`,
		}
		if !slices.Equal(unplaced, want) {
			t.Errorf("unplaced:\n%s\nwant:\n%s", strings.Join(unplaced, "\n"), strings.Join(want, "\n"))
		}

		// the province's own outline states the indicator
		withIndicator := named.Build(d)
		if got := sectionText(withIndicator, "direction.communication"); !strings.Contains(got, "Cuộc đối thoại với doanh nghiệp (từ ngày 15/12/2023 đến ngày 14/06/2024): 12 cuộc.") {
			t.Errorf("I.4 lacks the indicator its outline names:\n%s", got)
		}
		if len(withIndicator.Unplaced) != 2 {
			t.Errorf("with the indicator placed, unplaced: %v", withIndicator.Unplaced)
		}

		// emphasis in every format
		var md, page bytes.Buffer
		if err := report.Markdown(&md, doc); err != nil {
			t.Fatal(err)
		}
		if err := report.HTML(&page, doc); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(md.String(), "Thành phố đã thành lập **04 đoàn** kiểm tra *đột xuất*.") {
			t.Error("the Markdown loses the contribution's emphasis")
		}
		if !strings.Contains(page.String(), "Thành phố đã thành lập <strong>04 đoàn</strong> kiểm tra <em>đột xuất</em>.") {
			t.Error("the HTML loses the contribution's emphasis")
		}
		var xlsx bytes.Buffer
		if err := report.XLSX(&xlsx, doc); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(xlsx.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows("Số liệu các đơn vị", excelize.Options{RawCellValue: true})
		wb.Close()
		if err != nil || len(rows) < 8 || !slices.Contains(rows[6], "4048.546") || !slices.Contains(rows[5], "Ủy ban nhân dân thành phố Hải Phòng") {
			t.Errorf("the workbook's sheet of figures: %v, %v", rows, err)
		}
		files[i] = [][]byte{md.Bytes(), page.Bytes(), xlsx.Bytes()}
		i++
	})
	if i == 2 {
		for f := range files[0] {
			if !bytes.Equal(files[0][f], files[1][f]) {
				t.Errorf("the engines give different reports (format %d)", f)
			}
		}
	}
}
