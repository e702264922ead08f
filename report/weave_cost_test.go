package report_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// TestContributionsLoadCost measures what reading a full round costs
// report.Load: seed 004 with the province, its 20 departments and 15
// districts each sending every section of the six-month report that takes
// contributions (three paragraphs of about 300 characters and two figures
// each). It logs the numbers (go test -v) and asserts none: the machine
// decides them.
func TestContributionsLoadCost(t *testing.T) {
	if testing.Short() {
		t.Skip("seed 004 and a full round on each engine, each read 7 times")
	}
	evs := reporttest.Seed004()
	var keys []string
	for _, s := range report.DefaultOutline(report.Reform).Sections {
		if s.Contributions {
			keys = append(keys, s.Key)
		}
	}
	para := strings.Repeat("Sở đã triển khai **đầy đủ** các nhiệm vụ được giao, bảo đảm tiến độ. ", 4)
	at := time.Date(2024, 6, 17, 9, 0, 0, 0, events.Vietnam)
	for a := 0; a <= 35; a++ {
		agency := fmt.Sprintf("000.00.%02d.H23", a)
		for _, key := range keys {
			c := events.ContributionSubmitted{Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
				Year: 2024, Number: 1, Section: key, Paragraphs: []string{para, "- " + para, "- " + para},
				Figures: []events.Figure{{Name: "Văn bản ban hành", Value: 25, Unit: "văn bản"}, {Name: "Tỷ lệ", Value: 98.5, Unit: "%"}}}
			evs = append(evs, events.New(agency, c.Slot(), at, c))
		}
	}
	parts := 36 * len(keys)
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	median := func(f func() error) time.Duration {
		var ds []time.Duration
		for range 7 {
			start := time.Now()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			ds = append(ds, time.Since(start))
		}
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, evs)
		ctx := context.Background()
		var d *report.Data
		load := median(func() (err error) { d, err = report.Load(ctx, s, db, p); return err })
		read := median(func() error { _, err := report.ReadContributions(ctx, s, db, "", p); return err })
		var doc *report.Document
		build := median(func() error { doc = report.Build(report.Reform, d); return nil })
		if len(d.Contributions) != parts || len(doc.Unplaced) != 0 {
			t.Fatalf("%d contributions, %d unplaced; want %d and 0", len(d.Contributions), len(doc.Unplaced), parts)
		}
		t.Logf("%d parts: Load %v (of which the contributions query %v), Build %v (medians of 7)", parts, load, read, build)
	})
}
