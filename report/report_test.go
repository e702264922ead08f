package report_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// The properties the reports rest on, on a simulated province (March–June
// 2024): the form's identities hold on every row of every period, and every
// figure is the same when each event arrives twice, shuffled.
func TestSimulatedReports(t *testing.T) {
	evs := storetest.Simulated(t, 40_000)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		once, twice := storetest.Migrated(t, s), storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, once, evs)
		storetest.InsertTwiceShuffled(t, s, twice, evs, 7)

		t.Run("identities", func(t *testing.T) { assertIdentities(t, s, once) })
		t.Run("the report reads the forms", func(t *testing.T) { assertReportMatchesForms(t, s, once) })
		t.Run("the official forms", func(t *testing.T) { assertOfficialForms(t, s, once) })
		t.Run("duplicates and order", func(t *testing.T) {
			views, err := schema.QueryViews()
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range views {
				if v.Object == "dossier_periods" { // its sums are compared through the forms
					continue
				}
				a, b := viewRows(t, s, once, v.Object), viewRows(t, s, twice, v.Object)
				// the first weeks report no indicator; no id is reused with another
				// body
				if len(a) == 0 && v.Object != "indicator_values" && v.Object != "event_conflicts" {
					t.Errorf("%s is empty", v.Object)
				}
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("%s differs when events arrive twice and shuffled:\n once:  %.300v\n twice: %.300v", v.Object, a, b)
				}
			}
			for _, r := range []struct {
				kind   report.Kind
				period string
			}{{report.Reform, "2024-H1"}, {report.ProcedureControl, "2024-Q2"}} {
				p, _ := report.ParsePeriod(r.period, report.Official)
				dirs := []string{t.TempDir(), t.TempDir()}
				var sums [2]string
				for i, db := range []string{once, twice} {
					files, err := report.Generate(context.Background(), s, db, report.Request{Kind: r.kind, Period: p, Formats: report.AllFormats, Dir: dirs[i]})
					if err != nil {
						t.Fatal(err)
					}
					for _, f := range files {
						sums[i] += f.SHA256 + " "
					}
				}
				if sums[0] != sums[1] {
					t.Errorf("%s %s: the report differs when events arrive twice and shuffled", r.kind, r.period)
				}
			}
		})
	})
}

// assertIdentities checks 3 = 4+5+6 = 7+11, 7 = 8+9+10, 11 = 12+13 on
// every row of both forms, and the same balance for feedback and tasks, in
// every period of 2024 in both cut-offs.
func assertIdentities(t *testing.T, s store.Store, db string) {
	cols := "received_total, received_online, received_offline, carried_over, resolved_total, resolved_early, resolved_on_time, " +
		"resolved_late, in_progress_total, in_progress_within_due, in_progress_overdue"
	for _, view := range []string{"dossier_form_by_agency", "dossier_form_by_field"} {
		rows := storetest.Query(t, s, "SELECT kind, cutoff, number, "+cols+" FROM "+db+"."+view+" WHERE year = 2024")
		if len(rows) < 100 {
			t.Fatalf("%s has %d rows for 2024; the simulation should fill it", view, len(rows))
		}
		for _, r := range rows {
			n := ints(t, r[3:])
			f := report.Form{ReceivedTotal: n[0], ReceivedOnline: n[1], ReceivedOffline: n[2], CarriedOver: n[3], ResolvedTotal: n[4],
				ResolvedEarly: n[5], ResolvedOnTime: n[6], ResolvedLate: n[7], InProgressTotal: n[8], InProgressWithinDue: n[9], InProgressOverdue: n[10]}
			if bad := f.Identities(); len(bad) > 0 {
				t.Errorf("%s %v breaks %v", view, r, bad)
			}
		}
	}
	for _, r := range storetest.Query(t, s, "SELECT kind, cutoff, number, received_new, carried_over, completed, in_progress, "+
		"in_progress_within_due, in_progress_overdue FROM "+db+".feedback_summary WHERE year = 2024") {
		n := ints(t, r[3:])
		if n[0]+n[1] != n[2]+n[3] || n[3] != n[4]+n[5] {
			t.Errorf("feedback_summary %v: new + carried over ≠ completed + in progress, or in progress ≠ within + overdue", r)
		}
	}
	for _, r := range storetest.Query(t, s, "SELECT kind, cutoff, number, assigned, completed, completed_on_time, completed_late, "+
		"in_progress, in_progress_within_deadline, in_progress_overdue FROM "+db+".task_summary WHERE year = 2024") {
		n := ints(t, r[3:])
		if n[0] != n[1]+n[4] || n[1] != n[2]+n[3] || n[4] != n[5]+n[6] {
			t.Errorf("task_summary %v does not balance", r)
		}
	}
}

// formSums sums the form's columns 3–13 in a form view.
const formSums = "sum(received_total), sum(received_online), sum(received_offline), sum(carried_over), sum(resolved_total), " +
	"sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(in_progress_total), sum(in_progress_within_due), " +
	"sum(in_progress_overdue)"

// assertReportMatchesForms holds report.Load, which sums dossier_periods
// itself, to the form views analysts read: the same totals, by agency and
// by field.
func assertReportMatchesForms(t *testing.T, s store.Store, db string) {
	p, _ := report.ParsePeriod("2024-Q2", report.Official)
	d, err := report.Load(context.Background(), s, db, p)
	if err != nil {
		t.Fatal(err)
	}
	cols := formSums + ", count()"
	where := " WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2"
	for _, c := range []struct {
		view string
		rows int
	}{{"dossier_form_by_agency", len(d.Agencies)}, {"dossier_form_by_field", len(d.Fields)}} {
		got := storetest.Query(t, s, "SELECT "+cols+" FROM "+db+"."+c.view+where)[0]
		want := append(d.Total.Columns(), int64(c.rows))
		if fmt.Sprint(ints(t, got)) != fmt.Sprint(want) {
			t.Errorf("%s sums to %v (and rows); the report has %v", c.view, got, want)
		}
	}
}

// assertOfficialForms holds the report's Biểu 06, II.06a, II.07b and causes
// of late dossiers to the views analysts read (dossier_form_by_agency_field,
// procedure_counts, late_causes), and checks the KSTTHC workbook's form
// sheets read back: codes, header lines, merged cells, page setup, print
// titles, frozen panes, numbers stored as numbers and the identities on
// every row, subtotals and totals included.
func assertOfficialForms(t *testing.T, s store.Store, db string) {
	p, _ := report.ParsePeriod("2024-Q2", report.Official)
	d, err := report.Load(context.Background(), s, db, p)
	if err != nil {
		t.Fatal(err)
	}
	cols := formSums
	where := " WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2"
	for _, c := range []struct {
		desk string
		rows []report.FormRow
	}{{"", d.AgencyFields}, {"centre", d.CentreFields}} {
		q := "SELECT agency, field, " + cols + " FROM " + db + ".dossier_form_by_agency_field" + where
		if c.desk != "" {
			q += " AND desk = '" + c.desk + "'"
		}
		got := storetest.Query(t, s, q+" GROUP BY agency, field ORDER BY agency, field")
		var want [][]string
		for _, r := range c.rows {
			row := []string{r.Agency, r.Field}
			for _, v := range r.Columns() {
				row = append(row, strconv.FormatInt(v, 10))
			}
			want = append(want, row)
		}
		slices.SortFunc(want, func(a, b []string) int { return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1]) })
		if len(got) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("desk %q: dossier_form_by_agency_field gives %d rows %.300v; the report %d rows %.300v", c.desk, len(got), got, len(want), want)
		}
	}
	if len(d.CentreFields) == 0 || len(d.CentreFields) >= len(d.AgencyFields) {
		t.Errorf("%d rows at the centre of %d; the simulation receives some dossiers at the centre", len(d.CentreFields), len(d.AgencyFields))
	}
	for _, r := range storetest.Query(t, s, "SELECT level_group, procedures, one_stop, internal_processes FROM "+db+".procedure_counts"+where) {
		n := ints(t, r[1:])
		if c := d.Procedures[r[0]]; c != (report.ProcedureCount{Procedures: n[0], OneStop: n[1], InternalProcesses: n[2]}) || n[0] == 0 {
			t.Errorf("procedure_counts %v; the report has %+v", r, c)
		}
	}
	// Form II.07b and the catalogue sentence state the same procedures, in
	// total and by level (internal procedures in neither).
	if byLevel := map[string]int64{"total": d.Catalogue.InForce, "province": d.Catalogue.AtProvince, "district": d.Catalogue.AtDistrict, "commune": d.Catalogue.AtCommune}; d.Procedures["total"].Procedures != byLevel["total"] ||
		d.Procedures["province"].Procedures != byLevel["province"] || d.Procedures["district"].Procedures != byLevel["district"] || d.Procedures["commune"].Procedures != byLevel["commune"] {
		t.Errorf("II.07b %+v; the catalogue sentence says %v", d.Procedures, byLevel)
	}
	var apologies int64
	for _, c := range d.LateCauses {
		apologies += c.Apologies
	}
	got := storetest.Query(t, s, "SELECT sum(apologies), count() FROM "+db+".late_causes"+where)[0]
	if fmt.Sprint(got) != fmt.Sprint([]string{strconv.FormatInt(apologies, 10), strconv.Itoa(len(d.LateCauses))}) || apologies == 0 {
		t.Errorf("late_causes has %v apologies and rows; the report %d in %d rows", got, apologies, len(d.LateCauses))
	}

	var buf bytes.Buffer
	if err := report.XLSX(&buf, report.Build(report.ProcedureControl, d)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, want := range formSheets {
		assertFormSheet(t, f, d, want.sheet, want.code, want.title, want.groups)
	}
}

func ints(t *testing.T, s []string) []int64 {
	t.Helper()
	out := make([]int64, len(s))
	for i, v := range s {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("%q is not a count", v)
		}
		out[i] = n
	}
	return out
}

// viewRows reads a view of db, sorted by all its columns (18.16 has no
// ORDER BY on positions), the period views for 2024 only.
func viewRows(t *testing.T, s store.Store, db, view string) [][]string {
	t.Helper()
	var cols []string
	year := false
	for _, r := range storetest.Query(t, s, "DESCRIBE TABLE "+db+"."+view) {
		cols = append(cols, r[0])
		year = year || r[0] == "year"
	}
	q := "SELECT * FROM " + db + "." + view
	if year && view != "indicator_targets" {
		q += " WHERE year = 2024"
	}
	return storetest.Query(t, s, q+" ORDER BY "+strings.Join(cols, ", "))
}

// generated reads a generated file.
func generated(t *testing.T, dir string, f report.File) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A report rolls up by the organisation in force in its period: a district
// that became a commune on 1/7/2025 stays under the districts, with its old
// name, in 2024, and moves to the communes from then on.
func TestLevelsInForceInThePeriod(t *testing.T) {
	vn := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, events.Vietnam) }
	const province, town = "000.00.00.H23", "000.00.21.H23"
	evs := []events.Event{
		events.New(province, province, vn(2010, 1, 1), events.AgencyCreated{Name: "Ủy ban nhân dân thành phố Hải Phòng", Level: events.LevelProvince, EffectiveFrom: events.NewDate(2008, 1, 1)}),
		events.New(province, town, vn(2010, 1, 1), events.AgencyCreated{Name: "Ủy ban nhân dân huyện Bạch Long Vĩ", Level: events.LevelDistrict, Parent: province, EffectiveFrom: events.NewDate(2008, 1, 1)}),
		events.New(province, town, vn(2025, 6, 20), events.AgencyLevelChanged{Level: events.LevelCommune, Parent: province, EffectiveFrom: events.NewDate(2025, 7, 1)}),
		events.New(province, town, vn(2025, 6, 20), events.AgencyRenamed{Name: "Ủy ban nhân dân đặc khu Bạch Long Vĩ", EffectiveFrom: events.NewDate(2025, 7, 1)}),
	}
	for i, day := range []time.Time{vn(2024, 3, 4), vn(2025, 9, 3)} {
		id := fmt.Sprintf("H23.21-%d", i)
		evs = append(evs,
			events.New(town, id, day, events.DossierReceived{Procedure: "1.000001", Channel: events.ChannelInPerson, DueAt: day.Add(72 * time.Hour)}),
			events.New(town, id, day.Add(24*time.Hour), events.DossierResultIssued{Outcome: events.OutcomeApproved}))
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertTwiceShuffled(t, s, db, evs, 3)
		got := storetest.Query(t, s, "SELECT year, level_group, agency_name, received_total FROM "+db+".dossier_form_by_agency "+
			"WHERE kind = 'year' AND cutoff = 'official' AND year IN (2024, 2025) AND agency = '"+town+"' ORDER BY year")
		want := [][]string{{"2024", "district", "Ủy ban nhân dân huyện Bạch Long Vĩ", "1"}, {"2025", "commune", "Ủy ban nhân dân đặc khu Bạch Long Vĩ", "1"}}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("the form by agency gives %v; want %v", got, want)
		}
		for _, c := range []struct {
			period, group string
		}{{"2024", "district"}, {"2025", "commune"}} {
			p, _ := report.ParsePeriod(c.period, report.Official)
			d, err := report.Load(context.Background(), s, db, p)
			if err != nil {
				t.Fatal(err)
			}
			if d.ByLevel[c.group].ReceivedTotal != 1 || len(d.Agencies) != 1 || d.Agencies[0].LevelGroup != c.group {
				t.Errorf("%s: the report puts the dossier under %+v; want %s", c.period, d.ByLevel, c.group)
			}
		}
	})
}
