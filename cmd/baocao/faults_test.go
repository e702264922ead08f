package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chserver"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/stream"
)

// faultFeed is a small province's three months, cut into parts that are
// published one fault after another.
func faultFeed(t *testing.T, parts int) [][]events.Event {
	t.Helper()
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2024, 3, 1), events.NewDate(2024, 5, 31)
	cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict, cfg.Procedures, cfg.DossiersPerDay = 3, 2, 2, 60, 20
	var feed []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { feed = append(feed, e); return nil }); err != nil {
		t.Fatal(err)
	}
	out := make([][]events.Event, parts)
	for i := range parts {
		out[i] = feed[i*len(feed)/parts : (i+1)*len(feed)/parts]
	}
	return out
}

// upArgs run up on data with nothing scheduled (the feed's periods are
// older than the lookback), on free ports.
func upArgs(data string, extra ...string) []string {
	return append([]string{"up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0", "--lookback", "1h"}, extra...)
}

// mountTmpfs mounts a tmpfs of size on dir (created) until the test ends.
// The tests that fill a disk need it; they are skipped, saying why, where
// mounting is impossible (not root, no CAP_SYS_ADMIN).
func mountTmpfs(t *testing.T, dir, size string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs to fill (needs root or CAP_SYS_ADMIN): %v %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v %s", dir, err, out)
		}
	})
}

// readOnly makes dir read-only until the returned undo: a read-only bind
// mount of dir on itself (remounting the tmpfs itself is refused while the
// engine holds files open for writing; the new mount has no writers yet).
func readOnly(t *testing.T, dir string) (undo func()) {
	t.Helper()
	for _, args := range [][]string{{"--bind", dir, dir}, {"-o", "remount,bind,ro", dir}} {
		if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
			t.Fatalf("mount %v: %v %s", args, err, out)
		}
	}
	return func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Fatalf("umount %s: %v %s", dir, err, out)
		}
	}
}

// fillDisk writes a file on dir's file system until it is full, and
// returns its path.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 1<<20)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			return path
		}
	}
}

// faultyUp is a running up and what the tests check on it.
type faultyUp struct {
	up       *child
	web      string
	js       jetstream.JetStream
	natsURL  string
	unique   map[string]bool // event ids published
	dossiers map[string]bool
}

var bannerLine = regexp.MustCompile(`(?s)NATS\s+(nats://\S+).*web\s+(http://\S+)`)

func startFaultyUp(t *testing.T, args ...string) *faultyUp {
	t.Helper()
	up := startChild(t, args...)
	// from the banner: http.url is written only with the embedded engine
	var m []string
	waitFor(t, "up's banner", time.Minute, func() bool {
		if up.cmd.ProcessState != nil {
			t.Fatalf("up exited:\n%s", up.output())
		}
		m = bannerLine.FindStringSubmatch(up.output())
		return m != nil
	})
	web, natsURL := m[2], m[1]
	return &faultyUp{up: up, web: web, natsURL: natsURL, unique: map[string]bool{}, dossiers: map[string]bool{}}
}

func (f *faultyUp) publish(t *testing.T, evs []events.Event) {
	t.Helper()
	f.js = publishAll(t, f.natsURL, evs)
	for _, e := range evs {
		f.unique[e.ID] = true
		if strings.HasPrefix(string(e.Type), "dossier.") {
			f.dossiers[e.SubjectID] = true
		}
	}
}

// alive fails the test if up has exited.
func (f *faultyUp) alive(t *testing.T) {
	t.Helper()
	if f.up.cmd.ProcessState != nil || f.up.cmd.Process.Signal(syscall.Signal(0)) != nil {
		t.Fatalf("up exited:\n%s", lastLines(f.up.output(), 30))
	}
}

// waitUnhealthy waits until /healthz answers 503 with the projector's
// check matching want, with up still running, and returns that check.
func (f *faultyUp) waitUnhealthy(t *testing.T, want *regexp.Regexp) string {
	t.Helper()
	return f.waitCheck(t, "projector", want)
}

// waitCheck waits until /healthz answers 503 with the check named matching
// want, with up still running, and returns that check.
func (f *faultyUp) waitCheck(t *testing.T, check string, want *regexp.Regexp) string {
	t.Helper()
	var state, body string
	deadline := time.Now().Add(time.Minute)
	for {
		f.alive(t)
		var code int
		code, body = httpGet(t, f.web+"/healthz")
		var h struct{ Checks map[string]string }
		if err := json.Unmarshal([]byte(body), &h); err != nil {
			t.Fatalf("/healthz: %v: %s", err, body)
		}
		state = h.Checks[check]
		if code == 503 && want.MatchString(state) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz does not name the %s fault %s within a minute: %d %s\nup's log:\n%s", check, want, code, body, lastLines(f.up.output(), 20))
		}
		time.Sleep(200 * time.Millisecond)
	}
	return state
}

// waitCaughtUp waits until the projector has acked the whole stream and
// health is ok, then checks that the tables hold every event published
// once: nothing lost, nothing counted twice.
func (f *faultyUp) waitCaughtUp(t *testing.T, limit time.Duration) {
	t.Helper()
	ctx := context.Background()
	waitFor(t, "the projector caught up", limit, func() bool {
		f.alive(t)
		c, err := f.js.Consumer(ctx, stream.DefaultConfig().Name, consumers.DefaultDurable)
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		return err == nil && info.Delivered.Stream > 0 && info.NumPending == 0 && info.NumAckPending == 0
	})
	waitFor(t, "/healthz ok", 30*time.Second, func() bool {
		code, _ := httpGet(t, f.web+"/healthz")
		return code == 200
	})
	got := httpSQL(t, f.web, "SELECT uniqExact(id) AS ids, count() AS rows FROM baocao.events FINAL WHERE type != 'report.generated'")
	if want := fmt.Sprintf("ids,rows\n%d,%d\n", len(f.unique), len(f.unique)); got != want {
		t.Errorf("events: %q, want %q", got, want)
	}
	got = httpSQL(t, f.web, "SELECT count() AS n FROM baocao.dossiers")
	if want := fmt.Sprintf("n\n%d\n", len(f.dossiers)); got != want {
		t.Errorf("dossiers: %q, want %q", got, want)
	}
}

// A full disk and a read-only folder under the store stop ingestion, never
// the process: up keeps serving NATS and HTTP, /healthz says 503 and why,
// and when the space is freed or the folder writable again, ingestion
// resumes by itself with every event once. Both engines: chDB's folder
// inside up, and a ClickHouse 18.16 server's data folder.
func TestUpSurvivesStorageFaults(t *testing.T) {
	feed := faultFeed(t, 3)
	t.Run("chdb-26.5", func(t *testing.T) {
		data := t.TempDir()
		disk := filepath.Join(data, "chdb")
		mountTmpfs(t, disk, "256m")
		storageFaults(t, feed, disk, upArgs(data))
	})
	t.Run("clickhouse-18.16", func(t *testing.T) {
		dir := t.TempDir()
		disk := filepath.Join(dir, "data") // the server's <path>; its logs stay outside
		mountTmpfs(t, disk, "256m")
		srv, err := chserver.Start(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Stop)
		storageFaults(t, feed, disk, upArgs(t.TempDir(), "--clickhouse-addr", srv.Addr))
	})
}

func storageFaults(t *testing.T, feed [][]events.Event, disk string, args []string) {
	f := startFaultyUp(t, args...)
	f.publish(t, feed[0])
	f.waitCaughtUp(t, time.Minute)

	// Disk full: the events are in the stream (published and acked by
	// NATS), the projector cannot insert them.
	filler := fillDisk(t, disk)
	df, _ := exec.Command("df", "-h", disk).CombinedOutput()
	t.Logf("filled:\n%s", df)
	f.publish(t, feed[1])
	body := f.waitUnhealthy(t, regexp.MustCompile(`^insert.*failing since.*(NOT_ENOUGH_SPACE|[Nn]o space|[Cc]annot reserve)`))
	t.Logf("disk full: /healthz projector: %s", body)
	_, metrics := httpGet(t, f.web+"/metrics")
	if !regexp.MustCompile(`baocao_projector_fault\{op="insert"\} 1`).MatchString(metrics) ||
		!regexp.MustCompile(`baocao_projector_failures_total\{op="insert"\} [1-9]`).MatchString(metrics) {
		t.Errorf("/metrics shows no insert fault:\n%s", grepLines(metrics, "baocao_projector_"))
	}
	// Restarted on the full disk, up comes up and says the same; a stop
	// with the insert failing leaves the batch for redelivery at once.
	stopped := time.Now()
	f.up.stop(t)
	t.Logf("stopped in %v with the insert failing", time.Since(stopped).Round(10*time.Millisecond))
	g := startFaultyUp(t, args...)
	g.unique, g.dossiers = f.unique, f.dossiers
	g.js = publishAll(t, g.natsURL, nil) // a connection to the new up
	f = g
	f.waitUnhealthy(t, regexp.MustCompile(`^insert.*failing since.*(NOT_ENOUGH_SPACE|[Nn]o space|[Cc]annot reserve)`))
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	f.waitCaughtUp(t, 2*time.Minute)

	// A read-only folder, as after an I/O error or a mistaken mount.
	undo := readOnly(t, disk)
	f.publish(t, feed[2])
	body = f.waitUnhealthy(t, regexp.MustCompile(`^insert.*failing since.*([Rr]ead-only|READONLY)`))
	t.Logf("read-only: /healthz projector: %s", body)

	// Restarted on the read-only folder: up comes up all the same (chDB
	// refuses to open such a folder, a server refuses the insert) and
	// resumes once the folder is writable.
	f.up.stop(t)
	g = startFaultyUp(t, args...)
	g.unique, g.dossiers = f.unique, f.dossiers
	g.js = publishAll(t, g.natsURL, nil)
	f = g
	if strings.Contains(disk, "chdb") {
		body = f.waitCheck(t, "store", regexp.MustCompile(`no write permission|[Rr]ead-only`))
	} else {
		body = f.waitUnhealthy(t, regexp.MustCompile(`^insert.*failing since.*([Rr]ead-only|READONLY)`))
	}
	t.Logf("restarted read-only: /healthz %s", body)
	undo()
	f.waitCaughtUp(t, 2*time.Minute)
	f.up.stop(t)
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// The projector's durable consumer deleted while up runs is recreated, and
// the events stream deleted is reported until it exists again; the fetch
// loop backs off meanwhile instead of spinning, and afterwards every event
// is in the tables once.
func TestUpRecreatesDeletedConsumer(t *testing.T) {
	feed := faultFeed(t, 3)
	data := t.TempDir()
	f := startFaultyUp(t, upArgs(data)...)
	f.publish(t, feed[0])
	f.waitCaughtUp(t, time.Minute)
	ctx := context.Background()
	name := stream.DefaultConfig().Name

	if err := f.js.DeleteConsumer(ctx, name, consumers.DefaultDurable); err != nil {
		t.Fatal(err)
	}
	deleted := time.Now()
	time.Sleep(2 * time.Second)
	f.publish(t, feed[1])
	f.waitCaughtUp(t, time.Minute)
	t.Logf("consumer deleted: recreated and the stream replayed (%d events) in %v", len(feed[0])+len(feed[1]), time.Since(deleted).Round(100*time.Millisecond))
	_, metrics := httpGet(t, f.web+"/metrics")
	if !regexp.MustCompile(`baocao_projector_consumer_created_total [2-9]`).MatchString(metrics) {
		t.Errorf("/metrics: the consumer was not recreated:\n%s", grepLines(metrics, "baocao_projector_"))
	}

	// The stream itself: the record is gone, the projector cannot make it
	// again; it says so and waits for it.
	if err := f.js.DeleteStream(ctx, name); err != nil {
		t.Fatal(err)
	}
	body := f.waitUnhealthy(t, regexp.MustCompile(`stream `+name+`.*not found`))
	t.Logf("stream deleted: /healthz projector: %s", body)
	time.Sleep(3 * time.Second) // the fetch loop would spin meanwhile
	if _, _, _, err := stream.Provision(ctx, f.js, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	f.publish(t, feed[2])
	f.waitCaughtUp(t, time.Minute)

	out := f.up.output()
	t.Logf("%d log lines, %d about fetching, over %v", strings.Count(out, "\n"), strings.Count(out, "fetch"), time.Since(deleted).Round(time.Second))
	if n := strings.Count(out, "fetch"); n > 100 {
		t.Errorf("%d log lines about fetching; want a few, rate-limited:\n%s", n, lastLines(out, 10))
	}
	f.up.stop(t)
}

// up killed with SIGKILL while a batch is in flight: after the restart the
// batch is redelivered within seconds (the ack wait), not a minute, and the
// lag counts it meanwhile.
func TestUpRedeliversInFlightBatchAfterKill(t *testing.T) {
	feed := faultFeed(t, 1)[0]
	data := t.TempDir()
	// A batch that collects for 3 s: the events stay delivered and unacked
	// long enough to kill up in the middle.
	f := startFaultyUp(t, upArgs(data, "--batch-max", "100000", "--batch-wait", "3s")...)
	f.publish(t, feed)
	ctx := context.Background()
	name := stream.DefaultConfig().Name
	var inFlight uint64
	waitFor(t, "a batch in flight", time.Minute, func() bool {
		c, err := f.js.Consumer(ctx, name, consumers.DefaultDurable)
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		inFlight = uint64(info.NumAckPending)
		return err == nil && info.NumAckPending > 0
	})
	f.up.cmd.Process.Signal(syscall.SIGKILL)
	f.up.cmd.Wait()
	killed := time.Now()

	g := startFaultyUp(t, upArgs(data)...)
	restarted := time.Now()
	g.unique, g.dossiers = f.unique, f.dossiers
	g.js = publishAll(t, g.natsURL, nil)
	var sawLag bool
	waitFor(t, "the in-flight batch redelivered", 90*time.Second, func() bool {
		g.alive(t)
		_, m := httpGet(t, g.web+"/metrics")
		if lag := regexp.MustCompile(`(?m)^baocao_projector_lag_events (\S+)`).FindStringSubmatch(m); lag != nil && lag[1] != "0" {
			sawLag = true
		}
		c, err := g.js.Consumer(ctx, name, consumers.DefaultDurable)
		if err != nil {
			return false
		}
		info, err := c.Info(ctx)
		return err == nil && info.Delivered.Stream > 0 && info.NumPending == 0 && info.NumAckPending == 0
	})
	took := time.Since(restarted)
	t.Logf("SIGKILL with %d events in flight: all acked %v after the restart (%v after the kill)",
		inFlight, took.Round(100*time.Millisecond), time.Since(killed).Round(100*time.Millisecond))
	if took > 20*time.Second {
		t.Errorf("the in-flight batch was redelivered %v after the restart; want within the ack wait (seconds)", took.Round(time.Second))
	}
	if !sawLag {
		t.Error("the lag metric stayed 0 while the batch waited for redelivery")
	}
	g.waitCaughtUp(t, time.Minute)
	g.up.stop(t)
}
