package calendar_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/baocao/baocao/calendar"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

// addHoliday is what a user runs (INSERT … SELECT: inline VALUES hang
// through clickhouse-go on 18.16).
func addHoliday(t *testing.T, s store.Store, db, day, name string, working int, updatedAt string) {
	t.Helper()
	q := fmt.Sprintf("INSERT INTO %s.holidays (day, name, working, updated_at) SELECT toDate('%s'), '%s', %d, toDateTime('%s', 'Asia/Ho_Chi_Minh')",
		db, day, name, working, updatedAt)
	if err := s.Exec(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

type calendarDay struct {
	weekday, working int
	holiday          string
	before           int
}

// readCalendar reads the whole view by day.
func readCalendar(t *testing.T, s store.Store, db string) map[string]calendarDay {
	t.Helper()
	rows := storetest.Query(t, s, "SELECT toString(day), weekday, working, holiday, working_days_before FROM "+db+".calendar ORDER BY day")
	out := make(map[string]calendarDay, len(rows))
	for _, r := range rows {
		atoi := func(s string) int {
			n, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("row %v: %v", r, err)
			}
			return n
		}
		out[r[0]] = calendarDay{weekday: atoi(r[1]), working: atoi(r[2]), holiday: r[3], before: atoi(r[4])}
	}
	return out
}

func date(y int, m time.Month, d int) events.Date { return events.NewDate(y, m, d) }

// The view is the rules of package calendar, day by day, and the user's rows
// override them both ways.
func TestCalendarView(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		var types [][]string
		for _, r := range storetest.Query(t, s, "DESCRIBE TABLE "+db+".calendar") {
			types = append(types, r[:2])
		}
		if want := "[[day Date] [weekday UInt8] [working UInt8] [holiday String] [working_days_before UInt32]]"; fmt.Sprint(types) != want {
			t.Errorf("columns %v; want %s", types, want)
		}
		cal := readCalendar(t, s, db)
		from, to := date(calendar.ViewFirstYear, 1, 1), date(calendar.ViewLastYear, 12, 31)
		if n := int(to.Sub(from.Time).Hours()/24) + 1; len(cal) != n || n != 9497 {
			t.Fatalf("%d days; want %d (2015–2040)", len(cal), n)
		}
		names := map[events.Date]string{}
		for _, h := range calendar.Holidays(calendar.ViewFirstYear, calendar.ViewLastYear) {
			names[h.Date] = h.Name
		}
		// Day by day, the view is the Go rules: the working-day count between
		// any two days is the same in Go and in SQL.
		before, mismatches := 0, 0
		for d := from; !d.After(to.Time); d = (events.Date{Time: d.AddDate(0, 0, 1)}) {
			want := calendarDay{weekday: (int(d.Weekday())+6)%7 + 1, holiday: names[d], before: before}
			if calendar.Working(d) {
				want.working = 1
				before++
			}
			if got := cal[d.String()]; got != want && mismatches < 10 {
				mismatches++
				t.Errorf("%s: %+v; want %+v", d, got, want)
			}
		}
		span := func(a, b events.Date) int { return cal[b.String()].before - cal[a.String()].before }
		for _, p := range [][2]events.Date{
			{date(2024, 2, 5), date(2024, 2, 19)}, {date(2015, 1, 1), date(2040, 12, 31)},
			{date(2023, 12, 29), date(2024, 1, 2)}, {date(2030, 4, 26), date(2030, 5, 6)},
		} {
			if got, want := span(p[0], p[1]), calendar.WorkingDays(p[0], p[1]); got != want {
				t.Errorf("working days %s → %s: view %d, Go %d", p[0], p[1], got, want)
			}
		}

		// Tết 2024: 8–14/2 off; 2/9/2024 (Monday) off; 29/4/2024 is a
		// Monday the rules leave working (the government swapped it that year).
		for d := 8; d <= 14; d++ {
			if c := cal[fmt.Sprintf("2024-02-%02d", d)]; c.working != 0 || c.holiday != calendar.LunarNewYear {
				t.Errorf("2024-02-%02d: %+v; want a day off of Tết", d, c)
			}
		}
		if c := cal["2024-02-15"]; c.working != 1 || c.holiday != "" {
			t.Errorf("2024-02-15: %+v; want an ordinary working day", c)
		}
		if c := cal["2024-09-02"]; c.working != 0 || c.holiday != calendar.NationalDay || c.weekday != 1 {
			t.Errorf("2024-09-02: %+v; want Quốc khánh, a Monday off", c)
		}
		if c := cal["2024-04-29"]; c.working != 1 || c.holiday != "" || c.weekday != 1 {
			t.Errorf("2024-04-29: %+v; want a working Monday", c)
		}
		if span(date(2024, 2, 5), date(2024, 2, 19)) != 5 {
			t.Errorf("5/2 → 19/2/2024 across Tết: %d working days; want 5", span(date(2024, 2, 5), date(2024, 2, 19)))
		}

		// The user's calendar: 29/4/2024 off, Saturday 4/5 worked instead,
		// and a built-in holiday (2/9/2024) declared working, then taken back.
		addHoliday(t, s, db, "2024-04-29", "Nghỉ hoán đổi", 0, "2024-03-01 09:00:00")
		addHoliday(t, s, db, "2024-05-04", "Làm bù", 1, "2024-03-01 09:00:00")
		addHoliday(t, s, db, "2024-09-02", "Thử", 1, "2024-03-01 09:00:00")
		addHoliday(t, s, db, "2024-09-02", "Quốc khánh (theo thông báo)", 0, "2024-03-02 09:00:00") // the later row wins
		user := readCalendar(t, s, db)
		for day, want := range map[string]calendarDay{
			"2024-04-29": {weekday: 1, working: 0, holiday: "Nghỉ hoán đổi", before: cal["2024-04-29"].before},
			"2024-04-30": {weekday: 2, working: 0, holiday: calendar.Victory, before: cal["2024-04-30"].before - 1},
			"2024-05-04": {weekday: 6, working: 1, holiday: "Làm bù", before: cal["2024-05-04"].before - 1},
			"2024-05-06": {weekday: 1, working: 1, holiday: "", before: cal["2024-05-06"].before},
			"2024-09-02": {weekday: 1, working: 0, holiday: "Quốc khánh (theo thông báo)", before: cal["2024-09-02"].before},
		} {
			if got := user[day]; got != want {
				t.Errorf("with the user's rows, %s: %+v; want %+v", day, got, want)
			}
		}
		// Only the days between the two rows shift.
		shifted := 0
		for day, c := range cal {
			if u := user[day]; u.before != c.before {
				shifted++
				if day <= "2024-04-29" || day > "2024-05-04" || u.before != c.before-1 {
					t.Errorf("%s: working_days_before %d → %d", day, c.before, u.before)
				}
			}
		}
		if shifted != 5 {
			t.Errorf("%d days shifted; want the 5 days 30/4–4/5", shifted)
		}
	})
}

// dossier_working_days counts working days from receipt to closing against
// the procedure's time limit, across Tết 2024, and follows the user's rows.
func TestCalendarDossierWorkingDays(t *testing.T) {
	province, dept := "000.00.00.H23", "000.00.31.H23"
	at := func(m time.Month, d, h int) time.Time { return time.Date(2024, m, d, h, 0, 0, 0, events.Vietnam) }
	n := 0
	ev := func(agency, subject string, when time.Time, p events.Payload) events.Event {
		n++
		e := events.New(agency, subject, when, p)
		e.RecordedAt = when.Add(time.Duration(n) * time.Second)
		return e
	}
	received := func(id, procedure string, when time.Time) events.Event {
		return ev(dept, id, when, events.DossierReceived{Procedure: procedure, Channel: events.ChannelInPerson, DueAt: when.Add(30 * 24 * time.Hour), Components: 1})
	}
	resolved := events.DossierResultIssued{Outcome: events.OutcomeApproved}
	evs := []events.Event{
		ev(province, "1.101", at(1, 2, 8), events.ProcedurePublished{Name: "Cấp phép", Field: "Xây dựng", Levels: []events.GovLevel{events.GovProvince},
			DecisionNo: "1/QĐ-UBND", DecisionDate: date(2024, 1, 2), StatutoryDays: 5, OnlineLevel: events.OnlineFull}),
		ev(province, "1.102", at(1, 2, 8), events.ProcedurePublished{Name: "Xác nhận", Field: "Hộ tịch", Levels: []events.GovLevel{events.GovProvince},
			DecisionNo: "1/QĐ-UBND", DecisionDate: date(2024, 1, 2), StatutoryDays: 2.5, OnlineLevel: events.OnlineFull}),
		// Tuesday 6/2 → Tuesday 20/2: 6, 7, (Tết 8–14), 15, 16, 19 = 5 ≤ 5
		received("HS-A", "1.101", at(2, 6, 9)),
		ev(dept, "HS-A", at(2, 20, 10), resolved),
		// 6/2 → Monday 19/2: 4 > ceil(2.5)
		received("HS-B", "1.102", at(2, 6, 9)),
		ev(dept, "HS-B", at(2, 19, 15), resolved),
		// withdrawn closes it: 7/2 → Friday 16/2: 7, 15 = 2
		received("HS-C", "1.101", at(2, 7, 14)),
		ev(dept, "HS-C", at(2, 16, 8), events.DossierWithdrawn{}),
		// open
		received("HS-D", "1.101", at(2, 7, 10)),
		// a procedure not in the catalogue; resolved the same day: 0
		received("HS-E", "9.999", at(2, 15, 8)),
		ev(dept, "HS-E", at(2, 15, 16), resolved),
		// stopped before resolved: closed by the stop. Friday 2/2 → Monday 5/2: 1
		received("HS-F", "1.102", at(2, 2, 16)),
		ev(dept, "HS-F", at(2, 5, 9), events.DossierStopped{Reason: "Chờ kết luận"}),
		ev(dept, "HS-F", at(3, 1, 9), resolved),
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, evs)
		read := func() string {
			return fmt.Sprint(storetest.Query(t, s, `SELECT dossier_id, agency, procedure, toString(toDate(received_at)), toString(toDate(closed_at)),
				statutory_days, working_days_taken, within_statutory FROM `+db+`.dossier_working_days ORDER BY dossier_id`))
		}
		want := "[" +
			"[HS-A 000.00.31.H23 1.101 2024-02-06 2024-02-20 5 5 1] " +
			"[HS-B 000.00.31.H23 1.102 2024-02-06 2024-02-19 2.5 4 0] " +
			"[HS-C 000.00.31.H23 1.101 2024-02-07 2024-02-16 5 2 1] " +
			"[HS-D 000.00.31.H23 1.101 2024-02-07 \\N 5 \\N \\N] " +
			"[HS-E 000.00.31.H23 9.999 2024-02-15 2024-02-15 \\N 0 \\N] " +
			"[HS-F 000.00.31.H23 1.102 2024-02-02 2024-02-05 2.5 1 1]]"
		if got := read(); got != want {
			t.Errorf("dossier_working_days\n have %s\n want %s", got, want)
		}
		// The same counts in Go.
		for _, c := range []struct {
			a, b events.Date
			n    int
		}{{date(2024, 2, 6), date(2024, 2, 20), 5}, {date(2024, 2, 6), date(2024, 2, 19), 4}, {date(2024, 2, 7), date(2024, 2, 16), 2}, {date(2024, 2, 2), date(2024, 2, 5), 1}} {
			if got := calendar.WorkingDays(c.a, c.b); got != c.n {
				t.Errorf("Go: WorkingDays(%s, %s) = %d; want %d", c.a, c.b, got, c.n)
			}
		}
		// The province gave Thursday 15/2 off too: one working day fewer for
		// the dossiers open across it.
		addHoliday(t, s, db, "2024-02-15", "Nghỉ thêm sau Tết", 0, "2024-02-01 00:00:00")
		want = "[" +
			"[HS-A 000.00.31.H23 1.101 2024-02-06 2024-02-20 5 4 1] " +
			"[HS-B 000.00.31.H23 1.102 2024-02-06 2024-02-19 2.5 3 1] " +
			"[HS-C 000.00.31.H23 1.101 2024-02-07 2024-02-16 5 1 1] " +
			"[HS-D 000.00.31.H23 1.101 2024-02-07 \\N 5 \\N \\N] " +
			"[HS-E 000.00.31.H23 9.999 2024-02-15 2024-02-15 \\N 0 \\N] " +
			"[HS-F 000.00.31.H23 1.102 2024-02-02 2024-02-05 2.5 1 1]]"
		if got := read(); got != want {
			t.Errorf("with 15/2 off\n have %s\n want %s", got, want)
		}
	})
}
