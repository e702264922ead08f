package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/web"
)

func newConsumeCmd(g *globals) *cobra.Command {
	var o storeOptions
	cfg := consumers.Config{}
	var (
		metricsAddr  string
		metricsTLS   tlsFlags
		profiles     bool
		refreshEvery time.Duration
	)
	cmd := &cobra.Command{
		Use:   "consume",
		Short: "Project the events stream into ClickHouse",
		Long: `Consume reads the events stream through a durable pull consumer and projects
it into ClickHouse (a server with --clickhouse-addr, else embedded chDB),
applying the schema first. Batches are inserted when full by count or bytes or
after --batch-wait, and acked only once ClickHouse has them; while an insert
fails (server down, disk full, read-only folder) nothing is acked and it is
retried with backoff, and a deleted consumer is created again: consume never
exits on a fault. Events that cannot be projected go to the dead-letter stream
and table with the reason.

Run several consume processes with the same --durable to share the work. The
first SIGINT or SIGTERM stops fetching, flushes the batch in hand and exits; a
second exits at once (unacked events are redelivered).`,
		Example: `  baocao consume
  baocao consume --clickhouse-addr 127.0.0.1:9000 --metrics-addr 127.0.0.1:9464`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := g.logger()
			nc, js, err := g.connect("consume", 1)
			if err != nil {
				return err
			}
			defer nc.Close()
			s, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			reg := prometheus.NewRegistry()
			reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
			if metricsAddr != "" {
				stop, err := serveMetrics(metricsAddr, metricsTLS, profiles, reg, log)
				if err != nil {
					return err
				}
				defer stop()
			}
			cfg.Stream, cfg.DB = g.stream, o.db
			p, err := consumers.New(js, s, cfg, log, consumers.NewMetrics(reg))
			if err != nil {
				return err
			}
			log.Info("consuming", "engine", o.describe(ctx, s))
			// the store closes once the refresher has stopped
			pctx, stop := context.WithCancel(ctx)
			refreshed := make(chan struct{})
			go func() { consumers.KeepSnapshotsFresh(pctx, s, o.db, refreshEvery, log); close(refreshed) }()
			defer func() { stop(); <-refreshed }()
			return p.Run(pctx)
		},
	}
	f := cmd.Flags()
	o.flags(f)
	consumerFlags(f, &cfg, &refreshEvery)
	f.StringVar(&metricsAddr, "metrics-addr", "", "serve Prometheus metrics on this address (e.g. 127.0.0.1:9464)")
	f.BoolVar(&profiles, "pprof", false, "also serve Go's profiles under /debug/pprof/ on --metrics-addr (no login: an operator's port only)")
	metricsTLS.flags(f, "metrics", "metrics-addr")
	return cmd
}

// consumerFlags are the projector's settings, shared by "consume" and "up".
func consumerFlags(f *pflag.FlagSet, cfg *consumers.Config, refreshEvery *time.Duration) {
	f.StringVar(&cfg.Durable, "durable", consumers.DefaultDurable, "durable consumer name; processes with the same name share the work")
	f.IntVar(&cfg.BatchMax, "batch-max", consumers.DefaultBatchMax, "events per insert at most")
	f.IntVar(&cfg.BatchBytes, "batch-bytes", consumers.DefaultBatchBytes, "bytes per insert at most")
	f.DurationVar(&cfg.BatchWait, "batch-wait", 500*time.Millisecond, "longest wait to fill a batch")
	f.DurationVar(&cfg.AckWait, "ack-wait", consumers.DefaultAckWait, "redelivery timeout of unacked events: how long a crashed projector's batch waits (a slow insert is kept alive)")
	f.DurationVar(refreshEvery, "snapshot-every", time.Minute, "how often to refresh the snapshots the forms read (dossier_totals) when events arrived; 0: never")
}

// serveMetrics serves /metrics, and with profiles Go's profiles under
// /debug/pprof/ (a profile of a running projector is what says where its
// time goes; off by default, since anyone reaching the port could take
// one), until stop is called.
func serveMetrics(addr string, tf tlsFlags, profiles bool, reg *prometheus.Registry, log *slog.Logger) (stop func(), err error) {
	l, _, err := web.Listen(addr, tf.cert, tf.key)
	if err != nil {
		return nil, fmt.Errorf("metrics address %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	if profiles {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics server", "err", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
