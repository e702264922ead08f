package consumers

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
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
	for _, engine := range []string{enginetest.ServerName, enginetest.EmbeddedName} {
		s := enginetest.Named(b, engine)
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
		p := &Projector{store: s, cfg: Config{DB: db}, metrics: NewMetrics(nil), log: slog.New(slog.DiscardHandler)}
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

// BenchmarkIdentityOverhead measures what the reused-id check adds to the
// projector's inserts: 200,000 simulated events inserted in batches of
// 20,000 into a fresh schema, (1) without the view event_ids_mv (the schema
// before the check), (2) with it, (3) with it and each batch's ids looked
// up first, as process() does. Wall time per batch, and on chDB (inside
// this process) CPU seconds per million events. Run with -benchtime 1x.
func BenchmarkIdentityOverhead(b *testing.B) {
	rows := storetest.Rows(b, storetest.Simulated(b, 200_000))
	const batch = 20_000
	for _, engine := range []string{enginetest.ServerName, enginetest.EmbeddedName} {
		s := enginetest.Named(b, engine)
		for _, variant := range []string{"no-view", "view", "view+lookup"} {
			b.Run(engine+"/"+variant, func(b *testing.B) {
				ctx := context.Background()
				db := fmt.Sprintf("overhead_%d", time.Now().UnixNano()%1e6)
				if _, err := schema.Migrate(ctx, s, db); err != nil {
					b.Fatal(err)
				}
				if variant == "no-view" {
					if err := s.Exec(ctx, "DROP TABLE "+db+".event_ids_mv"); err != nil {
						b.Fatal(err)
					}
				}
				p := &Projector{store: s, cfg: Config{DB: db}, metrics: NewMetrics(nil), log: slog.New(slog.DiscardHandler)}
				p.cfg.setDefaults()
				cpu0 := cpuSecondsInternal()
				start := time.Now()
				var lookup time.Duration
				for i := 0; i < len(rows); i += batch {
					bt := batchOf(rows[i:min(i+batch, len(rows))])
					if variant == "view+lookup" {
						t0 := time.Now()
						if err := p.checkIdentity(ctx, &bt); err != nil {
							b.Fatal(err)
						}
						lookup += time.Since(t0)
					}
					if err := s.InsertEvents(ctx, db, bt.rows); err != nil {
						b.Fatal(err)
					}
				}
				n := float64(len(rows))
				b.ReportMetric(time.Since(start).Seconds()*1000/(n/batch), "ms/batch")
				b.ReportMetric(lookup.Seconds()*1000/(n/batch), "lookup-ms/batch")
				b.ReportMetric((cpuSecondsInternal()-cpu0)/n*1e6, "cpu-s/M-events")
				_ = s.Exec(ctx, "DROP DATABASE "+db)
			})
		}
	}
}

func batchOf(rows []store.EventRow) batch { return batch{rows: rows} }

// cpuSecondsInternal is this process's user+system CPU time.
func cpuSecondsInternal() float64 {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b)[strings.LastIndexByte(string(b), ')')+2:])
	u, _ := strconv.ParseFloat(f[11], 64)
	s, _ := strconv.ParseFloat(f[12], 64)
	return (u + s) / 100
}
