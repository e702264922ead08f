package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
)

// roundOptions are the collection rounds of agencies' contributions
// (--round-<kind>-*), shared by contributions, schedule, up and serve. In
// the config file:
//
//	round:
//	  reform:
//	    asked: [department, district]          # levels and/or agency codes
//	    deadline-days: 4
//	    section: ["results.institutions=000.00.31.H23"]
type roundOptions struct {
	kinds map[report.Kind]*kindRound
}

type kindRound struct {
	asked    []string
	deadline int
	sections []string
}

func (ro *roundOptions) flags(f *pflag.FlagSet) {
	ro.kinds = map[report.Kind]*kindRound{}
	def := contributions.DefaultRound()
	for _, k := range []report.Kind{report.Reform, report.ProcedureControl} {
		kr := &kindRound{}
		ro.kinds[k] = kr
		prefix := "round-" + strings.ReplaceAll(string(k), "_", "-") + "-"
		f.StringSliceVar(&kr.asked, prefix+"asked", def.Asked, "who is asked for a part of the "+string(k)+" report: levels (department, district, commune) and agency codes, comma-separated")
		f.IntVar(&kr.deadline, prefix+"deadline-days", def.DeadlineDays, "parts of the "+string(k)+" report are due by the end of this many days after the period's last day")
		f.StringArrayVar(&kr.sections, prefix+"section", nil, `a section of the `+string(k)+` report and the agencies responsible for it, "section=code[,code…]" (repeatable); they owe it besides the report as a whole`)
	}
}

// rounds reads the settings and checks them against the outlines.
func (ro *roundOptions) rounds(layouts report.Layouts) (contributions.Rounds, error) {
	out := contributions.Rounds{}
	for k, kr := range ro.kinds {
		r := contributions.Round{Asked: kr.asked, DeadlineDays: kr.deadline}
		flag := "--round-" + strings.ReplaceAll(string(k), "_", "-")
		for _, s := range kr.sections {
			a, err := contributions.ParseAssignment(s)
			if err != nil {
				return nil, fmt.Errorf("%s-section %w", flag, err)
			}
			r.Sections = append(r.Sections, a)
		}
		if err := r.Check(layouts.For(k).Outline); err != nil {
			return nil, fmt.Errorf("%s-*: %w", flag, err)
		}
		out[k] = r
	}
	return out, nil
}

func newContributionsCmd(g *globals) *cobra.Command {
	var (
		o                                storeOptions
		ro                               roundOptions
		doc                              documentOptions
		kind, period, cutoff, at, format string
	)
	cmd := &cobra.Command{
		Use:   "contributions --kind KIND --period PERIOD",
		Short: "Show the collection round of a report: who has sent their part, who is missing or late",
		Long: `Contributions shows where the collection round of a report stands: the
agencies asked for their part (--round-<kind>-asked: departments and districts
by default, from the agency directory at the period's end), the deadline
(--round-<kind>-deadline-days after the period's last day), and each agency's
part: submitted (when), missing, or late (submitted after the deadline, or
still missing after it). Every asked agency owes the report as a whole — any
contribution in force in any section answers it — and, for a section assigned
to it with --round-<kind>-section, that section. Then the agencies that have
not sent their part, and agencies not asked that contributed.

--at judges the states at another moment than now (2024-06-18, or RFC 3339).
--format text (default), json or csv. The exit status is 0 when every asked
agency's parts are in, 1 when some are not (the list says which), 2 when the
command could not run.`,
		Example: `  baocao contributions --kind reform --period 2024-H1
  baocao contributions --kind procedure_control --period 2024-Q2 --format csv > round.csv
  baocao contributions --kind reform --period 2024-H1 --round-reform-section results.institutions=000.00.31.H23`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			k, err := report.ParseKind(kind)
			if err != nil {
				return err
			}
			p, err := report.ParsePeriod(period, cutoff)
			if err != nil {
				return fmt.Errorf("--period: %w", err)
			}
			if err := k.Allows(p); err != nil {
				return fmt.Errorf("--period: %w", err)
			}
			when := time.Now()
			if at != "" {
				if when, err = parseMoment(at); err != nil {
					return fmt.Errorf("--at: %w", err)
				}
			}
			write := map[string]func(*contributions.Status) error{
				"text": func(s *contributions.Status) error { return s.WriteText(g.stdout) },
				"json": func(s *contributions.Status) error { return s.WriteJSON(g.stdout) },
				"csv":  func(s *contributions.Status) error { return s.WriteCSV(g.stdout) },
			}[format]
			if write == nil {
				return fmt.Errorf("--format %q: want text, json or csv", format)
			}
			layouts, err := doc.layouts()
			if err != nil {
				return err
			}
			rounds, err := ro.rounds(layouts)
			if err != nil {
				return err
			}
			st, err := o.openExistingMigrated(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			s, err := rounds.For(k).Load(ctx, st, o.db, k, p, when)
			if err != nil {
				return err
			}
			if err := write(s); err != nil {
				return err
			}
			if n := len(s.Outstanding()); n > 0 {
				return &partialError{fmt.Sprintf("%d agencies have not sent their part", n)}
			}
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f)
	ro.flags(f)
	doc.flags(f) // the outlines the assigned sections must belong to
	f.StringVar(&kind, "kind", string(report.Reform), "report kind: procedure_control or reform")
	f.StringVar(&period, "period", "", "period: 2024-Q2, 2024-H1, 2024-9M or 2024")
	f.StringVar(&cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&at, "at", "", "judge the states at this moment instead of now: 2024-06-18 or RFC 3339")
	f.StringVar(&format, "format", "text", "output: text, json or csv")
	return cmd
}

// parseMoment reads a date (its start, Vietnam time) or an RFC 3339 time.
func parseMoment(s string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, events.Vietnam); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want 2024-06-18 or 2024-06-18T17:00:00+07:00", s)
	}
	return t, nil
}
