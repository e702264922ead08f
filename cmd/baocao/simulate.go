package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/simulate"
)

type simulateOptions struct {
	cfg        simulate.Config
	from, to   string
	out        string
	publish    bool
	maxPending int
	progress   string
}

func newSimulateCmd(g *globals) *cobra.Command {
	o := simulateOptions{cfg: simulate.DefaultConfig()}
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "Generate a realistic province's events, deterministically",
		Long: `Simulate generates the events of a province over a date range: the agency
directory (departments, districts, communes; the 1/7/2025 two-tier reform when
the range covers it), the procedure catalogue and its reviews, dossiers through
their whole lifecycle, citizen feedback, plans with tasks shaped like the seeds'
plans, the yearly indicators, and the agencies' parts of the periodic reports
sent after each period closes (contributions). Some events are delivered late,
twice or out of order, at the rates given, as real feeds are.

The same seed and settings give the same events, byte for byte. Output is JSON
Lines on standard output (or --out), in delivery order, or --publish sends them
to the events stream. Memory stays bounded however long the range.`,
		Example: `  baocao simulate --from 2024-01-01 --to 2024-06-30 > h1-2024.jsonl
  baocao simulate --from 2024-01-01 --to 2024-01-31 --dossiers-per-day 500 --publish`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSimulate(cmd.Context(), g, o)
		},
	}
	f := cmd.Flags()
	c := &o.cfg
	f.Int64Var(&c.Seed, "seed", c.Seed, "random seed: the same seed gives the same events")
	f.StringVar(&o.from, "from", c.From.String(), "first day, YYYY-MM-DD")
	f.StringVar(&o.to, "to", c.To.String(), "last day, YYYY-MM-DD (inclusive)")
	f.StringVar(&c.ProvinceCode, "province-code", c.ProvinceCode, "agency code of the province")
	f.StringVar(&c.ProvinceName, "province-name", c.ProvinceName, "name of the province")
	f.IntVar(&c.Departments, "departments", c.Departments, "province departments (sở, ban, ngành)")
	f.IntVar(&c.Districts, "districts", c.Districts, "districts (until the 1/7/2025 reform)")
	f.IntVar(&c.CommunesPerDistrict, "communes-per-district", c.CommunesPerDistrict, "communes in each district")
	f.IntVar(&c.Procedures, "procedures", c.Procedures, "procedures in the catalogue")
	f.IntVar(&c.DossiersPerDay, "dossiers-per-day", c.DossiersPerDay, "dossiers received in the province on a working day")
	f.Float64Var(&c.FeedbackPerDay, "feedback-per-day", c.FeedbackPerDay, "citizen feedback items per day")
	f.Float64Var(&c.DuplicateRate, "duplicate-rate", c.DuplicateRate, "fraction of events delivered twice")
	f.Float64Var(&c.LateRate, "late-rate", c.LateRate, "fraction of events delivered hours or days late")
	f.Float64Var(&c.ReorderRate, "reorder-rate", c.ReorderRate, "fraction of events delivered out of order")
	f.StringVar(&o.out, "out", "-", "JSON Lines file to write, - for standard output")
	f.BoolVar(&o.publish, "publish", false, "publish to the events stream instead of writing JSON Lines")
	f.IntVar(&o.maxPending, "max-pending", 4000, "with --publish: events in flight awaiting the stream's ack")
	f.StringVar(&o.progress, "progress", "auto", "progress display: auto (on a terminal), always, never")
	return cmd
}

func runSimulate(ctx context.Context, g *globals, o simulateOptions) error {
	var err error
	if o.cfg.From, err = parseDate("--from", o.from); err != nil {
		return err
	}
	if o.cfg.To, err = parseDate("--to", o.to); err != nil {
		return err
	}
	if err := o.cfg.Validate(); err != nil {
		return err
	}
	bar := newProgress(g.stderr, o.progress, -1, "events")
	start := time.Now()
	var stats simulate.Stats
	if o.publish {
		stats, err = simulatePublish(ctx, g, o, bar)
	} else {
		stats, err = simulateWrite(ctx, g, o, bar)
	}
	bar.finish()
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "simulated %s → %s: %d events (%d dossiers; %d delivered twice, %d late, %d reordered) in %v\n",
		o.cfg.From, o.cfg.To, stats.Events, stats.Dossiers, stats.Duplicates, stats.Late, stats.Reordered, since(start))
	return nil
}

func parseDate(flag, s string) (events.Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return events.Date{}, fmt.Errorf("%s %q: want a date YYYY-MM-DD", flag, s)
	}
	return events.NewDate(t.Year(), t.Month(), t.Day()), nil
}

func simulateWrite(ctx context.Context, g *globals, o simulateOptions, bar *progress) (simulate.Stats, error) {
	var w io.Writer = g.stdout
	var file *os.File
	if o.out != "-" {
		f, err := os.Create(o.out)
		if err != nil {
			return simulate.Stats{}, err
		}
		file, w = f, f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	stats, err := simulate.Run(ctx, o.cfg, func(e events.Event) error {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		b = append(b, '\n')
		bar.add(len(b))
		_, err = bw.Write(b)
		return err
	})
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	return stats, err
}

// simulatePublish sends the simulated events through the producer, as an
// agency's system would. Every event must be stored: a rejected or failed one
// stops the run with its reason.
func simulatePublish(ctx context.Context, g *globals, o simulateOptions, bar *progress) (simulate.Stats, error) {
	if latest := time.Now().Add(events.MaxFutureSkew); o.cfg.To.After(latest) {
		return simulate.Stats{}, fmt.Errorf("--to %s: events dated after %s would be rejected as in the future", o.cfg.To, latest.Format(time.DateOnly))
	}
	nc, js, err := g.connect("simulate", o.maxPending)
	if err != nil {
		return simulate.Stats{}, err
	}
	defer nc.Close()
	return publishSimulation(ctx, g, js, o.cfg, o.maxPending, bar)
}

// publishSimulation publishes the simulated events through the producer,
// maxPending in flight; any event the stream does not store stops the run.
func publishSimulation(ctx context.Context, g *globals, js jetstream.JetStream, cfg simulate.Config, maxPending int, bar *progress) (simulate.Stats, error) {
	p, err := producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name, MaxPending: maxPending})
	if err != nil {
		return simulate.Stats{}, err
	}
	var mu sync.Mutex
	var firstErr error
	stats, err := simulate.Run(ctx, cfg, func(e events.Event) error {
		mu.Lock()
		ferr := firstErr
		mu.Unlock()
		if ferr != nil {
			return ferr
		}
		bar.add(0)
		return p.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Outcome == producers.Rejected || r.Outcome == producers.Failed {
				mu.Lock()
				if firstErr == nil {
					firstErr = fmt.Errorf("event %s %s: %w", r.ID, r.Outcome, r.Err)
				}
				mu.Unlock()
			}
		})
	})
	return stats, errors.Join(err, closeProducer(ctx, p), firstErr)
}
