package schema

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/store"
)

// On a ClickHouse cluster (store.ClusterOf) the same files create the
// schema ON CLUSTER, rewritten here rather than kept as second copies:
//
//   - a migration TABLE becomes <name>_local, the Replicated variant of its
//     engine (same columns, PARTITION BY and ORDER BY) on every server, with
//     a Distributed table of the file's name in front, so every view and
//     analyst query keeps its names and SQL. events is sharded by
//     cityHash64(subject_id): every event of one dossier, feedback item or
//     task lands on one shard, where its states fold;
//   - a MATERIALIZED VIEW reads events_local and writes its target's _local
//     table on each server;
//   - a VIEW, a snapshot and the bookkeeping tables are created on every
//     server. A snapshot is a plain MergeTree on each server, built there
//     from the Distributed tables, so every server holds the whole of it;
//     schema_migrations, query_views and snapshots are Replicated over all
//     four servers (their ZooKeeper path has no {shard}).
//
// Each Replicated table's ZooKeeper path carries an id of its creation: a
// rebuild creates <db>_rebuild and renames its tables into <db>, and a path
// made of database and table names alone would make the next rebuild's fresh
// table a replica of the live one.
type cluster struct {
	name   string
	tables map[string]bool // migration tables, which get a _local twin
}

func newCluster(name string, ms []Migration) *cluster {
	c := &cluster{name: name, tables: map[string]bool{}}
	for _, m := range ms {
		if m.Kind == Table {
			c.tables[m.Object] = true
		}
	}
	return c
}

var engineClause = regexp.MustCompile(`(?m)^ENGINE = ([A-Za-z]+MergeTree)\(([^)]*)\)`)

var orderBy = regexp.MustCompile(`(?m)^ORDER BY (.+)$`)

// zkPath is a Replicated table's path: per shard, or one for all servers.
func zkPath(shard bool, db, table string) string {
	s := "all"
	if shard {
		s = "{shard}"
	}
	return fmt.Sprintf("/clickhouse/tables/%s/%s/%s/%s", s, db, table, strings.ToLower(ksuid.New().String()))
}

// replicated puts the Replicated variant of stmt's MergeTree engine in its
// place, with a fresh ZooKeeper path.
func replicated(stmt, path, replica string) (string, error) {
	m := engineClause.FindStringSubmatchIndex(stmt)
	if m == nil {
		return "", fmt.Errorf("no ENGINE = …MergeTree(…) line")
	}
	args := fmt.Sprintf("'%s', '%s'", path, replica)
	if a := strings.TrimSpace(stmt[m[4]:m[5]]); a != "" {
		args += ", " + a
	}
	return stmt[:m[0]] + "ENGINE = Replicated" + stmt[m[2]:m[3]] + "(" + args + ")" + stmt[m[1]:], nil
}

// onCluster adds ON CLUSTER after the name the CREATE statement creates,
// renamed to as.
func (c *cluster) onCluster(stmt, db, as string) string {
	at := createStatement.FindStringSubmatchIndex(stmt)
	return stmt[:at[4]] + as + " ON CLUSTER " + c.name + stmt[at[5]:]
}

// local points a statement's references to migration tables at their _local
// twins, leaving the name it creates alone.
func (c *cluster) local(stmt string) string {
	at := createStatement.FindStringIndex(stmt)
	rest := objectRef.ReplaceAllStringFunc(stmt[at[1]:], func(ref string) string {
		if c.tables[strings.TrimPrefix(ref, "{db}.")] {
			return ref + "_local"
		}
		return ref
	})
	return stmt[:at[1]] + rest
}

// migration returns the statements m becomes on the cluster, for db.
func (c *cluster) migration(m Migration, db string) ([]string, error) {
	switch m.Kind {
	case Table:
		local, err := replicated(c.local(c.onCluster(m.SQL, db, m.Object+"_local")), zkPath(true, db, m.Object+"_local"), "{replica}")
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Name, err)
		}
		key := "cityHash64(subject_id)"
		if m.Object != "events" {
			o := orderBy.FindStringSubmatch(m.SQL)
			if o == nil {
				return nil, fmt.Errorf("%s: no ORDER BY line", m.Name)
			}
			key = "cityHash64(" + strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(o[1]), "("), ")") + ")"
		}
		dist := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %[1]s.%[2]s ON CLUSTER %[3]s AS %[1]s.%[2]s_local ENGINE = Distributed(%[3]s, %[1]s, %[2]s_local, %[4]s)",
			db, m.Object, c.name, key)
		return []string{strings.ReplaceAll(local, "{db}", db), dist}, nil
	case MaterializedView:
		return []string{strings.ReplaceAll(c.local(c.onCluster(m.SQL, db, m.Object)), "{db}", db)}, nil
	default:
		return []string{strings.ReplaceAll(c.onCluster(m.SQL, db, m.Object), "{db}", db)}, nil
	}
}

// view returns v's statement on the cluster; a snapshot's is built as name.
func (c *cluster) view(v QueryView, db, name string) string {
	return strings.ReplaceAll(c.onCluster(v.SQL, db, name), "{db}", db)
}

// bookkeeping returns the CREATE of a table of Migrate's own, given as
// "CREATE TABLE IF NOT EXISTS db.name (…) ENGINE = …", replicated over all
// the servers.
func (c *cluster) bookkeeping(stmt, db, name string) (string, error) {
	stmt = strings.Replace(stmt, db+"."+name, db+"."+name+" ON CLUSTER "+c.name, 1)
	return replicated(stmt, zkPath(false, db, name), "{shard}-{replica}")
}

// statement is v's statement for db, ON CLUSTER on a cluster.
func (c *cluster) statement(v QueryView, db string) string {
	if c == nil {
		return v.Statement(db)
	}
	return c.view(v, db, v.Object)
}

// ddl adds ON CLUSTER to a DROP or RENAME on a cluster.
func (c *cluster) ddl(q string) string {
	if c == nil {
		return q
	}
	return q + " ON CLUSTER " + c.name
}

// table is the name of the data of migration table t on this server.
func (c *cluster) table(t string) string {
	if c == nil {
		return t
	}
	return t + "_local"
}

// parts is where the data parts of db's tables are listed: on a cluster,
// one replica of every shard.
func (c *cluster) parts() string {
	if c == nil {
		return "system.parts"
	}
	return "cluster('" + c.name + "', system.parts)"
}

// Statements returns what creates m in db on s: the file's statement, or on a
// cluster its ON CLUSTER variants (see cluster).
func Statements(s store.Store, m Migration, db string) ([]string, error) {
	name := store.ClusterOf(s)
	if name == "" {
		return []string{m.Statement(db)}, nil
	}
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	return newCluster(name, ms).migration(m, db)
}

// OnCluster adds ON CLUSTER to a DROP, RENAME or CREATE DATABASE on a
// cluster, so it runs on every server.
func OnCluster(s store.Store, q string) string {
	if name := store.ClusterOf(s); name != "" {
		return q + " ON CLUSTER " + name
	}
	return q
}

// DataTable is the table holding migration table t's rows on each server:
// t itself, or on a cluster its Replicated t_local (t being the Distributed
// table in front, which names its database and so cannot be renamed into
// another).
func DataTable(s store.Store, t string) string {
	if store.ClusterOf(s) != "" {
		return t + "_local"
	}
	return t
}
