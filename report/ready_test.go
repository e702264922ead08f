package report_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// A report is written only from data: an empty database, a directory
// without the province and a period without events are errors that say
// what is missing, and nothing is written; a kind is refused a period it
// is not made for.
func TestGenerateRefusesMissingData(t *testing.T) {
	vn := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 9, 0, 0, 0, events.Vietnam) }
	const province, dept = "000.00.00.H23", "000.00.31.H23"
	created := func(code, name string, level events.AgencyLevel, parent string) events.Event {
		return events.New(province, code, vn(1, 2), events.AgencyCreated{Name: name, Level: level, Parent: parent, EffectiveFrom: events.NewDate(2008, 1, 1)})
	}
	dossier := func(id string, m time.Month, d int) []events.Event {
		at := vn(m, d)
		return []events.Event{
			events.New(dept, id, at, events.DossierReceived{Procedure: "1.001", Field: "Hộ tịch", Channel: events.ChannelInPerson, DueAt: at.Add(96 * time.Hour)}),
			events.New(dept, id, at.Add(24*time.Hour), events.DossierResultIssued{Outcome: events.OutcomeApproved}),
		}
	}
	q2, _ := report.ParsePeriod("2024-Q2", report.Official)
	q4, _ := report.ParsePeriod("2024-Q4", report.Official)

	generate := func(t *testing.T, s store.Store, db string, k report.Kind, p report.Period) (string, error) {
		t.Helper()
		dir := t.TempDir()
		_, err := report.Generate(context.Background(), s, db, report.Request{Kind: k, Period: p, Formats: report.AllFormats, Dir: dir})
		if err == nil {
			return dir, nil
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s %s: refused (%v) but wrote %d entries", k, p, err, len(entries))
		}
		return dir, err
	}
	wantErr := func(t *testing.T, err, is error, says ...string) {
		t.Helper()
		if !errors.Is(err, is) {
			t.Fatalf("got %v; want %v", err, is)
		}
		for _, s := range says {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("the error %q does not say %q", err, s)
			}
		}
	}

	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		t.Run("empty database", func(t *testing.T) {
			db := storetest.Migrated(t, s)
			storetest.InsertTwiceShuffled(t, s, db, []events.Event{created(province, "Ủy ban nhân dân thành phố Hải Phòng", events.LevelProvince, "")}, 1)
			_, err := generate(t, s, db, report.ProcedureControl, q2)
			wantErr(t, err, report.ErrNoEvents, "Quý II/2024", "15/03/2024 – 14/06/2024", "holds no events", db)
		})
		t.Run("no province in the directory", func(t *testing.T) {
			db := storetest.Migrated(t, s)
			events := append([]events.Event{created(dept, "Sở Tư pháp", events.LevelDepartment, province)}, dossier("HS-1", 4, 2)...)
			storetest.InsertTwiceShuffled(t, s, db, events, 2)
			_, err := generate(t, s, db, report.ProcedureControl, q2)
			wantErr(t, err, report.ErrNoProvince, "level province")
		})
		t.Run("period without events", func(t *testing.T) {
			db := storetest.Migrated(t, s)
			evs := append([]events.Event{created(province, "Ủy ban nhân dân thành phố Hải Phòng", events.LevelProvince, ""), created(dept, "Sở Tư pháp", events.LevelDepartment, province)},
				append(dossier("HS-1", 4, 2), dossier("HS-2", 5, 20)...)...)
			storetest.InsertTwiceShuffled(t, s, db, evs, 3)
			_, err := generate(t, s, db, report.ProcedureControl, q4)
			wantErr(t, err, report.ErrNoEvents, "Quý IV/2024", "events run from 02/04/2024 to 21/05/2024")
			// the quarter with events is written
			if _, err := generate(t, s, db, report.ProcedureControl, q2); err != nil {
				t.Fatalf("the quarter with events: %v", err)
			}
			// and a month, the monthly TTHC report
			may, _ := report.ParsePeriod("2024-M04", report.Official)
			dir, err := generate(t, s, db, report.ProcedureControl, may)
			if err != nil {
				t.Fatalf("the month with events: %v", err)
			}
			md, err := os.ReadFile(dir + "/procedure_control/2024-M04-official.md")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(md), "Thực hiện Văn bản số 5633/VPCP-KSTT") || !strings.Contains(string(md), "tháng 4/2024") {
				t.Errorf("the monthly report does not cite the monthly letter or name its month:\n%.1500s", md)
			}
		})
	})
}

func TestKindAllowsItsPeriodsOnly(t *testing.T) {
	for _, c := range []struct {
		kind   report.Kind
		period string
		ok     bool
	}{
		{report.ProcedureControl, "2024-M03", true},
		{report.ProcedureControl, "2024-Q2", true},
		{report.ProcedureControl, "2024", true},
		{report.ProcedureControl, "2024-H1", false},
		{report.ProcedureControl, "2024-9M", false},
		{report.Reform, "2024-H1", true},
		{report.Reform, "2024", true},
		{report.Reform, "2024-Q2", false},
		{report.Reform, "2024-M03", false},
	} {
		p, err := report.ParsePeriod(c.period, report.Official)
		if err != nil {
			t.Fatal(err)
		}
		err = c.kind.Allows(p)
		if (err == nil) != c.ok {
			t.Errorf("%s %s: allowed = %v; want %v (%v)", c.kind, c.period, err == nil, c.ok, err)
		}
		if err != nil {
			_, gerr := report.Generate(context.Background(), nil, "db", report.Request{Kind: c.kind, Period: p, Formats: report.AllFormats, Dir: t.TempDir()})
			if gerr == nil || !strings.Contains(gerr.Error(), "is made for") {
				t.Errorf("Generate %s %s: %v; want the kind's periods named", c.kind, c.period, gerr)
			}
		}
	}
	if h := report.KindPeriods(); !strings.Contains(h, "procedure_control  months (2024-M03), quarters (2024-Q2) and years (2024)") {
		t.Errorf("KindPeriods:\n%s", h)
	}
}

// The scheduler writes the monthly TTHC report of every month closed, and
// no month of a kind not made for months; --periods leaves them out.
func TestScheduleDueMonthly(t *testing.T) {
	now := time.Date(2024, 6, 20, 9, 0, 0, 0, events.Vietnam)
	s := report.Schedule{Kinds: []report.Kind{report.ProcedureControl, report.Reform}, Cutoff: report.Official, Grace: 72 * time.Hour, Lookback: 200 * 24 * time.Hour}
	keys := func(rs []report.Request) string {
		var out []string
		for _, r := range rs {
			if r.Period.Year == 2024 {
				out = append(out, r.Key())
			}
		}
		return strings.Join(out, " ")
	}
	want := "procedure_control/2024-M01-official procedure_control/2024-M02-official procedure_control/2024-M03-official " +
		"procedure_control/2024-M04-official procedure_control/2024-M05-official procedure_control/2024-M06-official " +
		"procedure_control/2024-Q1-official procedure_control/2024-Q2-official reform/2024-H1-official"
	if got := keys(s.Due(now)); got != want {
		t.Errorf("due on 20/6/2024:\n got %s\nwant %s", got, want)
	}
	s.PeriodKinds = []string{report.Quarter, report.HalfYear, report.Year}
	if got := keys(s.Due(now)); got != "procedure_control/2024-Q1-official procedure_control/2024-Q2-official reform/2024-H1-official" {
		t.Errorf("due without months: %s", got)
	}
}
