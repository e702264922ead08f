package consumers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// RebuildConfig tunes Rebuild. Config is the live projector's: its stream,
// database and batch settings.
type RebuildConfig struct {
	Config
	// KeepOld keeps the replaced tables in <db>_old_<unix time> instead of
	// dropping them.
	KeepOld bool
	// Progress, when set, is called about five times a second with the
	// stream sequence replayed so far and the stream's last sequence.
	Progress func(done, total uint64)
}

// RebuildResult says what Rebuild did.
type RebuildResult struct {
	Events      uint64 // the stream's last sequence when the replay caught up
	Took        time.Duration
	OldDatabase string // the database holding the replaced tables, when kept
}

// Rebuild replays the whole stream into fresh tables and switches readers to
// them, while live projectors go on ingesting into the database:
//
//  1. <db>_rebuild gets the current schema, and a consumer of its own replays
//     the stream into it from the first event until it has caught up;
//  2. the switch: the materialized views and views of both databases are
//     dropped, every table of <db> is renamed away and the rebuilt one renamed
//     into its place (one RENAME statement), and the views are created again
//     on the rebuilt tables (ClickHouse 18.16 cannot rename a materialized
//     view, and a view names its tables' database). Tables whose migration
//     is marked KeepOnRebuild (what users entered, such as holidays) are
//     left in place, neither moved away nor replaced;
//  3. the replay consumer runs once more, now into <db>, to the end of the
//     stream: events the live projectors inserted while the views were being
//     recreated, and anything newer than the first catch-up, are folded in.
//     Inserting an event again changes no projection, so overlap is harmless.
//     The replay is one projector reading in stream order, so for an id
//     reused with another body it keeps the first body the stream recorded
//     (identity.go), whatever live projectors sharing a durable kept.
//     Then the snapshots (dossier_totals) are built again from the new tables.
//
// Live inserts that arrive while a table is being renamed fail with "unknown
// table", which the stores report as unavailable, so the live projector
// retries them. With the embedded engine, only one process can open the data
// directory: run Rebuild in the process that consumes.
func Rebuild(ctx context.Context, js jetstream.JetStream, st store.Store, cfg RebuildConfig, log *slog.Logger) (RebuildResult, error) {
	start := time.Now()
	cfg.setDefaults()
	if log == nil {
		log = slog.Default()
	}
	log = log.With("component", "rebuild")
	live, next := cfg.DB, cfg.DB+"_rebuild"
	ms, err := schema.Migrations()
	if err != nil {
		return RebuildResult{}, err
	}
	if _, err := schema.Migrate(ctx, st, live); err != nil {
		return RebuildResult{}, fmt.Errorf("rebuild: %w", err)
	}
	// A rebuild that failed during its switch may have left views missing
	// that schema_migrations records as applied: create any that are.
	if err := createViews(ctx, st, ms, live); err != nil {
		return RebuildResult{}, err
	}
	if err := st.Exec(ctx, schema.OnCluster(st, "DROP DATABASE IF EXISTS "+next)); err != nil {
		return RebuildResult{}, fmt.Errorf("rebuild: %w", err)
	}
	if _, err := schema.Migrate(ctx, st, next); err != nil {
		return RebuildResult{}, fmt.Errorf("rebuild: %w", err)
	}

	replay := cfg.Config
	replay.Durable = cfg.Durable + "-rebuild"
	s, err := js.Stream(ctx, cfg.Stream.Name)
	if err != nil {
		return RebuildResult{}, fmt.Errorf("rebuild: stream %s: %w", cfg.Stream.Name, err)
	}
	// A replay starts from the first event: forget any earlier, unfinished one.
	if err := s.DeleteConsumer(ctx, replay.Durable); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return RebuildResult{}, fmt.Errorf("rebuild: %w", err)
	}
	defer func() {
		if err := s.DeleteConsumer(context.WithoutCancel(ctx), replay.Durable); err != nil {
			log.Warn("could not delete the replay consumer", "consumer", replay.Durable, "err", err)
		}
	}()

	replay.DB = next
	log.Info("replaying the stream into fresh tables", "db", next)
	total, err := runUntilCaughtUp(ctx, js, st, replay, log, cfg.Progress)
	if err != nil {
		return RebuildResult{}, err
	}

	log.Info("switching readers to the rebuilt tables", "db", live)
	old := fmt.Sprintf("%s_old_%d", live, time.Now().Unix())
	if err := switchTables(ctx, st, ms, live, next, old); err != nil {
		return RebuildResult{}, err
	}

	replay.DB = live
	if _, err := runUntilCaughtUp(ctx, js, st, replay, log, nil); err != nil {
		return RebuildResult{}, err
	}
	// the snapshots were summed from the replaced tables
	if _, err := schema.Refresh(ctx, st, live, true); err != nil {
		return RebuildResult{}, fmt.Errorf("rebuild: %w", err)
	}
	res := RebuildResult{Events: total, Took: time.Since(start)}
	drop := []string{next}
	if cfg.KeepOld {
		res.OldDatabase = old
	} else {
		drop = append(drop, old)
	}
	for _, db := range drop {
		if err := st.Exec(ctx, schema.OnCluster(st, "DROP DATABASE IF EXISTS "+db)); err != nil {
			return res, fmt.Errorf("rebuild: %w", err)
		}
	}
	log.Info("rebuilt", "events", total, "took", res.Took)
	return res, nil
}

// switchTables puts the tables of next in place of those of live, moving
// live's to old, and recreates the views and materialized views on them.
// Tables kept on rebuild stay in live; next's empty copies go with next. On
// a cluster the switch runs ON CLUSTER, on every shard, and moves the
// Replicated _local tables: live's Distributed tables stay and read the
// rebuilt ones by name.
func switchTables(ctx context.Context, st store.Store, ms []schema.Migration, live, next, old string) error {
	var renames []string
	for _, db := range []string{live, next} {
		for _, m := range ms {
			if m.Kind == schema.Table {
				continue
			}
			if err := st.Exec(ctx, schema.OnCluster(st, "DROP TABLE IF EXISTS "+db+"."+m.Object)); err != nil {
				return fmt.Errorf("rebuild: drop %s.%s: %w", db, m.Object, err)
			}
		}
	}
	if err := st.Exec(ctx, schema.OnCluster(st, "CREATE DATABASE IF NOT EXISTS "+old)); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	tables := []string{"schema_migrations"}
	for _, m := range ms {
		// A table users fill (the holidays) stays where it is: the replay
		// has nothing to put in its copy.
		if m.Kind == schema.Table && !m.KeepOnRebuild {
			tables = append(tables, schema.DataTable(st, m.Object))
		}
	}
	for _, t := range tables {
		renames = append(renames, live+"."+t+" TO "+old+"."+t, next+"."+t+" TO "+live+"."+t)
	}
	if err := st.Exec(ctx, schema.OnCluster(st, "RENAME TABLE "+strings.Join(renames, ", "))); err != nil {
		return fmt.Errorf("rebuild: swap tables: %w", err)
	}
	return createViews(ctx, st, ms, live)
}

// createViews creates the views and materialized views of db that are
// missing (their statements say IF NOT EXISTS).
func createViews(ctx context.Context, st store.Store, ms []schema.Migration, db string) error {
	for _, m := range ms {
		if m.Kind == schema.Table {
			continue
		}
		stmts, err := schema.Statements(st, m, db)
		if err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		for _, q := range stmts {
			if err := st.Exec(ctx, q); err != nil {
				return fmt.Errorf("rebuild: create %s.%s: %w", db, m.Object, err)
			}
		}
	}
	return nil
}

// runUntilCaughtUp runs a projector with cfg until ReadProgress says it has
// projected every event, then stops it. It returns the stream's last
// sequence at that moment.
func runUntilCaughtUp(ctx context.Context, js jetstream.JetStream, st store.Store, cfg Config, log *slog.Logger, progress func(done, total uint64)) (uint64, error) {
	p, err := New(js, st, cfg, log, nil)
	if err != nil {
		return 0, err
	}
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- p.Run(pctx) }()
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case err := <-done:
			if err == nil {
				err = ctx.Err()
			}
			return 0, fmt.Errorf("rebuild: replay stopped: %w", err)
		case <-t.C:
		}
		c, err := js.Consumer(ctx, cfg.Stream.Name, cfg.Durable)
		if err != nil {
			continue // the projector creates it as it starts
		}
		if info, err := c.Info(ctx); err == nil && progress != nil {
			progress(info.AckFloor.Stream, info.Delivered.Stream+info.NumPending)
		}
		pr, err := ReadProgress(ctx, js, cfg.Stream.Name, cfg.Durable)
		if err != nil || pr.Behind > 0 {
			continue
		}
		cancel()
		if err := <-done; err != nil {
			return 0, err
		}
		return pr.StreamSeq, nil
	}
}
