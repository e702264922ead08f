// Package enginetest runs tests against both engines baocao supports: a
// ClickHouse 18.16 server (the oldest) started per test, and chDB 26.5 (the
// newest) embedded in the test process. chDB allows one data path per
// process, so a package's tests share one embedded store opened by Main.
package enginetest

import (
	"context"
	"os"
	"testing"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/chdb"
	"github.com/baocao/baocao/store/clickhouse"
)

var embedded *chdb.Store

// Main opens the shared embedded engine, runs the package's tests and
// exits; call it from TestMain.
func Main(m *testing.M) {
	dir, err := os.MkdirTemp("", "baocao-enginetest")
	if err != nil {
		panic(err)
	}
	if embedded, err = chdb.Open(dir); err != nil {
		panic(err)
	}
	code := m.Run()
	embedded.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Embedded is the package's shared chDB store.
func Embedded() *chdb.Store { return embedded }

// Names of the two engines, as the subtests and benchmarks name them.
const (
	ServerName   = "clickhouse-18.16"
	EmbeddedName = "chdb-26.5"
)

// Engines runs f as a subtest against a fresh ClickHouse 18.16 server
// (srv is its handle, to stop or kill it) and against chDB (srv is nil).
func Engines(t *testing.T, f func(t *testing.T, s store.Store, srv *chtest.Server)) {
	t.Run(ServerName, func(t *testing.T) {
		s, srv := Server(t)
		f(t, s, srv)
	})
	t.Run(EmbeddedName, func(t *testing.T) { f(t, embedded, nil) })
}

// Server starts a ClickHouse 18.16 server for the test and opens a store
// on it; both end with the test.
func Server(t testing.TB) (*clickhouse.Store, *chtest.Server) {
	t.Helper()
	srv := chtest.Start(t)
	s, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, srv
}

// Named is the store of the engine named ServerName (a fresh server, as
// Server) or EmbeddedName (the shared chDB), for benchmarks that loop over
// both.
func Named(t testing.TB, engine string) store.Store {
	t.Helper()
	if engine == ServerName {
		s, _ := Server(t)
		return s
	}
	return embedded
}
