package schema

import (
	"strings"
	"testing"
)

// The cluster variants of the migration files: every statement ON CLUSTER,
// a Replicated _local table and a Distributed one in front for each table,
// materialized views from events_local into local targets, and a ZooKeeper
// path of its own for each creation (a rebuild's fresh table must not
// become a replica of the live one).
func TestClusterStatements(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	c := newCluster("baocao", ms)
	for _, m := range ms {
		stmts, err := c.migration(m, "db")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range stmts {
			if !strings.Contains(q, " ON CLUSTER baocao") {
				t.Errorf("%s: not ON CLUSTER:\n%s", m.Name, q)
			}
		}
		switch m.Kind {
		case Table:
			if len(stmts) != 2 || !strings.Contains(stmts[0], "db."+m.Object+"_local ON CLUSTER") ||
				!strings.Contains(stmts[0], "ENGINE = Replicated") || !strings.Contains(stmts[0], "'/clickhouse/tables/{shard}/db/"+m.Object+"_local/") ||
				!strings.Contains(stmts[1], "ENGINE = Distributed(baocao, db, "+m.Object+"_local, ") {
				t.Errorf("%s: want a Replicated %s_local and a Distributed %s:\n%s", m.Name, m.Object, m.Object, strings.Join(stmts, "\n"))
			}
			again, _ := c.migration(m, "db")
			if again[0] == stmts[0] {
				t.Errorf("%s: two creations share a ZooKeeper path", m.Name)
			}
		case MaterializedView:
			if !strings.Contains(stmts[0], "FROM db.events_local") || !strings.Contains(stmts[0], "_local AS") {
				t.Errorf("%s: want events_local into a _local target:\n%s", m.Name, stmts[0])
			}
		}
	}
	events, _ := c.migration(ms[0], "db")
	if !strings.HasSuffix(events[1], "cityHash64(subject_id))") {
		t.Errorf("events are not sharded by subject: %s", events[1])
	}
}
