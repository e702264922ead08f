// Package roundtest is a collection round for tests: a small directory (a
// province, four departments, two districts, a commune) and contributions
// to the six-month reform report of 2024 on time, late and missing.
package roundtest

import (
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
)

// The agencies of the directory.
const (
	Province = "000.00.00.H99"
	Justice  = "000.00.01.H99" // Sở Tư pháp: assigned the institutions
	Home     = "000.00.02.H99" // Sở Nội vụ
	Finance  = "000.00.03.H99" // Sở Tài chính: assigned public finance
	Merged   = "000.00.04.H99" // merged into Home on 1/3/2024: not asked
	Newer    = "000.00.05.H99" // created 1/7/2024, after the period: not asked
	HongBang = "000.00.11.H99" // a district
	VinhBao  = "000.00.12.H99" // a district
	Commune  = "000.11.01.H99" // a commune of Hồng Bàng: not asked by default
)

var vn = events.Vietnam

// H1 is the period of the round: 15/12/2023–14/6/2024; with the default
// 4 days, parts are due by the end of 18/6/2024.
var H1 = report.Period{Kind: report.HalfYear, Cutoff: report.Official, Year: 2024, Number: 1}

// Round asks departments and districts by 4 days after the period, and
// assigns the institutions to Justice, public finance to Finance.
func Round() contributions.Round {
	r := contributions.DefaultRound()
	r.Sections = []contributions.Assignment{
		{Section: "results.institutions", Agencies: []string{Justice}},
		{Section: "results.public_finance", Agencies: []string{Finance}},
	}
	return r
}

// Directory is the agency.created (and merged) events of the directory.
func Directory() []events.Event {
	type a struct {
		code, name string
		level      events.AgencyLevel
		parent     string
		from       events.Date
	}
	old := events.NewDate(2010, time.January, 1)
	var out []events.Event
	at := time.Date(2021, 6, 15, 8, 0, 0, 0, vn)
	for i, x := range []a{
		{Province, "Ủy ban nhân dân thành phố Thử", events.LevelProvince, "", old},
		{Justice, "Sở Tư pháp", events.LevelDepartment, Province, old},
		{Home, "Sở Nội vụ", events.LevelDepartment, Province, old},
		{Finance, "Sở Tài chính", events.LevelDepartment, Province, old},
		{Merged, "Ban Tôn giáo", events.LevelDepartment, Province, old},
		{Newer, "Sở Mới", events.LevelDepartment, Province, events.NewDate(2024, time.July, 1)},
		{HongBang, "Ủy ban nhân dân quận Hồng Bàng", events.LevelDistrict, Province, old},
		{VinhBao, "Ủy ban nhân dân huyện Vĩnh Bảo", events.LevelDistrict, Province, old},
		{Commune, "Ủy ban nhân dân phường Minh Khai", events.LevelCommune, HongBang, old},
	} {
		e := events.New(Province, x.code, at.Add(time.Duration(i)*time.Minute),
			events.AgencyCreated{Name: x.name, Level: x.level, Parent: x.parent, EffectiveFrom: x.from})
		e.RecordedAt = e.OccurredAt
		out = append(out, e)
	}
	m := events.New(Province, Merged, time.Date(2024, 3, 1, 8, 0, 0, 0, vn), events.AgencyMerged{Into: Home, EffectiveFrom: events.NewDate(2024, time.March, 1)})
	m.RecordedAt = m.OccurredAt
	return append(out, m)
}

// Contribution is agency's contribution to section of kind's report for
// p, submitted at at.
func Contribution(t testing.TB, agency string, k report.Kind, p report.Period, section string, at time.Time, text string) events.Event {
	t.Helper()
	e, err := contributions.Submission(agency, contributions.Slot{Kind: k, Period: p, Section: section},
		contributions.Draft{Paragraphs: []string{text}}, at, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	e.ID = events.NewID(at)
	e.RecordedAt = at
	return e
}

// Contributions are the round's contributions to the reform report of H1:
//
//	Justice   results.institutions.drafting 17/6 10:00      both parts on time
//	Home      results.organisation 18/6 16:00, civil_service 18/6 16:05: on time
//	Finance   direction.documents 17/6 09:00                whole on time; public finance missing
//	HongBang  results.procedures.dossiers 20/6 08:00        late
//	VinhBao   nothing
//	Commune   results.procedures 16/6 (not asked)
//	Province  direction.documents 16/6 (not asked)
func Contributions(t testing.TB) []events.Event {
	day := func(d, h, m int) time.Time { return time.Date(2024, 6, d, h, m, 0, 0, vn) }
	c := func(agency, section string, at time.Time, text string) events.Event {
		return Contribution(t, agency, report.Reform, H1, section, at, text)
	}
	return []events.Event{
		c(Justice, "results.institutions.drafting", day(17, 10, 0), "Sở Tư pháp đã thẩm định 25 dự thảo văn bản quy phạm pháp luật."),
		c(Home, "results.organisation", day(18, 16, 0), "Sở Nội vụ đã sắp xếp 3 phòng chuyên môn."),
		c(Home, "results.civil_service", day(18, 16, 5), "Tuyển dụng 120 công chức."),
		c(Finance, "direction.documents", day(17, 9, 0), "Sở Tài chính ban hành kế hoạch cải cách hành chính."),
		c(HongBang, "results.procedures.dossiers", day(20, 8, 0), "Quận Hồng Bàng tiếp nhận 1234 hồ sơ."),
		c(Commune, "results.procedures", day(16, 8, 0), "Phường Minh Khai niêm yết đủ thủ tục."),
		c(Province, "direction.documents", day(16, 9, 0), "Ủy ban nhân dân thành phố ban hành Kế hoạch số 1/KH-UBND."),
	}
}
