package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/baocao/baocao/events"
)

// Vietnamese number and date conventions, as the seeds write them: a dot
// groups thousands (1.317), a comma marks decimals (25,6%; 91,87), dates are
// day/month/year (30/01/2024), and counts below ten in running text take a
// leading zero (08/57 nhiệm vụ, 04 TTHC).

// Int writes n with thousands grouped: 1.317.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Count writes a count in running text: two digits from one to nine (08),
// grouped above (1.317).
func Count(n int64) string {
	if n > 0 && n < 10 {
		return fmt.Sprintf("%02d", n)
	}
	return Int(n)
}

// Decimal writes x with the given number of decimals: 91,87.
func Decimal(x float64, decimals int) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', decimals, 64)
	whole, frac, _ := strings.Cut(s, ".")
	w, _ := strconv.ParseInt(whole, 10, 64)
	out := Int(w)
	if frac != "" {
		out += "," + frac
	}
	if x < 0 && strings.Trim(s, "0.") != "" {
		out = "-" + out
	}
	return out
}

// Percent writes a percentage with one decimal: 25,6%.
func Percent(x float64) string { return Decimal(x, 1) + "%" }

// Ratio is part/whole in percent, or NaN when whole is 0.
func Ratio(part, whole int64) float64 {
	if whole == 0 {
		return math.NaN()
	}
	return 100 * float64(part) / float64(whole)
}

// PercentOf writes part/whole as a percentage, or "—" when whole is 0.
func PercentOf(part, whole int64) string {
	if whole == 0 {
		return "—"
	}
	return Percent(Ratio(part, whole))
}

// Date writes d as 30/01/2024.
func Date(d events.Date) string { return d.Format("02/01/2006") }

// ShortDate writes d as the seeds do in running text: 14/6/2024.
func ShortDate(d events.Date) string { return d.Format("2/1/2006") }
