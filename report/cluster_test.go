package report_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
)

// On a cluster of 2 shards × 2 replicas (--clickhouse-cluster) the seed-004
// fixture and a simulated province give the same bytes of report, and every
// view the same rows, as on one 18.16 server fed the same events.
func TestClusterReportsEqualOneServer(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	cl, err := chcluster.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Stop)
	t.Logf("cluster (ZooKeeper, 2 shards × 2 replicas) started in %v", time.Since(start).Round(time.Millisecond))
	onCluster, err := clickhouse.Open(ctx, clickhouse.Config{Addr: strings.Split(cl.Addrs(), ","), Cluster: chcluster.Name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { onCluster.Close() })
	one := chtest.Start(t)
	onOne, err := clickhouse.Open(ctx, clickhouse.Config{Addr: []string{one.Addr}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { onOne.Close() })

	for _, c := range []struct {
		name   string
		evs    func() []store.EventRow
		period string
	}{
		{"seed-004", func() []store.EventRow {
			return storetest.Rows(t, append(reporttest.Seed004(), reporttest.Seed004Contributions()...))
		}, "2024-H1"},
		{"simulated", func() []store.EventRow { return storetest.Rows(t, storetest.Simulated(t, 20_000)) }, "2024-H1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows := c.evs()
			db := storetest.FreshDB(t)
			var mds [2][]byte
			for i, s := range []store.Store{onOne, onCluster} {
				start := time.Now()
				if _, err := schema.Migrate(ctx, s, db); err != nil {
					t.Fatal(err)
				}
				migrated := time.Since(start)
				if again, err := schema.Migrate(ctx, s, db); err != nil || len(again) > 0 {
					t.Errorf("migrate run again: applied %v, %v; want nothing", again, err)
				}
				start = time.Now()
				for b := rows; len(b) > 0; b = b[min(1000, len(b)):] {
					if err := s.InsertEvents(ctx, db, b[:min(1000, len(b))]); err != nil {
						t.Fatal(err)
					}
				}
				inserted := time.Since(start)
				if i == 1 {
					if err := cl.Sync(ctx, db); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := schema.Refresh(ctx, s, db, true); err != nil {
					t.Fatal(err)
				}
				// the watermark (every shard's newest part) has not moved
				again, err := schema.Refresh(ctx, s, db, false)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range again {
					if r.Built {
						t.Errorf("snapshot %s built again with nothing new", r.Name)
					}
				}
				p, _ := report.ParsePeriod(c.period, report.Official)
				start = time.Now()
				dir := t.TempDir()
				files, err := report.Generate(ctx, s, db, report.Request{Kind: report.Reform, Period: p, Formats: []string{report.FormatMarkdown}, Dir: dir})
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%s: migrate %v, insert %d events %v, report %v", []string{"one server", "cluster"}[i],
					migrated.Round(time.Millisecond), len(rows), inserted.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
				mds[i] = generated(t, dir, files[0])
			}
			if string(mds[0]) != string(mds[1]) {
				t.Errorf("the report differs on the cluster: %s", firstDifference(mds[1], mds[0]))
			}
			views, err := schema.QueryViews()
			if err != nil {
				t.Fatal(err)
			}
			ms, _ := schema.Migrations()
			names := []string{}
			for _, v := range views {
				names = append(names, v.Object)
			}
			for _, m := range ms {
				if m.Kind == schema.View {
					names = append(names, m.Object)
				}
			}
			for _, v := range names {
				a, b := viewRows(t, onOne, db, v), viewRows(t, onCluster, db, v)
				if fmt.Sprint(a) != fmt.Sprint(b) {
					t.Errorf("%s differs on the cluster (%d rows; one server %d):\n cluster:    %.300v\n one server: %.300v", v, len(b), len(a), b, a)
				}
			}
			// analysts' queries (read-only, with limits) on the cluster
			a, err := onCluster.Analyst(ctx, store.DefaultLimits, "", "")
			if err != nil {
				t.Fatal(err)
			}
			defer a.Close()
			if _, err := a.Query(ctx, "SELECT count() FROM "+db+".dossiers"); err != nil {
				t.Errorf("an analyst's query on the cluster: %v", err)
			}
			// how evenly the events spread over the shards
			for s := range chcluster.Shards {
				n := storetest.Query(t, onCluster, "SELECT count() FROM remote('"+cl.Server(s, 0).Addr+"', "+db+".events_local)")
				t.Logf("shard %d holds %s of %d events", s+1, n[0][0], len(rows))
			}
			// every event of one subject on one shard, where its states fold
			split := storetest.Query(t, onCluster, "SELECT uniqExact(subject_id) FROM remote('"+cl.Server(0, 0).Addr+"', "+db+".events_local) WHERE subject_id IN (SELECT subject_id FROM remote('"+cl.Server(1, 0).Addr+"', "+db+".events_local))")
			if split[0][0] != "0" {
				t.Errorf("%s subjects have events on both shards", split[0][0])
			}
		})
	}
}
