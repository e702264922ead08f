package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/baocao/baocao/schema"
)

// benthosConfig moves the product's stream into an events table the way a
// Benthos user would: its nats_jetstream input (durable, acking each
// message) and sql_insert output with the clickhouse driver, in the best
// configuration ../shared/PEERS.md found (batches of 2,000, 4 in flight).
// It fills the envelope columns and the payload; the product's projector
// also fills the typed columns the views read, so Benthos writes less per
// row than baocao does — the comparison favours the peer.
const benthosConfig = `http: { address: 127.0.0.1:0 }
input:
  nats_jetstream:
    urls: [ %[1]s ]
    subject: baocao.events.>
    stream: BAOCAO_EVENTS
    durable: bench-benthos
    deliver: all
    ack_wait: 60s
    max_ack_pending: 20000
pipeline: { threads: -1 }
output:
  sql_insert:
    driver: clickhouse
    dsn: clickhouse://default:@%[2]s/%[3]s
    table: events
    columns: [ id, type, agency, subject_id, occurred_at, recorded_at, stored_at, payload ]
    args_mapping: |
      root = [ this.id, this.type, this.agency, this.subject_id,
               this.occurred_at.ts_parse("2006-01-02T15:04:05Z07:00"),
               this.recorded_at.ts_parse("2006-01-02T15:04:05Z07:00"),
               now().ts_parse("2006-01-02T15:04:05.999999999Z07:00"),
               this.payload.format_json(no_indent: true).string() ]
    max_in_flight: 4
    conn_max_idle: 4
    batching: { count: 2000, period: 1s }
logger: { level: WARN }
`

// peer drains the same pre-filled stream into the ClickHouse server twice:
// with "baocao consume", then with Benthos, each into a freshly migrated
// database (the same events table and materialized views), and times each
// from its start to the last event counted.
func (b *bench) peer(ctx context.Context, e *engine) error {
	if e.server == nil {
		return nil // Benthos has no chDB output
	}
	dir := filepath.Join(b.cfg.Dir, "peer")
	os.RemoveAll(dir)
	n, err := startNATS(ctx, filepath.Join(dir, "nats"))
	if err != nil {
		return err
	}
	defer n.close()
	if err := n.publish(ctx, b.msgs, 0, nil); err != nil {
		return err
	}
	total := int64(len(b.msgs))
	count := func(db string) func() bool {
		return func() bool {
			res, err := e.st.Query(ctx, "SELECT count() FROM "+db+".events")
			if err != nil || len(res.Rows) == 0 {
				return false
			}
			c, _ := strconv.ParseInt(res.Rows[0][0], 10, 64)
			return c >= total
		}
	}
	drain := func(name, logName, db string, argv []string) (Result, error) {
		if err := e.st.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			return Result{}, err
		}
		if _, err := schema.Migrate(ctx, e.st, db); err != nil {
			return Result{}, err
		}
		srvCPU, _ := cpuTime(e.server.PID())
		start := time.Now()
		p, err := b.startProcess(name, logName, argv)
		if err != nil {
			return Result{}, err
		}
		defer p.stop()
		if err := waitFor(ctx, time.Hour, count(db)); err != nil {
			return Result{}, fmt.Errorf("%s: %w\n%s", name, err, p.output())
		}
		took := time.Since(start)
		cpu, _ := cpuTime(p.cmd.Process.Pid)
		srv, _ := cpuTime(e.server.PID())
		rss, _ := peakRSS(p.cmd.Process.Pid)
		return Result{Phase: "drain a pre-filled stream: " + name, Engine: e.name, Events: len(b.msgs), Took: took, PeakRSS: rss,
			CPU: map[string]time.Duration{name: cpu, "clickhouse-server": srv - srvCPU}}, nil
	}

	argv := b.cfg.Command("consume", "--nats-url", n.url, "--clickhouse-addr", e.server.Addr, "--db", "bench_consume", "--log-level", "warn")
	own, err := drain("baocao consume", "drain-consume", "bench_consume", argv)
	if err != nil {
		return err
	}
	own.Note = "every column the views read; process start included"
	b.add(own)

	if b.cfg.Benthos == "" {
		return nil
	}
	config := filepath.Join(dir, "benthos.yaml")
	if err := os.WriteFile(config, []byte(fmt.Sprintf(benthosConfig, n.url, e.server.Addr, "bench_benthos")), 0o644); err != nil {
		return err
	}
	peer, err := drain("Benthos v4.27.0", "drain-benthos", "bench_benthos", []string{b.cfg.Benthos, "-c", config})
	if err != nil {
		return err
	}
	peer.Note = fmt.Sprintf("envelope and payload columns only; baocao consume is %.2f× its events/s", own.Rate()/peer.Rate())
	b.add(peer)
	return nil
}
