// Package bench measures the pipeline on this machine against its ceilings:
// what JetStream alone and ClickHouse alone can do with the same events, then
// the product end to end (publish → projected and queryable), rebuild,
// freshness at a steady rate, report latency over a province-year and the
// memory of the processes. "baocao bench" runs it; BENCHMARKS.md holds the
// method and the figures.
//
// Every phase uses the same simulated events (simulate.DefaultConfig's
// province, about 400-byte events in the realistic mix of dossier, feedback,
// task and catalogue events). The product runs as users run it, as separate
// processes of the same binary ("consume" against the ClickHouse server,
// "up" on embedded chDB, "rebuild"), so their CPU time and peak memory are
// measured from /proc.
package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/internal/chserver"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/clickhouse"
)

// Engines the bench runs on.
const (
	Server   = "clickhouse-18.16" // Debian's clickhouse-server, started by the bench
	Embedded = "chdb-26.5"        // chDB in the baocao process
	// Cluster is four of Server's processes, 2 shards × 2 replicas, and a
	// ZooKeeper (internal/chcluster), on the same machine: the same work
	// spread over shards, its cost per event beside one server's.
	Cluster = "clickhouse-18.16-cluster"
)

// Config says what to measure and how much.
type Config struct {
	// Events is the number of events of the ceilings, the end-to-end run and
	// the rebuild; two million keep each end-to-end run above a minute here.
	Events int
	// FreshRate and FreshFor are the steady publish rate and duration of the
	// freshness phase.
	FreshRate int
	FreshFor  time.Duration
	// ReportDossiers is the size of the province-year the reports are timed
	// on (about ten events per dossier), ReportRuns how many times each is
	// timed.
	ReportDossiers int
	ReportRuns     int
	// Engines to run on: Server, Embedded or both.
	Engines []string
	// Phases to run (nil: all): ceilings, e2e, freshness, rebuild, peer,
	// report.
	Phases []string
	// Dir is the working folder: servers' data, logs. It is left for
	// inspection.
	Dir string
	// Command runs the baocao binary with args, for the product's processes.
	Command func(args ...string) []string
	// Env is added to the product processes' environment.
	Env []string
	// Profile saves a CPU profile of consume during the end-to-end run on
	// the server (<Dir>/consume-clickhouse-18.16.pprof).
	Profile bool
	// Benthos is the path of a Benthos v4.27.0 binary to compare with
	// (scripts/build-benthos); empty leaves the peer out.
	Benthos string
	// OpenEmbedded opens chDB in this process (nil in a build without it).
	OpenEmbedded func(path string) (store.Store, error)
	Log          *slog.Logger
	Progress     io.Writer
}

// Result is one measured figure.
type Result struct {
	Phase, Engine string
	Events        int
	Took          time.Duration
	// CPU is the CPU time of each process involved, by name ("consume",
	// "clickhouse-server", "bench": NATS and the publisher).
	CPU     map[string]time.Duration
	PeakRSS int64 // of the product's process, bytes
	// Latencies of the timed runs (freshness per event, reports per run).
	P50, P95, P99 time.Duration
	Note          string
}

// Rate is events per second.
func (r Result) Rate() float64 {
	if r.Took <= 0 {
		return 0
	}
	return float64(r.Events) / r.Took.Seconds()
}

// CPUPerMillion is the CPU seconds all processes spent per million events.
func (r Result) CPUPerMillion() float64 {
	var total time.Duration
	for _, d := range r.CPU {
		total += d
	}
	if r.Events == 0 {
		return 0
	}
	return total.Seconds() * 1e6 / float64(r.Events)
}

// DefaultConfig is the full run of BENCHMARKS.md.
func DefaultConfig() Config {
	return Config{
		Events: 2_000_000, FreshRate: 10_000, FreshFor: 30 * time.Second,
		ReportDossiers: 2_000_000, ReportRuns: 5,
		Engines: []string{Server, Embedded},
	}
}

func (c Config) runs(phase string) bool {
	return len(c.Phases) == 0 || slices.Contains(c.Phases, phase)
}

// Run runs the phases and returns their results, in order; it stops at the
// first failure, returning what it measured before.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Progress == nil {
		cfg.Progress = io.Discard
	}
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	b := &bench{cfg: cfg}
	say := b.say
	say("simulating %d events", cfg.Events)
	msgs, err := makeMessages(ctx, cfg.Events, "baocao.events", 1)
	if err != nil {
		return nil, fmt.Errorf("bench: simulate: %w", err)
	}
	b.msgs = msgs
	say("%d events, %d bytes on average", len(msgs), meanSize(msgs))

	if cfg.runs("ceilings") {
		if err := b.jetStreamCeilings(ctx); err != nil {
			return b.results, err
		}
	}
	for _, name := range cfg.Engines {
		e, err := b.openEngine(ctx, name)
		if err != nil {
			return b.results, err
		}
		err = b.onEngine(ctx, e)
		e.close()
		if err != nil {
			return b.results, fmt.Errorf("bench: %s: %w", name, err)
		}
	}
	return b.results, nil
}

type bench struct {
	cfg     Config
	msgs    []message
	rows    []store.EventRow // msgs as the projector's rows, made on first use
	results []Result
	start   time.Time
}

func (b *bench) say(format string, args ...any) {
	if b.start.IsZero() {
		b.start = time.Now()
	}
	fmt.Fprintf(b.cfg.Progress, "%7.1fs  %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

func (b *bench) add(r Result) {
	b.results = append(b.results, r)
	line := fmt.Sprintf("%s on %s: %d events in %v, %.0f events/s", r.Phase, r.Engine, r.Events, r.Took.Round(time.Millisecond), r.Rate())
	if r.P50 > 0 {
		line = fmt.Sprintf("%s on %s: p50 %v, p95 %v, p99 %v", r.Phase, r.Engine, r.P50.Round(time.Millisecond), r.P95.Round(time.Millisecond), r.P99.Round(time.Millisecond))
	}
	b.say("%s", line)
}

// engine is a store the bench reads and writes directly, and how the
// product's processes reach it.
type engine struct {
	name string
	st   store.Store
	// storeArgs are the flags that point the product's processes at the
	// engine; nil for chDB, which they open in their --data.
	storeArgs []string
	// procs are the engine's own processes, for their CPU; none for chDB,
	// which runs in the product's process.
	procs   processGroups
	server  *chserver.Server   // the one server of Server, for the peer
	cluster *chcluster.Cluster // the servers of Cluster, to see how the shards share the rows
	close   func()
}

// external reports whether the engine runs outside the product's processes.
func (e *engine) external() bool { return e.storeArgs != nil }

func (b *bench) openEngine(ctx context.Context, name string) (*engine, error) {
	switch name {
	case Server:
		dir := filepath.Join(b.cfg.Dir, "clickhouse")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		srv, err := chserver.Start(dir)
		if err != nil {
			return nil, err
		}
		st, err := clickhouse.Open(ctx, clickhouse.Config{Addr: []string{srv.Addr}, ReadTimeout: 30 * time.Minute})
		if err != nil {
			srv.Stop()
			return nil, err
		}
		return &engine{name: name, st: st, server: srv, storeArgs: []string{"--clickhouse-addr", srv.Addr},
			procs: processGroups{"clickhouse-server": {srv.PID()}}, close: func() { st.Close(); srv.Stop() }}, nil
	case Cluster:
		c, err := chcluster.Start(filepath.Join(b.cfg.Dir, "cluster"))
		if err != nil {
			return nil, err
		}
		st, err := clickhouse.Open(ctx, clickhouse.Config{Addr: strings.Split(c.Addrs(), ","), Cluster: chcluster.Name, ReadTimeout: 30 * time.Minute})
		if err != nil {
			c.Stop()
			return nil, err
		}
		procs := processGroups{"zookeeper": {c.ZK.PID()}}
		for _, s := range c.Servers {
			procs["clickhouse-server"] = append(procs["clickhouse-server"], s.PID())
		}
		return &engine{name: name, st: st, cluster: c, procs: procs,
			storeArgs: []string{"--clickhouse-addr", c.Addrs(), "--clickhouse-cluster", chcluster.Name},
			close:     func() { st.Close(); c.Stop() }}, nil
	case Embedded:
		if b.cfg.OpenEmbedded == nil {
			return nil, fmt.Errorf("bench: this baocao was built without chDB (-tags nochdb)")
		}
		st, err := b.cfg.OpenEmbedded(filepath.Join(b.cfg.Dir, "chdb-bench"))
		if err != nil {
			return nil, err
		}
		return &engine{name: name, st: st, close: func() { st.Close() }}, nil
	}
	return nil, fmt.Errorf("bench: engine %q: want %s, %s or %s", name, Server, Cluster, Embedded)
}

func (b *bench) onEngine(ctx context.Context, e *engine) error {
	if b.cfg.runs("ceilings") {
		if err := b.insertCeiling(ctx, e); err != nil {
			return err
		}
	}
	if b.cfg.runs("e2e") || b.cfg.runs("freshness") || b.cfg.runs("rebuild") {
		if err := b.pipeline(ctx, e); err != nil {
			return err
		}
	}
	if b.cfg.runs("peer") {
		if err := b.peer(ctx, e); err != nil {
			return err
		}
	}
	if b.cfg.runs("report") {
		if err := b.reportLatency(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// percentiles sets r's P50, P95 and P99 from ds.
func percentiles(r *Result, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration {
		i := int(math.Ceil(q*float64(len(ds)))) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	r.P50, r.P95, r.P99 = at(0.50), at(0.95), at(0.99)
}

// Table writes the results as a Markdown table.
func Table(w io.Writer, results []Result) {
	fmt.Fprintln(w, "| phase | engine | events | time | events/s | CPU s per M events | peak RSS | p50 | p95 | p99 | note |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---|")
	for _, r := range results {
		cpu := ""
		if len(r.CPU) > 0 {
			names := make([]string, 0, len(r.CPU))
			for n := range r.CPU {
				names = append(names, n)
			}
			slices.Sort(names)
			var parts []string
			for _, n := range names {
				parts = append(parts, fmt.Sprintf("%s %.1f", n, r.CPU[n].Seconds()*1e6/float64(max(r.Events, 1))))
			}
			cpu = fmt.Sprintf("%.1f (%s)", r.CPUPerMillion(), strings.Join(parts, ", "))
		}
		rss := ""
		if r.PeakRSS > 0 {
			rss = fmt.Sprintf("%d MB", r.PeakRSS>>20)
		}
		lat := func(d time.Duration) string {
			if d == 0 {
				return ""
			}
			return d.Round(time.Millisecond).String()
		}
		rate := ""
		if r.Rate() > 0 && r.P50 == 0 {
			rate = fmt.Sprintf("%.0f", r.Rate())
		}
		fmt.Fprintf(w, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", r.Phase, r.Engine, r.Events,
			lat(r.Took), rate, cpu, rss, lat(r.P50), lat(r.P95), lat(r.P99), r.Note)
	}
}
