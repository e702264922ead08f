package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/bench"
)

func newBenchCmd(g *globals) *cobra.Command {
	cfg := bench.DefaultConfig()
	var engines, phases, jsonOut string
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure the pipeline against what JetStream and ClickHouse alone can do",
		Long: `Bench measures, on this machine and the same simulated events: the ceilings
(JetStream publish, JetStream publish and consume, ClickHouse insert without
NATS), the product end to end (publish → projected and queryable) on each
engine with the CPU time and peak memory of its processes, freshness at a
steady rate, rebuild, and the six-month report over a province-year. It
starts what it needs: NATS embedded, Debian's clickhouse-server 18.16, and
this binary's consume, up and rebuild as their own processes. The results
come as a Markdown table (BENCHMARKS.md); --json writes them for machines.

--engines clickhouse-18.16-cluster runs the same phases on a ClickHouse
cluster of 2 shards × 2 replicas of 18.16 with a ZooKeeper (Debian's
zookeeper package), all on this machine: the CPU per event beside one
server's, and how evenly the shards share the events.

The full run takes about 32 minutes on 2 cores and 15 GB of memory; its
working folder (--dir) keeps the loaded province-year, so a second run of the
same size skips loading it (13 minutes).`,
		Example: `  baocao bench                                                 # the full run of BENCHMARKS.md
  baocao bench --events 100000 --fresh-for 10s --report-dossiers 100000   # a quick look
  baocao bench --engines chdb-26.5 --phases report             # one figure again
  baocao bench --engines clickhouse-18.16,clickhouse-18.16-cluster --phases e2e,report   # one server and a cluster`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg.Engines, cfg.Phases = splitList(engines), splitList(phases)
			exe, err := os.Executable()
			if err != nil {
				return err
			}
			cfg.Command = func(args ...string) []string { return append([]string{exe}, args...) }
			cfg.OpenEmbedded = openEmbedded
			cfg.Progress = g.stderr
			cfg.Log = g.logger()
			results, err := bench.Run(cmd.Context(), cfg)
			bench.Table(g.stdout, results)
			if jsonOut != "" && len(results) > 0 {
				data, jerr := json.MarshalIndent(results, "", "  ")
				if jerr == nil {
					jerr = os.WriteFile(jsonOut, data, 0o644)
				}
				if err == nil {
					err = jerr
				}
			}
			return err
		},
	}
	f := cmd.Flags()
	f.IntVar(&cfg.Events, "events", cfg.Events, "events of the ceilings, the end-to-end run and the rebuild")
	f.IntVar(&cfg.FreshRate, "fresh-rate", cfg.FreshRate, "events per second of the freshness run")
	f.DurationVar(&cfg.FreshFor, "fresh-for", cfg.FreshFor, "length of the freshness run")
	f.IntVar(&cfg.ReportDossiers, "report-dossiers", cfg.ReportDossiers, "dossiers of the province-year the reports are timed on")
	f.IntVar(&cfg.ReportRuns, "report-runs", cfg.ReportRuns, "times each report is timed")
	f.StringVar(&engines, "engines", strings.Join(cfg.Engines, ","), "engines: clickhouse-18.16 (started by the bench), clickhouse-18.16-cluster (2 shards × 2 replicas and ZooKeeper, started by the bench), chdb-26.5")
	f.StringVar(&phases, "phases", "", "phases (default all): ceilings, e2e, freshness, rebuild, peer, report")
	f.StringVar(&cfg.Dir, "dir", filepath.Join(os.TempDir(), "baocao-bench"), "working folder: servers' data, logs, the loaded province-year")
	f.StringVar(&cfg.Benthos, "benthos", "", "Benthos v4.27.0 binary to compare with (scripts/build-benthos builds it)")
	f.BoolVar(&cfg.Profile, "profile", false, "save a CPU profile of consume during the end-to-end run on the server, in --dir")
	f.StringVar(&jsonOut, "json", "", "also write the results as JSON to this file")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
