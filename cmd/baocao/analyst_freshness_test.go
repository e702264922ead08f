package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chserver"
)

// slowAnalystQuery runs until the engine's max_execution_time stops it (or
// the client gives up): readonly = 1 refuses SETTINGS and, on 18.16, table
// functions, so it reads system.numbers and sleeps a second a block.
const slowAnalystQuery = "SELECT sum(sleep(1)) AS s FROM system.numbers"

// runningSlow finds slowAnalystQuery among the engine's running queries.
const runningSlow = "SELECT count() AS n FROM system.processes WHERE query LIKE '%sleep(1)%' AND query NOT LIKE '%system.processes%'"

// freshnessLimit is issue 12's goal: events visible to analysts within 5 s
// of being published, whatever analysts run meanwhile.
const freshnessLimit = 5 * time.Second

// An analyst's long query holds up neither ingestion nor /healthz: while it
// runs on one of the --sql-concurrency slots, every burst of events
// published is visible through the other slot within 5 s, and /healthz
// answers 200. Both engines: chDB inside up, and a ClickHouse 18.16 server.
func TestUpFreshWhileAnalystQueries(t *testing.T) {
	if testing.Short() {
		t.Skip("slow analyst query: skipped with -short")
	}
	feed := faultFeed(t, 1)[0]
	t.Run("chdb-26.5", func(t *testing.T) {
		analystFreshness(t, feed, upArgs(t.TempDir()))
	})
	t.Run("clickhouse-18.16", func(t *testing.T) {
		srv, err := chserver.Start(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(srv.Stop)
		analystFreshness(t, feed, upArgs(t.TempDir(), "--clickhouse-addr", srv.Addr))
	})
}

func analystFreshness(t *testing.T, feed []events.Event, args []string) {
	// BAOCAO_TEST_BIN runs another build of baocao (an older commit, to see
	// this test fail there); builds without the --sql-* flags get none.
	if upHasFlag(t, "--sql-concurrency") {
		args = append(args, "--sql-concurrency", "2", "--sql-timeout", "30s")
	} else {
		t.Logf("%s has no --sql-* flags: running up without them", childBinary())
	}
	f := startFaultyUp(t, append(args, "--batch-wait", "200ms")...)
	const burst = 300
	f.publish(t, feed[:burst])
	f.waitCaughtUp(t, time.Minute)
	feed = feed[burst:]

	// The analyst's query, given up on by its client well after the engine
	// should have ended it.
	type result struct {
		code int
		body string
		err  error
		at   time.Duration
	}
	ctx, cancel := context.WithTimeout(context.Background(), 35*time.Second)
	defer cancel()
	slowDone := make(chan result, 1)
	start := time.Now()
	go func() {
		code, body, err := getWithin(ctx, f.web+"/sql?format=csv&query="+url.QueryEscape(slowAnalystQuery))
		slowDone <- result{code, body, err, time.Since(start)}
	}()
	slowRunning := func() bool {
		select {
		case r := <-slowDone:
			slowDone <- r
			return false
		default:
			return true
		}
	}
	time.Sleep(2 * time.Second) // the query has started on its slot
	if !slowRunning() {
		r := <-slowDone
		t.Fatalf("the slow query ended after %v: %d %s %v", r.at, r.code, r.body, r.err)
	}

	visible := "SELECT uniqExact(id) AS n FROM baocao.events WHERE type != 'report.generated'"
	var fresh, projected, health []time.Duration
	for i := range 4 {
		part := feed[i*burst : (i+1)*burst]
		_, metrics := httpGet(t, f.web+"/metrics")
		inserted := metricValue(metrics, "baocao_projector_events_total")
		published, known := time.Now(), len(f.unique)
		f.publish(t, part)
		added := float64(len(f.unique) - known) // a feed repeats some events; NATS keeps one
		want := "n\n" + strconv.Itoa(len(f.unique)) + "\n"
		// Inserted (the projector's counter, which /metrics reads without
		// the store) and visible (through the analysts' free slot).
		var last string
		var tookInsert, took time.Duration
		for (tookInsert == 0 || took == 0) && time.Since(published) < 3*freshnessLimit {
			if _, metrics := httpGet(t, f.web+"/metrics"); tookInsert == 0 && metricValue(metrics, "baocao_projector_events_total") >= inserted+added {
				tookInsert = time.Since(published)
			}
			if took == 0 {
				rctx, rcancel := context.WithTimeout(context.Background(), freshnessLimit)
				code, body, err := getWithin(rctx, f.web+"/sql?format=csv&query="+url.QueryEscape(visible))
				rcancel()
				last = strconv.Itoa(code) + " " + strings.TrimSpace(body)
				if err != nil {
					last = err.Error()
				} else if code == 200 && body == want {
					took = time.Since(published)
				}
			}
			time.Sleep(100 * time.Millisecond)
		}
		if !slowRunning() {
			t.Fatalf("burst %d: the slow query ended before the check (after %v)", i, (<-slowDone).at)
		}
		// and the engine is running it, not only the HTTP server waiting
		pctx, pcancel := context.WithTimeout(context.Background(), freshnessLimit)
		code, body, err := getWithin(pctx, f.web+"/sql?format=csv&query="+url.QueryEscape(runningSlow))
		pcancel()
		if err != nil || code != 200 || body != "n\n1\n" {
			t.Errorf("burst %d: system.processes: %d %q %v, want the slow query running", i, code, body, err)
		}
		if tookInsert == 0 {
			tookInsert = time.Since(published)
			t.Errorf("burst %d of %d events: not inserted after %v, want within %v while an analyst query runs", i, burst, tookInsert.Round(time.Millisecond), freshnessLimit)
		} else if tookInsert > freshnessLimit {
			t.Errorf("burst %d of %d events: inserted after %v, want within %v while an analyst query runs", i, burst, tookInsert.Round(time.Millisecond), freshnessLimit)
		}
		if took == 0 || took > freshnessLimit {
			if took == 0 {
				took = time.Since(published)
			}
			t.Errorf("burst %d of %d events: not visible through /sql after %v (last answer %s), want within %v while an analyst query runs",
				i, burst, took.Round(time.Millisecond), last, freshnessLimit)
		}
		fresh, projected = append(fresh, took), append(projected, tookInsert)

		hstart := time.Now()
		hctx, hcancel := context.WithTimeout(context.Background(), freshnessLimit)
		code, body, err = getWithin(hctx, f.web+"/healthz")
		hcancel()
		health = append(health, time.Since(hstart))
		if err != nil || code != 200 {
			t.Errorf("burst %d: /healthz %d %s %v while an analyst query runs", i, code, body, err)
		}
		time.Sleep(2 * time.Second)
	}
	if !slowRunning() {
		t.Errorf("the slow query ended before the last check (after %v)", (<-slowDone).at)
	}
	t.Logf("%d-event bursts with an analyst query running: inserted after %v, visible through /sql after %v (max %v); /healthz took %v",
		burst, roundAll(projected), roundAll(fresh), slices.Max(fresh).Round(time.Millisecond), roundAll(health))

	r := <-slowDone
	t.Logf("the slow query ended after %v: %d %s %v", r.at.Round(time.Millisecond), r.code, lastLines(r.body, 2), r.err)
}

// getWithin is an HTTP GET that gives up with ctx.
func getWithin(ctx context.Context, u string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// upHasFlag says whether the baocao the children run has flag on up.
func upHasFlag(t *testing.T, flag string) bool {
	t.Helper()
	cmd := exec.Command(childBinary(), "up", "--help")
	cmd.Env = append(os.Environ(), "BAOCAO_TEST_MAIN=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("up --help: %v %s", err, out)
	}
	return strings.Contains(string(out), flag+" ")
}

func roundAll(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d.Round(time.Millisecond)
	}
	return out
}
