package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/web"
)

func newSQLCmd(g *globals) *cobra.Command {
	var (
		o         storeOptions
		ao        analystOptions
		format    string
		serverURL string
		hc        httpClientOptions
	)
	cmd := &cobra.Command{
		Use:   "sql [QUERY]",
		Short: "Run a SQL query on the projections and the report views",
		Long: `Sql runs one query (the argument, or standard input) and prints the result: an
aligned table for reading, or TSV / CSV / JSON for other tools.

Where the query goes:
  --server URL         the read-only /sql endpoint of a running "baocao up" or
                       "baocao serve" (reads only)
  --clickhouse-addr    a ClickHouse server
  otherwise            embedded chDB in --data; while "baocao up" runs on that
                       folder, through its HTTP server (chDB allows one process)
The database is migrated first when opened directly, so the views of queries/
are there. Every way, the engine runs the query read-only (readonly = 1) and
within the --sql-* limits.

A server that asks for a login (one listening beyond loopback) takes an
analyst's token: --http-token, or better BAOCAO_HTTP_TOKEN, which no other
user of the machine sees in the process list ("baocao users add").`,
		Example: `  baocao sql "SELECT * FROM baocao.dossier_form_by_agency WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 1"
  baocao sql --format csv < my-query.sql > result.csv
  baocao sql --server http://127.0.0.1:8080 --format json "SELECT count() FROM baocao.events"
  BAOCAO_HTTP_TOKEN=bct_… baocao sql --server https://baocao.example.vn "SELECT 1"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "table" && web.Formats[format] == "" {
				return fmt.Errorf("--format %q: want table, tsv, csv or json", format)
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
			if serverURL == "" && o.embedded() {
				if b, err := os.ReadFile(serverURLFile(o.dataDir)); err == nil {
					serverURL = strings.TrimSpace(string(b))
					err := hc.query(ctx, serverURL, query, format, g.stdout)
					if !errors.Is(err, syscall.ECONNREFUSED) {
						return err
					}
					serverURL = "" // left by an "up" that is gone: open the folder
				}
			}
			if serverURL != "" {
				return hc.query(ctx, serverURL, query, format, g.stdout)
			}
			s, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			// the forms read dossier_totals: bring it up to date first
			if _, err := schema.Refresh(ctx, s, o.db, false); err != nil {
				return err
			}
			an, err := ao.open(ctx, s) // read-only and within limits, as /sql
			if err != nil {
				return err
			}
			defer an.Close()
			if format != "table" { // streamed: a large result is never held whole
				rw, err := web.NewResultWriter(g.stdout, format)
				if err != nil {
					return err
				}
				if err := store.QueryStream(ctx, an, query, rw); err != nil {
					if rw.Started() {
						rw.Fail(err)
					}
					return err
				}
				return rw.Close()
			}
			res, err := an.Query(ctx, query) // a table needs every row for its widths
			if err != nil {
				return err
			}
			return writeResult(g.stdout, format, res)
		},
	}
	o.flags(cmd.Flags())
	ao.flags(cmd.Flags())
	cmd.Flags().StringVar(&format, "format", "table", "output: table, tsv, csv or json")
	cmd.Flags().StringVar(&serverURL, "server", "", "URL of a running baocao up/serve to query (read-only)")
	cmd.Flags().StringVar(&hc.token, "http-token", "", "an analyst's token for a server that asks for a login (prefer BAOCAO_HTTP_TOKEN)")
	cmd.Flags().StringVar(&hc.ca, "http-tls-ca", "", "PEM certificate(s) to trust for an https server (one with its own certificate)")
	return cmd
}

func writeResult(w io.Writer, format string, res *store.Result) error {
	if format != "table" {
		return web.WriteResult(w, format, res)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(res.Columns, "\t"))
	for _, r := range res.Rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

// httpClientOptions say how to reach a baocao HTTP server: the token sent
// as Bearer, the certificates trusted.
type httpClientOptions struct{ token, ca string }

func (h httpClientOptions) client() (*http.Client, error) {
	if h.ca == "" {
		return http.DefaultClient, nil
	}
	pem, err := os.ReadFile(h.ca)
	if err != nil {
		return nil, fmt.Errorf("--http-tls-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("--http-tls-ca %s: no PEM certificate in it", h.ca)
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = &tls.Config{RootCAs: pool}
	return &http.Client{Transport: t}, nil
}

// query runs the query on a baocao HTTP server's /sql endpoint and prints
// the result; a table is built from its TSV.
func (h httpClientOptions) query(ctx context.Context, base, query, format string, w io.Writer) error {
	want := format
	if format == "table" {
		want = "tsv"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/sql?format="+url.QueryEscape(want), strings.NewReader(query))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	if h.token != "" {
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(h.token))
	}
	client, err := h.client()
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("baocao server at %s: %w", base, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		msg := strings.TrimSpace(string(b))
		switch {
		case resp.StatusCode == http.StatusUnauthorized && h.token == "":
			msg += ": give an analyst's token in BAOCAO_HTTP_TOKEN (or --http-token)"
		case resp.StatusCode == http.StatusUnauthorized:
			msg += ": the token given (BAOCAO_HTTP_TOKEN or --http-token) is not, or no longer, in the server's users file"
		}
		return fmt.Errorf("baocao server at %s: %s", base, msg)
	}
	if format != "table" {
		_, err := io.Copy(w, resp.Body)
		return err
	}
	res := &store.Result{}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if res.Columns == nil {
			res.Columns = fields
			continue
		}
		res.Rows = append(res.Rows, fields)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return writeResult(w, "table", res)
}
