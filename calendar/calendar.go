// Package calendar is Vietnam's calendar of working days: Monday to Friday,
// outside the public holidays of the Labour Code (Bộ luật Lao động 2019,
// Điều 112). It is the one place the holiday rules live: the simulator
// builds its working-day table from Holidays, and the ClickHouse view
// {db}.calendar (queries/00_calendar.sql) is generated from them by ViewSQL,
// so deadlines counted in working days agree in Go and in SQL.
//
// The rules are the statutory ones, applied the same way every year:
//
//   - Tết Dương lịch (1/1), Ngày Chiến thắng (30/4), Quốc tế Lao động (1/5),
//     Giỗ Tổ Hùng Vương (10/3 lunar) and Quốc khánh (2/9) are days off; one
//     that falls on a Saturday or Sunday, or on another holiday, is
//     compensated by the next working day ("Nghỉ bù …");
//   - 1/9 is off too (Quốc khánh is two days since 2021), not compensated;
//   - Tết Nguyên đán: the government sets about a week off around the first
//     day of the lunar year; here, two days before it to four days after.
//
// Each year the government also moves days (a bridge day off, worked back on
// a Saturday). Those announcements are not rules: users record them in the
// table {db}.holidays, which overrides the built-in days of the view.
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/baocao/baocao/events"
)

// The years whose lunar holidays (Tết and the Hùng Kings' day) are known.
// Outside them, Holidays has nothing and only weekends are days off.
const (
	FirstYear = 2012
	LastYear  = 2040
)

// The names of the public holidays, as the view calendar shows them. A day
// off compensating a holiday that fell on a weekend is named Compensation +
// the holiday's name: "Nghỉ bù Quốc khánh".
const (
	NewYear      = "Tết Dương lịch"
	LunarNewYear = "Tết Nguyên đán"
	HungKings    = "Giỗ Tổ Hùng Vương"
	Victory      = "Ngày Chiến thắng"
	LabourDay    = "Quốc tế Lao động"
	NationalDay  = "Quốc khánh"
	Compensation = "Nghỉ bù "
)

// Holiday is a public holiday: a day off by law. It may fall on a weekend
// (Tết often does); a fixed holiday that does has a compensation day after it.
type Holiday struct {
	Date events.Date
	Name string
}

// lunarHolidays are the first day of Tết and the Hùng Kings' commemoration
// (10th day of the 3rd lunar month), for FirstYear to LastYear.
var lunarHolidays = [...]struct {
	year               int
	tetMonth, tetDay   int
	hungMonth, hungDay int
}{
	{2012, 1, 23, 3, 31}, {2013, 2, 10, 4, 19}, {2014, 1, 31, 4, 9}, {2015, 2, 19, 4, 28},
	{2016, 2, 8, 4, 16}, {2017, 1, 28, 4, 6}, {2018, 2, 16, 4, 25}, {2019, 2, 5, 4, 14},
	{2020, 1, 25, 4, 2}, {2021, 2, 12, 4, 21}, {2022, 2, 1, 4, 10}, {2023, 1, 22, 4, 29},
	{2024, 2, 10, 4, 18}, {2025, 1, 29, 4, 7}, {2026, 2, 17, 4, 26}, {2027, 2, 6, 4, 15},
	{2028, 1, 26, 4, 3}, {2029, 2, 13, 4, 22}, {2030, 2, 3, 4, 12}, {2031, 1, 23, 4, 1},
	{2032, 2, 11, 4, 19}, {2033, 1, 31, 4, 9}, {2034, 2, 19, 4, 28}, {2035, 2, 8, 4, 17},
	{2036, 1, 28, 4, 5}, {2037, 2, 15, 4, 24}, {2038, 2, 4, 4, 13}, {2039, 1, 24, 4, 2},
	{2040, 2, 12, 4, 20},
}

// Holidays returns the public holidays of the years from to to (both
// included, clamped to FirstYear–LastYear) in date order, compensation days
// included. Every day is listed once.
func Holidays(from, to int) []Holiday {
	var out []Holiday
	for _, h := range lunarHolidays {
		if h.year < from || h.year > to {
			continue
		}
		y := h.year
		off := map[events.Date]string{}
		working := func(d events.Date) bool {
			_, holiday := off[d]
			return !weekend(d) && !holiday
		}
		mark := func(d events.Date, name string) {
			if _, ok := off[d]; !ok {
				off[d] = name
			}
		}
		// A fixed holiday on a weekend or on another holiday is compensated
		// by the next working day.
		compensated := func(d events.Date, name string) {
			if !working(d) {
				c := d
				for !working(c) {
					c = next(c)
				}
				mark(c, Compensation+name)
			}
			mark(d, name)
		}
		// The order matters: a compensation day goes to the first day not
		// already taken by the holidays before it.
		compensated(events.NewDate(y, 1, 1), NewYear)
		compensated(events.NewDate(y, 4, 30), Victory)
		compensated(events.NewDate(y, 5, 1), LabourDay)
		compensated(events.NewDate(y, time.Month(h.hungMonth), h.hungDay), HungKings)
		mark(events.NewDate(y, 9, 1), NationalDay)
		compensated(events.NewDate(y, 9, 2), NationalDay)
		tet := events.NewDate(y, time.Month(h.tetMonth), h.tetDay)
		for i := -2; i <= 4; i++ {
			mark(events.Date{Time: tet.AddDate(0, 0, i)}, LunarNewYear)
		}
		start := len(out)
		for d, name := range off {
			out = append(out, Holiday{Date: d, Name: name})
		}
		slices.SortFunc(out[start:], func(a, b Holiday) int { return a.Date.Compare(b.Date.Time) })
	}
	return out
}

func weekend(d events.Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func next(d events.Date) events.Date { return events.Date{Time: d.AddDate(0, 0, 1)} }

// days are the holidays of FirstYear–LastYear by date.
var days = sync.OnceValue(func() map[events.Date]string {
	m := map[events.Date]string{}
	for _, h := range Holidays(FirstYear, LastYear) {
		m[h.Date] = h.Name
	}
	return m
})

// Working reports whether d is a working day under the built-in rules:
// Monday to Friday and not a public holiday. It knows nothing of the rows
// users add to {db}.holidays.
func Working(d events.Date) bool {
	_, holiday := days()[day(d)]
	return !weekend(d) && !holiday
}

// day is d at midnight UTC, the form Holidays uses, whatever d's location.
func day(d events.Date) events.Date { return events.NewDate(d.Year(), d.Month(), d.Day()) }

// WorkingDays counts the working days from a to b under the built-in rules,
// a counted and b not; negative when b is before a. It is what the view
// calendar gives as working_days_before(b) - working_days_before(a) when
// {db}.holidays is empty: received on a Friday and resolved the next
// Monday is one working day.
func WorkingDays(a, b events.Date) int {
	a, b = day(a), day(b)
	sign := 1
	if b.Before(a.Time) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a; d.Before(b.Time); d = next(d) {
		if Working(d) {
			n++
		}
	}
	return sign * n
}

// The years the view calendar covers: 1 January of the first to 31
// December of the last.
const (
	ViewFirstYear = 2015
	ViewLastYear  = 2040
)

// ViewSQL is queries/00_calendar.sql, generated: the view {db}.calendar with
// the holidays of ViewFirstYear–ViewLastYear as data. go test ./calendar
// -update rewrites the file.
func ViewSQL() []byte {
	var list strings.Builder
	from, to := events.NewDate(ViewFirstYear, 1, 1), events.NewDate(ViewLastYear, 12, 31)
	hs := Holidays(ViewFirstYear, ViewLastYear)
	for i, h := range hs {
		sep := ","
		if i == len(hs)-1 {
			sep = ""
		}
		fmt.Fprintf(&list, "                    ('%s', '%s')%s\n", h.Date, h.Name, sep)
	}
	n := int(to.Sub(from.Time).Hours()/24) + 1
	r := strings.NewReplacer("{from}", from.String(), "{to}", to.String(), "{days}", fmt.Sprint(n),
		"{holidays}", strings.TrimSuffix(list.String(), "\n"))
	return []byte(r.Replace(viewTemplate))
}

const viewTemplate = `-- GENERATED from package calendar (calendar/calendar.go) by
--   go test ./calendar -run TestViewFileIsGenerated -update
-- Do not edit: change the rules there and regenerate.
--
-- One row per day from {from} to {to}:
--   day                  the date
--   weekday              1 = Monday … 7 = Sunday
--   working              1 on a working day: Monday to Friday outside days off
--   holiday              the holiday's name, '' on an ordinary day
--   working_days_before  the working days from {from} up to the day, the day
--                        itself not counted. The working days from day a to
--                        day b (a counted, b not) are
--                        working_days_before(b) - working_days_before(a).
-- The days off built in below are the public holidays of the Labour Code:
-- Tết Dương lịch, Tết Nguyên đán, Giỗ Tổ Hùng Vương, Ngày Chiến thắng, Quốc tế
-- Lao động, Quốc khánh, and "Nghỉ bù …" when a fixed holiday falls on a
-- weekend. A row of {db}.holidays (schema/migrations/0018_holidays.sql), the
-- user's own calendar, wins for its day both ways: a day off the government
-- announced, or a weekend day worked in compensation (làm bù).
--   SELECT day, holiday FROM baocao.calendar WHERE toYear(day) = 2025 AND holiday != '' ORDER BY day
--   SELECT (SELECT working_days_before FROM baocao.calendar WHERE day = '2024-02-19')
--        - (SELECT working_days_before FROM baocao.calendar WHERE day = '2024-02-05')
CREATE VIEW IF NOT EXISTS {db}.calendar AS
SELECT
    day,
    toUInt8(toDayOfWeek(day))                                              AS weekday,
    working,
    holiday,
    working_days_before
FROM
(
    -- every day in one row, sorted, to count the working days before each
    -- (no window functions on 18.16)
    SELECT
        arraySort(groupArray(d))                                           AS days,
        arraySort((x, k) -> k, groupArray(w), groupArray(d))               AS flags,
        arraySort((x, k) -> k, groupArray(h), groupArray(d))               AS names,
        arrayMap((c, x) -> toUInt32(c - x), arrayCumSum(flags), flags)     AS befores
    FROM
    (
        SELECT
            day                                                            AS d,
            if(listed = 1, listed_working, toUInt8(toDayOfWeek(day) < 6))  AS w,
            listed_name                                                    AS h
        FROM
        (
            SELECT addDays(toDate('{from}'), number) AS day
            FROM system.numbers
            LIMIT {days}
        ) AS c
        ANY LEFT JOIN
        (
            -- the built-in holidays and the user's rows; the user's win
            SELECT
                day,
                toUInt8(1)                                                 AS listed,
                argMax(entry_working, from_user)                           AS listed_working,
                argMax(entry_name, from_user)                              AS listed_name
            FROM
            (
                SELECT
                    toDate(tupleElement(entry, 1))                         AS day,
                    toUInt8(0)                                             AS entry_working,
                    tupleElement(entry, 2)                                 AS entry_name,
                    toUInt8(0)                                             AS from_user
                FROM system.one
                ARRAY JOIN [
{holidays}
                ] AS entry
                UNION ALL
                -- the latest row for each day
                SELECT
                    day,
                    argMax(working, updated_at)                            AS entry_working,
                    argMax(name, updated_at)                               AS entry_name,
                    toUInt8(1)                                             AS from_user
                FROM {db}.holidays
                GROUP BY day
            )
            GROUP BY day
        ) AS l USING (day)
    )
)
ARRAY JOIN days AS day, flags AS working, names AS holiday, befores AS working_days_before
`
