package main

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

func newSQLCmd(g *globals) *cobra.Command {
	var (
		o      storeOptions
		format string
	)
	cmd := &cobra.Command{
		Use:   "sql [QUERY]",
		Short: "Run a SQL query on the projections and the report views",
		Long: `Sql runs one query (the argument, or standard input) on the configured engine
and prints the result: an aligned table for reading, or TSV / CSV with a header
line for other tools. The database is migrated first, so the views of
queries/ are there. With the embedded engine only one process can open the
data directory: stop consume first, or query a server.`,
		Example: `  baocao sql "SELECT * FROM baocao.dossier_form_by_agency WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 1"
  baocao sql --format csv < my-query.sql > result.csv`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			write, ok := resultWriters[format]
			if !ok {
				return fmt.Errorf("--format %q: want table, tsv or csv", format)
			}
			query := ""
			if len(args) == 1 {
				query = args[0]
			} else {
				b, err := io.ReadAll(g.stdin)
				if err != nil {
					return err
				}
				query = string(b)
			}
			if strings.TrimSpace(query) == "" {
				return fmt.Errorf("no query: give it as the argument or on standard input")
			}
			ctx := cmd.Context()
			s, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			res, err := s.Query(ctx, query)
			if err != nil {
				return err
			}
			return write(g.stdout, res.Columns, res.Rows)
		},
	}
	o.flags(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "table", "output: table, tsv or csv")
	return cmd
}

var resultWriters = map[string]func(io.Writer, []string, [][]string) error{
	"table": func(w io.Writer, cols []string, rows [][]string) error {
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, strings.Join(cols, "\t"))
		for _, r := range rows {
			fmt.Fprintln(tw, strings.Join(r, "\t"))
		}
		return tw.Flush()
	},
	"tsv": func(w io.Writer, cols []string, rows [][]string) error {
		esc := strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n")
		for _, r := range append([][]string{cols}, rows...) {
			for i, v := range r {
				r[i] = esc.Replace(v)
			}
			if _, err := fmt.Fprintln(w, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	},
	"csv": func(w io.Writer, cols []string, rows [][]string) error {
		cw := csv.NewWriter(w)
		cw.Write(cols)
		cw.WriteAll(rows)
		return cw.Error()
	},
}
