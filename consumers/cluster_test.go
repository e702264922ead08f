package consumers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/store/clickhouse"
)

// clusterStart starts a cluster of 2 shards × 2 replicas of 18.16 for one
// test (about a second; migrating a database on it takes longer).
func clusterStart(t *testing.T) *chcluster.Cluster {
	t.Helper()
	start := time.Now()
	c, err := chcluster.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	t.Logf("cluster started in %v", time.Since(start).Round(time.Millisecond))
	return c
}

// clusterStore is a store on a new cluster, as --clickhouse-addr with every
// server and --clickhouse-cluster give.
func clusterStore(t *testing.T) *clickhouse.Store {
	t.Helper()
	c := clusterStart(t)
	s, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: strings.Split(c.Addrs(), ","), Cluster: chcluster.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
