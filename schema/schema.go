// Package schema holds baocao's ClickHouse schema as numbered migration
// files (migrations/NNNN_object.sql, one object per file, plain SQL with
// {db} standing for the database) and applies them. The same files run on
// ClickHouse 18.16 and on chDB 26.5.
//
// The JSON Schemas of the events, for agencies, are in events/ beside this
// file; they are generated from package events.
package schema

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/baocao/baocao/queries"
	"github.com/baocao/baocao/store"
)

//go:embed migrations/*.sql
var files embed.FS

// Migration is one schema file.
type Migration struct {
	Version int
	Name    string // the file name
	SQL     string // with {db} still in it
	Sum     string // sha256 of the file, to notice a file edited after it ran
	Kind    Kind   // what the file creates
	Object  string // the name of what it creates
	// KeepOnRebuild marks a table that holds what users entered rather than
	// what the events say (a line "-- baocao:keep-on-rebuild" in the file):
	// a rebuild leaves it in place instead of replacing it with a replayed
	// copy. Only a TABLE may carry the mark.
	KeepOnRebuild bool
	// Replaces names objects of earlier migrations whose files were removed
	// (lines "-- baocao:replaces a, b"): applying this migration drops them
	// first, so a table can get a new key, or a view a new definition, in a
	// database that already has the old one.
	Replaces []string
}

// Kind is the kind of object a migration creates.
type Kind string

const (
	Table            Kind = "TABLE"
	MaterializedView Kind = "MATERIALIZED VIEW"
	View             Kind = "VIEW"
)

var createStatement = regexp.MustCompile(`(?m)^CREATE (TABLE|MATERIALIZED VIEW|VIEW) IF NOT EXISTS \{db\}\.([a-z0-9_]+)`)

var fileName = regexp.MustCompile(`^(\d{4})_[a-z0-9_]+\.sql$`)

var viewFileName = regexp.MustCompile(`^(\d{2})_([a-z0-9_]+)\.sql$`)

// Migrations returns the migration files in version order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(files, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		b, err := files.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		m, err := parseMigration(e.Name(), b)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("schema: %s and %s share version %d", out[i-1].Name, out[i].Name, out[i].Version)
		}
	}
	return out, nil
}

var (
	replacesLine = regexp.MustCompile(`(?m)^-- baocao:replaces (.+)$`)
	objectName   = regexp.MustCompile(`^[a-z0-9_]+$`)
	// a materialized view's target and SELECT, for its backfill
	viewSelect = regexp.MustCompile(`(?s)\nCREATE MATERIALIZED VIEW IF NOT EXISTS \{db\}\.[a-z0-9_]+ TO (\{db\}\.[a-z0-9_]+) AS\n(SELECT\n.*)$`)
)

// parseMigration reads migration file name with content b.
func parseMigration(name string, b []byte) (Migration, error) {
	f := fileName.FindStringSubmatch(name)
	if f == nil {
		return Migration{}, fmt.Errorf("schema: %s: want NNNN_object.sql", name)
	}
	v, _ := strconv.Atoi(f[1])
	sum := sha256.Sum256(b)
	c := createStatement.FindStringSubmatch(string(b))
	if c == nil {
		return Migration{}, fmt.Errorf("schema: %s: want one CREATE TABLE|MATERIALIZED VIEW|VIEW IF NOT EXISTS {db}.name", name)
	}
	m := Migration{Version: v, Name: name, SQL: string(b), Sum: hex.EncodeToString(sum[:]), Kind: Kind(c[1]), Object: c[2]}
	m.KeepOnRebuild = slices.ContainsFunc(strings.Split(string(b), "\n"), func(l string) bool {
		return strings.TrimSpace(l) == "-- baocao:keep-on-rebuild"
	})
	if m.KeepOnRebuild && m.Kind != Table {
		return Migration{}, fmt.Errorf("schema: %s: only a TABLE can be kept on rebuild, not a %s", name, c[1])
	}
	for _, r := range replacesLine.FindAllStringSubmatch(string(b), -1) {
		for o := range strings.SplitSeq(r[1], ",") {
			if o = strings.TrimSpace(o); !objectName.MatchString(o) {
				return Migration{}, fmt.Errorf("schema: %s: replaces %q: want an object name", name, o)
			}
			m.Replaces = append(m.Replaces, o)
		}
	}
	if m.Kind == MaterializedView && viewSelect.FindStringSubmatch(string(b)) == nil {
		return Migration{}, fmt.Errorf("schema: %s: want CREATE MATERIALIZED VIEW … TO {db}.target AS, then SELECT on a line of its own", name)
	}
	return m, nil
}

// Backfill is the INSERT that gives a materialized view's target what the
// view would have written for the rows already in its source, or "" for
// another kind of migration.
func (m Migration) Backfill(db string) string {
	v := viewSelect.FindStringSubmatch(m.SQL)
	if m.Kind != MaterializedView || v == nil {
		return ""
	}
	return strings.ReplaceAll("INSERT INTO "+v[1]+" "+v[2], "{db}", db)
}

// Statement returns m's SQL for database db.
func (m Migration) Statement(db string) string { return strings.ReplaceAll(m.SQL, "{db}", db) }

var dbName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Migrate brings database db up to date and returns the files it applied.
// Every file creates its object only if missing and is recorded in
// db.schema_migrations, so running Migrate again, or from two processes at
// once, is harmless. A recorded file whose content changed since is an error:
// a schema change is a new file. Applying a file drops the objects it
// Replaces first, and a materialized view's target is then filled from the
// events already there (Backfill).
func Migrate(ctx context.Context, s store.Store, db string) ([]string, error) {
	if !dbName.MatchString(db) {
		return nil, fmt.Errorf("schema: database name %q: want letters, digits and _", db)
	}
	ms, err := Migrations()
	if err != nil {
		return nil, err
	}
	vs, err := QueryViews()
	if err != nil {
		return nil, err
	}
	return migrate(ctx, s, db, ms, vs)
}

// migrate is Migrate with the migration files and report views given.
func migrate(ctx context.Context, s store.Store, db string, ms []Migration, vs []QueryView) ([]string, error) {
	var err error
	var cl *cluster
	if name := store.ClusterOf(s); name != "" {
		cl = newCluster(name, ms)
	}
	create := []string{"CREATE DATABASE IF NOT EXISTS " + db, "CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations" + migrationsTable}
	if cl != nil {
		create[0] += " ON CLUSTER " + cl.name
		if create[1], err = cl.bookkeeping(create[1], db, "schema_migrations"); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	for _, q := range create {
		if err := s.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("schema: %w", err)
		}
	}
	res, err := s.Query(ctx, "SELECT version, any(sum) FROM "+db+".schema_migrations GROUP BY version")
	if err != nil {
		return nil, fmt.Errorf("schema: read applied migrations: %w", err)
	}
	applied := map[int]string{}
	for _, r := range res.Rows {
		v, _ := strconv.Atoi(r[0])
		applied[v] = r[1]
	}
	var done []string
	for _, m := range ms {
		if sum, ok := applied[m.Version]; ok {
			if sum != m.Sum {
				return done, fmt.Errorf("schema: %s changed after it was applied to %s; add a new migration instead", m.Name, db)
			}
			continue
		}
		var stmts []string
		for _, o := range m.Replaces {
			stmts = append(stmts, cl.ddl("DROP TABLE IF EXISTS "+db+"."+o))
			if cl != nil {
				stmts = append(stmts, cl.ddl("DROP TABLE IF EXISTS "+db+"."+o+"_local"))
			}
		}
		if cl != nil {
			create, err := cl.migration(m, db)
			if err != nil {
				return done, fmt.Errorf("schema: %w", err)
			}
			stmts = append(stmts, create...)
		} else {
			stmts = append(stmts, m.Statement(db))
		}
		// A view added to a database that holds events would see only the
		// later ones: give its target the earlier ones too. Events inserted
		// meanwhile reach the target twice, which its states absorb like any
		// duplicate delivery.
		if b := m.Backfill(db); b != "" {
			stmts = append(stmts, b)
		}
		for _, q := range stmts {
			if err := s.Exec(ctx, q); err != nil {
				return done, fmt.Errorf("schema: %s: %w", m.Name, err)
			}
		}
		record := fmt.Sprintf("INSERT INTO %s.schema_migrations (version, name, sum, applied_at) SELECT %d, '%s', '%s', now()",
			db, m.Version, m.Name, m.Sum)
		if err := s.Exec(ctx, record); err != nil {
			return done, fmt.Errorf("schema: record %s: %w", m.Name, err)
		}
		done = append(done, m.Name)
	}
	views, err := applyViews(ctx, s, db, cl, vs)
	return append(done, views...), err
}

const migrationsTable = `
(
    version    UInt32,
    name       String,
    sum        String,
    applied_at DateTime('Asia/Ho_Chi_Minh')
)
ENGINE = ReplacingMergeTree()
PARTITION BY tuple()
ORDER BY version`

const queryViewsTable = `
(
    name       String,
    sum        String,
    applied_at DateTime('Asia/Ho_Chi_Minh')
)
ENGINE = ReplacingMergeTree(applied_at)
PARTITION BY tuple()
ORDER BY name`

// QueryView is one of the analysts' views in package queries, or one of its
// snapshots: a TABLE built by CREATE … AS SELECT from the views before it,
// which Refresh builds again when its sources change.
type QueryView struct {
	Name   string // the file name
	Object string // the view's name
	SQL    string // with {db} still in it
	Sum    string
	Kind   Kind // View, or Table for a snapshot
}

// Statement returns v's SQL for database db.
func (v QueryView) Statement(db string) string { return strings.ReplaceAll(v.SQL, "{db}", db) }

// QueryViews returns the views of package queries in file order.
func QueryViews() ([]QueryView, error) {
	entries, err := fs.ReadDir(queries.Files, ".")
	if err != nil {
		return nil, err
	}
	var out []QueryView
	for _, e := range entries {
		m := viewFileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("queries: %s: want NN_view.sql", e.Name())
		}
		b, err := queries.Files.ReadFile(e.Name())
		if err != nil {
			return nil, err
		}
		c := createStatement.FindStringSubmatch(string(b))
		if c == nil || c[1] == string(MaterializedView) || c[2] != m[2] {
			return nil, fmt.Errorf("queries: %s: want one CREATE VIEW|TABLE IF NOT EXISTS {db}.%s", e.Name(), m[2])
		}
		if c[1] == string(Table) && !strings.Contains(string(b), "\nAS SELECT") {
			return nil, fmt.Errorf("queries: %s: a table here is a snapshot: CREATE TABLE … AS SELECT", e.Name())
		}
		sum := sha256.Sum256(b)
		out = append(out, QueryView{Name: e.Name(), Object: m[2], SQL: string(b), Sum: hex.EncodeToString(sum[:]), Kind: Kind(c[1])})
	}
	return out, nil // fs.ReadDir sorts by name
}

// applyViews creates the views of package queries that db lacks and replaces
// those whose file changed since, recording each file's checksum in
// db.query_views. Unlike a migration, a view holds no data, so editing its
// file is how it changes. A snapshot holds only what its statement computes:
// it is built again when its file or a file before it changed.
func applyViews(ctx context.Context, s store.Store, db string, cl *cluster, views []QueryView) ([]string, error) {
	var err error
	for _, t := range []struct{ name, cols string }{{"query_views", queryViewsTable}, {"snapshots", snapshotsTable}} {
		q := "CREATE TABLE IF NOT EXISTS " + db + "." + t.name + t.cols
		if cl != nil {
			if q, err = cl.bookkeeping(q, db, t.name); err != nil {
				return nil, fmt.Errorf("queries: %w", err)
			}
		}
		if err := s.Exec(ctx, q); err != nil {
			return nil, fmt.Errorf("queries: %w", err)
		}
	}
	res, err := s.Query(ctx, "SELECT name, argMax(sum, applied_at) FROM "+db+".query_views GROUP BY name")
	if err != nil {
		return nil, fmt.Errorf("queries: read applied views: %w", err)
	}
	applied := map[string]string{}
	for _, r := range res.Rows {
		applied[r[0]] = r[1]
	}
	var done []string
	changed := false // a file before this one
	for _, v := range views {
		sum, ok := applied[v.Object]
		if ok && sum == v.Sum && !(changed && v.Kind == Table) {
			// Recreate a view a failed rebuild may have left missing.
			if err := s.Exec(ctx, cl.statement(v, db)); err != nil {
				return done, fmt.Errorf("queries: %s: %w", v.Name, err)
			}
			continue
		}
		// New or changed: a view of that name may exist from an older file.
		changed = true
		if err := s.Exec(ctx, cl.ddl("DROP TABLE IF EXISTS "+db+"."+v.Object)); err != nil {
			return done, fmt.Errorf("queries: replace %s: %w", v.Name, err)
		}
		if v.Kind == Table {
			if _, err := refreshSnapshot(ctx, s, db, v, true, cl); err != nil {
				return done, err
			}
		} else if err := s.Exec(ctx, cl.statement(v, db)); err != nil {
			return done, fmt.Errorf("queries: %s: %w", v.Name, err)
		}
		record := fmt.Sprintf("INSERT INTO %s.query_views (name, sum, applied_at) SELECT '%s', '%s', now()", db, v.Object, v.Sum)
		if err := s.Exec(ctx, record); err != nil {
			return done, fmt.Errorf("queries: record %s: %w", v.Name, err)
		}
		done = append(done, v.Name)
	}
	return done, nil
}
