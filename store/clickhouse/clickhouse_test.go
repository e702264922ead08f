package clickhouse_test

import (
	"context"
	"strings"
	"testing"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
)

func TestContract(t *testing.T) {
	srv := chtest.Start(t)
	s, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{srv.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	engine, _ := s.Engine(context.Background())
	if !strings.Contains(engine, "18.16") {
		t.Logf("engine: %s (the suite targets 18.16, the oldest supported)", engine)
	}
	storetest.Run(t, s)
}

func TestOpenSaysWhy(t *testing.T) {
	_, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{"127.0.0.1:1"}})
	if err == nil || !strings.Contains(err.Error(), "cannot reach ClickHouse at 127.0.0.1:1") {
		t.Fatalf("unreachable: %v", err)
	}
	srv := chtest.Start(t)
	_, err = clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{srv.Addr}, User: "nobody", Password: "x"})
	if err == nil || !strings.Contains(err.Error(), "refused the credentials") {
		t.Fatalf("wrong user: %v", err)
	}
}
