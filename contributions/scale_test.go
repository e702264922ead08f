package contributions_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// A province's rounds over two years: 40 agencies × 25 sections × 4
// half-years, each submitted twice, one in ten then withdrawn. It measures
// reading one report's contributions (logged, not asserted) and checks the
// count.
func TestContributionsScale(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 8,400 events on each engine")
	}
	var evs []events.Event
	for y := 2023; y <= 2024; y++ {
		for h := 1; h <= 2; h++ {
			p := report.Period{Kind: report.HalfYear, Cutoff: report.Official, Year: y, Number: h}
			at := time.Date(y, time.Month(6*h), 20, 9, 0, 0, 0, events.Vietnam)
			for a := range 40 {
				agency := fmt.Sprintf("000.00.%02d.H23", a+10)
				for s := range 25 {
					slot := contributions.Slot{Kind: report.Reform, Period: p, Section: fmt.Sprintf("results.part_%02d", s)}
					for v := range 2 {
						when := at.Add(time.Duration(v) * time.Hour)
						e, err := contributions.Submission(agency, slot, contributions.Draft{
							Paragraphs: []string{fmt.Sprintf("Bản %d của %s: **%d** văn bản.", v, agency, s), "- Một gạch đầu dòng."},
							Figures:    []events.Figure{{Name: "Văn bản", Value: float64(s), Unit: "văn bản"}},
						}, when, clock)
						if err != nil {
							t.Fatal(err)
						}
						e.ID = events.NewID(when)
						evs = append(evs, e)
					}
					if (a+s)%10 == 0 {
						e, err := contributions.Withdrawal(agency, slot, "", at.Add(2*time.Hour), clock)
						if err != nil {
							t.Fatal(err)
						}
						e.ID = events.NewID(at.Add(2 * time.Hour))
						evs = append(evs, e)
					}
				}
			}
		}
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		migrated(t, s, "scale")
		start := time.Now()
		storetest.InsertOnce(t, s, "scale", evs)
		inserted := time.Since(start)
		var took []time.Duration
		var n int
		for range 5 {
			start := time.Now()
			cs, err := contributions.Current(context.Background(), s, "scale", report.Reform, h1)
			if err != nil {
				t.Fatal(err)
			}
			took = append(took, time.Since(start))
			n = len(cs)
		}
		if n != 40*25-100 {
			t.Fatalf("%d contributions in force for 2024-H1; want %d", n, 40*25-100)
		}
		slices.Sort(took)
		t.Logf("%d events inserted in %v; one report's %d contributions read in %v (median of 5)", len(evs), inserted.Round(time.Millisecond), n, took[2].Round(time.Millisecond))
	})
}
