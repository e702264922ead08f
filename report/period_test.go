package report_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

func TestParsePeriod(t *testing.T) {
	for _, c := range []struct {
		in, cutoff string
		want       report.Period
	}{
		{"2024-H1", report.Official, report.Period{Kind: report.HalfYear, Cutoff: report.Official, Year: 2024, Number: 1}},
		{"2024-Q3", report.Calendar, report.Period{Kind: report.Quarter, Cutoff: report.Calendar, Year: 2024, Number: 3}},
		{"2025-M02", report.Official, report.Period{Kind: report.Month, Cutoff: report.Official, Year: 2025, Number: 2}},
		{"2024-9M", report.Official, report.Period{Kind: report.NineMonths, Cutoff: report.Official, Year: 2024, Number: 1}},
		{"2023", report.Official, report.Period{Kind: report.Year, Cutoff: report.Official, Year: 2023, Number: 1}},
	} {
		got, err := report.ParsePeriod(c.in, c.cutoff)
		if err != nil || got != c.want {
			t.Errorf("ParsePeriod(%q) = %+v, %v; want %+v", c.in, got, err, c.want)
		}
		if got.String() != c.in {
			t.Errorf("%+v.String() = %q; want %q", got, got.String(), c.in)
		}
	}
	for _, bad := range []string{"2024-H3", "2024-Q5", "2024-M13", "2024-M00", "24-Q1", "2050", "2024-q1", ""} {
		if _, err := report.ParsePeriod(bad, report.Official); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
	if _, err := report.ParsePeriod("2024", "fiscal"); err == nil {
		t.Error("an unknown cut-off was accepted")
	}
}

// The generator computes periods in Go; the analysts' periods view in SQL.
// They must agree on every period, on both engines.
func TestPeriodsMatchTheView(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.FreshDB(t)
		if _, err := schema.Migrate(context.Background(), s, db); err != nil {
			t.Fatal(err)
		}
		rows := storetest.Query(t, s, "SELECT kind, cutoff, year, number, label, period_start, period_end, prev_start, prev_end FROM "+db+
			".periods ORDER BY kind, cutoff, year, number")
		if len(rows) != 26*2*20 {
			t.Fatalf("the view has %d periods; want %d", len(rows), 26*2*20)
		}
		for _, r := range rows {
			var p report.Period
			p.Kind, p.Cutoff = r[0], r[1]
			fmt.Sscan(r[2], &p.Year)
			fmt.Sscan(r[3], &p.Number)
			prev := p.YearBefore()
			got := []string{p.Label(), p.Start().String(), p.End().String(), prev.Start().String(), prev.End().String()}
			if fmt.Sprint(got) != fmt.Sprint(r[4:]) {
				t.Fatalf("%+v: Go gives %v, the view %v", p, got, r[4:])
			}
		}
	})
}

func TestPeriodClosed(t *testing.T) {
	p, _ := report.ParsePeriod("2024-H1", report.Official) // ends 14/6/2024
	vn := func(d, h int) time.Time { return time.Date(2024, 6, d, h, 0, 0, 0, events.Vietnam) }
	for _, c := range []struct {
		now   time.Time
		grace time.Duration
		want  bool
	}{
		{vn(14, 23), 0, false}, {vn(15, 0), 0, true}, {vn(17, 23), 72 * time.Hour, false}, {vn(18, 0), 72 * time.Hour, true},
	} {
		if got := p.Closed(c.now, c.grace); got != c.want {
			t.Errorf("Closed(%v, %v) = %v; want %v", c.now, c.grace, got, c.want)
		}
	}
}
