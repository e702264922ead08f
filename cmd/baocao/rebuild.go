package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/consumers"
)

func newRebuildCmd(g *globals) *cobra.Command {
	var o storeOptions
	var progressMode string
	cfg := consumers.RebuildConfig{}
	cmd := &cobra.Command{
		Use:   "rebuild",
		Short: "Replay the stream into fresh tables and switch readers to them",
		Long: `Rebuild replays the events stream from its first event into fresh tables
(<db>_rebuild), then swaps them in for the tables of <db> and recreates the
views on them, then folds in whatever arrived meanwhile. Live consume processes
go on ingesting throughout; inserts that meet a table being swapped are retried.
Use it after changing the projections' SQL, or to repair a damaged database:
the stream is the record, the tables are derived from it.

With embedded chDB only one process may open the data directory: stop consume
first (baocao up runs rebuilds in its own process).`,
		Example: `  baocao rebuild --clickhouse-addr 127.0.0.1:9000
  baocao rebuild --keep-old     # keep the replaced tables in <db>_old_<time>`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			nc, js, err := g.connect("rebuild", 1)
			if err != nil {
				return err
			}
			defer nc.Close()
			s, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			bar := newProgress(g.stderr, progressMode, -1, "events")
			cfg.Progress = func(done, total uint64) { bar.set(int64(done), int64(total)) }
			cfg.Stream, cfg.DB = g.stream, o.db
			res, err := consumers.Rebuild(ctx, js, s, cfg, g.logger())
			bar.finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "rebuilt %s from %d events in %v (%.0f events/s)\n", o.db, res.Events, res.Took.Round(10e6),
				float64(res.Events)/res.Took.Seconds())
			if res.OldDatabase != "" {
				fmt.Fprintf(g.stdout, "the replaced tables are in %s\n", res.OldDatabase)
			}
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f)
	f.StringVar(&cfg.Durable, "durable", consumers.DefaultDurable, "the live consumer's name; the replay uses <name>-rebuild")
	f.IntVar(&cfg.BatchMax, "batch-max", 20000, "events per insert at most")
	f.BoolVar(&cfg.KeepOld, "keep-old", false, "keep the replaced tables instead of dropping them")
	f.StringVar(&progressMode, "progress", "auto", "progress bar: auto (on a terminal), always, never")
	return cmd
}
