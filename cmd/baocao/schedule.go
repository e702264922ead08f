package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

func newScheduleCmd(g *globals) *cobra.Command {
	var (
		o    storeOptions
		so   scheduleOptions
		once bool
	)
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Generate every periodic report once its period has closed",
		Long: `Schedule generates each report (procedure_control for quarters and years,
reform for six months and years) once its period has ended and --grace has
passed, into <out>/<kind>/<period>-<cutoff>.<format>, and publishes a
report.generated event naming the files and their SHA-256. It checks again
every --interval; with --once it runs one pass and exits. "baocao up" runs the
same schedule in its process.

A report already in the folder is not generated again unless --refresh is set;
then late events reach it, unchanged figures leave the files byte-identical and
publish nothing, and changed ones are rewritten and announced again.`,
		Example: `  baocao schedule --once
  baocao schedule --grace 72h --interval 1h --out /srv/reports`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if err := so.prepare(o.dataDir); err != nil {
				return err
			}
			nc, js, err := g.connect("schedule", 16)
			if err != nil {
				return err
			}
			defer nc.Close()
			st, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			so.s.DB = o.db
			return so.loop(ctx, g, js, st, once, nil)
		},
	}
	f := cmd.Flags()
	o.flags(f)
	so.flags(f)
	f.BoolVar(&once, "once", false, "run one pass and exit")
	return cmd
}

// scheduleOptions are the report schedule's settings, shared by "schedule"
// and "up".
type scheduleOptions struct {
	s              report.Schedule
	kinds, formats string
	interval       time.Duration
}

func (so *scheduleOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&so.kinds, "kinds", "procedure_control,reform", "report kinds, comma-separated")
	f.StringVar(&so.formats, "format", "md,html,xlsx", "formats, comma-separated: md, html, xlsx")
	f.StringVar(&so.s.Cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&so.s.Dir, "out", "", "output folder of reports (default <data>/reports)")
	f.DurationVar(&so.s.Grace, "grace", 72*time.Hour, "wait after a period's last day before its report, for late events")
	f.DurationVar(&so.s.Lookback, "lookback", 400*24*time.Hour, "periods that ended longer ago are not generated")
	f.BoolVar(&so.s.Refresh, "refresh", false, "regenerate reports already written (late events); unchanged ones stay identical")
	f.StringVar(&so.s.Agency, "agency", "", "code of the reporting agency in the events; default: the province")
	f.DurationVar(&so.interval, "interval", time.Hour, "time between passes")
}

// prepare checks the settings and fills the defaults that depend on others.
func (so *scheduleOptions) prepare(dataDir string) error {
	var err error
	if so.s.Kinds, err = parseKinds(so.kinds); err != nil {
		return err
	}
	if so.s.Formats, err = report.ParseFormats(so.formats); err != nil {
		return err
	}
	if so.s.Cutoff != report.Official && so.s.Cutoff != report.Calendar {
		return fmt.Errorf("--cutoff %q: want official or calendar", so.s.Cutoff)
	}
	if so.interval <= 0 {
		return fmt.Errorf("--interval %v: must be positive", so.interval)
	}
	so.s.Dir = reportsDir(so.s.Dir, dataDir)
	return nil
}

func parseKinds(list string) ([]report.Kind, error) {
	var kinds []report.Kind
	for _, k := range strings.Split(list, ",") {
		kind, err := report.ParseKind(strings.TrimSpace(k))
		if err != nil {
			return nil, err
		}
		kinds = append(kinds, kind)
	}
	return kinds, nil
}

// reportsDir is the reports folder: the one given, else <data>/reports.
func reportsDir(out, dataDir string) string {
	if out != "" {
		return out
	}
	return filepath.Join(dataDir, "reports")
}

// scheduleMetrics count the scheduler's work for /metrics.
type scheduleMetrics struct {
	generated prometheus.Counter
	failures  prometheus.Counter
	lastPass  prometheus.Gauge
}

func newScheduleMetrics(reg prometheus.Registerer) *scheduleMetrics {
	m := &scheduleMetrics{
		generated: prometheus.NewCounter(prometheus.CounterOpts{Name: "baocao_reports_generated_total", Help: "Reports generated (regenerations included)."}),
		failures:  prometheus.NewCounter(prometheus.CounterOpts{Name: "baocao_schedule_failures_total", Help: "Schedule passes that stopped on an error."}),
		lastPass:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "baocao_schedule_last_pass_timestamp_seconds", Help: "Unix time of the last schedule pass that finished without error."}),
	}
	reg.MustRegister(m.generated, m.failures, m.lastPass)
	return m
}

// loop runs schedule passes every interval until ctx ends (or once),
// announcing each new or changed report through a producer. With metrics
// (in "up"), a failed pass is logged and retried at the next interval
// instead of ending the process.
func (so *scheduleOptions) loop(ctx context.Context, g *globals, js jetstream.JetStream, st store.Store, once bool, m *scheduleMetrics) error {
	log := g.logger().With("component", "schedule")
	p, err := producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name})
	if err != nil {
		return err
	}
	defer closeProducer(context.WithoutCancel(ctx), p)
	publish := func(ctx context.Context, e events.Event) error {
		r := p.Publish(ctx, e)
		switch r.Outcome {
		case producers.Published, producers.Duplicate:
			log.Info("report generated", "report", e.SubjectID, "event", e.ID, "outcome", r.Outcome)
			return nil
		}
		return r.Err
	}
	for {
		start := time.Now()
		done, err := so.s.Run(ctx, st, start, publish)
		for _, r := range done {
			if m != nil {
				m.generated.Inc()
			} else {
				fmt.Fprintln(g.stdout, r.Key()) // "schedule" lists what it wrote
			}
		}
		switch {
		case err != nil && (m == nil || ctx.Err() != nil):
			return err
		case err != nil:
			m.failures.Inc()
			log.Error("schedule pass failed; retrying at the next interval", "err", err)
		default:
			if m != nil {
				m.lastPass.SetToCurrentTime()
			}
			log.Info("schedule pass", "generated", len(done), "took", time.Since(start).Round(time.Millisecond))
		}
		if once {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(so.interval):
		}
	}
}
