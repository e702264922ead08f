package schema

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
)

func TestMain(m *testing.M) { enginetest.Main(m) }

// retiredMigrations is the schema as it was before task_state_by_province:
// today's files below 0027 with the removed 0009–0011 (testdata/retired).
func retiredMigrations(t *testing.T) []Migration {
	t.Helper()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	old := slices.DeleteFunc(slices.Clone(ms), func(m Migration) bool { return m.Version >= 27 })
	files, err := filepath.Glob("testdata/retired/*.sql")
	if err != nil || len(files) != 3 {
		t.Fatalf("retired migrations %v, %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := parseMigration(filepath.Base(f), b)
		if err != nil {
			t.Fatal(err)
		}
		old = append(old, m)
	}
	slices.SortFunc(old, func(a, b Migration) int { return a.Version - b.Version })
	return old
}

// Two provinces issue a plan of the same number and assign its task 1;
// Hải Phòng completes its own. Keyed by task id, the two fold into one task;
// the upgrade must keep them apart, carrying over the tasks already
// projected, and the new materialized view must go on from there.
func TestUpgradeKeysTasksByProvince(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) { upgradeTasks(t, s, func(string) {}) })
	// On a cluster the replaced tables have _local twins on every server,
	// and the backfill goes through the Distributed tables.
	t.Run("cluster", func(t *testing.T) {
		c, err := chcluster.Start(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(c.Stop)
		s, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: strings.Split(c.Addrs(), ","), Cluster: chcluster.Name})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		upgradeTasks(t, s, func(db string) {
			if err := c.Sync(context.Background(), db); err != nil {
				t.Fatal(err)
			}
		})
	})
}

// upgradeTasks runs the upgrade on s; synced waits until every replica
// holds every insert so far (a no-op on one server).
func upgradeTasks(t *testing.T, s store.Store, synced func(db string)) {
	{
		ctx := context.Background()
		db := fmt.Sprintf("upgrade_%d", time.Now().UnixNano()%1e9)
		// the report views then did not know the province: the test needs none
		if _, err := migrate(ctx, s, db, retiredMigrations(t), nil); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2024, 2, 1, 9, 0, 0, 0, events.Vietnam)
		const plan, task = "45/KH-UBND/2024", "45/KH-UBND/2024#1"
		var evs []events.Event
		for _, p := range []struct{ token, title string }{{"H23", "Kế hoạch Hải Phòng"}, {"H24", "Kế hoạch Hải Dương"}} {
			ubnd := "000.00.00." + p.token
			evs = append(evs,
				events.New(ubnd, plan, at, events.PlanIssued{Number: "45/KH-UBND", Title: p.title, IssuedOn: events.NewDate(2024, 2, 1),
					Issuer: "UBND " + p.token, Kind: events.PlanReform, Year: 2024}),
				events.New(ubnd, task, at, events.TaskAssigned{Plan: plan, Code: "1", Title: "Rà soát TTHC", Lead: "000.00.31." + p.token,
					Deadline: events.Deadline{Kind: events.DeadlineDate, Date: ptr(events.NewDate(2024, 6, 30))}, Area: events.AreaProcedures}))
		}
		evs = append(evs, events.New("000.00.31.H23", task, at.AddDate(0, 2, 0), events.TaskCompleted{Product: "Báo cáo 1/BC-STP"}))
		insert(t, s, db, evs...)
		insert(t, s, db, evs[1]) // delivered twice
		synced(db)

		// a report view of the old version reading tasks, as task_summary
		// did: the upgrade drops tasks under it
		if err := s.Exec(ctx, schemaOnCluster(s, "CREATE VIEW "+db+".old_reader", " AS SELECT task_id, plan FROM "+db+".tasks")); err != nil {
			t.Fatal(err)
		}
		if n := query(t, s, "SELECT count() FROM "+db+".tasks"); n[0][0] != "1" {
			t.Fatalf("before the upgrade, tasks holds %v rows; the old schema folds both provinces' task into one", n)
		}

		ms, _ := Migrations()
		vs, _ := QueryViews()
		applied, err := migrate(ctx, s, db, ms, vs)
		if err != nil {
			t.Fatal(err)
		}
		if want := []string{"0027_task_state_by_province.sql", "0028_task_state_by_province_mv.sql", "0029_tasks.sql"}; !slices.Equal(applied[:min(3, len(applied))], want) {
			t.Fatalf("applied %v; want %v first", applied, want)
		}
		synced(db)
		if gone := query(t, s, "SELECT name FROM system.tables WHERE database = '"+db+"' AND name IN ('task_state', 'task_state_local', 'task_state_mv')"); len(gone) != 0 {
			t.Errorf("replaced objects still there: %v", gone)
		}
		tasks := func() string {
			var out []string
			for _, r := range query(t, s, "SELECT province, task_id, lead, ifNull(toString(completed_at), '-'), progress_percent, events FROM "+db+".tasks ORDER BY province") {
				out = append(out, strings.Join(r, " "))
			}
			return strings.Join(out, "\n")
		}
		want := "H23 " + task + " 000.00.31.H23 2024-04-01 09:00:00 0 2\nH24 " + task + " 000.00.31.H24 - 0 1"
		if got := tasks(); got != want {
			t.Fatalf("after the upgrade, tasks\n%s\nwant\n%s", got, want)
		}
		// Each province's task under its own plan title.
		sum := query(t, s, "SELECT province, plan_title, sum(assigned), sum(completed) FROM "+db+
			".task_summary WHERE kind = 'year' AND cutoff = 'calendar' AND year = 2024 GROUP BY province, plan_title ORDER BY province")
		if fmt.Sprint(sum) != "[[H23 Kế hoạch Hải Phòng 1 1] [H24 Kế hoạch Hải Dương 1 0]]" {
			t.Errorf("task_summary 2024 by province: %v", sum)
		}

		// The new view goes on: Hải Dương reports progress.
		insert(t, s, db, events.New("000.00.31.H24", task, at.AddDate(0, 3, 0), events.TaskProgressReported{Percent: 40}))
		synced(db)
		want = "H23 " + task + " 000.00.31.H23 2024-04-01 09:00:00 0 2\nH24 " + task + " 000.00.31.H24 - 40 2"
		if got := tasks(); got != want {
			t.Errorf("after a progress report, tasks\n%s\nwant\n%s", got, want)
		}
		if rows := query(t, s, "SELECT count() FROM "+db+".old_reader"); rows[0][0] != "2" {
			t.Errorf("the old view reads %v tasks; want 2", rows)
		}
		if again, err := migrate(ctx, s, db, ms, vs); err != nil || len(again) != 0 {
			t.Errorf("migrating again applied %v, %v", again, err)
		}
		if got := tasks(); got != want {
			t.Errorf("after migrating again, tasks\n%s\nwant\n%s", got, want)
		}
	}
}

// schemaOnCluster puts ON CLUSTER after the name a CREATE creates, on a
// cluster.
func schemaOnCluster(s store.Store, create, rest string) string {
	if name := store.ClusterOf(s); name != "" {
		return create + " ON CLUSTER " + name + rest
	}
	return create + rest
}

func insert(t *testing.T, s store.Store, db string, evs ...events.Event) {
	t.Helper()
	var rows []store.EventRow
	for i, e := range evs {
		r, err := store.RowFromEvent(e, uint64(i+1), e.OccurredAt)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	if err := s.InsertEvents(context.Background(), db, rows); err != nil {
		t.Fatal(err)
	}
}

func query(t *testing.T, s store.Store, q string) [][]string {
	t.Helper()
	res, err := s.Query(context.Background(), q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return res.Rows
}

func ptr[T any](v T) *T { return &v }
