package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
)

func newContributeCmd(g *globals) *cobra.Command {
	var agency, kind, period, cutoff, section, reason string
	var do documentOptions
	var figures []string
	var withdraw, dryRun bool
	cmd := &cobra.Command{
		Use:   "contribute --agency CODE --kind KIND --period PERIOD --section KEY [FILE.md]",
		Short: "Submit (or withdraw) an agency's part of a report section from a Markdown file",
		Long: `Contribute publishes a contribution.submitted event: the agency's text and
figures for one section of a report, read from a Markdown file in the subset
the event contract accepts — paragraphs separated by blank lines, bullets
"- ", **bold** and *italic*; no HTML, links, images, headings, code or tables.
Figures come from a front matter between two "---" lines at the top, one a
line, and from --figure, both written "name = value [unit] [| earlier period =
value]" with a dot for decimals. A later submission for the same section
replaces the earlier one; --withdraw removes it. Problems are reported with
the file's line.`,
		Example: `  baocao contribute --agency 000.00.31.H23 --kind reform --period 2024-H1 --section results.institutions.drafting stp.md
  baocao contribute --agency 000.00.31.H23 --kind reform --period 2024-H1 --section results.institutions.drafting --withdraw`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			k, err := report.ParseKind(kind)
			if err != nil {
				return err
			}
			p, err := report.ParsePeriod(period, cutoff)
			if err != nil {
				return err
			}
			if err := events.ValidAgencyCode(agency); err != nil {
				return fmt.Errorf("--agency: %w", err)
			}
			layouts, err := do.layouts()
			if err != nil {
				return err
			}
			// A key of the wrong shape is named by the event's validation; a
			// withdrawal may clear a part the outline no longer has.
			if err := layouts.For(k).Outline.TakesContributions(section); err != nil && !withdraw && report.KeySyntax.MatchString(section) {
				return fmt.Errorf("--section: %w", err)
			}
			slot := contributions.Slot{Kind: k, Period: p, Section: section}
			switch {
			case withdraw && len(args) > 0:
				return fmt.Errorf("--withdraw takes no file")
			case !withdraw && len(args) == 0:
				return fmt.Errorf("a Markdown file is required (or --withdraw)")
			}
			// A whole second, so this contribution and the next are ordered.
			now, err := contributions.NextSecond(cmd.Context())
			if err != nil {
				return err
			}
			var e events.Event
			switch {
			case withdraw:
				e, err = contributions.Withdrawal(agency, slot, reason, now, now)
			default:
				f, err := os.Open(args[0])
				if err != nil {
					return err
				}
				d, err := contributions.ParseMarkdown(args[0], f)
				f.Close()
				if err != nil {
					return err
				}
				for _, s := range figures {
					fig, err := contributions.ParseFigure(s)
					if err != nil {
						return fmt.Errorf("--figure: %w", err)
					}
					d.Figures = append(d.Figures, fig)
				}
				e, err = contributions.Submission(agency, slot, d, now, now)
			}
			if err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintf(g.stdout, "%s %s valid (dry run, nothing published)\n", e.Type, e.SubjectID)
				return nil
			}
			nc, js, err := g.connect("contribute", 1)
			if err != nil {
				return err
			}
			defer nc.Close()
			pr, err := producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name})
			if err != nil {
				return err
			}
			defer pr.Close(cmd.Context())
			r := pr.Publish(cmd.Context(), e)
			if r.Outcome != producers.Published && r.Outcome != producers.Duplicate {
				return fmt.Errorf("%s %s: %v: %w", e.Type, e.SubjectID, r.Outcome, r.Err)
			}
			fmt.Fprintf(g.stdout, "%s %s %s (event %s)\n", e.Type, e.SubjectID, r.Outcome, e.ID)
			return nil
		},
	}
	f := cmd.Flags()
	do.flags(f)
	f.StringVar(&agency, "agency", "", "code of the contributing agency, e.g. 000.00.31.H23")
	f.StringVar(&kind, "kind", string(report.Reform), "report kind: procedure_control or reform")
	f.StringVar(&period, "period", "", "period: 2024-Q2, 2024-H1, 2024-9M, 2024 or 2024-M03")
	f.StringVar(&cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&section, "section", "", "section key of the report's outline, e.g. results.institutions.drafting; checked against the outline (--document-<kind>-outline)")
	f.StringArrayVar(&figures, "figure", nil, `a figure "name = value [unit] [| earlier period = value]" (repeatable)`)
	f.BoolVar(&withdraw, "withdraw", false, "withdraw the agency's contribution to the section instead")
	f.StringVar(&reason, "reason", "", "why it is withdrawn (with --withdraw)")
	f.BoolVar(&dryRun, "dry-run", false, "validate only; do not connect to NATS")
	return cmd
}
