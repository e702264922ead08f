package chdb_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/baocao/baocao/store/chdb"
	"github.com/baocao/baocao/store/storetest"
)

// chDB allows one data path per process: the tests share one engine and
// isolate themselves by database.
var shared *chdb.Store

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "baocao-chdb-test")
	if err != nil {
		panic(err)
	}
	shared, err = chdb.Open(dir)
	if err != nil {
		panic(err)
	}
	code := m.Run()
	shared.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func TestContract(t *testing.T) {
	engine, err := shared.Engine(context.Background())
	if err != nil || !strings.Contains(engine, "chDB") {
		t.Fatalf("engine %q, %v", engine, err)
	}
	storetest.Run(t, shared)
}
