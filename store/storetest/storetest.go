// Package storetest is the contract every Store implementation passes: the
// same tests, run against a ClickHouse 18.16 server and against chDB 26.5.
package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

var dbSeq atomic.Int64

// FreshDB returns a database name no other test of this process uses, so
// tests can share one engine (chDB allows one per process).
func FreshDB(t testing.TB) string {
	return fmt.Sprintf("t%d_%d", time.Now().UnixNano()%1e9, dbSeq.Add(1))
}

// Run runs the contract against s.
func Run(t *testing.T, s store.Store) {
	t.Run("MigrateTwice", func(t *testing.T) { testMigrateTwice(t, s) })
	t.Run("EventColumnsMatchTable", func(t *testing.T) { testEventColumns(t, s) })
	t.Run("InsertEventsRoundTrip", func(t *testing.T) { testRoundTrip(t, s) })
	t.Run("DuplicateInsertsCollapse", func(t *testing.T) { testDuplicates(t, s) })
	t.Run("DeadLettersKeepRawBytes", func(t *testing.T) { testDeadLetters(t, s) })
	t.Run("EventIDsHoldGoFingerprints", func(t *testing.T) { testEventIDs(t, s) })
	t.Run("QueryErrors", func(t *testing.T) { testQueryErrors(t, s) })
	t.Run("ProjectionsIgnoreOrderAndDuplicates", func(t *testing.T) { testProjections(t, s) })
	t.Run("PeriodsFollowTheCutoffRules", func(t *testing.T) { testPeriods(t, s) })
	t.Run("SnapshotsFollowTheirSources", func(t *testing.T) { testSnapshots(t, s) })
}

// Migrated returns a fresh database with the schema and the report views.
func Migrated(t testing.TB, s store.Store) string {
	t.Helper()
	db := FreshDB(t)
	if _, err := schema.Migrate(context.Background(), s, db); err != nil {
		t.Fatal(err)
	}
	return db
}

// Query runs q and fails the test on error.
func Query(t testing.TB, s store.Store, q string) [][]string {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res.Rows
}

func testMigrateTwice(t *testing.T, s store.Store) {
	ctx := context.Background()
	db := FreshDB(t)
	first, err := schema.Migrate(ctx, s, db)
	if err != nil {
		t.Fatal(err)
	}
	all, _ := schema.Migrations()
	views, _ := schema.QueryViews()
	if len(first) != len(all)+len(views) {
		t.Fatalf("first run applied %v; want all %d migrations and %d views", first, len(all), len(views))
	}
	second, err := schema.Migrate(ctx, s, db)
	if err != nil || len(second) != 0 {
		t.Fatalf("second run applied %v, %v; want nothing", second, err)
	}
	rows := Query(t, s, "SELECT count(), uniqExact(version) FROM "+db+".schema_migrations")
	if rows[0][0] != fmt.Sprint(len(all)) || rows[0][1] != fmt.Sprint(len(all)) {
		t.Fatalf("schema_migrations holds %v; want %d versions once each", rows, len(all))
	}
}

func testEventColumns(t *testing.T, s store.Store) {
	db := Migrated(t, s)
	rows := Query(t, s, "DESCRIBE TABLE "+db+".events")
	var have []string
	for _, r := range rows {
		have = append(have, r[0])
	}
	var want []string
	for _, c := range store.EventColumns {
		want = append(want, c.Name)
	}
	if !slices.Equal(have, want) {
		t.Fatalf("events table columns\n have %v\n want %v", have, want)
	}
}

// sampleRows builds rows from real events of several shapes.
func sampleRows(t testing.TB) []store.EventRow {
	t.Helper()
	at := time.Date(2024, 3, 5, 9, 15, 30, 0, events.Vietnam)
	evs := []events.Event{
		events.New("000.00.31.H23", "HS-1", at, events.DossierReceived{Procedure: "1.001234", Field: "Hộ tịch", Channel: events.ChannelPostal,
			DueAt: at.Add(72 * time.Hour), Components: 4, ComponentsDigitised: 3, ComponentsReused: 1}),
		events.New("000.00.31.H23", "HS-1", at.Add(time.Hour), events.DossierResultIssued{Outcome: events.OutcomeApproved, Electronic: true}),
		events.New("000.00.00.H23", "1.001234", at, events.ProcedurePublished{Name: "Đăng ký khai sinh", Field: "Hộ tịch",
			Levels: []events.GovLevel{events.GovCommune, events.GovDistrict}, DecisionNo: "12/QĐ-UBND", DecisionDate: events.NewDate(2024, 3, 1),
			StatutoryDays: 0.5, OnlineLevel: events.OnlineFull, OnlineEligible: true}),
		events.New("000.00.00.H23", "302#II.1", at, events.TaskAssigned{Plan: "302/QĐ-UBND", Code: "II.1", Title: "Rà soát \"TTHC\"\tnội bộ",
			Lead: "000.00.31.H23", Coordinating: []string{"000.00.32.H23"}, Deadline: events.Deadline{Kind: events.DeadlineDate, Date: ptr(events.NewDate(2024, 6, 30))},
			Area: events.AreaProcedures}),
	}
	var rows []store.EventRow
	for i, e := range evs {
		r, err := store.RowFromEvent(e, uint64(i+1), at.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

func ptr[T any](v T) *T { return &v }

func testRoundTrip(t *testing.T, s store.Store) {
	ctx := context.Background()
	db := Migrated(t, s)
	rows := sampleRows(t)
	if err := s.InsertEvents(ctx, db, rows); err != nil {
		t.Fatal(err)
	}
	got := Query(t, s, `SELECT id, type, agency, subject_id, toString(occurred_at), toString(due_at), channel, components_digitised,
		electronic, toString(levels), toString(decision_date), statutory_days, title, toString(coordinating), toString(deadline_date),
		toString(toUnixTimestamp(occurred_at)), payload
		FROM `+db+`.events ORDER BY stream_seq`)
	if len(got) != len(rows) {
		t.Fatalf("%d rows back; want %d", len(got), len(rows))
	}
	r0, r2, r3 := got[0], got[2], got[3]
	want0 := []string{rows[0].ID, "dossier.received", "000.00.31.H23", "HS-1", "2024-03-05 09:15:30", "2024-03-08 09:15:30", "postal", "3"}
	if !slices.Equal(r0[:8], want0) {
		t.Errorf("dossier.received row %v; want %v", r0[:8], want0)
	}
	if r0[15] != fmt.Sprint(rows[0].OccurredAt.Unix()) {
		t.Errorf("occurred_at instant %s; want %d", r0[15], rows[0].OccurredAt.Unix())
	}
	if got[1][8] != "1" {
		t.Errorf("electronic = %s; want 1", got[1][8])
	}
	if r2[9] != "['commune','district']" || r2[10] != "2024-03-01" || r2[11] != "0.5" {
		t.Errorf("procedure row levels %s, decision date %s, days %s", r2[9], r2[10], r2[11])
	}
	if r3[12] != "Rà soát \"TTHC\"\tnội bộ" || r3[13] != "['000.00.32.H23']" || r3[14] != "2024-06-30" {
		t.Errorf("task row title %q coordinating %s deadline %s", r3[12], r3[13], r3[14])
	}
	if !strings.Contains(r0[16], `"channel":"postal"`) {
		t.Errorf("payload %s does not hold the payload JSON", r0[16])
	}
}

func testDuplicates(t *testing.T, s store.Store) {
	ctx := context.Background()
	db := Migrated(t, s)
	rows := sampleRows(t)
	for range 3 {
		if err := s.InsertEvents(ctx, db, rows); err != nil {
			t.Fatal(err)
		}
	}
	got := Query(t, s, "SELECT count(), uniqExact(id) FROM "+db+".events")
	if got[0][1] != fmt.Sprint(len(rows)) {
		t.Fatalf("uniqExact(id) = %s; want %d", got[0][1], len(rows))
	}
	if err := s.Exec(ctx, "OPTIMIZE TABLE "+db+".events FINAL"); err != nil {
		t.Fatal(err)
	}
	got = Query(t, s, "SELECT count() FROM "+db+".events")
	if got[0][0] != fmt.Sprint(len(rows)) {
		t.Fatalf("after merging, %s rows; want %d: re-inserted events must collapse", got[0][0], len(rows))
	}
}

func testDeadLetters(t *testing.T, s store.Store) {
	ctx := context.Background()
	db := Migrated(t, s)
	raw := []byte("{\"id\":\n\n\"x\"\t\x00 Sở Tư pháp \\ ")
	dl := []store.DeadLetter{{StreamSeq: 7, Subject: "baocao.events.X.dossier.received", ReceivedAt: time.Unix(1709600000, 0), Reason: "malformed event: …", Raw: raw}}
	if err := s.InsertDeadLetters(ctx, db, dl); err != nil {
		t.Fatal(err)
	}
	got := Query(t, s, "SELECT stream_seq, subject, reason, hex(raw), toUnixTimestamp(stored_at) FROM "+db+".dead_letters")
	if len(got) != 1 || got[0][0] != "7" || got[0][2] != "malformed event: …" || got[0][4] != "1709600000" {
		t.Fatalf("dead letter %v", got)
	}
	if want := strings.ToUpper(fmt.Sprintf("%x", raw)); got[0][3] != want {
		t.Fatalf("raw bytes changed:\n have %s\n want %s", got[0][3], want)
	}
}

func testQueryErrors(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, err := s.Query(ctx, "SELECT no_such_column FROM system.one"); err == nil {
		t.Fatal("a bad query succeeded")
	}
	if err := s.Exec(ctx, "CREATE TABLE x ("); err == nil {
		t.Fatal("a bad statement succeeded")
	}
	// The store still works after errors.
	if got := Query(t, s, "SELECT 1 + 1"); got[0][0] != "2" {
		t.Fatalf("SELECT 1 + 1 = %v", got)
	}
}

func testPeriods(t *testing.T, s store.Store) {
	db := Migrated(t, s)
	if n := Query(t, s, "SELECT count() FROM "+db+".periods")[0][0]; n != "1040" {
		t.Fatalf("%s periods; want 26 years × 20 periods × 2 cut-offs = 1040", n)
	}
	tests := []struct{ kind, cutoff, year, number, label, start, end, prevStart, prevEnd string }{
		{"month", "calendar", "2024", "2", "Tháng 2/2024", "2024-02-01", "2024-02-29", "2023-02-01", "2023-02-28"},
		{"month", "official", "2024", "1", "Tháng 1/2024", "2023-12-15", "2024-01-14", "2022-12-15", "2023-01-14"},
		{"quarter", "official", "2024", "1", "Quý I/2024", "2023-12-15", "2024-03-14", "2022-12-15", "2023-03-14"},
		{"quarter", "calendar", "2024", "4", "Quý IV/2024", "2024-10-01", "2024-12-31", "2023-10-01", "2023-12-31"},
		{"half_year", "official", "2024", "1", "6 tháng đầu năm 2024", "2023-12-15", "2024-06-14", "2022-12-15", "2023-06-14"},
		{"half_year", "calendar", "2024", "2", "6 tháng cuối năm 2024", "2024-07-01", "2024-12-31", "2023-07-01", "2023-12-31"},
		{"nine_months", "official", "2024", "1", "9 tháng năm 2024", "2023-12-15", "2024-09-14", "2022-12-15", "2023-09-14"},
		{"year", "official", "2024", "1", "Năm 2024", "2023-12-15", "2024-12-14", "2022-12-15", "2023-12-14"},
		{"year", "calendar", "2015", "1", "Năm 2015", "2015-01-01", "2015-12-31", "2014-01-01", "2014-12-31"},
	}
	for _, tt := range tests {
		got := Query(t, s, fmt.Sprintf(`SELECT label, toString(period_start), toString(period_end), toString(prev_start), toString(prev_end)
			FROM %s.periods WHERE kind = '%s' AND cutoff = '%s' AND year = %s AND number = %s`, db, tt.kind, tt.cutoff, tt.year, tt.number))
		want := []string{tt.label, tt.start, tt.end, tt.prevStart, tt.prevEnd}
		if len(got) != 1 || !slices.Equal(got[0], want) {
			t.Errorf("%s %s %s/%s = %v; want %v", tt.cutoff, tt.kind, tt.number, tt.year, got, want)
		}
	}
}

// testSnapshots holds schema.Refresh to its promise: dossier_totals is built
// again when dossier events arrive, and only then, and then equals
// dossier_periods summed.
func testSnapshots(t *testing.T, s store.Store) {
	ctx := context.Background()
	db := Migrated(t, s)
	refresh := func() bool {
		t.Helper()
		rs, err := schema.Refresh(ctx, s, db, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rs) != 1 || rs[0].Name != "dossier_totals" {
			t.Fatalf("refreshed %+v; want dossier_totals", rs)
		}
		return rs[0].Built
	}
	sums := func(table, count string) string {
		t.Helper()
		return fmt.Sprint(Query(t, s, "SELECT kind, cutoff, year, number, agency, field, "+count+", sum(resolved), sum(in_progress_overdue) FROM "+db+"."+table+
			" GROUP BY kind, cutoff, year, number, agency, field ORDER BY kind, cutoff, year, number, agency, field"))
	}
	if refresh() {
		t.Error("Refresh built dossier_totals again right after Migrate built it")
	}
	var dossierEvents, others []events.Event
	for _, e := range Lifecycle() {
		if strings.HasPrefix(string(e.Type), "dossier.") {
			dossierEvents = append(dossierEvents, e)
		} else {
			others = append(others, e)
		}
	}
	insertInBatches(t, s, db, Rows(t, others), 1000) // refreshes
	if refresh() {
		t.Error("events without a dossier event made Refresh build dossier_totals again")
	}
	if err := s.InsertEvents(ctx, db, Rows(t, dossierEvents)); err != nil {
		t.Fatal(err)
	}
	if got := Query(t, s, "SELECT count() FROM "+db+".dossier_totals"); got[0][0] != "0" {
		t.Fatalf("dossier_totals has %s rows before a refresh; it is a snapshot", got[0][0])
	}
	if !refresh() {
		t.Fatal("Refresh did not build dossier_totals after dossier events arrived")
	}
	if refresh() {
		t.Error("a second Refresh built dossier_totals again")
	}
	want, got := sums("dossier_periods", "count()"), sums("dossier_totals", "sum(dossiers)")
	if got != want || len(got) < 100 {
		t.Errorf("dossier_totals is not dossier_periods summed:\n got  %.400s\n want %.400s", got, want)
	}
	// the snapshot is whole after a forced build too, and the swap left
	// no table behind
	if _, err := schema.Refresh(ctx, s, db, true); err != nil {
		t.Fatal(err)
	}
	if again := sums("dossier_totals", "sum(dossiers)"); again != want {
		t.Errorf("a forced build changed dossier_totals:\n got  %.400s\n want %.400s", again, want)
	}
	left := Query(t, s, "SELECT name FROM system.tables WHERE database = '"+db+"' AND name LIKE 'dossier_totals_%'")
	if len(left) != 0 {
		t.Errorf("tables left by the swap: %v", left)
	}
}

// event_ids, filled by its materialized view and, for events already there
// when the migration ran, by the migration's own SELECT, holds for each id
// the fingerprint Go computes (store.EventRow.Fingerprint) and the lowest
// stream sequence: the projector compares the two to notice a reused id.
func testEventIDs(t *testing.T, s store.Store) {
	ctx := context.Background()
	rows := Rows(t, Lifecycle())
	rows = append(rows, sampleRows(t)...) // tabs, quotes and Vietnamese in the payload
	for i := range rows {
		rows[i].StreamSeq = uint64(i + 10)
	}
	again := slices.Clone(rows[:3]) // re-sent later: the first sequence stays
	for i := range again {
		again[i].StreamSeq += 1000
	}
	want := map[string]string{}
	for _, r := range rows {
		want[r.ID] = fmt.Sprintf("%d %d", r.Fingerprint(), r.StreamSeq)
	}
	check := func(db, how string) {
		t.Helper()
		got := Query(t, s, "SELECT id, fingerprint, minMerge(first_seq) FROM "+db+".event_ids GROUP BY id, fingerprint")
		if len(got) != len(want) {
			t.Fatalf("%s: event_ids holds %d (id, fingerprint) pairs; want %d", how, len(got), len(want))
		}
		for _, g := range got {
			if w := want[g[0]]; g[1]+" "+g[2] != w {
				t.Errorf("%s: event_ids holds %s for %s; want %s (Go's fingerprint, first sequence)", how, g[1:], g[0], w)
			}
		}
	}
	db := Migrated(t, s)
	for _, batch := range [][]store.EventRow{again, rows, again} {
		if err := s.InsertEvents(ctx, db, batch); err != nil {
			t.Fatal(err)
		}
	}
	check(db, "inserted")

	// A database that held events before the migration existed.
	ms, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TABLE " + db + ".event_ids_mv", "DROP TABLE " + db + ".event_ids"} {
		if err := s.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	for _, m := range ms {
		if m.Object == "event_ids" {
			if err := s.Exec(ctx, m.Statement(db)); err != nil {
				t.Fatal(err)
			}
		}
	}
	check(db, "migrated from existing events")
}
