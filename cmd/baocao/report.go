package main

import (
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/report"
)

func newReportCmd(g *globals) *cobra.Command {
	var (
		o                            storeOptions
		do                           documentOptions
		kind, period, cutoff, format string
		out                          string
	)
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Generate a periodic report from the projections",
		Long: `Report writes one periodic report, in Vietnamese, from the report views:
  procedure_control  the TTHC-control report of Thông tư 01/2020 (quarters, year),
                     and the monthly one of letter 5633/VPCP-KSTT
  reform             the administrative-reform report (six months, year), like seed 004
as Markdown, self-contained HTML with charts, and XLSX with one sheet per form,
into <out>/<kind>/<period>-<cutoff>.<format>. The official cut-off (Nghị định
09/2019: 15th to 14th) is the default. The same events give byte-identical files.

Each kind is made for these periods; any other --kind × --period is refused:
` + report.KindPeriods() + `

A report is written only from data: a period without events, a data folder
that does not exist, or an agency directory without the reporting province
is an error (exit 2) naming what is missing, never a document of zeros.

The sections of each kind follow its outline (report/outlines/<kind>.yaml,
embedded); --document-<kind>-outline FILE replaces it with the province's own
(rename, reorder, add or drop sections). The --document-* settings give the
header and footer: number line, place and date, Kính gửi, the basis documents
of the opening, Nơi nhận, the signer. The procedure_control report carries the
forms of Thông tư 01/2020 (Biểu 06, II.06a, II.07b) in the layouts of
report/forms/forms.yaml; --document-forms FILE corrects them (codes, titles,
headings: the circular's appendix could not be checked word for word).`,
		Example: `  baocao report --kind reform --period 2024-H1
  baocao report --kind procedure_control --period 2024-M05
  baocao report --kind procedure_control --period 2024-Q2 --format html --out /srv/reports`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if period == "" { // checked here, not by cobra, so BAOCAO_PERIOD counts
				return fmt.Errorf("--period is required: 2024-Q2, 2024-H1, 2024-9M, 2024 or 2024-M03")
			}
			k, err := report.ParseKind(kind)
			if err != nil {
				return err
			}
			p, err := report.ParsePeriod(period, cutoff)
			if err != nil {
				return err
			}
			if err := k.Allows(p); err != nil {
				return err
			}
			formats, err := report.ParseFormats(format)
			if err != nil {
				return err
			}
			layouts, err := do.layouts()
			if err != nil {
				return err
			}
			out = reportsDir(out, o.dataDir)
			ctx := cmd.Context()
			s, err := o.openExistingMigrated(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			start := time.Now()
			files, unplaced, err := report.GenerateWithUnplaced(ctx, s, o.db, report.Request{Kind: k, Period: p, Formats: formats, Dir: out, Layouts: layouts})
			for _, f := range files {
				fmt.Fprintf(g.stdout, "%s\t%d bytes\tsha256 %s\n", filepath.Join(out, f.Path), f.Bytes, f.SHA256)
			}
			if err != nil {
				return err
			}
			for _, u := range unplaced {
				fmt.Fprintf(g.stderr, "warning: not in the report: %s\n", u)
			}
			fmt.Fprintf(g.stderr, "%s %s (%s – %s) in %s\n", k, p.Label(), report.Date(p.Start()), report.Date(p.End()), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f)
	do.flags(f)
	f.StringVar(&kind, "kind", string(report.Reform), "report kind: procedure_control or reform")
	f.StringVar(&period, "period", "", "period: 2024-Q2, 2024-H1, 2024-9M, 2024 or 2024-M03")
	f.StringVar(&cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	f.StringVar(&format, "format", "md,html,xlsx", "formats, comma-separated: md, html, xlsx")
	f.StringVar(&out, "out", "", "output folder (default <data>/reports, where \"baocao up\" shows them)")
	return cmd
}
