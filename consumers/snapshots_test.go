package consumers_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// The background refresher brings dossier_totals up to date with events
// inserted behind its back, and stops with its context.
func TestKeepSnapshotsFresh(t *testing.T) {
	engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		ctx, cancel := context.WithCancel(context.Background())
		stopped := make(chan struct{})
		go func() { consumers.KeepSnapshotsFresh(ctx, s, db, 50*time.Millisecond, slog.Default()); close(stopped) }()
		defer func() {
			cancel()
			select {
			case <-stopped:
			case <-time.After(time.Minute):
				t.Error("the refresher did not stop with its context")
			}
		}()
		if err := s.InsertEvents(context.Background(), db, storetest.Rows(t, storetest.Lifecycle())); err != nil {
			t.Fatal(err)
		}
		want := storetest.Query(t, s, "SELECT count() FROM "+db+".dossier_periods")[0][0]
		deadline := time.Now().Add(time.Minute)
		for {
			got := storetest.Query(t, s, "SELECT toString(sum(dossiers)) FROM "+db+".dossier_totals")[0][0]
			if got == want && want != "0" {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("dossier_totals counts %s dossier-periods a minute later; dossier_periods has %s", got, want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
