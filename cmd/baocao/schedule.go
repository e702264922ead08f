package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

func newScheduleCmd(g *globals) *cobra.Command {
	var (
		o       storeOptions
		so      scheduleOptions
		once    bool
		durable string
	)
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Generate every periodic report once its period has closed",
		Long: `Schedule generates each report once its period has ended and --grace has
passed, into <out>/<kind>/<period>-<cutoff>.<format>, and publishes a
report.generated event naming the files and their SHA-256. It checks again
every --interval; with --once it runs one pass and exits. A pass that fails
(ClickHouse or NATS gone for a moment, a failover) ends a --once run with its
error; otherwise it is logged and tried again within seconds, then less often.
"baocao up" runs the same schedule in its process. Each kind is written for these periods
(--periods keeps some of them):
` + report.KindPeriods() + `

Until the store holds events, and the agency directory the province the
reports are written for, a pass writes nothing, says at info level what it
waits for, and the next comes within seconds. With --once, reports due without
the province in the directory are an error.

Reports come only from complete data: a pass first reads the stream's last
sequence and writes nothing until the projector's durable consumer (--durable)
has acknowledged every event up to it (it acks only once ClickHouse has them);
while it is behind, the pass says by how many events and is tried again within
seconds. Each report names that sequence: in its files' metadata (a comment on
the Markdown's first line, a <meta name="baocao-as-of-seq"> in the HTML, a
custom document property of the workbook) and in the event's as_of_seq.

A written report is never left stale: when events arrive after the sequence it
names (late events, a backfill, a restart), the next pass regenerates it in
memory and, if its figures changed, rewrites and announces it again; if not,
nothing is rewritten or announced. --refresh regenerates every written report
of the lookback at each pass even without new events (after an upgrade that
changed the layout). Periods that end before the first event or begin after the
latest are never written, whatever --lookback says.

A report waits for its collection round (see "baocao contributions --help"):
while the deadline (--round-<kind>-deadline-days after the period) has not
passed and some asked agency's part is not in, it is not written; --partial
writes it marked "Báo cáo tạm: còn N đơn vị chưa gửi nội dung", and rewrites it
without the mark once every part is in or the deadline passes.`,
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
			so.progress(js, g.stream.Name, durable)
			return so.loop(ctx, g, js, st, once, nil)
		},
	}
	f := cmd.Flags()
	o.flags(f)
	so.flags(f)
	f.BoolVar(&once, "once", false, "run one pass and exit")
	f.StringVar(&durable, "durable", consumers.DefaultDurable, "the projector's durable consumer, whose acknowledgements say the data are complete")
	return cmd
}

// scheduleOptions are the report schedule's settings, shared by "schedule"
// and "up".
type scheduleOptions struct {
	s              report.Schedule
	kinds, formats string
	periods        string
	interval       time.Duration
	doc            documentOptions
	round          roundOptions
}

func (so *scheduleOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&so.kinds, "kinds", "procedure_control,reform", "report kinds, comma-separated")
	f.StringVar(&so.periods, "periods", "", "period kinds to write, comma-separated: month, quarter, half_year, year (default every one each kind is made for)")
	f.StringVar(&so.formats, "format", "md,html,xlsx", "formats, comma-separated: md, html, xlsx")
	f.StringVar(&so.s.Cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&so.s.Dir, "out", "", "output folder of reports (default <data>/reports)")
	f.DurationVar(&so.s.Grace, "grace", 72*time.Hour, "wait after a period's last day before its report, for late events")
	f.DurationVar(&so.s.Lookback, "lookback", 400*24*time.Hour, "periods that ended longer ago are not generated")
	f.BoolVar(&so.s.Refresh, "refresh", false, "regenerate every written report at each pass even without new events (layout upgrades); unchanged files stay as they are")
	f.StringVar(&so.s.Agency, "agency", "", "code of the reporting agency in the events; default: the province")
	f.DurationVar(&so.interval, "interval", time.Hour, "time between passes")
	f.BoolVar(&so.s.Partial, "partial", false, "write a report whose collection round is still open (before its deadline, parts missing), marked \"Báo cáo tạm\"; it is rewritten without the mark once the round closes")
	so.doc.flags(f)
	so.round.flags(f)
}

// prepare checks the settings and fills the defaults that depend on others.
func (so *scheduleOptions) prepare(dataDir string) error {
	var err error
	if so.s.Kinds, err = parseKinds(so.kinds); err != nil {
		return err
	}
	if so.periods != "" {
		so.s.PeriodKinds = nil
		for _, pk := range strings.Split(so.periods, ",") {
			pk = strings.TrimSpace(pk)
			if !slices.Contains([]string{report.Month, report.Quarter, report.HalfYear, report.NineMonths, report.Year}, pk) {
				return fmt.Errorf("--periods: %q: want month, quarter, half_year, nine_months or year", pk)
			}
			so.s.PeriodKinds = append(so.s.PeriodKinds, pk)
		}
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
	if so.s.Layouts, err = so.doc.layouts(); err != nil {
		return err
	}
	rounds, err := so.round.rounds(so.s.Layouts)
	so.s.Rounds = rounds
	return err
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

// progress makes the schedule read the projector's progress on the stream.
func (so *scheduleOptions) progress(js jetstream.JetStream, streamName, durable string) {
	so.s.Progress = func(ctx context.Context) (uint64, uint64, error) {
		p, err := consumers.ReadProgress(ctx, js, streamName, durable)
		return p.StreamSeq, p.Behind, err
	}
}

// scheduleMetrics count the scheduler's work for /metrics.
type scheduleMetrics struct {
	generated prometheus.Counter
	failures  prometheus.Counter
	lastPass  prometheus.Gauge
	passTime  prometheus.Gauge
	behind    prometheus.Gauge
	asOf      prometheus.Gauge
}

func newScheduleMetrics(reg prometheus.Registerer) *scheduleMetrics {
	m := &scheduleMetrics{
		generated: prometheus.NewCounter(prometheus.CounterOpts{Name: "baocao_reports_generated_total", Help: "Reports written and announced, new or changed."}),
		failures:  prometheus.NewCounter(prometheus.CounterOpts{Name: "baocao_schedule_failures_total", Help: "Schedule passes that stopped on an error."}),
		lastPass:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "baocao_schedule_last_pass_timestamp_seconds", Help: "Unix time of the last schedule pass that finished without error."}),
		passTime:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "baocao_schedule_last_pass_seconds", Help: "How long the last schedule pass took."}),
		behind:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "baocao_schedule_projector_behind_events", Help: "Events the projector had yet to acknowledge at the last pass; while not 0 no report is written."}),
		asOf:      prometheus.NewGauge(prometheus.GaugeOpts{Name: "baocao_schedule_as_of_seq", Help: "Stream sequence the projections had caught up with at the last pass."}),
	}
	reg.MustRegister(m.generated, m.failures, m.lastPass, m.passTime, m.behind, m.asOf)
	return m
}

// waitingFor says at info level what a pass that could write nothing
// waits for.
func waitingFor(missing error) string {
	if errors.Is(missing, report.ErrNoProvince) {
		return "reports wait for the agency directory: no agency of level province yet (an agency.created event); trying again soon"
	}
	return "reports wait for events: the store holds none yet; trying again soon after they arrive"
}

// behindRetry is how soon a pass that found the projector behind is tried
// again, when the interval is longer: a backfill's reports are written
// within seconds of its last event, not an interval later.
const behindRetry = 5 * time.Second

// loop runs schedule passes every interval until ctx ends (or once),
// announcing each new or changed report through a producer. A failed pass
// (the store or NATS gone for a moment, a failover) ends only a --once run;
// otherwise it is logged, counted in the metrics (in "up") and retried,
// within seconds at first and then less often, up to the interval.
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
			log.Info("report generated", "report", e.SubjectID, "event", e.ID, "as_of_seq", e.Payload.(events.ReportGenerated).AsOfSeq, "outcome", r.Outcome)
			return nil
		}
		return r.Err
	}
	var missing error // what the last pass waited for, logged once
	failures := 0     // passes failed in a row
	for {
		start := time.Now()
		pass, err := so.s.Run(ctx, st, start, publish)
		took := time.Since(start)
		for _, r := range pass.Written {
			if m != nil {
				m.generated.Inc()
			} else {
				fmt.Fprintln(g.stdout, r.Key()) // "schedule" lists what it wrote
			}
		}
		wait := so.interval
		switch {
		case err != nil && once:
			return err
		case ctx.Err() != nil: // stopped (SIGTERM) during the pass: what it had not written yet is written at the next start
			return nil
		case err != nil:
			failures++
			if m != nil {
				m.failures.Inc()
			}
			wait = min(wait, behindRetry<<min(failures-1, 6))
			log.Error("schedule pass failed; trying again", "err", err, "retry_in", wait, "failed_in_a_row", failures)
		case pass.Behind > 0:
			wait = min(wait, behindRetry)
			log.Warn(fmt.Sprintf("projector behind: %d events; no report written", pass.Behind), "behind", pass.Behind, "stream_seq", pass.AsOf, "retry_in", wait)
		case errors.Is(pass.Missing, report.ErrNoProvince) && once:
			return fmt.Errorf("schedule: reports are due but %w; publish the agency directory (baocao agencies --help)", pass.Missing)
		case pass.Missing != nil:
			// A fresh "up": the first events or the directory are on their
			// way; look again soon rather than at the next interval.
			wait = min(wait, behindRetry)
			if !errors.Is(pass.Missing, missing) {
				log.Info(waitingFor(pass.Missing), "retry_every", wait)
			}
		default:
			log.Info("schedule pass", "as_of_seq", pass.AsOf, "written", len(pass.Written), "checked_unchanged", len(pass.Checked), "waiting", len(pass.Waiting), "took", took.Round(time.Millisecond))
		}
		for _, w := range pass.Waiting {
			log.Info("report waits for its collection round (--partial writes it now)", "report", w.Request.Key(), "agencies_missing", w.Outstanding, "deadline", w.Deadline.Format(time.DateOnly))
		}
		for key, us := range pass.Unplaced {
			for _, u := range us {
				log.Warn("report written without a part its outline has no place for", "report", key, "part", u.String())
			}
		}
		for key, n := range pass.Incomplete {
			log.Warn("report written after its round's deadline with parts missing (baocao contributions lists them)", "report", key, "agencies_missing", n)
		}
		if err == nil {
			missing, failures = pass.Missing, 0
		}
		if m != nil && err == nil {
			m.lastPass.SetToCurrentTime()
			m.passTime.Set(took.Seconds())
			m.behind.Set(float64(pass.Behind))
			m.asOf.Set(float64(pass.AsOf))
		}
		if once {
			return nil
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}
