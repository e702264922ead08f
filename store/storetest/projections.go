package storetest

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
)

// Views are the current-state views every projection test compares.
var Views = []string{"dossiers", "feedback", "tasks", "procedures", "agencies"}

// viewKeys are the views' key columns, the subject's id last. ORDER BY
// names them: on 18.16 "ORDER BY 1" sorts by the constant 1, not by the
// first column.
var viewKeys = map[string]string{"dossiers": "dossier_id", "feedback": "feedback_id", "tasks": "province, task_id",
	"procedures": "procedure_code", "agencies": "agency_code"}

// Snapshot reads every current-state view of db, sorted by key, as text.
func Snapshot(t testing.TB, s store.Store, db string) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, v := range Views {
		out[v] = Query(t, s, "SELECT * FROM "+db+"."+v+" ORDER BY "+viewKeys[v])
	}
	return out
}

// Rows converts events to rows with stream sequences in slice order.
func Rows(t testing.TB, evs []events.Event) []store.EventRow {
	t.Helper()
	rows := make([]store.EventRow, len(evs))
	for i, e := range evs {
		r, err := store.RowFromEvent(e, uint64(i+1), e.RecordedAt)
		if err != nil {
			t.Fatal(err)
		}
		rows[i] = r
	}
	return rows
}

// insertInBatches inserts rows in batches of n, then refreshes the
// snapshots, as consume does.
func insertInBatches(t testing.TB, s store.Store, db string, rows []store.EventRow, n int) {
	t.Helper()
	for len(rows) > 0 {
		k := min(n, len(rows))
		if err := s.InsertEvents(context.Background(), db, rows[:k]); err != nil {
			t.Fatal(err)
		}
		rows = rows[k:]
	}
	if _, err := schema.Refresh(context.Background(), s, db, false); err != nil {
		t.Fatal(err)
	}
}

// InsertOnce inserts evs in order, in batches of 1000.
func InsertOnce(t testing.TB, s store.Store, db string, evs []events.Event) {
	t.Helper()
	insertInBatches(t, s, db, Rows(t, evs), 1000)
}

// InsertTwiceShuffled inserts every event of evs twice, the copies shuffled
// by seed, in batches of 337: at-least-once delivery at its worst.
func InsertTwiceShuffled(t testing.TB, s store.Store, db string, evs []events.Event, seed uint64) {
	t.Helper()
	rows := Rows(t, evs)
	doubled := append(slices.Clone(rows), rows...)
	r := rand.New(rand.NewPCG(seed, 1))
	r.Shuffle(len(doubled), func(i, j int) { doubled[i], doubled[j] = doubled[j], doubled[i] })
	insertInBatches(t, s, db, doubled, 337)
}

// AssertOrderInsensitive is the core guarantee: the events inserted once in
// order, and inserted twice over in a shuffled order in other batches, give
// identical projections. It returns the database holding the events inserted
// once, and its snapshot.
func AssertOrderInsensitive(t *testing.T, s store.Store, evs []events.Event, seed uint64) (string, map[string][][]string) {
	t.Helper()
	ctx := context.Background()
	once, twice := FreshDB(t), FreshDB(t)
	for _, db := range []string{once, twice} {
		if _, err := schema.Migrate(ctx, s, db); err != nil {
			t.Fatal(err)
		}
	}
	InsertOnce(t, s, once, evs)
	InsertTwiceShuffled(t, s, twice, evs, seed)

	a, b := Snapshot(t, s, once), Snapshot(t, s, twice)
	for _, v := range Views {
		if len(a[v]) == 0 && hasFamily(evs, v) {
			t.Errorf("view %s is empty", v)
		}
		if !slices.EqualFunc(a[v], b[v], slices.Equal) {
			t.Errorf("view %s differs when events arrive twice and shuffled:\n once: %v\n twice: %v", v, head(a[v]), head(b[v]))
		}
	}
	return once, a
}

func hasFamily(evs []events.Event, view string) bool {
	fam := map[string]events.Family{"dossiers": events.FamilyDossier, "feedback": events.FamilyFeedback, "tasks": events.FamilyTask,
		"procedures": events.FamilyProcedure, "agencies": events.FamilyAgency}[view]
	for _, e := range evs {
		if e.Type.Family() == fam {
			return true
		}
	}
	return false
}

func head(rows [][]string) [][]string { return rows[:min(len(rows), 3)] }

// Lifecycle returns the events of a small province with every projection's
// interesting cases: a dossier late after a supplement, one on time, one
// rejected at intake, feedback answered and rejected, a task with a changed
// deadline, a procedure published, amended and repealed, agencies created,
// renamed and merged. Some events share a timestamp, so ties must be broken.
func Lifecycle() []events.Event {
	t0 := time.Date(2024, 3, 4, 8, 0, 0, 0, events.Vietnam)
	n := 0
	ev := func(agency, subject string, at time.Time, p events.Payload) events.Event {
		n++
		e := events.New(agency, subject, at, p)
		e.RecordedAt = at.Add(time.Duration(n) * time.Second)
		return e
	}
	h := time.Hour
	d := 24 * h
	province, dept, commune := "000.00.00.H23", "000.00.31.H23", "000.01.41.H23"
	return []events.Event{
		ev(province, province, t0, events.AgencyCreated{Name: "UBND thành phố Hải Phòng", Level: events.LevelProvince, EffectiveFrom: events.NewDate(2000, 1, 1)}),
		ev(province, dept, t0, events.AgencyCreated{Name: "Sở Tư pháp", Level: events.LevelDepartment, Parent: province, EffectiveFrom: events.NewDate(2000, 1, 1)}),
		ev(province, dept, t0.Add(h), events.AgencyRenamed{Name: "Sở Tư pháp thành phố", EffectiveFrom: events.NewDate(2024, 3, 1)}),
		ev(province, commune, t0, events.AgencyCreated{Name: "UBND xã An Lư", Level: events.LevelCommune, Parent: province, EffectiveFrom: events.NewDate(2000, 1, 1)}),
		ev(province, commune, t0, events.AgencyMerged{Into: "000.02.41.H23", EffectiveFrom: events.NewDate(2025, 7, 1)}),
		ev(province, dept, t0, events.AgencyOnboarded{System: "Một cửa điện tử", EffectiveFrom: events.NewDate(2022, 1, 1)}),

		ev(province, "1.001", t0, events.ProcedurePublished{Name: "Đăng ký khai sinh", Field: "Hộ tịch", Levels: []events.GovLevel{events.GovCommune},
			DecisionNo: "10/QĐ-UBND", DecisionDate: events.NewDate(2024, 1, 10), StatutoryDays: 1, OnlineLevel: events.OnlinePartial, FeeVND: 8000}),
		ev(province, "1.001", t0.Add(d), events.ProcedureAmended{DecisionNo: "20/QĐ-UBND", DecisionDate: events.NewDate(2024, 3, 5),
			OnlineLevel: events.OnlineFull, OnlineEligible: ptr(true), FeeVND: ptr(int64(0))}),
		ev(province, "1.002", t0, events.ProcedurePublished{Name: "Cấp bản sao", Field: "Chứng thực", Levels: []events.GovLevel{events.GovCommune, events.GovDistrict},
			DecisionNo: "10/QĐ-UBND", DecisionDate: events.NewDate(2024, 1, 10), StatutoryDays: 0.5, OnlineLevel: events.OnlineNone, Internal: true}),
		ev(province, "1.002", t0.Add(2*d), events.ProcedureRepealed{DecisionNo: "30/QĐ-UBND", DecisionDate: events.NewDate(2024, 3, 6)}),
		ev(province, "1.002", t0, events.ProcedureReviewPlanned{Plan: "52/KH-UBND", Internal: true}),
		ev(province, "1.002", t0.Add(d), events.ProcedureReviewed{Plan: "52/KH-UBND", Internal: true, Outcome: events.ReviewSimplify}),
		ev(province, "1.002", t0.Add(d), events.ProcedureSimplificationProposed{Internal: true, Proposal: "Bỏ bản sao"}),

		ev(dept, "HS-1", t0, events.DossierReceived{Procedure: "1.001", Channel: events.ChannelOnline, DueAt: t0.Add(2 * d), Components: 3, ComponentsDigitised: 3, ComponentsReused: 1}),
		ev(dept, "HS-1", t0.Add(h), events.DossierSupplementRequested{Reason: "Thiếu tờ khai"}),
		ev(dept, "HS-1", t0.Add(5*h), events.DossierSupplementSupplied{}),
		ev(dept, "HS-1", t0.Add(d), events.DossierFeeRequested{AmountVND: 8000}),
		ev(dept, "HS-1", t0.Add(d+h), events.DossierFeePaid{AmountVND: 8000, Online: true}),
		ev(dept, "HS-1", t0.Add(2*d), events.DossierApologyIssued{NewDueAt: t0.Add(4 * d), Reason: "Cần xác minh"}),
		ev(dept, "HS-1", t0.Add(3*d), events.DossierResultIssued{Outcome: events.OutcomeApproved, Electronic: true}),
		ev(dept, "HS-1", t0.Add(3*d), events.DossierResultReturned{Channel: events.ChannelOnline}),
		ev(dept, "HS-1", t0.Add(3*d), events.DossierSynced{Portal: events.PortalNational}),
		ev(dept, "HS-1", t0.Add(3*d+h), events.DossierRated{Satisfied: false, Score: 2}),
		ev(dept, "HS-1", t0.Add(3*d+2*h), events.DossierRated{Satisfied: true, Score: 4}), // changed their mind
		ev(dept, "HS-2", t0, events.DossierReceived{Procedure: "1.002", Channel: events.ChannelInPerson, DueAt: t0.Add(d), Components: 2}),
		ev(dept, "HS-2", t0.Add(h), events.DossierForwarded{ToAgency: commune}),
		ev(dept, "HS-2", t0.Add(2*h), events.DossierResultIssued{Outcome: events.OutcomeRefused}),
		ev(dept, "HS-3", t0, events.DossierRejected{Procedure: "1.001", Channel: events.ChannelPostal, Reason: "Sai thẩm quyền"}),
		ev(dept, "HS-4", t0, events.DossierReceived{Procedure: "1.001", Channel: events.ChannelPostal, DueAt: t0.Add(d), Components: 1}),
		ev(dept, "HS-4", t0.Add(h), events.DossierWithdrawn{}),

		ev(province, "PAKN-1", t0, events.FeedbackReceived{Channel: "national_portal", Topic: "regulation", DueAt: t0.Add(10 * d)}),
		ev(province, "PAKN-1", t0.Add(h), events.FeedbackClassified{Topic: "procedure", Handler: dept}),
		ev(dept, "PAKN-1", t0.Add(3*d), events.FeedbackAnswered{}),
		ev(dept, "PAKN-1", t0.Add(3*d), events.FeedbackPublished{}),
		ev(province, "PAKN-2", t0, events.FeedbackReceived{Channel: "hotline", Topic: "conduct", DueAt: t0.Add(10 * d)}),
		ev(province, "PAKN-2", t0.Add(d), events.FeedbackRejected{Reason: "Trùng lặp"}),

		ev(province, "302", t0, events.PlanIssued{Number: "302/QĐ-UBND", Title: "KSTTHC 2024", IssuedOn: events.NewDate(2024, 1, 30), Issuer: "UBND thành phố", Kind: events.PlanProcedureControl, Year: 2024}),
		ev(province, "302#I.1", t0, events.TaskAssigned{Plan: "302", Code: "I.1", Title: "Rà soát", Lead: dept, Deadline: events.Deadline{Kind: events.DeadlineQuarter, Year: 2024, Quarter: 2}, Area: events.AreaProcedures}),
		ev(dept, "302#I.1", t0.Add(d), events.TaskProgressReported{Percent: 30}),
		ev(dept, "302#I.1", t0.Add(2*d), events.TaskProgressReported{Percent: 70}),
		ev(province, "302#I.1", t0.Add(2*d), events.TaskDeadlineChanged{Deadline: events.Deadline{Kind: events.DeadlineMonth, Year: 2024, Month: 9}}),
		ev(dept, "302#I.1", t0.Add(3*d), events.TaskCompleted{Product: "Báo cáo 12/BC-STP"}),
		ev(province, "302#I.2", t0, events.TaskAssigned{Plan: "302", Code: "I.2", Title: "Tuyên truyền", Lead: dept, Deadline: events.Deadline{Kind: events.DeadlineRecurring, Recurrence: events.RecurContinuous}, Area: events.AreaDirection}),
	}
}

func testProjections(t *testing.T, s store.Store) {
	db, snap := AssertOrderInsensitive(t, s, Lifecycle(), 42)
	cols := map[string][]string{}
	for _, v := range Views {
		res, err := s.Query(context.Background(), "SELECT * FROM "+db+"."+v+" LIMIT 0")
		if err != nil {
			t.Fatal(err)
		}
		cols[v] = res.Columns
	}
	get := func(view, key, col string) string {
		t.Helper()
		idx := slices.Index(cols[view], col)
		if idx < 0 {
			t.Fatalf("view %s has no column %s", view, col)
		}
		keys := strings.Split(viewKeys[view], ", ")
		id := slices.Index(cols[view], keys[len(keys)-1])
		for _, r := range snap[view] {
			if r[id] == key {
				return r[idx]
			}
		}
		t.Fatalf("view %s has no row %s", view, key)
		return ""
	}
	checks := []struct{ view, key, col, want string }{
		{"dossiers", "HS-1", "agency", "000.00.31.H23"},
		{"dossiers", "HS-1", "channel", "online"},
		{"dossiers", "HS-1", "received_at", "2024-03-04 08:00:00"},
		{"dossiers", "HS-1", "supplement_requests", "1"},
		{"dossiers", "HS-1", "supplement_pause_seconds", "14400"},
		{"dossiers", "HS-1", "adjusted_due_at", "2024-03-06 12:00:00"},
		{"dossiers", "HS-1", "resolved_at", "2024-03-07 08:00:00"},
		{"dossiers", "HS-1", "apologies", "1"},
		{"dossiers", "HS-1", "fee_paid_online", "1"},
		{"dossiers", "HS-1", "electronic_result", "1"},
		{"dossiers", "HS-1", "satisfied", "1"},
		{"dossiers", "HS-1", "events", "11"},
		{"dossiers", "HS-2", "forwarded_to", "000.01.41.H23"},
		{"dossiers", "HS-2", "outcome", "refused"},
		{"dossiers", "HS-3", "rejected_at", "2024-03-04 08:00:00"},
		{"dossiers", "HS-4", "withdrawn_at", "2024-03-04 09:00:00"},
		{"dossiers", "HS-4", "resolved_at", `\N`},
		{"feedback", "PAKN-1", "topic", "procedure"},
		{"feedback", "PAKN-1", "handler", "000.00.31.H23"},
		{"feedback", "PAKN-1", "completed_at", "2024-03-07 08:00:00"},
		{"feedback", "PAKN-2", "completed_at", "2024-03-05 08:00:00"},
		{"tasks", "302#I.1", "deadline_kind", "month"},
		{"tasks", "302#I.1", "deadline_end", "2024-09-30"},
		{"tasks", "302#I.1", "progress_percent", "70"},
		{"tasks", "302#I.1", "product", "Báo cáo 12/BC-STP"},
		{"tasks", "302#I.2", "deadline_end", `\N`},
		{"procedures", "1.001", "online_level", "full"},
		{"procedures", "1.001", "fee_vnd", "0"},
		{"procedures", "1.001", "field", "Hộ tịch"},
		{"procedures", "1.001", "last_decision", "20/QĐ-UBND"},
		{"procedures", "1.001", "active", "1"},
		{"procedures", "1.002", "active", "0"},
		{"procedures", "1.002", "internal", "1"},
		{"procedures", "1.002", "review_outcome", "simplify"},
		{"agencies", "000.00.31.H23", "name", "Sở Tư pháp thành phố"},
		{"agencies", "000.01.41.H23", "merged_into", "000.02.41.H23"},
		{"agencies", "000.00.31.H23", "onboarded_on", "2022-01-01"},
	}
	for _, c := range checks {
		if got := get(c.view, c.key, c.col); got != c.want {
			t.Errorf("%s[%s].%s = %q; want %q", c.view, c.key, c.col, got, c.want)
		}
	}
}

// Simulated returns the first n events of a simulated province's feed
// (from March 2024, 300 dossiers a working day), duplicates included.
func Simulated(t testing.TB, n int) []events.Event {
	t.Helper()
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2024, 3, 1), events.NewDate(2024, 6, 30)
	cfg.DossiersPerDay = 300
	var out []events.Event
	errEnough := errors.New("enough")
	_, err := simulate.Run(context.Background(), cfg, func(e events.Event) error {
		if len(out) == n {
			return errEnough
		}
		out = append(out, e)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		t.Fatal(err)
	}
	if len(out) < n {
		t.Fatalf("the simulation gave %d events; want %d", len(out), n)
	}
	return out
}

// Unique keeps the first delivery of each event id.
func Unique(evs []events.Event) []events.Event {
	seen := map[string]bool{}
	var out []events.Event
	for _, e := range evs {
		if !seen[e.ID] {
			seen[e.ID] = true
			out = append(out, e)
		}
	}
	return out
}
