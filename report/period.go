package report

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/baocao/baocao/events"
)

// Period is a reporting period, as in the periods view: a kind (month,
// quarter, half_year, nine_months, year), a cut-off (calendar, or official:
// Nghị định 09/2019, the 15th of the month before to the 14th) and its
// number within the year.
type Period struct {
	Kind   string
	Cutoff string
	Year   int
	Number int
}

// Period kinds and cut-offs.
const (
	Month      = "month"
	Quarter    = "quarter"
	HalfYear   = "half_year"
	NineMonths = "nine_months"
	Year       = "year"

	Calendar = "calendar"
	Official = "official"
)

var periodSyntax = regexp.MustCompile(`^(\d{4})(?:-(M(\d{1,2})|Q([1-4])|H([12])|9M))?$`)

// ParsePeriod reads a period written 2024-M03 (month), 2024-Q2 (quarter),
// 2024-H1 (half-year), 2024-9M (nine months) or 2024 (year) in cutoff.
func ParsePeriod(s, cutoff string) (Period, error) {
	if cutoff != Calendar && cutoff != Official {
		return Period{}, fmt.Errorf("cut-off %q: want calendar or official", cutoff)
	}
	m := periodSyntax.FindStringSubmatch(s)
	if m == nil {
		return Period{}, fmt.Errorf("period %q: want 2024-M03, 2024-Q2, 2024-H1, 2024-9M or 2024", s)
	}
	y, _ := strconv.Atoi(m[1])
	p := Period{Kind: Year, Cutoff: cutoff, Year: y, Number: 1}
	switch {
	case m[3] != "":
		p.Kind, p.Number = Month, atoi(m[3])
		if p.Number < 1 || p.Number > 12 {
			return Period{}, fmt.Errorf("period %q: month %d: want 1–12", s, p.Number)
		}
	case m[4] != "":
		p.Kind, p.Number = Quarter, atoi(m[4])
	case m[5] != "":
		p.Kind, p.Number = HalfYear, atoi(m[5])
	case m[2] == "9M":
		p.Kind = NineMonths
	}
	if y < 2015 || y > 2040 {
		return Period{}, fmt.Errorf("period %q: year %d: the periods view covers 2015–2040", s, y)
	}
	return p, nil
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

// String writes p the way ParsePeriod reads it.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%d-M%02d", p.Year, p.Number)
	case Quarter:
		return fmt.Sprintf("%d-Q%d", p.Year, p.Number)
	case HalfYear:
		return fmt.Sprintf("%d-H%d", p.Year, p.Number)
	case NineMonths:
		return fmt.Sprintf("%d-9M", p.Year)
	}
	return strconv.Itoa(p.Year)
}

// months returns the first month and the number of months of p.
func (p Period) months() (first, n int) {
	switch p.Kind {
	case Month:
		return p.Number, 1
	case Quarter:
		return 3*p.Number - 2, 3
	case HalfYear:
		return 6*p.Number - 5, 6
	case NineMonths:
		return 1, 9
	}
	return 1, 12
}

// Start and End are the first and last days of p, both included.
func (p Period) Start() events.Date {
	first, _ := p.months()
	if p.Cutoff == Official {
		return events.NewDate(p.Year, time.Month(first-1), 15)
	}
	return events.NewDate(p.Year, time.Month(first), 1)
}

func (p Period) End() events.Date {
	first, n := p.months()
	if p.Cutoff == Official {
		return events.NewDate(p.Year, time.Month(first+n-1), 14)
	}
	return events.NewDate(p.Year, time.Month(first+n), 0)
}

// YearBefore is the same period a year earlier.
func (p Period) YearBefore() Period { p.Year--; return p }

// Label is p's Vietnamese name, as the periods view gives it.
func (p Period) Label() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("Tháng %d/%d", p.Number, p.Year)
	case Quarter:
		return fmt.Sprintf("Quý %s/%d", [...]string{"I", "II", "III", "IV"}[p.Number-1], p.Year)
	case HalfYear:
		if p.Number == 1 {
			return fmt.Sprintf("6 tháng đầu năm %d", p.Year)
		}
		return fmt.Sprintf("6 tháng cuối năm %d", p.Year)
	case NineMonths:
		return fmt.Sprintf("9 tháng năm %d", p.Year)
	}
	return fmt.Sprintf("Năm %d", p.Year)
}

// where is the SQL condition selecting p in a view with period columns.
func (p Period) where() string {
	return fmt.Sprintf("kind = '%s' AND cutoff = '%s' AND year = %d AND number = %d", p.Kind, p.Cutoff, p.Year, p.Number)
}

// Closed reports whether p ended before the civil day of now, plus grace.
func (p Period) Closed(now time.Time, grace time.Duration) bool {
	endOfPeriod := p.End().AddDate(0, 0, 1) // midnight after the last day, UTC-based date
	endOfPeriod = time.Date(endOfPeriod.Year(), endOfPeriod.Month(), endOfPeriod.Day(), 0, 0, 0, 0, events.Vietnam)
	return !now.Before(endOfPeriod.Add(grace))
}
