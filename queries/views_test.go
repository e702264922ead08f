package queries_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

const (
	province = "000.00.00.H23"
	dept     = "000.00.31.H23"
	district = "000.01.02.H23"
	commune  = "000.02.03.H23"
)

func vn(m time.Month, d, h int) time.Time { return time.Date(2024, m, d, h, 0, 0, 0, events.Vietnam) }

// ev is events.New recorded a minute after it happened, so that the latest
// by (recorded_at, id) is the latest to happen, as in a real feed.
func ev(agency, subject string, at time.Time, p events.Payload) events.Event {
	e := events.New(agency, subject, at, p)
	e.RecordedAt = at.Add(time.Minute)
	return e
}

var directory = []events.Event{
	events.New(province, province, vn(1, 2, 9), events.AgencyCreated{Name: "Ủy ban nhân dân thành phố Hải Phòng", Level: events.LevelProvince, EffectiveFrom: events.NewDate(2008, 1, 1)}),
	events.New(province, dept, vn(1, 2, 9), events.AgencyCreated{Name: "Sở Tư pháp", Level: events.LevelDepartment, Parent: province, EffectiveFrom: events.NewDate(2008, 1, 1)}),
	events.New(province, district, vn(1, 2, 9), events.AgencyCreated{Name: "UBND quận Lê Chân", Level: events.LevelDistrict, Parent: province, EffectiveFrom: events.NewDate(2008, 1, 1)}),
	events.New(province, commune, vn(1, 2, 9), events.AgencyCreated{Name: "UBND phường Dư Hàng", Level: events.LevelCommune, Parent: district, EffectiveFrom: events.NewDate(2008, 1, 1)}),
}

// decoded encodes e, lets edit turn it into an older version's JSON, and
// decodes it as the projector would: the event upgraded to the current
// version.
func decoded(t *testing.T, e events.Event, version int, edit func(payload map[string]any)) events.Event {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["schema_version"] = version
	edit(m["payload"].(map[string]any))
	if b, err = json.Marshal(m); err != nil {
		t.Fatal(err)
	}
	out, err := events.Decode(b, time.Now())
	if err != nil {
		t.Fatalf("v%d %s: %v", version, e.Type, err)
	}
	return out
}

// Dossiers received at the centre and at agencies' own desks — v3 events
// naming the desk, v1 and v2 events from before desks upgrading to the
// agency's — are counted by desk in dossier_form_by_agency_field, and summed
// over desks and fields they are dossier_form_by_agency, whatever the order
// and however often the events arrive.
func TestDesks(t *testing.T) {
	var evs []events.Event
	received := func(agency, id, field string, desk events.Desk, day int, resolve bool) events.Event {
		at := vn(4, day, 9)
		e := ev(agency, id, at, events.DossierReceived{Procedure: "1.001", Field: field, Channel: events.ChannelInPerson,
			Desk: desk, DueAt: at.Add(96 * time.Hour)})
		evs = append(evs, e)
		if resolve {
			evs = append(evs, ev(agency, id, at.Add(24*time.Hour), events.DossierResultIssued{Outcome: events.OutcomeApproved}))
		}
		return e
	}
	received(dept, "HS-1", "Hộ tịch", events.DeskCentre, 2, true)
	received(dept, "HS-2", "Hộ tịch", events.DeskCentre, 3, false)
	received(dept, "HS-3", "Chứng thực", events.DeskCentre, 3, true)
	received(dept, "HS-4", "Hộ tịch", events.DeskAgency, 4, true)
	received(district, "HS-5", "Đất đai", events.DeskAgency, 4, true)
	received(commune, "HS-6", "Hộ tịch", "", 5, true) // v3 without desk: the agency's
	// from before desks: v1 (online flag) and v2 (channel)
	v1 := received(commune, "HS-7", "Hộ tịch", events.DeskCentre, 8, false)
	v2 := received(district, "HS-8", "Đất đai", events.DeskCentre, 8, true)
	evs = slices.DeleteFunc(evs, func(e events.Event) bool { return e.ID == v1.ID || e.ID == v2.ID })
	evs = append(evs,
		decoded(t, v1, 1, func(p map[string]any) { delete(p, "channel"); delete(p, "desk"); p["online"] = false }),
		decoded(t, v2, 2, func(p map[string]any) { delete(p, "desk") }))

	// agency, field, desk → received_total, resolved_total (Q2, official)
	want := [][]string{
		{dept, "Chứng thực", "centre", "1", "1"},
		{dept, "Hộ tịch", "agency", "1", "1"},
		{dept, "Hộ tịch", "centre", "2", "1"},
		{district, "Đất đai", "agency", "2", "2"},
		{commune, "Hộ tịch", "agency", "2", "1"},
	}
	slices.SortFunc(want, func(a, b []string) int { return strings.Compare(strings.Join(a, "|"), strings.Join(b, "|")) })
	const q2 = "kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2"

	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertTwiceShuffled(t, s, db, slices.Concat(directory, evs), 21)
		got := storetest.Query(t, s, "SELECT agency, field, desk, toString(received_total), toString(resolved_total) FROM "+db+
			".dossier_form_by_agency_field WHERE "+q2+" ORDER BY agency, field, desk")
		slices.SortFunc(got, func(a, b []string) int { return strings.Compare(strings.Join(a, "|"), strings.Join(b, "|")) })
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("dossier_form_by_agency_field gives\n%v\nwant\n%v", got, want)
		}
		// the same rows carry the agency's name and section
		got = storetest.Query(t, s, "SELECT DISTINCT agency_name, level_group FROM "+db+".dossier_form_by_agency_field WHERE "+q2+
			" AND desk = 'centre' ORDER BY agency_name")
		if fmt.Sprint(got) != "[[Sở Tư pháp province]]" {
			t.Errorf("the centre's rows are %v; want the department's only", got)
		}
		// summed over fields and desks: the form by agency, every column
		cols := "received_total, received_online, received_offline, carried_over, resolved_total, resolved_early, " +
			"resolved_on_time, resolved_late, in_progress_total, in_progress_within_due, in_progress_overdue"
		sums := "sum(" + strings.ReplaceAll(cols, ", ", "), sum(") + ")"
		byAgency := storetest.Query(t, s, "SELECT kind, cutoff, year, number, agency, agency_name, level_group, "+cols+" FROM "+db+
			".dossier_form_by_agency ORDER BY kind, cutoff, year, number, agency")
		summed := storetest.Query(t, s, "SELECT kind, cutoff, year, number, agency, any(agency_name), any(level_group), "+sums+" FROM "+db+
			".dossier_form_by_agency_field GROUP BY kind, cutoff, year, number, agency ORDER BY kind, cutoff, year, number, agency")
		if len(byAgency) == 0 || !slices.EqualFunc(byAgency, summed, slices.Equal) {
			t.Errorf("dossier_form_by_agency_field summed over fields and desks differs from dossier_form_by_agency: %d rows vs %d",
				len(summed), len(byAgency))
		}
		got = storetest.Query(t, s, "SELECT desk, toString(count()) FROM "+db+".dossier_periods WHERE "+q2+" GROUP BY desk ORDER BY desk")
		if fmt.Sprint(got) != "[[agency 5] [centre 3]]" {
			t.Errorf("dossier_periods by desk: %v; want 5 at agencies' desks, 3 at the centre", got)
		}
	})
}

// procedure_counts counts the procedures in force at a period's end by the
// level that carries them out, those under the one-stop mechanism, and those
// whose internal process was issued by the end; an amendment that arrives
// before the publication it amends, and every event twice, change nothing.
func TestProcedureCounts(t *testing.T) {
	levels := func(ls ...events.GovLevel) []events.GovLevel { return ls }
	published := func(code string, day int, ls []events.GovLevel, oneStop, process, internal bool) events.Event {
		return ev(province, code, vn(1, day, 9), events.ProcedurePublished{Name: "Thủ tục " + code, Field: "Hộ tịch", Levels: ls,
			DecisionNo: fmt.Sprintf("%d/QĐ-UBND", day), DecisionDate: events.NewDate(2024, 1, day), StatutoryDays: 5,
			OnlineLevel: events.OnlinePartial, Internal: internal, OneStop: oneStop, InternalProcessIssued: process})
	}
	amended := func(code string, m time.Month, day int, a events.ProcedureAmended) events.Event {
		a.DecisionNo, a.DecisionDate = fmt.Sprintf("%d%d/QĐ-UBND", m, day), events.NewDate(2024, m, day)
		return ev(province, code, time.Date(2024, m, day, 9, 0, 0, 0, events.Vietnam), a)
	}
	yes, no := true, false
	evs := []events.Event{
		published("1.001", 10, levels(events.GovProvince), true, true, false),
		published("1.002", 10, levels(events.GovDistrict, events.GovCommune), true, false, false),
		// the internal process issued in the third quarter: not by Q2's end
		amended("1.002", 7, 1, events.ProcedureAmended{InternalProcessIssued: &yes}),
		published("1.003", 10, levels(events.GovCommune), false, false, false),
		// one-stop since February, amended before its publication reaches the store
		amended("1.003", 2, 1, events.ProcedureAmended{OneStop: &yes, InternalProcessIssued: &yes}),
		published("1.004", 10, levels(events.GovProvince), true, true, false),
		amended("1.004", 3, 1, events.ProcedureAmended{OneStop: &no}),
		// repealed in Q2: not in force at its end
		published("1.005", 10, levels(events.GovProvince, events.GovDistrict), true, true, false),
		ev(province, "1.005", vn(5, 2, 9), events.ProcedureRepealed{DecisionNo: "50/QĐ-UBND", DecisionDate: events.NewDate(2024, 5, 2)}),
		// an internal procedure between state bodies: not in II.07b
		published("2.001", 10, levels(events.GovProvince), true, true, true),
	}
	// a v1 publication: neither one-stop nor with a process
	old := published("1.006", 10, levels(events.GovCommune), true, true, false)
	evs = append(evs, decoded(t, old, 1, func(p map[string]any) { delete(p, "one_stop"); delete(p, "internal_process_issued") }))

	// level_group, procedures, one_stop, internal_processes; total counts
	// 1.002, at two levels, once
	wantQ2 := "[[commune 3 2 1] [district 1 1 0] [province 2 1 2] [total 5 3 3]]"
	wantQ3 := "[[commune 3 2 2] [district 1 1 1] [province 2 1 2] [total 5 3 4]]"
	query := func(number int) string {
		return fmt.Sprintf("SELECT level_group, toString(procedures), toString(one_stop), toString(internal_processes) FROM %%s.procedure_counts "+
			"WHERE kind = 'quarter' AND cutoff = 'calendar' AND year = 2024 AND number = %d ORDER BY level_group", number)
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		// the amendment first, then everything twice, shuffled
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, []events.Event{evs[4]})
		storetest.InsertTwiceShuffled(t, s, db, evs, 31)
		for n, want := range map[int]string{2: wantQ2, 3: wantQ3} {
			if got := storetest.Query(t, s, fmt.Sprintf(query(n), db)); fmt.Sprint(got) != want {
				t.Errorf("procedure_counts Q%d: %v; want %v", n, got, want)
			}
		}
		got := storetest.Query(t, s, "SELECT procedure, toString(one_stop), toString(internal_process_issued), toString(internal_process_on) FROM "+
			db+".procedure_catalogue WHERE procedure IN ('1.002', '1.003', '1.006') ORDER BY procedure")
		if want := "[[1.002 1 1 2024-07-01] [1.003 1 1 2024-02-01] [1.006 0 0 \\N]]"; fmt.Sprint(got) != want && fmt.Sprint(got) != strings.ReplaceAll(want, `\N`, "NULL") {
			t.Errorf("procedure_catalogue: %v; want %v", got, want)
		}
	})
}

// late_causes counts the dossiers apologised for by agency and reason in
// the period of the apology: an event inserted twice, or a second apology
// for the same dossier with the same reason, counts once; a v1 apology
// keeps its reason.
func TestLateCauses(t *testing.T) {
	apology := func(agency, id string, m time.Month, day int, reason string) events.Event {
		at := time.Date(2024, m, day, 9, 0, 0, 0, events.Vietnam)
		return ev(agency, id, at, events.DossierApologyIssued{NewDueAt: at.Add(72 * time.Hour), Reason: reason})
	}
	const many, system = "Hồ sơ phải lấy ý kiến của nhiều cơ quan", "Lỗi hệ thống phần mềm"
	evs := []events.Event{
		apology(dept, "HS-1", 4, 2, many),
		apology(dept, "HS-1", 4, 20, many), // the same dossier again
		apology(dept, "HS-2", 4, 3, many),
		apology(dept, "HS-3", 5, 3, system),
		apology(dept, "HS-3", 5, 9, many), // a second cause for HS-3
		apology(commune, "HS-4", 6, 3, system),
		apology(commune, "HS-5", 7, 3, system), // Q3
		// the official year 2024 runs from 15/12/2023
		ev(dept, "HS-9", time.Date(2023, 12, 20, 9, 0, 0, 0, events.Vietnam), events.DossierApologyIssued{
			NewDueAt: time.Date(2023, 12, 25, 9, 0, 0, 0, events.Vietnam), Reason: many}),
	}
	evs = append(evs, decoded(t, apology(district, "HS-6", 4, 8, "  Chờ kết quả xác minh "), 1, func(map[string]any) {}))
	want := "[[000.00.31.H23 Sở Tư pháp province Hồ sơ phải lấy ý kiến của nhiều cơ quan 3] [000.00.31.H23 Sở Tư pháp province Lỗi hệ thống phần mềm 1] " +
		"[000.01.02.H23 UBND quận Lê Chân district Chờ kết quả xác minh 1] [000.02.03.H23 UBND phường Dư Hàng commune Lỗi hệ thống phần mềm 1]]"
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertTwiceShuffled(t, s, db, slices.Concat(directory, evs), 41)
		// the official Q2 (15/3–14/6) holds the same apologies
		for _, cutoff := range []string{"calendar", "official"} {
			got := storetest.Query(t, s, "SELECT agency, agency_name, level_group, reason, toString(apologies) FROM "+db+
				".late_causes WHERE kind = 'quarter' AND cutoff = '"+cutoff+"' AND year = 2024 AND number = 2 ORDER BY agency, reason")
			if fmt.Sprint(got) != want {
				t.Errorf("late_causes Q2 (%s):\n%v\nwant\n%v", cutoff, got, want)
			}
		}
		got := storetest.Query(t, s, "SELECT cutoff, toString(apologies) FROM "+db+".late_causes WHERE agency = '"+dept+
			"' AND kind = 'year' AND year = 2024 AND reason = '"+many+"' ORDER BY cutoff")
		if fmt.Sprint(got) != "[[calendar 3] [official 4]]" {
			t.Errorf("the department's 2024 apologies for %q: %v; want 3 in the calendar year, 4 in the official one (from 15/12/2023)", many, got)
		}
		// every period of each kind that holds an apology: HS-5's July 3rd is in the
		// calendar July, Q3, second half and year, and in the official July (15/6–14/7);
		// the nine months and the year also hold HS-4's June 3rd
		got = storetest.Query(t, s, "SELECT cutoff, kind, toString(number), toString(apologies) FROM "+db+
			".late_causes WHERE agency = '"+commune+"' AND year = 2024 AND period_start <= '2024-07-03' AND period_end >= '2024-07-03' ORDER BY cutoff, kind")
		if want := "[[calendar half_year 2 1] [calendar month 7 1] [calendar nine_months 1 2] [calendar quarter 3 1] [calendar year 1 2] " +
			"[official half_year 2 1] [official month 7 1] [official nine_months 1 2] [official quarter 3 1] [official year 1 2]]"; fmt.Sprint(got) != want {
			t.Errorf("the periods of an apology on 3/7/2024:\n%v\nwant\n%v", got, want)
		}
	})
}

// The naming rule of README.md: no view analysts query names a thing's key
// <thing>_code (the projections' procedures.procedure_code and
// agencies.agency_code are what procedure_catalogue and agency_periods
// rename), and the catalogue is keyed procedure as the dossiers' views are.
func TestViewNames(t *testing.T) {
	views, err := schema.QueryViews()
	if err != nil {
		t.Fatal(err)
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		columns := map[string][]string{}
		for _, v := range views {
			for _, r := range storetest.Query(t, s, "DESCRIBE TABLE "+db+"."+v.Object) {
				columns[v.Object] = append(columns[v.Object], r[0])
				if strings.HasSuffix(r[0], "_code") && !(v.Object == "periods" && r[0] == "period_code") {
					t.Errorf("%s.%s: name the key %s, as the other views do", v.Object, r[0], strings.TrimSuffix(r[0], "_code"))
				}
			}
		}
		for view, key := range map[string]string{"procedure_catalogue": "procedure", "dossier_periods": "procedure",
			"dossier_working_days": "procedure", "dossier_form_by_agency_field": "agency", "late_causes": "agency"} {
			if !slices.Contains(columns[view], key) {
				t.Errorf("%s has no column %s: %v", view, key, columns[view])
			}
		}
	})
}
