package consumers

import (
	"context"
	"log/slog"
	"time"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// KeepSnapshotsFresh refreshes db's snapshots (schema.Refresh: dossier_totals,
// which the forms and the report pages read) at once and then every interval
// while ctx lasts, building them only when events arrived since. A build
// takes seconds on a province-year, so the next check waits at least as
// long as the last build took: refreshing never takes more than half of the
// time. Errors are
// logged, not returned: a snapshot that could not be built stays as it was
// and the next tick tries again.
func KeepSnapshotsFresh(ctx context.Context, st store.Store, db string, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	log = log.With("component", "snapshots")
	wait := time.Duration(0) // at once: events may have arrived while nothing ran
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = every
		rs, err := schema.Refresh(ctx, st, db, false)
		if err != nil {
			if ctx.Err() == nil {
				log.Warn("could not refresh the snapshots; retrying at the next tick", "err", err)
			}
			continue
		}
		for _, r := range rs {
			if r.Built {
				log.Info("refreshed", "snapshot", r.Name, "took", r.Took.Round(time.Millisecond))
				wait = max(wait, r.Took)
			}
		}
	}
}
