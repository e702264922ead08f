package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/stream"
)

// newNationalCmd is the national roll-up: configuration for the Government
// Office's NATS server and each province's, the national stream, and the
// national report. The logic is in stream (national.go) and report.
func newNationalCmd(g *globals) *cobra.Command {
	nc := stream.DefaultNationalConfig()
	cmd := &cobra.Command{
		Use:   "national",
		Short: "The national roll-up: provinces' streams sourced by the Government Office",
		Long: `National sets up the roll-up of every province's events at the national level
(the Government Office): each province keeps its own baocao; its NATS server
connects out, as a leaf node, to the national NATS server, whose stream
BAOCAO_NATIONAL sources the province's BAOCAO_EVENTS through the province's
JetStream domain (its province token, e.g. H23). NATS carries the events; no
baocao process is in the path, and a province that was offline is caught up
when its connection returns.

  server-conf    the national nats-server's configuration, with one leaf user
                 per province allowed only what sourcing needs
  province-conf  the leaf-node block a province adds to its nats-server
  streams        create or update BAOCAO_NATIONAL with one source per province
  report         the national report: Biểu 06 by province, with the national total

The national projector is "baocao consume --stream BAOCAO_NATIONAL" into its
own database (--db). See README "How a province joins the national roll-up".`,
		Example: `  baocao national server-conf --province H23,H24 --passwords /etc/baocao/leaf > national.conf
  baocao national province-conf --province H23 --national-url nats-leaf://vpcp.example.vn:7422 --password-file H23.password
  baocao national streams --province H23,H24 --nats-url nats://127.0.0.1:4222 --nats-user admin
  baocao national report --period 2024-Q2 --db national --clickhouse-addr 127.0.0.1:9000`,
	}
	pf := cmd.PersistentFlags()
	pf.StringSliceVar(&nc.Provinces, "province", nil, "province tokens (the last token of the province's agency code, e.g. H23), comma-separated")
	pf.StringVar(&nc.Stream, "national-stream", nc.Stream, "the national stream")
	pf.StringVar(&nc.Domain, "national-domain", nc.Domain, "the national server's JetStream domain")

	var listen, leafListen, storeDir, passwords, adminPassword string
	server := &cobra.Command{
		Use:   "server-conf",
		Short: "Print the national nats-server's configuration",
		Long: `Server-conf prints the configuration of the national NATS server: JetStream
with the national domain, the client and leaf-node listeners, and in account
NATIONAL the admin user and one leaf user per province (leaf-<token>, allowed
to connect only as a leaf node). A leaf user may receive only the JetStream
calls that create and look up the source consumer on its province's stream
and flow-control replies, and send only its province's deliveries and API
replies. Each province's password is read from --passwords/<token>.password,
created at random if missing; the configuration holds bcrypt hashes only.
Serve the leaf listener with TLS in production (add a tls block).`,
		Example: `  baocao national server-conf --province H23,H24 --passwords /etc/baocao/leaf --store-dir /data/jetstream > national.conf`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(nc.Provinces) == 0 {
				return fmt.Errorf("--province: give at least one province token, e.g. H23")
			}
			if adminPassword == "" {
				return fmt.Errorf("--admin-password: required (prefer BAOCAO_ADMIN_PASSWORD); a bcrypt hash is accepted")
			}
			pw, err := stream.LeafPasswords(passwords, nc.Provinces)
			if err != nil {
				return err
			}
			hashed, err := stream.HashPasswords(pw)
			if err != nil {
				return err
			}
			conf, err := nc.NationalServerConf(listen, leafListen, storeDir, adminPassword, hashed)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(g.stdout, conf)
			return err
		},
	}
	sf := server.Flags()
	sf.StringVar(&listen, "listen", "0.0.0.0:4222", "the national server's client address")
	sf.StringVar(&leafListen, "leaf-listen", "0.0.0.0:7422", "the national server's leaf-node address, which provinces connect to")
	sf.StringVar(&storeDir, "store-dir", "/data/jetstream", "JetStream's folder on the national server")
	sf.StringVar(&passwords, "passwords", "leaf-passwords", "folder of the provinces' leaf passwords (<token>.password)")
	sf.StringVar(&adminPassword, "admin-password", "", "the national admin's password (prefer BAOCAO_ADMIN_PASSWORD)")

	var nationalURL, passwordFile, account string
	province := &cobra.Command{
		Use:   "province-conf",
		Short: "Print the leaf-node block a province adds to its nats-server",
		Long: `Province-conf prints the leafnodes block that connects a province's NATS
server out to the national server, as leaf user leaf-<token> with the password
of --password-file (the file server-conf created for the province). The
province's server must also name its JetStream domain: add "domain: <token>"
to its jetstream block. The remote refuses, whatever the national server
allows, every event and dead-letter subject and the JetStream calls that would
change, purge or delete the province's streams. In operator mode give the
events account's public key as --account.`,
		Example: `  baocao national province-conf --province H23 --national-url nats-leaf://vpcp.example.vn:7422 --password-file H23.password >> nats.conf`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(nc.Provinces) != 1 {
				return fmt.Errorf("--province: give exactly one province token, e.g. H23")
			}
			b, err := os.ReadFile(passwordFile)
			if err != nil {
				return fmt.Errorf("--password-file: %w", err)
			}
			pw := strings.TrimSpace(string(b))
			if pw == "" {
				return fmt.Errorf("--password-file %s: empty", passwordFile)
			}
			conf, err := nc.ProvinceLeafConf(nc.Provinces[0], nationalURL, pw, account)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(g.stdout, conf)
			return err
		},
	}
	prf := province.Flags()
	prf.StringVar(&nationalURL, "national-url", "", "the national server's leaf-node address, nats-leaf://host:7422")
	prf.StringVar(&passwordFile, "password-file", "", "the province's leaf password, from the national office")
	prf.StringVar(&account, "account", "", "the province's account the leaf connection binds to (operator mode: the events account's public key)")

	streams := &cobra.Command{
		Use:   "streams",
		Short: "Create or update the national stream with one source per province",
		Long: `Streams creates BAOCAO_NATIONAL on the national server (--nats-url, as admin),
or updates its sources to --province: a province added is sourced from its
first event; running it twice is harmless.`,
		Example: `  BAOCAO_NATS_PASSWORD=… baocao national streams --province H23,H24 --nats-user admin`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn, js, err := g.connect("national streams", 1)
			if err != nil {
				return err
			}
			defer conn.Close()
			nc.Source, nc.Prefix = g.stream.Name, g.stream.Prefix
			s, action, changes, err := stream.ProvisionNational(cmd.Context(), js, nc)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "stream %s %s: %d source(s): %s\n", s.CachedInfo().Config.Name, action, len(nc.Provinces), strings.Join(nc.Provinces, ", "))
			for _, ch := range changes {
				fmt.Fprintf(g.stdout, "  changed: %s\n", ch)
			}
			return nil
		},
	}
	streams.Flags().IntVar(&nc.Replicas, "replicas", nc.Replicas, "replicas of the national stream (3 in a cluster)")

	var (
		o                      storeOptions
		period, cutoff, format string
		out                    string
	)
	rep := &cobra.Command{
		Use:   "report",
		Short: "Generate the national report from the national database",
		Long: `Report writes the national report of a period from the national database (the
projection of BAOCAO_NATIONAL): Biểu 06's columns by province as the provinces
were at the period's end, with the national total, and by today's provinces
when a merge (e.g. Hải Dương into Hải Phòng, 1/7/2025) moved one since, then
citizen feedback and plan tasks by today's provinces; into
<out>/national/<period>-<cutoff>.<format>, Markdown, HTML and XLSX. A
province's row equals its own report's figures.`,
		Example: `  baocao national report --period 2024-Q2 --db national
  baocao national report --period 2025 --cutoff calendar --format xlsx --out /srv/reports`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if period == "" {
				return fmt.Errorf("--period is required: 2024-Q2, 2024-H1, 2024-9M, 2024 or 2024-M03")
			}
			p, err := report.ParsePeriod(period, cutoff)
			if err != nil {
				return err
			}
			formats, err := report.ParseFormats(format)
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
			files, err := report.GenerateNational(ctx, s, o.db, report.Request{Period: p, Formats: formats, Dir: out})
			for _, f := range files {
				fmt.Fprintf(g.stdout, "%s\t%d bytes\tsha256 %s\n", filepath.Join(out, f.Path), f.Bytes, f.SHA256)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "national %s (%s – %s) in %s\n", p.Label(), report.Date(p.Start()), report.Date(p.End()), time.Since(start).Round(time.Millisecond))
			return nil
		},
	}
	rf := rep.Flags()
	o.flags(rf)
	rf.StringVar(&period, "period", "", "period: 2024-Q2, 2024-H1, 2024-9M, 2024 or 2024-M03")
	rf.StringVar(&cutoff, "cutoff", report.Official, "cut-off: official (15th to 14th) or calendar")
	rf.StringVar(&format, "format", "md,html,xlsx", "formats, comma-separated: md, html, xlsx")
	rf.StringVar(&out, "out", "", "output folder (default <data>/reports)")

	cmd.AddCommand(server, province, streams, rep)
	return cmd
}

// nationalJoin are up's settings that join its embedded NATS to the
// national roll-up, as province-conf does for a NATS server of its own.
type nationalJoin struct {
	url, passwordFile, province string
}

func (j *nationalJoin) flags(f *pflag.FlagSet) {
	f.StringVar(&j.url, "national-url", "", "join the national roll-up: the national server's leaf-node address, nats-leaf://host:7422 (embedded NATS)")
	f.StringVar(&j.passwordFile, "national-password-file", "", "the province's leaf password, from the national office")
	f.StringVar(&j.province, "national-province", "", "the province token (e.g. H23), the embedded NATS's JetStream domain")
}

// tweak is the embedded server's leaf connection to the national server,
// bound to account (the events account with credentials, else empty); nil
// when up does not join.
func (j nationalJoin) tweak(sc stream.Config, account string) (func(*server.Options), error) {
	if j.url == "" && j.passwordFile == "" && j.province == "" {
		return nil, nil
	}
	if j.url == "" || j.passwordFile == "" || j.province == "" {
		return nil, fmt.Errorf("--national-url, --national-password-file and --national-province go together")
	}
	b, err := os.ReadFile(j.passwordFile)
	if err != nil {
		return nil, fmt.Errorf("--national-password-file: %w", err)
	}
	nc := stream.DefaultNationalConfig()
	nc.Source, nc.Prefix = sc.Name, sc.Prefix
	return nc.ProvinceRemote(j.province, j.url, strings.TrimSpace(string(b)), account)
}

// eventsAccount is the public key of the events account of the authority in
// dir, the account the province's stream lives in.
func eventsAccount(dir string) (string, error) {
	a, err := natsauth.Open(dir)
	if err != nil {
		return "", err
	}
	return a.AccountPublicKey(), nil
}
