package contributions_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/contributions/roundtest"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// states writes a status as "code:part state …" lines, one per agency.
func states(s *contributions.Status) string {
	var b strings.Builder
	for _, a := range s.Agencies {
		fmt.Fprintf(&b, "%s", a.Code)
		for i, p := range a.Parts {
			if p.State != "" {
				fmt.Fprintf(&b, " %s=%s", cmpOr(s.Parts[i], "*"), p.State)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// The round of seed-like Hải Phòng H1 on both engines: departments and
// districts existing at the period's end are asked (not the merged one,
// not one created after, not the commune nor the province), each for the
// report as a whole and the assigned for their section; a part is
// submitted, missing before the deadline, late when submitted after it or
// missing after it. Contributions delivered twice and shuffled change
// nothing.
func TestRoundStatus(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		ctx := context.Background()
		evs := append(roundtest.Directory(), roundtest.Contributions(t)...)
		r := roundtest.Round()
		if got := r.Deadline(roundtest.H1); !got.Equal(time.Date(2024, 6, 19, 0, 0, 0, 0, time.FixedZone("ICT", 7*3600))) {
			t.Fatalf("deadline %v; want the end of 18/6/2024", got)
		}
		for i, insert := range []func(db string){
			func(db string) { storetest.InsertOnce(t, s, db, evs) },
			func(db string) { storetest.InsertTwiceShuffled(t, s, db, evs, 7) },
		} {
			db := storetest.Migrated(t, s)
			insert(db)
			before := time.Date(2024, 6, 18, 20, 0, 0, 0, events.Vietnam)
			st, err := r.Load(ctx, s, db, report.Reform, roundtest.H1, before)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Join([]string{
				roundtest.Justice + " *=submitted results.institutions=submitted",
				roundtest.Home + " *=submitted",
				roundtest.Finance + " *=submitted results.public_finance=missing",
				roundtest.HongBang + " *=late",
				roundtest.VinhBao + " *=missing",
			}, "\n") + "\n"
			if got := states(st); got != want {
				t.Fatalf("delivery %d, before the deadline:\n%s\nwant\n%s", i, got, want)
			}
			if !st.Open() || len(st.Outstanding()) != 2 {
				t.Errorf("before the deadline: open %v, %d outstanding; want open, 2 (Finance, Vĩnh Bảo)", st.Open(), len(st.Outstanding()))
			}
			if onTime, late, missing := st.Counts(); onTime != 2 || late != 1 || missing != 2 {
				t.Errorf("counts %d on time, %d late, %d missing; want 2, 1, 2", onTime, late, missing)
			}
			if a := st.Agencies[0]; a.Name != "Sở Tư pháp" || a.Level != "department" || a.Parts[1].SubmittedAt.Day() != 17 ||
				strings.Join(a.Parts[0].Sections, ",") != "results.institutions.drafting" {
				t.Errorf("Justice: %+v", a)
			}
			var others []string
			for _, o := range st.Others {
				others = append(others, o.Code)
			}
			if strings.Join(others, " ") != roundtest.Province+" "+roundtest.Commune {
				t.Errorf("others %v; want the province and the commune", others)
			}

			after, err := r.Load(ctx, s, db, report.Reform, roundtest.H1, time.Date(2024, 6, 25, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			want = strings.NewReplacer("results.public_finance=missing", "results.public_finance=late", roundtest.VinhBao+" *=missing", roundtest.VinhBao+" *=late").Replace(want)
			if got := states(after); got != want || after.Open() {
				t.Fatalf("after the deadline (open %v):\n%s\nwant\n%s", after.Open(), got, want)
			}

			// Communes asked too; another kind's round is empty.
			withCommunes := r
			withCommunes.Asked = append(withCommunes.Asked, contributions.AskCommunes)
			st, err = withCommunes.Load(ctx, s, db, report.Reform, roundtest.H1, before)
			if err != nil || !strings.Contains(states(st), roundtest.Commune+" *=submitted") || len(st.Others) != 1 {
				t.Errorf("with communes: %v\n%s", err, states(st))
			}
			pc, _ := report.ParsePeriod("2024-Q2", report.Official)
			st, err = r.Load(ctx, s, db, report.ProcedureControl, pc, before)
			if err != nil || len(st.Outstanding()) != 5 || len(st.Others) != 0 {
				t.Errorf("procedure_control Q2: %v, %d outstanding, %d others; want all 5 asked outstanding", err, len(st.Outstanding()), len(st.Others))
			}
		}
	})
}

func TestRoundCheck(t *testing.T) {
	o := report.DefaultOutline(report.Reform)
	for _, tt := range []struct {
		name  string
		round contributions.Round
		want  string
	}{
		{"default", contributions.DefaultRound(), ""},
		{"assigned", roundtest.Round(), ""},
		{"level typo", contributions.Round{Asked: []string{"district", "ward!"}}, `asked "ward!"`},
		{"negative deadline", contributions.Round{DeadlineDays: -1}, "deadline -1 days"},
		{"unknown section", contributions.Round{Sections: []contributions.Assignment{{Section: "results.budget", Agencies: []string{"000.00.03.H99"}}}}, `section "results.budget"`},
		{"bad code", contributions.Round{Sections: []contributions.Assignment{{Section: "results", Agencies: []string{"a..b"}}}}, `agency "a..b"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.round.Check(o)
			if (err == nil) != (tt.want == "") || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Check: %v; want %q", err, tt.want)
			}
		})
	}
	if _, err := contributions.ParseAssignment("results.institutions"); err == nil {
		t.Error("an assignment without = parsed")
	}
	a, err := contributions.ParseAssignment(" results.institutions = 000.00.01.H99, 000.00.02.H99 ")
	if err != nil || a.Section != "results.institutions" || len(a.Agencies) != 2 {
		t.Errorf("ParseAssignment: %+v %v", a, err)
	}
}
