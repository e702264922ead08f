package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/internal/chcluster"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store/clickhouse"
)

// insertBatch is the projector's default batch size.
const insertBatch = consumers.DefaultBatchMax

// insertCeiling inserts the events' rows straight into a fresh schema (the
// events table and its materialized views), in the projector's batch size:
// the most ClickHouse can take of them without NATS.
func (b *bench) insertCeiling(ctx context.Context, e *engine) error {
	if b.rows == nil { // once for every engine
		var err error
		if b.rows, err = rows(b.msgs); err != nil {
			return err
		}
	}
	rs := b.rows
	db := "bench_insert"
	if err := e.st.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		return err
	}
	if _, err := schema.Migrate(ctx, e.st, db); err != nil {
		return err
	}
	meter := meterGroups(e.withProcs(processGroups{"bench": {os.Getpid()}}))
	start := time.Now()
	for i := 0; i < len(rs); i += insertBatch {
		if err := e.st.InsertEvents(ctx, db, rs[i:min(i+insertBatch, len(rs))]); err != nil {
			return err
		}
	}
	took := time.Since(start)
	r := Result{Phase: "ceiling: ClickHouse insert", Engine: e.name, Events: len(rs), Took: took, CPU: meter.used(),
		Note: fmt.Sprintf("rows prepared in advance, %d per insert, with the materialized views", insertBatch)}
	b.add(r)
	return e.st.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
}

// withProcs is g and the engine's own processes.
func (e *engine) withProcs(g processGroups) processGroups {
	out := processGroups{}
	for _, from := range []processGroups{g, e.procs} {
		for name, pids := range from {
			out[name] = append(out[name], pids...)
		}
	}
	return out
}

// pipeline runs the product on the engine: end to end, freshness at a
// steady rate, then rebuild of what it projected.
func (b *bench) pipeline(ctx context.Context, e *engine) error {
	const db = "bench_e2e"
	dir := filepath.Join(b.cfg.Dir, "pipeline-"+e.name)
	os.RemoveAll(dir)
	n, err := startNATS(ctx, filepath.Join(dir, "nats"))
	if err != nil {
		return err
	}
	defer n.close()

	// The projector: "consume" against the server, "up" on chDB (which
	// holds chDB, so the bench asks it through /sql).
	var proc *process
	var count func(ctx context.Context, q string) (int64, error)
	data := filepath.Join(dir, "data")
	if e.external() {
		if err := e.st.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			return err
		}
		args := append([]string{"consume", "--nats-url", n.url, "--db", db, "--log-level", "warn"}, e.storeArgs...)
		if b.cfg.Profile {
			args = append(args, "--metrics-addr", profileAddr, "--pprof")
		}
		proc, err = b.startProcess("consume", "consume-"+e.name, b.cfg.Command(args...))
		count = func(ctx context.Context, q string) (int64, error) {
			res, err := e.st.Query(ctx, q)
			if err != nil || len(res.Rows) == 0 {
				return 0, err
			}
			return strconv.ParseInt(res.Rows[0][0], 10, 64)
		}
	} else {
		proc, err = b.startProcess("up", "up-"+e.name, b.cfg.Command("up", "--data", data, "--nats-url", n.url, "--http", "127.0.0.1:0", "--db", db,
			"--lookback", "1s", "--log-level", "warn"))
		count = func(ctx context.Context, q string) (int64, error) { return sqlOverHTTP(ctx, data, q) }
	}
	if err != nil {
		return err
	}
	defer proc.stop()
	// Ready when the projector's consumer exists and its database answers.
	if err := waitFor(ctx, 2*time.Minute, func() bool {
		_, err := n.js.Consumer(ctx, n.cfg.Name, "baocao-projector")
		if err != nil {
			return false
		}
		_, err = count(ctx, "SELECT count() FROM "+db+".events")
		return err == nil
	}); err != nil {
		return fmt.Errorf("the projector did not start: %w\n%s", err, proc.output())
	}

	procs := e.withProcs(processGroups{"bench": {os.Getpid()}, proc.name: {proc.cmd.Process.Pid}})

	total := int64(0)
	if b.cfg.runs("e2e") || b.cfg.runs("rebuild") {
		meter := meterGroups(procs)
		start := time.Now()
		if b.cfg.Profile && e.external() {
			go b.profile(ctx, "consume-"+e.name)
		}
		if err := n.publish(ctx, b.msgs, 0, nil); err != nil {
			return err
		}
		total = int64(len(b.msgs))
		if err := waitFor(ctx, time.Hour, func() bool {
			c, err := count(ctx, "SELECT count() FROM "+db+".events")
			return err == nil && c >= total
		}); err != nil {
			return fmt.Errorf("end to end: %w\n%s", err, proc.output())
		}
		took := time.Since(start)
		rss, _ := peakRSS(proc.cmd.Process.Pid)
		note := "publish → count() in the events table; bench = NATS + publisher; peak RSS of " + proc.name
		if e.cluster != nil {
			spread, err := shardRows(ctx, e, db)
			if err != nil {
				return err
			}
			note += "; events per shard " + spread
		}
		b.add(Result{Phase: "end to end", Engine: e.name, Events: len(b.msgs), Took: took, CPU: meter.used(), PeakRSS: rss, Note: note})
	}

	if b.cfg.runs("freshness") {
		lat, err := b.freshness(ctx, e, n, db, total, count)
		if err != nil {
			return err
		}
		b.add(lat)
		total += int64(lat.Events)
	}

	if err := proc.stop(); err != nil {
		return fmt.Errorf("%s: %w\n%s", proc.name, err, proc.output())
	}
	if b.cfg.runs("rebuild") && total > 0 {
		args := []string{"rebuild", "--nats-url", n.url, "--db", db, "--progress", "never", "--log-level", "warn"}
		if e.external() {
			args = append(args, e.storeArgs...)
		} else {
			args = append(args, "--data", data)
		}
		start := time.Now()
		rb, err := b.startProcess("rebuild", "rebuild-"+e.name, b.cfg.Command(args...))
		if err != nil {
			return err
		}
		err = rb.wait()
		took := time.Since(start)
		if err != nil {
			return fmt.Errorf("rebuild: %w\n%s", err, rb.output())
		}
		b.add(Result{Phase: "rebuild", Engine: e.name, Events: int(total), Took: took, PeakRSS: rb.peak.Load(),
			Note: "baocao rebuild: the whole stream into fresh tables and the switch, process start included"})
	}
	return nil
}

// freshness publishes at a steady rate on top of what is there and
// measures, per event, the time from its publish to its first sight in the
// events table; the table is polled every 50 ms for the highest stream
// sequence projected (one projector inserts in stream order).
func (b *bench) freshness(ctx context.Context, e *engine, n *natsServer, db string, before int64, count func(context.Context, string) (int64, error)) (Result, error) {
	// Events of another seed: new ids, so the stream takes them all.
	msgs, err := makeMessages(ctx, b.cfg.FreshRate*int(b.cfg.FreshFor/time.Second), "baocao.events", 2)
	if err != nil {
		return Result{}, err
	}
	sentAt := make([]time.Time, len(msgs))
	seen := make([]time.Time, len(msgs))
	done := make(chan error, 1)
	go func() { done <- n.publish(ctx, msgs, b.cfg.FreshRate, func(i int, at time.Time) { sentAt[i] = at }) }()
	q := "SELECT max(stream_seq) FROM " + db + ".events"
	next := 0 // the first message not seen yet
	deadline := time.Now().Add(b.cfg.FreshFor + 5*time.Minute)
	for next < len(msgs) && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		seq, err := count(ctx, q)
		if err != nil {
			continue
		}
		now := time.Now()
		for next < len(msgs) && int64(next)+before < seq {
			seen[next] = now
			next++
		}
	}
	if err := <-done; err != nil {
		return Result{}, err
	}
	if next < len(msgs) {
		return Result{}, fmt.Errorf("freshness: %d of %d events seen", next, len(msgs))
	}
	lat := make([]time.Duration, len(msgs))
	for i := range msgs {
		lat[i] = seen[i].Sub(sentAt[i])
	}
	r := Result{Phase: "freshness", Engine: e.name, Events: len(msgs), Took: b.cfg.FreshFor,
		Note: fmt.Sprintf("%d events/s for %v; publish → visible, polled every 50 ms", b.cfg.FreshRate, b.cfg.FreshFor)}
	percentiles(&r, lat)
	return r, nil
}

// profileAddr is where a profiled consume serves its metrics and profiles.
const profileAddr = "127.0.0.1:19464"

// profile saves a 20-second CPU profile of the consume process serving
// profileAddr to <Dir>/<name>.pprof, for go tool pprof.
func (b *bench) profile(ctx context.Context, name string) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+profileAddr+"/debug/pprof/profile?seconds=20", nil)
	if err != nil {
		return
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.say("profile %s: %v", name, err)
		return
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode == http.StatusOK {
		err = os.WriteFile(filepath.Join(b.cfg.Dir, name+".pprof"), data, 0o644)
	}
	if err != nil {
		b.say("profile %s: %v", name, err)
	}
}

// sqlOverHTTP asks the "up" whose data folder is data, through its /sql,
// for a single number.
func sqlOverHTTP(ctx context.Context, data, q string) (int64, error) {
	u, err := os.ReadFile(filepath.Join(data, "http.url"))
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSpace(string(u))+"/sql?query="+url.QueryEscape(q), nil)
	if err != nil {
		return 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("/sql: %d %s %v", resp.StatusCode, body, err)
	}
	lines := strings.Split(strings.TrimSpace(string(body)), "\n")
	return strconv.ParseInt(lines[len(lines)-1], 10, 64)
}

func waitFor(ctx context.Context, limit time.Duration, ok func() bool) error {
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			return fmt.Errorf("not within %v", limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return nil
}

// process is one of the product's processes, its output in a log file.
type process struct {
	name string
	cmd  *exec.Cmd
	log  string
	peak atomic.Int64 // peak RSS, sampled while it runs
	done chan error
}

// startProcess runs argv as the process called name, its output in
// <Dir>/<logName>.log.
func (b *bench) startProcess(name, logName string, argv []string) (*process, error) {
	log := filepath.Join(b.cfg.Dir, logName+".log")
	f, err := os.Create(log)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), b.cfg.Env...)
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: log, done: make(chan error, 1)}
	go func() {
		// Sample the peak RSS while the process lives: after it exits
		// /proc no longer has it.
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		for {
			select {
			case err := <-exited:
				p.done <- err
				return
			case <-t.C:
				if rss, err := peakRSS(cmd.Process.Pid); err == nil {
					p.peak.Store(rss)
				}
			}
		}
	}()
	return p, nil
}

func (p *process) output() string {
	b, _ := os.ReadFile(p.log)
	return string(b)
}

// wait waits for the process to exit by itself.
func (p *process) wait() error {
	err := <-p.done
	p.done <- err
	return err
}

// stop asks the process to stop and waits; stopping it again is harmless.
func (p *process) stop() error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.done <- err
		return err
	case <-time.After(time.Minute):
		_ = p.cmd.Process.Kill()
		return fmt.Errorf("%s did not stop within a minute", p.name)
	}
}

// shardRows says how the cluster's shards share db's events: the rows of
// events_local on the first replica of each shard, and each one's share.
func shardRows(ctx context.Context, e *engine, db string) (string, error) {
	var counts []int64
	var total int64
	for sh := range chcluster.Shards {
		node, err := clickhouse.Open(ctx, clickhouse.Config{Addr: []string{e.cluster.Server(sh, 0).Addr}})
		if err != nil {
			return "", err
		}
		res, err := node.Query(ctx, "SELECT count() FROM "+db+".events_local")
		node.Close()
		if err != nil {
			return "", err
		}
		n, _ := strconv.ParseInt(res.Rows[0][0], 10, 64)
		counts = append(counts, n)
		total += n
	}
	var parts []string
	for i, n := range counts {
		parts = append(parts, fmt.Sprintf("shard %d: %d (%.1f %%)", i+1, n, 100*float64(n)/float64(max(total, 1))))
	}
	return strings.Join(parts, ", "), nil
}
