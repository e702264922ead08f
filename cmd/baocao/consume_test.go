package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/natstest"
)

func TestMigrateSaysWhyItCannotReachClickHouse(t *testing.T) {
	code, _, errs := baocao(t, "", "migrate", "--clickhouse-addr", "127.0.0.1:1")
	if code != 2 || !strings.Contains(errs, "cannot reach ClickHouse at 127.0.0.1:1") {
		t.Fatalf("exit %d: %s", code, errs)
	}
}

// consume migrates, serves metrics, projects, and exits 0 on SIGINT/SIGTERM
// (here: its context ending).
func TestConsumeCommand(t *testing.T) {
	ns := natstest.StartWithStream(t)
	ch := chtest.Start(t)
	l, _ := net.Listen("tcp", "127.0.0.1:0")
	addr := l.Addr().String()
	l.Close()

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--nats-url", ns.URL, "consume", "--clickhouse-addr", ch.Addr, "--db", "cmdtest",
			"--metrics-addr", addr}, strings.NewReader(""), io.Discard, &stderr)
	}()
	var body string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		resp, err := http.Get("http://" + addr + "/metrics")
		if err != nil {
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if body = string(b); strings.Contains(body, "baocao_projector_lag_events") {
			break
		}
	}
	for _, m := range []string{"baocao_projector_lag_events", "baocao_projector_last_insert_timestamp_seconds", "baocao_projector_dead_letters_total", "go_goroutines"} {
		if !strings.Contains(body, m) {
			t.Errorf("/metrics lacks %s", m)
		}
	}
	// Profiles only when asked for (--pprof): anyone reaching the port
	// could take one.
	if code, _ := httpGet(t, "http://"+addr+"/debug/pprof/"); code != http.StatusNotFound {
		t.Errorf("/debug/pprof/ without --pprof: %d, want 404", code)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("consume exited %d on shutdown: %s", code, stderr.String())
	}
	if code, out, errs := baocao(t, "", "migrate", "--clickhouse-addr", ch.Addr, "--db", "cmdtest"); code != 0 || !strings.Contains(out, "(0 applied now)") {
		t.Fatalf("consume did not migrate the database: %d %s %s", code, out, errs)
	}
}

func TestRebuildCommand(t *testing.T) {
	ns := natstest.StartWithStream(t)
	ch := chtest.Start(t)
	feed := filepath.Join(t.TempDir(), "feed.jsonl")
	if code, _, errs := baocao(t, "", "simulate", "--from", "2024-03-01", "--to", "2024-03-03", "--dossiers-per-day", "50",
		"--departments", "3", "--districts", "1", "--communes-per-district", "2", "--procedures", "40", "--out", feed); code != 0 {
		t.Fatal(errs)
	}
	if code, _, errs := baocao(t, "", "--nats-url", ns.URL, "publish", feed); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := baocao(t, "", "--nats-url", ns.URL, "rebuild", "--clickhouse-addr", ch.Addr, "--db", "rb", "--progress", "always")
	if code != 0 || !strings.Contains(out, "rebuilt rb from ") {
		t.Fatalf("rebuild: %d %s %s", code, out, errs)
	}
	if !strings.Contains(errs, "events") {
		t.Errorf("no progress shown: %s", errs)
	}
}
