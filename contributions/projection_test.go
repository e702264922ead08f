package contributions_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

var (
	h1    = report.Period{Kind: report.HalfYear, Cutoff: report.Official, Year: 2024, Number: 1}
	day   = time.Date(2024, 6, 20, 9, 0, 0, 0, events.Vietnam)
	clock = time.Now()
)

func submit(t *testing.T, agency, section string, at time.Time, text string, figs ...events.Figure) events.Event {
	t.Helper()
	e, err := contributions.Submission(agency, contributions.Slot{Kind: report.Reform, Period: h1, Section: section},
		contributions.Draft{Paragraphs: []string{text}, Figures: figs}, at, clock)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = events.NewID(at) // ids by occurred_at, as an agency's would be
	return e
}

func withdraw(t *testing.T, agency, section string, at time.Time) events.Event {
	t.Helper()
	e, err := contributions.Withdrawal(agency, contributions.Slot{Kind: report.Reform, Period: h1, Section: section}, "", at, clock)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = events.NewID(at)
	return e
}

func migrated(t *testing.T, s store.Store, db string) {
	t.Helper()
	if _, err := schema.Migrate(context.Background(), s, db); err != nil {
		t.Fatal(err)
	}
}

func current(t *testing.T, s store.Store, db string) []contributions.Contribution {
	t.Helper()
	cs, err := contributions.Current(context.Background(), s, db, report.Reform, h1)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

// The latest submission per agency and section wins, whatever the arrival
// order; a withdrawal later than it removes it, an earlier one does not;
// duplicates change nothing.
func TestContributionsProjection(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		const stp, snv = "000.00.31.H23", "000.00.32.H23"
		fig := events.Figure{Name: "Văn bản QPPL được thẩm định", Value: 25, Unit: "văn bản",
			Compare: &events.FigureComparison{Label: "6 tháng đầu năm 2023", Value: 20}}
		evs := []events.Event{
			submit(t, stp, "results.institutions", day, "Bản đầu, sẽ được thay."),
			submit(t, stp, "results.institutions", day.Add(time.Hour), "Sở Tư pháp đã thẩm định **25** dự thảo văn bản.", fig),
			withdraw(t, stp, "results.institutions", day.Add(30*time.Minute)), // before the latest: no effect
			submit(t, stp, "results.procedures", day, "- Rà soát 12 thủ tục."),
			withdraw(t, stp, "results.procedures", day.Add(time.Minute)), // after it: removed
			submit(t, snv, "results.organisation", day, `Sở Nội vụ *đã* sắp xếp 3 phòng; "figures":[1], "paragraphs": [<, > & ], 'x' P&G.`),
			withdraw(t, snv, "results.organisation", day.Add(-time.Hour)), // before it: no effect
			submit(t, snv, "results.civil_service", day, "Bị rút rồi nộp lại: bản cũ."),
			withdraw(t, snv, "results.civil_service", day.Add(time.Hour)),
			submit(t, snv, "results.civil_service", day.Add(2*time.Hour), "Nộp lại sau khi rút."),
		}
		want := []contributions.Contribution{
			{Agency: snv, Section: "results.civil_service", Paragraphs: []string{"Nộp lại sau khi rút."}, SubmittedAt: day.Add(2 * time.Hour), EventID: evs[9].ID, Submissions: 2},
			{Agency: stp, Section: "results.institutions", Paragraphs: []string{"Sở Tư pháp đã thẩm định **25** dự thảo văn bản."},
				Figures: []events.Figure{fig}, SubmittedAt: day.Add(time.Hour), EventID: evs[1].ID, Submissions: 2},
			{Agency: snv, Section: "results.organisation", Paragraphs: []string{`Sở Nội vụ *đã* sắp xếp 3 phòng; "figures":[1], "paragraphs": [<, > & ], 'x' P&G.`}, SubmittedAt: day, EventID: evs[5].ID, Submissions: 1},
		}
		for i := range want {
			want[i].Kind = report.Reform
			if want[i].Figures == nil {
				want[i].Figures = []events.Figure{}
			}
		}

		migrated(t, s, "once")
		storetest.InsertOnce(t, s, "once", evs)
		once := current(t, s, "once")
		for seed := uint64(1); seed <= 3; seed++ {
			db := "twice" + string(rune('0'+seed))
			migrated(t, s, db)
			storetest.InsertTwiceShuffled(t, s, db, evs, seed)
			if got := current(t, s, db); !reflect.DeepEqual(got, once) {
				t.Fatalf("seed %d: twice, shuffled:\n%+v\nonce:\n%+v", seed, got, once)
			}
		}
		if !equal(once, want) {
			t.Fatalf("contributions:\n%+v\nwant\n%+v", once, want)
		}
	})
}

func equal(a, b []contributions.Contribution) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if !x.SubmittedAt.Equal(y.SubmittedAt) {
			return false
		}
		x.SubmittedAt, y.SubmittedAt = time.Time{}, time.Time{}
		if !reflect.DeepEqual(x, y) {
			return false
		}
	}
	return true
}
