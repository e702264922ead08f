package consumers_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// A rebuild replays the stream into fresh tables and switches to them while a
// live projector keeps ingesting events published during the rebuild. After
// it, the projections are exactly the stream's: a row that was never an event
// is gone, and nothing published meanwhile is missing. What users entered
// themselves (a holiday) is no event: it stays.
func TestRebuildWhileLiveIngestionGoesOn(t *testing.T) {
	engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) { rebuildWhileLive(t, s) })
}

// The same on a cluster of 2 shards × 2 replicas (--clickhouse-cluster): the
// switch-over happens ON CLUSTER, on every shard.
func TestRebuildOnCluster(t *testing.T) {
	rebuildWhileLive(t, clusterStore(t))
}

func rebuildWhileLive(t *testing.T, s store.Store) {
	{
		ctx := context.Background()
		n := startNATS(t)
		db := storetest.Migrated(t, s)
		feed := append(storetest.Lifecycle(), storetest.Simulated(t, 6000)...)
		before, during := feed[:len(feed)/2], feed[len(feed)/2:]
		n.publishEvents(t, before)

		liveCtx, stopLive := context.WithCancel(ctx)
		live, err := consumers.New(n.js, s, consumers.Config{Stream: n.cfg, DB: db, BatchMax: 300, BatchWait: 20 * time.Millisecond,
			Backoff: 20 * time.Millisecond, MaxBackoff: 100 * time.Millisecond}, testLog(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		var liveErr error
		go func() { defer wg.Done(); liveErr = live.Run(liveCtx) }()
		waitCaughtUp(t, n, "")

		// Damage the projections with a row the stream never had.
		bogus := storetest.Rows(t, []events.Event{events.New("000.00.31.H23", "BOGUS", time.Now().Add(-time.Hour),
			events.DossierWithdrawn{})})
		if err := s.InsertEvents(ctx, db, bogus); err != nil {
			t.Fatal(err)
		}
		countBogus := func() string {
			return storetest.Query(t, s, "SELECT count() FROM "+db+".dossiers WHERE dossier_id = 'BOGUS'")[0][0]
		}
		if got := countBogus(); got != "1" {
			t.Fatalf("the damage did not show: %s bogus dossiers", got)
		}
		// A day off the government announced, entered by a user.
		if err := s.Exec(ctx, "INSERT INTO "+db+".holidays (day, name, working, updated_at) "+
			"SELECT toDate('2024-04-29'), 'Nghỉ hoán đổi', 0, now()"); err != nil {
			t.Fatal(err)
		}
		holiday := func() [][]string {
			return storetest.Query(t, s, "SELECT h.name, h.working, c.working, c.holiday FROM "+db+".holidays AS h "+
				"ALL INNER JOIN (SELECT day, working, holiday FROM "+db+".calendar) AS c USING (day)")
		}
		wantHoliday := [][]string{{"Nghỉ hoán đổi", "0", "0", "Nghỉ hoán đổi"}}
		if got := holiday(); !slices.EqualFunc(got, wantHoliday, slices.Equal) {
			t.Fatalf("holiday before the rebuild: %v; want %v", got, wantHoliday)
		}

		published := make(chan struct{})
		go func() { // events keep arriving during the rebuild
			defer close(published)
			for i := 0; i < len(during); i += 200 {
				n.publishEvents(t, during[i:min(i+200, len(during))])
				time.Sleep(5 * time.Millisecond)
			}
		}()
		var progressCalls atomic.Int64
		res, err := consumers.Rebuild(ctx, n.js, s, consumers.RebuildConfig{
			Config:   consumers.Config{Stream: n.cfg, DB: db, BatchMax: 500, BatchWait: 20 * time.Millisecond},
			Progress: func(done, total uint64) { progressCalls.Add(1) },
		}, testLog(t))
		if err != nil {
			t.Fatal(err)
		}
		<-published
		waitCaughtUp(t, n, "")
		stopLive()
		wg.Wait()
		if liveErr != nil {
			t.Fatalf("live projector: %v", liveErr)
		}
		if res.Events == 0 || progressCalls.Load() == 0 {
			t.Errorf("rebuild result %+v, %d progress calls", res, progressCalls.Load())
		}
		if got := countBogus(); got != "0" {
			t.Errorf("after the rebuild, %s bogus dossiers; want 0", got)
		}
		if got := holiday(); !slices.EqualFunc(got, wantHoliday, slices.Equal) {
			t.Errorf("after the rebuild, the user's holiday reads %v; want %v", got, wantHoliday)
		}
		assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, storetest.Unique(feed)))
		for _, r := range storetest.Query(t, s, "SELECT name FROM system.databases") {
			if strings.HasPrefix(r[0], db+"_") {
				t.Errorf("database %s left behind", r[0])
			}
		}
	}
}
