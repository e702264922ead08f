package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
)

// storeOptions choose the ClickHouse engine: a server when an address is
// given, else chDB embedded in the process with its data under dataDir.
type storeOptions struct {
	ch      clickhouse.Config
	addr    string
	db      string
	dataDir string
}

func (o *storeOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&o.addr, "clickhouse-addr", "", "ClickHouse server host:port (native protocol), comma-separated; empty uses embedded chDB")
	f.StringVar(&o.ch.User, "clickhouse-user", "default", "ClickHouse user")
	f.StringVar(&o.ch.Password, "clickhouse-password", "", "ClickHouse password (prefer BAOCAO_CLICKHOUSE_PASSWORD)")
	f.BoolVar(&o.ch.TLS, "clickhouse-tls", false, "connect to ClickHouse with TLS")
	f.StringVar(&o.ch.TLSCA, "clickhouse-tls-ca", "", "CA bundle to verify the ClickHouse server")
	f.StringVar(&o.ch.TLSCert, "clickhouse-tls-cert", "", "client certificate for ClickHouse mutual TLS")
	f.StringVar(&o.ch.TLSKey, "clickhouse-tls-key", "", "client key for ClickHouse mutual TLS")
	f.StringVar(&o.ch.Cluster, "clickhouse-cluster", "", "ClickHouse cluster (remote_servers) to create the schema on: Replicated tables behind Distributed ones")
	f.StringVar(&o.db, "db", "baocao", "ClickHouse database of the projections")
	f.StringVar(&o.dataDir, "data", "baocao-data", "data directory of the embedded engine")
}

// open connects to the configured engine.
func (o *storeOptions) open(ctx context.Context) (store.Store, error) {
	if o.embedded() {
		return openEmbedded(filepath.Join(o.dataDir, "chdb"))
	}
	cfg := o.ch
	for _, a := range strings.Split(o.addr, ",") {
		if a = strings.TrimSpace(a); a != "" {
			cfg.Addr = append(cfg.Addr, a)
		}
	}
	s, err := clickhouse.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// openMigrated connects and brings the database up to date, so the views
// the command reads are there.
func (o *storeOptions) openMigrated(ctx context.Context) (store.Store, error) {
	s, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	return o.migrated(ctx, s)
}

// migrated brings s's database up to date, closing s if it cannot.
func (o *storeOptions) migrated(ctx context.Context, s store.Store) (store.Store, error) {
	if _, err := schema.Migrate(ctx, s, o.db); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openExistingMigrated is openMigrated for commands that read what others
// wrote (report, contributions): a data folder or database that does not
// exist is a mistyped --data or --db, and creating an empty one would
// give a document of zeros instead of an error.
func (o *storeOptions) openExistingMigrated(ctx context.Context) (store.Store, error) {
	if o.embedded() {
		dir := filepath.Join(o.dataDir, "chdb")
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("data folder %s holds no database (%s: %w): give the --data that baocao up, consume or demo wrote, or --clickhouse-addr", o.dataDir, dir, err)
		}
	}
	s, err := o.open(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.Query(ctx, "SELECT count() FROM system.databases WHERE name = "+store.Quote(o.db))
	if err == nil && len(res.Rows) == 1 && res.Rows[0][0] == "0" {
		err = fmt.Errorf("database %s does not exist on %s: check --db (and --data or --clickhouse-addr)", o.db, o.describe(ctx, s))
	}
	if err != nil {
		s.Close()
		return nil, err
	}
	return o.migrated(ctx, s)
}

// embedded reports whether the store is chDB in the data folder.
func (o *storeOptions) embedded() bool { return o.addr == "" }

// where names the engine and where its data is, for banners.
func (o *storeOptions) where(ctx context.Context, s store.Store) string {
	if o.embedded() {
		return o.describe(ctx, s) + ", embedded"
	}
	return o.describe(ctx, s) + " at " + o.addr
}

func (o *storeOptions) describe(ctx context.Context, s store.Store) string {
	name, err := s.Engine(ctx)
	if err != nil {
		return fmt.Sprintf("unknown engine (%v)", err)
	}
	return name
}

// analystOptions are the limits of analysts' queries (/sql, "baocao sql",
// the report pages), enforced by the engine (store.Limits).
type analystOptions struct {
	limits   store.Limits
	user     string
	password string
}

func (a *analystOptions) flags(f *pflag.FlagSet) {
	d := store.DefaultLimits
	f.DurationVar(&a.limits.MaxExecutionTime, "sql-timeout", d.MaxExecutionTime, "analysts' queries: max_execution_time, enforced by the engine")
	f.Uint64Var(&a.limits.MaxResultRows, "sql-max-rows", d.MaxResultRows, "analysts' queries: max_result_rows")
	f.Uint64Var(&a.limits.MaxResultBytes, "sql-max-bytes", d.MaxResultBytes, "analysts' queries: max_result_bytes")
	f.Uint64Var(&a.limits.MaxMemoryUsage, "sql-max-memory", d.MaxMemoryUsage, "analysts' queries: max_memory_usage in bytes")
	f.IntVar(&a.limits.Concurrency, "sql-concurrency", d.Concurrency, "analysts' queries running at once (more wait --sql-queue-wait, then 503)")
	f.DurationVar(&a.limits.QueueWait, "sql-queue-wait", d.QueueWait, "how long an analyst query waits for its turn")
	f.StringVar(&a.user, "clickhouse-analyst-user", "", "ClickHouse user for analysts' queries (default: --clickhouse-user, with readonly = 1 sent per query)")
	f.StringVar(&a.password, "clickhouse-analyst-password", "", "password of --clickhouse-analyst-user")
}

// openAnalyst opens the analysts' store beside st: read-only sessions on
// the same chDB data, or its own connection to the server.
func (a *analystOptions) open(ctx context.Context, st store.Store) (store.Store, error) {
	if s, ok := st.(*store.Reopening); ok { // up still opening its store
		return s.Beside(a.open), nil
	}
	if s, ok := st.(*clickhouse.Store); ok {
		return s.Analyst(ctx, a.limits, a.user, a.password)
	}
	return openEmbeddedAnalyst(st, a.limits)
}
