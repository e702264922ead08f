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

// The round of a province the size of Hải Phòng: 20 departments, 15
// districts, 217 communes; 30 of the 35 asked agencies in, with 3 sections
// each. It measures reading the round (logged, not asserted) and checks
// the counts.
func TestRoundScale(t *testing.T) {
	if testing.Short() {
		t.Skip("a province's directory and round on each engine")
	}
	const province = "000.00.00.H23"
	var evs []events.Event
	at := time.Date(2021, 6, 15, 8, 0, 0, 0, events.Vietnam)
	add := func(code, name string, level events.AgencyLevel, parent string) {
		e := events.New(province, code, at, events.AgencyCreated{Name: name, Level: level, Parent: parent, EffectiveFrom: events.NewDate(2010, 1, 1)})
		e.RecordedAt, at = at, at.Add(time.Second)
		evs = append(evs, e)
	}
	add(province, "Ủy ban nhân dân thành phố", events.LevelProvince, "")
	var asked []string
	for i := range 35 {
		code := fmt.Sprintf("000.00.%02d.H23", i+1)
		level := events.LevelDepartment
		if i >= 20 {
			level = events.LevelDistrict
		}
		add(code, fmt.Sprintf("Đơn vị %d", i+1), level, province)
		asked = append(asked, code)
	}
	for i := range 217 {
		add(fmt.Sprintf("000.%02d.%02d.H23", 21+i%15, i/15+1), fmt.Sprintf("Ủy ban nhân dân xã %d", i+1), events.LevelCommune, asked[20+i%15])
	}
	day := time.Date(2024, 6, 17, 9, 0, 0, 0, events.Vietnam)
	for i, code := range asked[:30] {
		for j, section := range []string{"direction.documents", "results.procedures.dossiers", "assessment.difficulties"} {
			when := day.Add(time.Duration(i*3+j) * time.Minute)
			e, err := contributions.Submission(code, contributions.Slot{Kind: report.Reform, Period: h1, Section: section},
				contributions.Draft{Paragraphs: []string{"Nội dung của " + code + "."}}, when, clock)
			if err != nil {
				t.Fatal(err)
			}
			e.ID = events.NewID(when)
			evs = append(evs, e)
		}
	}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, evs)
		r := contributions.DefaultRound()
		var took []time.Duration
		var st *contributions.Status
		for range 5 {
			start := time.Now()
			var err error
			if st, err = r.Load(context.Background(), s, db, report.Reform, h1, day); err != nil {
				t.Fatal(err)
			}
			took = append(took, time.Since(start))
		}
		if len(st.Agencies) != 35 || len(st.Outstanding()) != 5 {
			t.Fatalf("%d asked, %d outstanding; want 35 and 5", len(st.Agencies), len(st.Outstanding()))
		}
		slices.Sort(took)
		t.Logf("the round of %d agencies (%d in the directory) read in %v (median of 5)", len(st.Agencies), 1+35+217, took[2].Round(time.Millisecond))
	})
}
