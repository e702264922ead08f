package consumers

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
)

// BenchmarkLookupIDs measures checkIdentity's lookup: the ids of a batch of
// 20,000 in event_ids holding 2 million ids, on each engine. Ids are 27
// characters that sort by time as KSUIDs do. "recent": the batch is the
// newest 10,000 ids and 10,000 new ones (what a live batch looks like);
// "scattered": 20,000 ids drawn from the whole table (a backfill of old
// events, the worst case). Run with -benchtime 5x.
func BenchmarkLookupIDs(b *testing.B) {
	const total, batch = 2_000_000, 20_000
	id := func(n int) string { return fmt.Sprintf("%012dAbCdEfGhIjKlMnO", n) }
	for _, engine := range []string{"clickhouse-18.16", "chdb-26.5"} {
		var s store.Store = enginetest.Embedded()
		if engine == "clickhouse-18.16" {
			srv := chtest.Start(b)
			cs, err := clickhouse.Open(context.Background(), clickhouse.Config{Addr: []string{srv.Addr}})
			if err != nil {
				b.Fatal(err)
			}
			defer cs.Close()
			s = cs
		}
		ctx := context.Background()
		db := fmt.Sprintf("lookup_%d", time.Now().UnixNano()%1e6)
		if _, err := schema.Migrate(ctx, s, db); err != nil {
			b.Fatal(err)
		}
		fill := time.Now()
		for from := 0; from < total; from += 500_000 {
			if err := s.Exec(ctx, fmt.Sprintf(`INSERT INTO %s.event_ids SELECT id, sipHash64(id), 'dossier.received', '000.00.31.H23', 'HS', minState(n)
				FROM (SELECT concat(substring(toString(1000000000000 + number), 2), 'AbCdEfGhIjKlMnO') AS id, toUInt64(number + 1) AS n
				      FROM numbers(%d, 500000)) GROUP BY id`, db, from)); err != nil {
				b.Fatal(err)
			}
		}
		if err := s.Exec(ctx, "OPTIMIZE TABLE "+db+".event_ids FINAL"); err != nil {
			b.Fatal(err)
		}
		b.Logf("%s: filled %d ids in %v", engine, total, time.Since(fill))
		p := &Projector{store: s, cfg: Config{DB: db}, metrics: NewMetrics(nil)}
		p.cfg.setDefaults()
		recent, scattered := make([]string, batch), make([]string, batch)
		for i := range batch {
			recent[i] = id(total - batch/2 + i)
			scattered[i] = id(rand.IntN(total))
		}
		for _, c := range []struct {
			name  string
			ids   []string
			found int
		}{{"recent", recent, batch / 2}, {"scattered", scattered, -1}} {
			b.Run(engine+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					got, err := p.lookupIDs(ctx, c.ids)
					if err != nil {
						b.Fatal(err)
					}
					if c.found >= 0 && len(got) != c.found {
						b.Fatalf("found %d ids; want %d", len(got), c.found)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/batch")
			})
		}

		_ = s.Exec(ctx, "DROP DATABASE "+db)
	}
}
