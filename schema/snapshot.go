package schema

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/store"
)

// snapshotsTable records, for each snapshot of package queries, what its
// sources looked like when it was last built (see watermark).
const snapshotsTable = `
(
    name       String,
    watermark  String,
    version    UInt64,
    seconds    Float64,
    built_at   DateTime('Asia/Ho_Chi_Minh')
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY tuple()
ORDER BY name`

// Refreshed says what Refresh did to one snapshot.
type Refreshed struct {
	Name  string
	Built bool          // false: its sources had not changed
	Took  time.Duration // building and swapping it in
}

// refreshing keeps one process from building the same database's snapshots
// twice at once; two processes may, and the second swap wins harmlessly.
var refreshing sync.Map // db → *sync.Mutex

// Refresh builds again the snapshots of package queries (the TABLE files,
// such as dossier_totals) whose sources changed since they were built, or
// all of them when force is set. Each is built from its statement into a new
// table that one RENAME puts in place of the old, so readers see the old
// snapshot or the new one, whole.
//
// A snapshot's sources have changed when a table it derives from has a newer
// data part than when it was built (ClickHouse numbers every insert's block, and
// a merge keeps the highest number of what it merged), or the day has: the
// reporting views count open dossiers up to today. The watermark is read
// before building, so events inserted during a build make the next Refresh
// build again.
func Refresh(ctx context.Context, s store.Store, db string, force bool) ([]Refreshed, error) {
	if !dbName.MatchString(db) {
		return nil, fmt.Errorf("schema: database name %q: want letters, digits and _", db)
	}
	mu, _ := refreshing.LoadOrStore(db, &sync.Mutex{})
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()

	views, err := QueryViews()
	if err != nil {
		return nil, err
	}
	var cl *cluster
	if name := store.ClusterOf(s); name != "" {
		ms, err := Migrations()
		if err != nil {
			return nil, err
		}
		cl = newCluster(name, ms)
	}
	var out []Refreshed
	for _, v := range views {
		if v.Kind != Table {
			continue
		}
		r, err := refreshSnapshot(ctx, s, db, v, force, cl)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		// a later snapshot may read this one
		force = force || r.Built
	}
	return out, nil
}

// On a cluster every server builds its own copy from the Distributed
// tables (see cluster), and the swap is one RENAME ON CLUSTER.
func refreshSnapshot(ctx context.Context, s store.Store, db string, v QueryView, force bool, cl *cluster) (Refreshed, error) {
	r := Refreshed{Name: v.Object}
	mark, err := watermark(ctx, s, db, v, cl)
	if err != nil {
		return r, err
	}
	if !force {
		res, err := s.Query(ctx, "SELECT argMax(watermark, version) FROM "+db+".snapshots WHERE name = '"+v.Object+"'")
		if err != nil {
			return r, fmt.Errorf("schema: snapshot %s: %w", v.Object, err)
		}
		if len(res.Rows) == 1 && res.Rows[0][0] == mark {
			return r, nil
		}
	}
	start := time.Now()
	live := db + "." + v.Object
	suffix := strings.ToLower(ksuid.New().String())
	next, old := live+"_next_"+suffix, live+"_old_"+suffix
	// the file's statement, creating next instead of the snapshot
	at := createStatement.FindStringIndex(v.SQL)
	build := strings.ReplaceAll(v.SQL[:at[0]]+"CREATE TABLE "+next+v.SQL[at[1]:], "{db}", db)
	if cl != nil {
		build = cl.view(v, db, v.Object+"_next_"+suffix)
	}
	if err := s.Exec(ctx, build); err != nil {
		_ = s.Exec(context.WithoutCancel(ctx), cl.ddl("DROP TABLE IF EXISTS "+next))
		return r, fmt.Errorf("schema: build snapshot %s: %w", v.Object, err)
	}
	// Migrate created the snapshot; a failed swap may have lost it.
	if err := s.Exec(ctx, cl.statement(v, db)+" LIMIT 0"); err != nil {
		return r, fmt.Errorf("schema: snapshot %s: %w", v.Object, err)
	}
	if err := s.Exec(ctx, cl.ddl("RENAME TABLE "+live+" TO "+old+", "+next+" TO "+live)); err != nil {
		_ = s.Exec(context.WithoutCancel(ctx), cl.ddl("DROP TABLE IF EXISTS "+next))
		return r, fmt.Errorf("schema: swap in snapshot %s: %w", v.Object, err)
	}
	if err := s.Exec(ctx, cl.ddl("DROP TABLE IF EXISTS "+old)); err != nil {
		return r, fmt.Errorf("schema: drop the old snapshot %s: %w", v.Object, err)
	}
	r.Built, r.Took = true, time.Since(start)
	record := fmt.Sprintf("INSERT INTO %s.snapshots (name, watermark, version, seconds, built_at) SELECT '%s', '%s', %d, %s, now()",
		db, v.Object, mark, time.Now().UnixNano(), strconv.FormatFloat(r.Took.Seconds(), 'f', 3, 64))
	if err := s.Exec(ctx, record); err != nil {
		return r, fmt.Errorf("schema: record snapshot %s: %w", v.Object, err)
	}
	return r, nil
}

// watermark is the server's today and, for every table v derives from, the
// highest block number of its data parts: it changes with any insert into
// them, and not with inserts elsewhere (such as the report.generated events
// the scheduler publishes).
func watermark(ctx context.Context, s store.Store, db string, v QueryView, cl *cluster) (string, error) {
	tables, err := sourceTables(v)
	if err != nil {
		return "", err
	}
	for i, t := range tables {
		tables[i] = cl.table(t) // on a cluster, the data of every shard
	}
	day, err := s.Query(ctx, "SELECT toString(today())")
	if err != nil {
		return "", fmt.Errorf("schema: the snapshots' sources: %w", err)
	}
	res, err := s.Query(ctx, `SELECT table, toString(max(max_block_number)) FROM `+cl.parts()+`
		WHERE database = '`+db+`' AND active AND table IN ('`+strings.Join(tables, "', '")+`')
		GROUP BY table ORDER BY table`)
	if err != nil {
		return "", fmt.Errorf("schema: the snapshots' sources: %w", err)
	}
	var b strings.Builder
	b.WriteString(day.Rows[0][0])
	for _, r := range res.Rows {
		b.WriteString(" " + r[0] + ":" + r[1])
	}
	return b.String(), nil
}

var objectRef = regexp.MustCompile(`\{db\}\.([a-z0-9_]+)`)

// sourceTables lists the tables v reads, through the views it reads: the
// {db}.name references of the files, followed to the tables of migrations.
func sourceTables(v QueryView) ([]string, error) {
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	views, err := QueryViews()
	if err != nil {
		return nil, err
	}
	sqlOf := map[string]string{}
	for _, m := range ms {
		if m.Kind == Table {
			sqlOf[m.Object] = ""
		} else {
			sqlOf[m.Object] = m.SQL
		}
	}
	for _, w := range views {
		sqlOf[w.Object] = w.SQL
	}
	seen := map[string]bool{v.Object: true}
	var tables []string
	var visit func(sql string) error
	visit = func(sql string) error {
		for _, m := range objectRef.FindAllStringSubmatch(sql, -1) {
			name := m[1]
			if seen[name] {
				continue
			}
			seen[name] = true
			text, ok := sqlOf[name]
			switch {
			case !ok:
				return fmt.Errorf("schema: %s reads %s, which no file creates", v.Name, name)
			case text == "":
				tables = append(tables, name)
			default:
				if err := visit(text); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := visit(v.SQL); err != nil {
		return nil, err
	}
	slices.Sort(tables)
	return tables, nil
}
