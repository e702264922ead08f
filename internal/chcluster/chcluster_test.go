package chcluster

import (
	"context"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// TestCluster starts the cluster, creates a replicated table and a
// Distributed one in front ON CLUSTER, and checks that rows inserted through
// the Distributed table land on both shards, on both replicas of each, and
// that a killed replica catches up after its restart.
func TestCluster(t *testing.T) {
	start := time.Now()
	c, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	t.Logf("cluster started in %v", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	conn := open(t, c.Server(0, 0).Addr)
	for _, q := range []string{
		"CREATE DATABASE IF NOT EXISTS t ON CLUSTER baocao",
		"CREATE TABLE t.x_local ON CLUSTER baocao (k UInt64) ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/t/x_local', '{replica}') ORDER BY k",
		"CREATE TABLE t.x ON CLUSTER baocao AS t.x_local ENGINE = Distributed(baocao, t, x_local, intHash64(k))",
	} {
		if err := conn.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v\n%s", q, err, c.Logs())
		}
	}
	if err := conn.Exec(ctx, "INSERT INTO t.x SELECT number FROM system.numbers LIMIT 1000"); err != nil {
		t.Fatal(err)
	}
	c.Server(1, 1).Kill()
	if err := conn.Exec(ctx, "INSERT INTO t.x SELECT number + 1000 FROM system.numbers LIMIT 1000"); err != nil {
		t.Fatal(err)
	}
	if err := c.Server(1, 1).Restart(); err != nil {
		t.Fatal(err)
	}
	total := 0
	for s := range Shards {
		var counts [Replicas]uint64
		for r := range Replicas {
			// A part written on one replica reaches the other by
			// replication; the killed one may have held the only copy.
			cc := open(t, c.Server(s, r).Addr)
			if err := cc.Exec(ctx, "SYSTEM SYNC REPLICA t.x_local"); err != nil {
				t.Fatal(err)
			}
			if err := cc.QueryRow(ctx, "SELECT count() FROM t.x_local").Scan(&counts[r]); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("shard %d: %v rows per replica", s+1, counts)
		if counts[0] == 0 || counts[0] != counts[1] {
			t.Errorf("shard %d: replicas hold %v rows", s+1, counts)
		}
		total += int(counts[0])
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM t.x").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if total != 2000 || n != 2000 {
		t.Errorf("shards hold %d rows, the Distributed table %d, want 2000", total, n)
	}
}

func open(t *testing.T, addr string) clickhouse.Conn {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
