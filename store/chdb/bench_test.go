package chdb_test

import (
	"context"
	"testing"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// BenchmarkInsertEvents measures inserting event rows in batches of 5,000,
// with the projections' materialized views attached (the schema as
// migrated) and into the bare events table, to show what the views cost.
func BenchmarkInsertEvents(b *testing.B) {
	rows := storetest.Rows(b, storetest.Simulated(b, 100_000))
	ctx := context.Background()
	for _, mode := range []string{"with-projections", "events-only"} {
		b.Run(mode, func(b *testing.B) {
			db := storetest.FreshDB(b)
			if _, err := schema.Migrate(ctx, shared, db); err != nil {
				b.Fatal(err)
			}
			if mode == "events-only" {
				for _, mv := range []string{"dossier_state_mv", "feedback_state_mv", "task_state_by_province_mv", "procedure_state_mv", "agency_state_mv"} {
					if err := shared.Exec(ctx, "DROP TABLE "+db+"."+mv); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ResetTimer()
			for range b.N {
				insertAll(b, shared, db, rows)
			}
			b.ReportMetric(float64(b.N*len(rows))/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

func insertAll(b *testing.B, s store.Store, db string, rows []store.EventRow) {
	for i := 0; i < len(rows); i += 5000 {
		if err := s.InsertEvents(context.Background(), db, rows[i:min(i+5000, len(rows))]); err != nil {
			b.Fatal(err)
		}
	}
}
