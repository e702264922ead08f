package main

import (
	"context"
	"fmt"
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
	if _, err := schema.Migrate(ctx, s, o.db); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
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
