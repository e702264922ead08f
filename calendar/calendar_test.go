package calendar

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
)

var update = flag.Bool("update", false, "rewrite queries/00_calendar.sql from the rules")

// viewFile is the committed view generated from the rules.
const viewFile = "../queries/00_calendar.sql"

func TestViewFileIsGenerated(t *testing.T) {
	want := ViewSQL()
	if *update {
		if err := os.WriteFile(viewFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(viewFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rules; run go test ./calendar -run TestViewFileIsGenerated -update", viewFile)
	}
}

func date(y int, m time.Month, d int) events.Date { return events.NewDate(y, m, d) }

func names(from, to int) map[events.Date]string {
	m := map[events.Date]string{}
	for _, h := range Holidays(from, to) {
		m[h.Date] = h.Name
	}
	return m
}

func TestHolidays(t *testing.T) {
	h := names(2024, 2025)
	for _, tt := range []struct {
		day  events.Date
		name string // "" when not a holiday
	}{
		{date(2024, 1, 1), NewYear},
		{date(2024, 2, 7), ""},
		{date(2024, 2, 8), LunarNewYear}, // Tết 2024: 8–14/2
		{date(2024, 2, 10), LunarNewYear},
		{date(2024, 2, 14), LunarNewYear},
		{date(2024, 2, 15), ""},
		{date(2024, 4, 18), HungKings},
		{date(2024, 4, 29), ""}, // the government's 2024 bridge day is not a rule
		{date(2024, 4, 30), Victory},
		{date(2024, 5, 1), LabourDay},
		{date(2024, 9, 1), NationalDay}, // a Sunday: 1/9 is not compensated
		{date(2024, 9, 2), NationalDay},
		{date(2024, 9, 3), ""},
		// 2025: 1/1 Wednesday; 30/4 and 1/5 Wednesday and Thursday; 2/9 Tuesday
		{date(2025, 1, 27), LunarNewYear}, // Tết 2025: 27/1–2/2
		{date(2025, 2, 2), LunarNewYear},
		{date(2025, 2, 3), ""},
		{date(2025, 4, 7), HungKings},
	} {
		if got := h[tt.day]; got != tt.name {
			t.Errorf("%s: %q; want %q", tt.day, got, tt.name)
		}
	}
	// 2022: 30/4 a Saturday, 1/5 a Sunday: compensated on Monday and Tuesday.
	h = names(2022, 2022)
	for day, name := range map[events.Date]string{
		date(2022, 4, 30): Victory, date(2022, 5, 1): LabourDay,
		date(2022, 5, 2): Compensation + Victory, date(2022, 5, 3): Compensation + LabourDay,
	} {
		if h[day] != name {
			t.Errorf("%s: %q; want %q", day, h[day], name)
		}
	}
	// 2023: Hùng Kings' day on Saturday 29/4, after 30/4 (Sunday) and 1/5
	// already took Monday and Tuesday: compensated on Wednesday 3/5.
	h = names(2023, 2023)
	if got := h[date(2023, 5, 3)]; got != Compensation+HungKings {
		t.Errorf("2023-05-03: %q; want %q", got, Compensation+HungKings)
	}
}

func TestHolidaysInOrderOnceEachWithinTheYears(t *testing.T) {
	all := Holidays(FirstYear-5, LastYear+5)
	if len(all) == 0 || all[0].Date.Year() != FirstYear || all[len(all)-1].Date.Year() != LastYear {
		t.Fatalf("%d holidays from %v to %v; want %d–%d", len(all), all[0], all[len(all)-1], FirstYear, LastYear)
	}
	for i := 1; i < len(all); i++ {
		if !all[i-1].Date.Before(all[i].Date.Time) {
			t.Errorf("%v then %v: want strictly increasing dates", all[i-1], all[i])
		}
	}
	perYear := 0
	for _, h := range all {
		if h.Name == "" {
			t.Errorf("%s has no name", h.Date)
		}
		if h.Date.Year() == 2030 {
			perYear++
		}
	}
	// 1/1, 30/4, 1/5, Hùng, 1/9, 2/9 and seven days of Tết, plus
	// compensation days.
	if perYear < 13 || perYear > 17 {
		t.Errorf("%d holidays in 2030; want 13–17", perYear)
	}
	if n := len(Holidays(2024, 2024)); n != len(names(2024, 2024)) {
		t.Errorf("a day is listed twice")
	}
}

// Every holiday the calendar lists is a day off and compensation days land
// on what would otherwise be working days.
func TestCompensationDaysAreWeekdays(t *testing.T) {
	for _, h := range Holidays(FirstYear, LastYear) {
		if strings.HasPrefix(h.Name, Compensation) && weekend(h.Date) {
			t.Errorf("%s %s falls on a weekend", h.Date, h.Name)
		}
		if Working(h.Date) {
			t.Errorf("%s %s counts as working", h.Date, h.Name)
		}
	}
}

func TestWorkingDays(t *testing.T) {
	for _, tt := range []struct {
		a, b events.Date
		want int
	}{
		{date(2024, 3, 4), date(2024, 3, 4), 0},
		{date(2024, 3, 4), date(2024, 3, 5), 1},  // Monday to Tuesday
		{date(2024, 3, 8), date(2024, 3, 11), 1}, // Friday to Monday
		{date(2024, 3, 9), date(2024, 3, 11), 0}, // Saturday to Monday
		{date(2024, 3, 4), date(2024, 3, 18), 10},
		{date(2024, 3, 18), date(2024, 3, 4), -10},
		// across Tết 2024 (8–14/2): 5–7/2 and 15–16/2
		{date(2024, 2, 5), date(2024, 2, 19), 5},
		// across 30/4–1/5 2024: 29/4, 2–3/5
		{date(2024, 4, 29), date(2024, 5, 6), 3},
		{date(2024, 1, 1), date(2025, 1, 1), 366 - 104 - 10},
	} {
		if got := WorkingDays(tt.a, tt.b); got != tt.want {
			t.Errorf("WorkingDays(%s, %s) = %d; want %d", tt.a, tt.b, got, tt.want)
		}
	}
	// The day in another location is the same civil day.
	in := events.Date{Time: time.Date(2024, 2, 8, 0, 0, 0, 0, events.Vietnam)}
	if Working(in) {
		t.Error("8/2/2024 in Vietnam's location counts as working")
	}
}
