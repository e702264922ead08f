package simulate

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/baocao/baocao/events"
)

// Config describes the simulated province and its event feed.
type Config struct {
	// Seed fixes every random choice: the same seed and settings give the
	// same events, byte for byte.
	Seed int64
	// From and To are the first and last civil days (Vietnam) of the range,
	// both included.
	From, To events.Date

	// ProvinceCode is the agency code of the province; its last token (H23)
	// ends every other agency code.
	ProvinceCode string
	// ProvinceName is the name of the province, e.g. "Thành phố Hải Phòng" or
	// "Tỉnh Hải Dương".
	ProvinceName string
	// Departments, Districts and CommunesPerDistrict size the directory
	// before the 1/7/2025 reform.
	Departments, Districts, CommunesPerDistrict int

	// Procedures is the size of the procedure catalogue at the start of the
	// range, internal procedures included.
	Procedures int
	// DossiersPerDay is the number of dossiers the province receives on an
	// average working day; weekends and public holidays see a few percent of
	// it.
	DossiersPerDay int
	// FeedbackPerDay is the mean number of citizen feedback items (PAKN)
	// received per calendar day.
	FeedbackPerDay float64

	// DuplicateRate, LateRate and ReorderRate are the fractions of events
	// delivered a second time, delivered hours or days after they were
	// recorded, and delivered a few places out of order.
	DuplicateRate, LateRate, ReorderRate float64
}

// DefaultConfig is a province shaped like Hải Phòng in the first half of
// 2024 (the six-month report of seed 004): 20 departments and 15 districts
// (35 agencies on the one-stop system), 225 communes, a catalogue of about
// 1,900 procedures.
func DefaultConfig() Config {
	return Config{
		Seed:                1,
		From:                events.NewDate(2024, 1, 1),
		To:                  events.NewDate(2024, 6, 30),
		ProvinceCode:        "000.00.00.H23",
		ProvinceName:        "Thành phố Hải Phòng",
		Departments:         20,
		Districts:           15,
		CommunesPerDistrict: 15,
		Procedures:          1900,
		DossiersPerDay:      2000,
		FeedbackPerDay:      1.1,
		DuplicateRate:       0.01,
		LateRate:            0.005,
		ReorderRate:         0.02,
	}
}

// The holiday calendar (Tết and the Hùng Kings' day follow the lunar
// calendar) covers these years; a range must leave margin on both sides for
// decisions dated before it and due dates after it.
const (
	minYear = calendarFirstYear + 4
	maxYear = calendarLastYear - 2
)

// Limits that keep a run meaningful: codes keep their shape and the
// catalogue can populate every level.
const (
	maxUnits          = 500
	minProcedures     = 10
	maxProcedures     = 100_000
	maxDossiersPerDay = 10_000_000
	maxFeedbackPerDay = 100_000
)

// Validate reports every setting that cannot be simulated, each error naming
// its field.
func (c Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("simulate: Config.%s: %s", field, fmt.Sprintf(format, args...)))
	}
	switch {
	case c.From.IsZero():
		bad("From", "missing")
	case c.From.Year() < minYear || c.From.Year() > maxYear:
		bad("From", "%s is outside the years the holiday calendar covers (%d–%d)", c.From, minYear, maxYear)
	}
	switch {
	case c.To.IsZero():
		bad("To", "missing")
	case c.To.Year() < minYear || c.To.Year() > maxYear:
		bad("To", "%s is outside the years the holiday calendar covers (%d–%d)", c.To, minYear, maxYear)
	case !c.From.IsZero() && c.To.Before(c.From.Time):
		bad("To", "%s is before From (%s)", c.To, c.From)
	}
	if err := events.ValidAgencyCode(c.ProvinceCode); err != nil {
		bad("ProvinceCode", "%v", err)
	} else if t := strings.Split(c.ProvinceCode, "."); len(t) == 4 && t[0] == "000" && t[1]+t[2] != "0000" {
		bad("ProvinceCode", "%s has the shape of the codes given to its agencies (000.CC.NN.%s); use 000.00.00.%s", c.ProvinceCode, t[3], t[3])
	}
	if strings.TrimSpace(c.ProvinceName) == "" {
		bad("ProvinceName", "empty")
	}
	for _, f := range []struct {
		name     string
		v        int
		min, max int
	}{
		{"Departments", c.Departments, 1, maxUnits},
		{"Districts", c.Districts, 1, maxUnits},
		{"CommunesPerDistrict", c.CommunesPerDistrict, 1, maxUnits},
		{"Procedures", c.Procedures, minProcedures, maxProcedures},
		{"DossiersPerDay", c.DossiersPerDay, 0, maxDossiersPerDay},
	} {
		if f.v < f.min || f.v > f.max {
			bad(f.name, "%d is outside %d–%d", f.v, f.min, f.max)
		}
	}
	if math.IsNaN(c.FeedbackPerDay) || c.FeedbackPerDay < 0 || c.FeedbackPerDay > maxFeedbackPerDay {
		bad("FeedbackPerDay", "%v is outside 0–%d", c.FeedbackPerDay, maxFeedbackPerDay)
	}
	for _, f := range []struct {
		name string
		v    float64
	}{{"DuplicateRate", c.DuplicateRate}, {"LateRate", c.LateRate}, {"ReorderRate", c.ReorderRate}} {
		if math.IsNaN(f.v) || f.v < 0 || f.v > 1 {
			bad(f.name, "%v is not a fraction between 0 and 1", f.v)
		}
	}
	return errors.Join(errs...)
}

// Stats counts what a run delivered. Events, Duplicates and ByType count
// deliveries, a duplicate included; Dossiers counts dossiers submitted,
// those rejected at intake included.
type Stats struct {
	Events     int64
	Dossiers   int64
	Duplicates int64
	Late       int64
	Reordered  int64
	ByType     map[events.Type]int64
}
