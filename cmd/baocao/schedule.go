package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
)

func newScheduleCmd(g *globals) *cobra.Command {
	var (
		o              storeOptions
		s              report.Schedule
		kinds, formats string
		interval       time.Duration
		once           bool
	)
	cmd := &cobra.Command{
		Use:   "schedule",
		Short: "Generate every periodic report once its period has closed",
		Long: `Schedule generates each report (procedure_control for quarters and years,
reform for six months and years) once its period has ended and --grace has
passed, into <out>/<kind>/<period>-<cutoff>.<format>, and publishes a
report.generated event naming the files and their SHA-256. It checks again
every --interval; with --once it runs one pass and exits.

A report already in the folder is not generated again unless --refresh is set;
then late events reach it, unchanged figures leave the files byte-identical and
publish nothing, and changed ones are rewritten and announced again.`,
		Example: `  baocao schedule --once
  baocao schedule --grace 72h --interval 1h --out /srv/reports`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := g.logger()
			var err error
			for _, k := range strings.Split(kinds, ",") {
				kind, err := report.ParseKind(strings.TrimSpace(k))
				if err != nil {
					return err
				}
				s.Kinds = append(s.Kinds, kind)
			}
			if s.Formats, err = report.ParseFormats(formats); err != nil {
				return err
			}
			if s.Cutoff != report.Official && s.Cutoff != report.Calendar {
				return fmt.Errorf("--cutoff %q: want official or calendar", s.Cutoff)
			}
			nc, js, err := g.connect("schedule", 16)
			if err != nil {
				return err
			}
			defer nc.Close()
			p, err := producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name})
			if err != nil {
				return err
			}
			defer closeProducer(context.WithoutCancel(ctx), p)
			st, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			s.DB = o.db
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
				done, err := s.Run(ctx, st, start, publish)
				for _, r := range done {
					fmt.Fprintf(g.stdout, "%s\n", r.Key())
				}
				if err != nil {
					return err
				}
				log.Info("schedule pass", "generated", len(done), "took", time.Since(start).Round(time.Millisecond))
				if once {
					return nil
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(interval):
				}
			}
		},
	}
	f := cmd.Flags()
	o.flags(f)
	f.StringVar(&kinds, "kinds", "procedure_control,reform", "report kinds, comma-separated")
	f.StringVar(&formats, "format", "md,html,xlsx", "formats, comma-separated: md, html, xlsx")
	f.StringVar(&s.Cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&s.Dir, "out", "reports", "output folder")
	f.DurationVar(&s.Grace, "grace", 72*time.Hour, "wait after a period's last day before its report, for late events")
	f.DurationVar(&s.Lookback, "lookback", 400*24*time.Hour, "periods that ended longer ago are not generated")
	f.BoolVar(&s.Refresh, "refresh", false, "regenerate reports already written (late events); unchanged ones stay identical")
	f.StringVar(&s.Agency, "agency", "", "code of the reporting agency in the events; default: the province")
	f.DurationVar(&interval, "interval", time.Hour, "time between passes")
	f.BoolVar(&once, "once", false, "run one pass and exit")
	return cmd
}
