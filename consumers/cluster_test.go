package consumers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/internal/enginetest"
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
