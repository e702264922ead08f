package consumers_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
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

// A replica is SIGKILLed while the projector inserts into the cluster: the
// server the projector talks to (clickhouse-go moves to the next address)
// and the replica its shard's inserts go to (the Distributed table moves to
// the other replica). After its restart every view equals the feed projected
// once on one server: nothing lost, nothing counted twice.
func TestReplicaKilledWhileEventsFlow(t *testing.T) {
	c := clusterStart(t)
	s, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: strings.Split(c.Addrs(), ","), Cluster: chcluster.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	n := startNATS(t)
	db := storetest.Migrated(t, s)
	feed := storetest.Simulated(t, 12_000)

	p, err := consumers.New(n.js, s, consumers.Config{Stream: n.cfg, DB: db, BatchMax: 200, BatchWait: 20 * time.Millisecond,
		Backoff: 50 * time.Millisecond, MaxBackoff: 500 * time.Millisecond}, testLog(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()

	killed := c.Server(0, 0)
	for i := 0; i < len(feed); i += 500 {
		n.publishEvents(t, feed[i:min(i+500, len(feed))])
		if i == len(feed)/2 {
			killed.Kill()
			t.Logf("SIGKILLed %s after %d events published", killed.Addr, i+500)
		}
		time.Sleep(20 * time.Millisecond)
	}
	waitCaughtUp(t, n, "")
	if err := killed.Restart(); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := c.Sync(context.Background(), db); err != nil {
		t.Fatal(err)
	}
	one, _ := enginetest.Server(t)
	assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, one, storetest.Unique(feed)))
	// and from the replica that was killed, once it caught up
	onKilled, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{killed.Addr}, Cluster: chcluster.Name})
	if err != nil {
		t.Fatal(err)
	}
	defer onKilled.Close()
	if t.Failed() {
		for _, srv := range c.Servers {
			r := storetest.Query(t, onKilled, "SELECT (SELECT count() FROM remote('"+srv.Addr+"', "+db+".events_local)), "+
				"(SELECT uniqExact(subject_id) FROM remote('"+srv.Addr+"', "+db+".events_local) WHERE type LIKE 'procedure.%'), "+
				"(SELECT count() FROM remote('"+srv.Addr+"', "+db+".procedure_state_local)), "+
				"(SELECT uniqExact(procedure_code) FROM remote('"+srv.Addr+"', "+db+".procedure_state_local))")
			t.Logf("%s: %s events, %s procedure subjects; procedure_state %s rows, %s codes", srv.Dir, r[0][0], r[0][1], r[0][2], r[0][3])
		}
	}
}

// Measures (BAOCAO_MEASURE_CLUSTER=1) inserting a simulated province's
// events into the cluster and into one server on the same machine: events/s
// and the servers' CPU-seconds per million events (ZooKeeper's included).
func TestMeasureClusterInsert(t *testing.T) {
	if os.Getenv("BAOCAO_MEASURE_CLUSTER") == "" {
		t.Skip("set BAOCAO_MEASURE_CLUSTER=1 to measure")
	}
	rows := storetest.Rows(t, storetest.Simulated(t, 200_000))
	c := clusterStart(t)
	onCluster, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: strings.Split(c.Addrs(), ","), Cluster: chcluster.Name})
	if err != nil {
		t.Fatal(err)
	}
	one, srv := enginetest.Server(t)
	for _, m := range []struct {
		name string
		s    store.Store
		pids func() []int
	}{
		{"one server", one, func() []int { return []int{srv.PID()} }},
		{"cluster 2×2", onCluster, func() []int {
			pids := []int{c.ZK.PID()}
			for _, s := range c.Servers {
				pids = append(pids, s.PID())
			}
			return pids
		}},
	} {
		db := storetest.Migrated(t, m.s)
		cpu0 := serversCPU(t, m.pids())
		start := time.Now()
		for b := rows; len(b) > 0; b = b[min(1000, len(b)):] {
			if err := m.s.InsertEvents(context.Background(), db, b[:min(1000, len(b))]); err != nil {
				t.Fatal(err)
			}
		}
		took := time.Since(start)
		cpu := serversCPU(t, m.pids()) - cpu0
		t.Logf("%s: %d events in batches of 1000 in %v: %.0f events/s, %.1f CPU-s per million events (servers)",
			m.name, len(rows), took.Round(time.Millisecond), float64(len(rows))/took.Seconds(), cpu/float64(len(rows))*1e6)
	}
}

// serversCPU is the user and system time the processes used so far.
func serversCPU(t *testing.T, pids []int) float64 {
	var total float64
	for _, pid := range pids {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			t.Fatal(err)
		}
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
		u, _ := strconv.ParseFloat(f[11], 64)
		s, _ := strconv.ParseFloat(f[12], 64)
		total += (u + s) / 100 // clock ticks (USER_HZ = 100 on Linux)
	}
	return total
}
