package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baocao/baocao/bench"
)

// The bench harness on a few thousand events, every phase on both engines:
// it runs to its end and reports every figure. Its speeds are measured,
// not asserted (BENCHMARKS.md); this keeps the harness from rotting.
func TestBenchSmoke(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "results.json")
	c := startChild(t, "bench", "--events", "3000", "--fresh-rate", "500", "--fresh-for", "2s",
		"--report-dossiers", "3000", "--report-runs", "2", "--dir", filepath.Join(dir, "work"), "--json", out)
	if code := c.wait(t, 10*time.Minute); code != 0 {
		t.Fatalf("bench: exit %d\n%s", code, c.output())
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var results []bench.Result
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatal(err)
	}
	got := map[string]bench.Result{}
	for _, r := range results {
		got[r.Phase+" on "+r.Engine] = r
	}
	want := []string{"ceiling: JetStream publish on nats", "ceiling: JetStream consume on nats", "ceiling: JetStream publish + consume on nats",
		"drain a pre-filled stream: baocao consume on " + bench.Server}
	for _, e := range []string{bench.Server, bench.Embedded} {
		for _, p := range []string{"ceiling: ClickHouse insert", "end to end", "freshness", "rebuild",
			"report data: simulate and insert", "report: six months, every format", "report: dossier form by agency"} {
			want = append(want, p+" on "+e)
		}
	}
	for _, w := range want {
		r, ok := got[w]
		switch {
		case !ok:
			t.Errorf("no result for %s\n%s", w, c.output())
		case r.Events == 0 || (r.Rate() == 0 && r.P50 == 0):
			t.Errorf("%s: %+v measures nothing", w, r)
		}
	}
	for _, e := range []string{bench.Server, bench.Embedded} {
		if r := got["end to end on "+e]; r.PeakRSS == 0 || r.CPU["bench"] == 0 || r.Events != 3000 {
			t.Errorf("end to end on %s: %+v; want 3000 events, the peak memory and the CPU of the processes", e, r)
		}
	}
	if r := got["freshness on "+bench.Server]; r.Events != 1000 || r.P50 <= 0 || r.P99 < r.P50 {
		t.Errorf("freshness: %+v; want 1000 events with p50 ≤ p99", r)
	}
}
