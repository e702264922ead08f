package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
)

// demoMarker marks a folder the demo made, which it may empty on the next run.
const demoMarker = ".baocao-demo"

func newDemoCmd(g *globals) *cobra.Command {
	var (
		o        storeOptions
		do       documentOptions
		year     int
		cfg      = simulate.DefaultConfig()
		progress string
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Simulate a province's first half-year and generate its reports, end to end",
		Long: `Demo runs the main job on the embedded default, in one process and a fresh
folder (--data, emptied if an earlier demo made it):
  1. simulate a province's events from 1 December before --year to 30 June
     (the official cut-off's six months run 15 December to 14 June),
  2. publish them to JetStream (embedded NATS) as agencies' systems would,
  3. project them into chDB with the same projector "consume" runs,
  4. generate the six-month reform report and the two quarterly TTHC-control
     reports in Markdown, HTML and XLSX, in the province's layout
     (--document-*, as report takes them),
then print a summary and where the files are. "baocao up --data <folder>"
afterwards serves the reports and the data.`,
		Example: `  baocao demo
  baocao demo --dossiers-per-day 2000 --data /tmp/demo`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if year < 2016 || year > 2035 {
				return fmt.Errorf("--year %d: want 2016 to 2035", year)
			}
			// From 1 December: the official cut-off starts the six months on
			// 15 December, and dossiers carried over need a past.
			cfg.From, cfg.To = events.NewDate(year-1, 12, 1), events.NewDate(year, 6, 30)
			if err := cfg.Validate(); err != nil {
				return err
			}
			layouts, err := do.layouts()
			if err != nil {
				return err
			}
			return runDemo(cmd.Context(), g, &o, cfg, layouts, progress)
		},
	}
	f := cmd.Flags()
	o.flags(f)
	do.flags(f)
	f.Lookup("data").DefValue, o.dataDir = "baocao-demo", "baocao-demo"
	f.IntVar(&year, "year", 2024, "year whose first half is simulated")
	f.IntVar(&cfg.DossiersPerDay, "dossiers-per-day", 600, "dossiers received in the province on a working day")
	f.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed of the simulation")
	f.StringVar(&progress, "progress", "auto", "progress display: auto (on a terminal), always, never")
	return cmd
}

func runDemo(ctx context.Context, g *globals, o *storeOptions, cfg simulate.Config, layouts report.Layouts, progressMode string) error {
	if o.addr != "" {
		return errors.New("demo runs on the embedded engine; for servers use simulate --publish, consume and report")
	}
	start := time.Now()
	if err := freshDemoFolder(o.dataDir); err != nil {
		return err
	}
	step := func(format string, args ...any) {
		fmt.Fprintf(g.stderr, "%6.1fs  "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
	}

	sk, err := openStack(ctx, g, o, stackOptions{name: "demo", embedNATS: true, natsListen: "127.0.0.1:0", maxPending: 4000})
	if err != nil {
		return err
	}
	defer sk.close()
	js, st := sk.js, sk.st
	step("NATS JetStream %s; %s; schema migrated", sk.natsWhere, o.where(ctx, st))

	// The projector runs alongside the publisher, as in production.
	pctx, stopProjector := context.WithCancel(ctx)
	defer stopProjector()
	// The demo prints its own steps; the projector logs only problems.
	log := g.logger()
	if g.logLevel == "info" {
		g.logLevel = "warn"
		log = g.logger()
	}
	// Larger batches than consume's default: the demo catches up on a
	// backlog, and chDB pays a fixed cost per insert (92 → 80 s here).
	proj, err := consumers.New(js, st, consumers.Config{Stream: g.stream, DB: o.db, BatchMax: 20000, BatchBytes: 32 << 20}, log, nil)
	if err != nil {
		return err
	}
	projDone := make(chan error, 1)
	go func() { projDone <- proj.Run(pctx) }()

	step("simulating %s → %s at %d dossiers per working day, publishing to the stream", cfg.From, cfg.To, cfg.DossiersPerDay)
	bar := newProgress(g.stderr, progressMode, -1, "events")
	stats, err := publishSimulation(ctx, g, js, cfg, 4000, bar)
	bar.finish()
	if err != nil {
		return err
	}
	step("published %d events (%d dossiers; %d sent twice, %d late, %d out of order)", stats.Events, stats.Dossiers, stats.Duplicates, stats.Late, stats.Reordered)

	bar = newProgress(g.stderr, progressMode, -1, "events")
	err = waitProjected(ctx, js, g.stream.Name, consumers.DefaultDurable, bar, projDone)
	bar.finish()
	if err != nil {
		return err
	}
	stopProjector()
	if err := <-projDone; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	step("projected into ClickHouse")
	progress, err := consumers.ReadProgress(ctx, js, g.stream.Name, consumers.DefaultDurable)
	if err != nil {
		return err
	}
	if _, err := schema.Refresh(ctx, st, o.db, false); err != nil {
		return err
	}
	step("summed the dossiers by period (dossier_totals)")

	out := reportsDir("", o.dataDir)
	var h1 *report.Data
	for _, r := range []struct {
		kind   report.Kind
		period string
	}{{report.Reform, "H1"}, {report.ProcedureControl, "Q1"}, {report.ProcedureControl, "Q2"}} {
		p, err := report.ParsePeriod(fmt.Sprintf("%d-%s", cfg.To.Year(), r.period), report.Official)
		if err != nil {
			return err
		}
		d, err := report.Load(ctx, st, o.db, p)
		if err != nil {
			return err
		}
		req := report.Request{Kind: r.kind, Period: p, Formats: report.AllFormats, Dir: out, AsOf: progress.StreamSeq, Layouts: layouts}
		files, err := report.Write(req, d)
		if err != nil {
			return err
		}
		if err := announce(ctx, g, js, st, o.db, req, files); err != nil {
			return err
		}
		step("%s %s (%s – %s) written", r.kind, p.Label(), report.Date(p.Start()), report.Date(p.End()))
		if r.kind == report.Reform {
			h1 = d
		}
	}
	printDemoSummary(g, o, stats, h1, out, time.Since(start))
	return nil
}

// freshDemoFolder empties dir if an earlier demo made it, and refuses a
// folder holding anything else.
func freshDemoFolder(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return err
	case len(entries) == 0:
	default:
		if _, err := os.Stat(filepath.Join(dir, demoMarker)); err != nil {
			return fmt.Errorf("--data %s: the folder holds files the demo did not make; give an empty or new folder", dir)
		}
		if err := os.RemoveAll(dir); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, demoMarker), []byte("made by baocao demo; emptied by the next demo run\n"), 0o644)
}

// waitProjected waits until the projector's consumer has every event of
// the stream acked, showing its progress.
func waitProjected(ctx context.Context, js jetstream.JetStream, streamName, durable string, bar *progress, projDone <-chan error) error {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-projDone:
			return fmt.Errorf("projector stopped: %w", err)
		case <-t.C:
		}
		c, err := js.Consumer(ctx, streamName, durable)
		if err != nil {
			continue // the projector creates it as it starts
		}
		if info, err := c.Info(ctx); err == nil {
			bar.set(int64(info.AckFloor.Stream), int64(info.Delivered.Stream+info.NumPending))
		}
		if pr, err := consumers.ReadProgress(ctx, js, streamName, durable); err == nil && pr.Behind == 0 {
			return nil
		}
	}
}

// announce publishes the report.generated event, as the scheduler does.
func announce(ctx context.Context, g *globals, js jetstream.JetStream, st store.Store, db string, r report.Request, files []report.File) error {
	province, _, err := report.Province(ctx, st, db)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	p, err := producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name})
	if err != nil {
		return err
	}
	defer closeProducer(ctx, p)
	if r := p.Publish(ctx, report.GeneratedEvent(province, r, files, time.Now())); r.Err != nil {
		return r.Err
	}
	return nil
}

func printDemoSummary(g *globals, o *storeOptions, stats simulate.Stats, d *report.Data, out string, took time.Duration) {
	w := g.stdout
	t := d.Total
	fmt.Fprintf(w, "\nbaocao demo: %s, %s (%s – %s), in %s\n", d.Province, d.Period.Label(), report.Date(d.Period.Start()), report.Date(d.Period.End()), took.Round(100*time.Millisecond))
	fmt.Fprintf(w, "  events published      %s (%s dossiers)\n", report.Int(stats.Events), report.Int(stats.Dossiers))
	// the online share is the indicator's (online of the newly received), as the report states it
	online, _ := d.Rate("online")
	fmt.Fprintf(w, "  dossiers received     %s (new %s, online %s)\n", report.Int(t.ReceivedTotal), report.Int(t.ReceivedOnline+t.ReceivedOffline), report.PercentOf(online.Numerator, online.Denominator))
	fmt.Fprintf(w, "  dossiers resolved     %s (on time or early %s)\n", report.Int(t.ResolvedTotal), report.PercentOf(t.ResolvedEarly+t.ResolvedOnTime, t.ResolvedTotal))
	fmt.Fprintf(w, "  in progress at end    %s (overdue %s)\n", report.Int(t.InProgressTotal), report.Int(t.InProgressOverdue))
	parts, agencies := 0, map[string]bool{}
	for _, c := range d.Contributions {
		if c.Kind == report.Reform {
			parts++
			agencies[c.Agency] = true
		}
	}
	fmt.Fprintf(w, "  agencies' parts       %d, from %d agencies, woven into the reform report\n", parts, len(agencies))
	for _, r := range d.Rates {
		met := "below target"
		if r.Met() {
			met = "target met"
		}
		fmt.Fprintf(w, "  %-40s %s (target %s, %s)\n", r.Label, report.Percent(r.Percent()), report.Percent(r.Target), met)
	}
	fmt.Fprintf(w, "\nReports in %s:\n", out)
	filepath.WalkDir(out, func(path string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			fmt.Fprintf(w, "  %s\n", path)
		}
		return nil
	})
	fmt.Fprintf(w, "\nBrowse them and query the data: baocao up --data %s   (then http://127.0.0.1:8080)\n", o.dataDir)
}
