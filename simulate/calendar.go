package simulate

import (
	"time"

	vncal "github.com/baocao/baocao/calendar"
	"github.com/baocao/baocao/events"
)

// Time inside the simulator is an int64 of Unix seconds (ts) and a civil day
// is an int32 count of days since 1970-01-01 in Vietnam (day): cheap to
// store for hundreds of thousands of open dossiers and to compute with.

const (
	vnOffset  = 7 * 3600 // Vietnam is UTC+7 all year
	daySecs   = 86400
	minute    = 60
	hour      = 3600
	morningAt = 7*hour + 30*minute  // one-stop desks open at 07:30,
	noonAt    = 11*hour + 30*minute // close for lunch at 11:30,
	afternoon = 13*hour + 30*minute // reopen at 13:30
	closingAt = 17 * hour           // and close at 17:00.
	// workDaySecs is the length of a working day: 4 h + 3.5 h.
	workDaySecs = (noonAt - morningAt) + (closingAt - afternoon)
)

func dayOf(ts int64) int32 { return int32(floorDiv(ts+vnOffset, daySecs)) }

// secOfDay is the Vietnam clock time of ts in seconds after midnight.
func secOfDay(ts int64) int64 { return ts + vnOffset - int64(dayOf(ts))*daySecs }

// at is the instant of clock time sod (seconds after midnight) on day d.
func at(d int32, sod int64) int64 { return int64(d)*daySecs + sod - vnOffset }

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}

func civilDay(y int, m time.Month, d int) int32 {
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / daySecs)
}

func dayOfDate(d events.Date) int32 { return civilDay(d.Year(), d.Month(), d.Day()) }

func dateOfDay(d int32) events.Date { return events.Date{Time: time.Unix(int64(d)*daySecs, 0).UTC()} }

func timeOf(ts int64) time.Time { return time.Unix(ts, 0).In(events.Vietnam) }

func weekday(d int32) time.Weekday { return time.Weekday((int64(d) + 4) % 7) } // 1970-01-01 was a Thursday

// The years the holiday calendar (package calendar) covers.
const (
	calendarFirstYear = vncal.FirstYear
	calendarLastYear  = vncal.LastYear
)

// calendar knows the working days (Monday to Friday outside public holidays)
// and measures time in working seconds, so that "5 working days after
// receipt" and "a random moment of working time between two instants" are
// array look-ups.
type calendar struct {
	first   int32   // the first day covered
	working []bool  // by day - first
	ordinal []int32 // working days before each day, by day - first
	days    []int32 // the n-th working day
}

func newCalendar() *calendar {
	c := &calendar{first: civilDay(calendarFirstYear, 1, 1)}
	last := civilDay(calendarLastYear, 12, 31)
	n := int(last-c.first) + 1
	c.working = make([]bool, n)
	for i := range c.working {
		wd := weekday(c.first + int32(i))
		c.working[i] = wd != time.Saturday && wd != time.Sunday
	}
	// The public holidays, compensation days included: the rules live in
	// package calendar.
	for _, h := range vncal.Holidays(calendarFirstYear, calendarLastYear) {
		if i := dayOfDate(h.Date) - c.first; i >= 0 && int(i) < n {
			c.working[i] = false
		}
	}
	c.ordinal = make([]int32, n)
	var k int32
	for i, w := range c.working {
		c.ordinal[i] = k
		if w {
			c.days = append(c.days, c.first+int32(i))
			k++
		}
	}
	return c
}

func (c *calendar) index(d int32) int {
	return min(max(int(d-c.first), 0), len(c.working)-1)
}

func (c *calendar) isWorking(d int32) bool { return c.working[c.index(d)] }

// nthWorkingDay is the working day with ordinal n, clamped to the calendar.
func (c *calendar) nthWorkingDay(n int64) int32 {
	return c.days[min(max(n, 0), int64(len(c.days)-1))]
}

// addWorkingDays is the n-th working day after d (n ≥ 0); with n = 0, d
// itself if it is a working day, else the one before.
func (c *calendar) addWorkingDays(d int32, n int) int32 {
	o := int64(c.ordinal[c.index(d)]) + int64(n)
	if !c.isWorking(d) {
		o-- // the first working day after d has d's ordinal
	}
	return c.nthWorkingDay(o)
}

// prevWorkingDay is the last working day before d.
func (c *calendar) prevWorkingDay(d int32) int32 {
	return c.nthWorkingDay(int64(c.ordinal[c.index(d)]) - 1)
}

// workSecs maps an instant to working seconds since the calendar's start:
// time outside office hours collapses onto the next opening.
func (c *calendar) workSecs(ts int64) int64 {
	d := dayOf(ts)
	w := int64(c.ordinal[c.index(d)]) * workDaySecs
	if !c.isWorking(d) {
		return w
	}
	switch s := secOfDay(ts); {
	case s < morningAt:
	case s < noonAt:
		w += s - morningAt
	case s < afternoon:
		w += noonAt - morningAt
	case s < closingAt:
		w += noonAt - morningAt + s - afternoon
	default:
		w += workDaySecs
	}
	return w
}

// fromWorkSecs is the instant at working-second w: the inverse of workSecs
// within office hours.
func (c *calendar) fromWorkSecs(w int64) int64 {
	d := c.nthWorkingDay(w / workDaySecs)
	r := w % workDaySecs
	if r < noonAt-morningAt {
		return at(d, morningAt+r)
	}
	return at(d, afternoon+r-(noonAt-morningAt))
}

// addWork is ts moved forward by w seconds of working time.
func (c *calendar) addWork(ts, w int64) int64 { return c.fromWorkSecs(c.workSecs(ts) + w) }
