package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

// startNATS runs a real nats-server for the test and returns its URL.
func startNATS(t *testing.T) string { return natstest.Start(t).URL }

// baocao runs one command line in-process and returns its exit code and output.
func baocao(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func jsonLine(t *testing.T, e events.Event) string {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readStream(t *testing.T, url string) []jetstream.Msg {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := js.Stream(ctx, stream.DefaultConfig().Name)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := s.Info(ctx)
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for uint64(len(out)) < info.State.Msgs {
		batch, err := c.Fetch(min(1000, int(info.State.Msgs)-len(out)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		for m := range batch.Messages() {
			out = append(out, m)
		}
		if batch.Error() != nil {
			t.Fatal(batch.Error())
		}
	}
	return out
}

func TestPublishCommand(t *testing.T) {
	url := startNATS(t)
	if code, out, errs := baocao(t, "", "--nats-url", url, "streams"); code != 0 || !strings.Contains(out, "stream BAOCAO_EVENTS created") {
		t.Fatalf("streams: %d %q %q", code, out, errs)
	}
	if code, out, _ := baocao(t, "", "--nats-url", url, "streams"); code != 0 || !strings.Contains(out, "unchanged") {
		t.Fatalf("streams again: %d %q", code, out)
	}

	at := time.Now().In(events.Vietnam).Add(-2 * time.Hour).Truncate(time.Second)
	good := func(i int) events.Event {
		return events.New("000.00.31.H23", "HS-"+string(rune('A'+i)), at, events.DossierRated{Satisfied: i%2 == 0})
	}
	e1, e2, e3 := good(1), good(2), good(3)
	bad := good(4)
	bad.Type, bad.SchemaVersion, bad.Payload = events.TypeDossierReceived, 2, events.DossierReceived{Procedure: "1.0001", Channel: "fax", DueAt: at.Add(time.Hour)}
	lines := []string{
		jsonLine(t, e1),
		"",
		jsonLine(t, e2),
		jsonLine(t, e1), // the agency sent it twice
		jsonLine(t, bad),
		"{not json",
		`{"id":"` + strings.Repeat("x", events.MaxEventBytes) + `"}`,
		"   ",
		jsonLine(t, e3) + "\r",
	}
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(in, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	rejects := filepath.Join(dir, "rejects.jsonl")

	code, _, errs := baocao(t, "", "--nats-url", url, "publish", "--rejects", rejects, in)
	if code != 1 {
		t.Fatalf("exit %d; want 1 for rejected lines\n%s", code, errs)
	}
	if !strings.Contains(errs, "7 lines: 3 published, 1 duplicates, 3 rejected, 0 failed") {
		t.Fatalf("summary: %s", errs)
	}

	f, err := os.Open(rejects)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []rejectRecord
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r rejectRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	want := []struct {
		line   int
		phrase string
	}{{5, `payload.channel: unknown value "fax"`}, {6, "not a JSON object"}, {7, "the limit is 65536"}}
	if len(recs) != len(want) {
		t.Fatalf("%d reject records; want %d: %+v", len(recs), len(want), recs)
	}
	for i, w := range want {
		if recs[i].Line != w.line || recs[i].File != in || !strings.Contains(recs[i].Error, w.phrase) || recs[i].Outcome != "rejected" {
			t.Errorf("reject %d = %+v; want line %d with %q", i, recs[i], w.line, w.phrase)
		}
	}
	if recs[0].Fields[0].Field != "payload.channel" || recs[0].Event == nil || recs[1].Raw != "{not json" {
		t.Errorf("reject records do not carry the field and the line: %+v", recs[:2])
	}

	msgs := readStream(t, url)
	if len(msgs) != 3 {
		t.Fatalf("stream holds %d events; want 3", len(msgs))
	}

	// Publishing the same file again stores nothing new.
	code, _, errs = baocao(t, "", "--nats-url", url, "publish", "--rejects", rejects, in)
	if code != 1 || !strings.Contains(errs, "0 published, 4 duplicates, 3 rejected") {
		t.Fatalf("second publish: %d %s", code, errs)
	}

	// Standard input, all valid: exit 0 and no rejects file.
	clean := filepath.Join(dir, "none.jsonl")
	code, _, errs = baocao(t, jsonLine(t, good(5))+"\n", "--nats-url", url, "publish", "--rejects", clean)
	if code != 0 || !strings.Contains(errs, "1 published") {
		t.Fatalf("stdin: %d %s", code, errs)
	}
	if _, err := os.Stat(clean); !os.IsNotExist(err) {
		t.Fatalf("a rejects file was written for a clean run")
	}
}

func TestPublishDryRunNeedsNoServer(t *testing.T) {
	at := time.Now().Add(-time.Hour)
	ok := jsonLine(t, events.New("000.00.31.H23", "HS-1", at, events.DossierWithdrawn{}))
	rejects := filepath.Join(t.TempDir(), "r.jsonl")
	code, _, errs := baocao(t, ok+"\n"+`{"id":"x"}`+"\n", "--nats-url", "nats://127.0.0.1:1", "publish", "--dry-run", "--rejects", rejects)
	if code != 1 || !strings.Contains(errs, "2 lines: 1 valid, 1 rejected (dry run") {
		t.Fatalf("dry run: %d %s", code, errs)
	}
}

func TestPublishUnreachableServer(t *testing.T) {
	code, _, errs := baocao(t, "", "--nats-url", "nats://127.0.0.1:1", "publish")
	if code != 2 || !strings.Contains(errs, "cannot reach NATS at nats://127.0.0.1:1") {
		t.Fatalf("%d %s", code, errs)
	}
}

func TestEnvironmentSetsFlags(t *testing.T) {
	t.Setenv("BAOCAO_NATS_URL", "nats://127.0.0.1:1")
	code, _, errs := baocao(t, "", "publish")
	if code != 2 || !strings.Contains(errs, "nats://127.0.0.1:1") {
		t.Fatalf("BAOCAO_NATS_URL ignored: %d %s", code, errs)
	}
}

// TestPublishWhileServerDown: the server stops in the middle of a run, and
// the run is interrupted while events wait for it, or its input ends and the
// server does not come back within --drain-timeout. Either way every line
// read is counted once — published, duplicate, rejected or failed — and every
// line the stream does not hold is in the rejects file with its reason.
func TestPublishWhileServerDown(t *testing.T) {
	for _, interrupt := range []bool{true, false} {
		name := map[bool]string{true: "interrupted", false: "input ends"}[interrupt]
		t.Run(name, func(t *testing.T) { publishWhileServerDown(t, interrupt) })
	}
}

func publishWhileServerDown(t *testing.T, interrupt bool) {
	dir := t.TempDir()
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: filepath.Join(dir, "nats"), Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv.Shutdown(); srv.WaitForShutdown() }()
	url := srv.ClientURL()
	if code, _, errs := baocao(t, "", "--nats-url", url, "streams"); code != 0 {
		t.Fatalf("streams: %s", errs)
	}

	at := time.Now().In(events.Vietnam).Add(-2 * time.Hour).Truncate(time.Second)
	line := func(i int) string {
		return jsonLine(t, events.New("000.00.31.H23", fmt.Sprintf("HS-%04d", i), at, events.DossierRated{Satisfied: true}))
	}
	const before, maxPending, after = 20, 4, 10
	stdin, feed := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rejects := filepath.Join(dir, "rejects.jsonl")
	var errb bytes.Buffer
	exited := make(chan int, 1)
	go func() {
		exited <- run(ctx, []string{"--nats-url", url, "publish", "--max-pending", strconv.Itoa(maxPending), "--drain-timeout", "2s",
			"--progress", "never", "--rejects", rejects}, stdin, io.Discard, &errb)
	}()

	for i := range before {
		fmt.Fprintln(feed, line(i+1))
	}
	waitForStream(t, url, before)
	srv.Shutdown()
	srv.WaitForShutdown()

	if interrupt {
		// With the server gone the in-flight slots fill and publish stops
		// reading; a write not taken for 3 s means it is waiting.
		written := make(chan struct{})
		go func() {
			defer close(written)
			for i := before; i < before+100; i++ {
				if _, err := fmt.Fprintln(feed, line(i+1)); err != nil {
					return
				}
			}
		}()
		select {
		case <-written:
			t.Fatalf("publish read 100 lines with the server down and only %d in flight", maxPending)
		case <-time.After(3 * time.Second):
		}
		cancel() // as SIGINT does
		defer func() { feed.Close(); <-written }()
	} else {
		// Fewer lines than the slots hold, then the end of the input.
		for i := before; i < before+maxPending-1; i++ {
			fmt.Fprintln(feed, line(i+1))
		}
		feed.Close()
	}
	var code int
	start := time.Now()
	select {
	case code = <-exited:
	case <-time.After(90 * time.Second):
		t.Fatal("publish did not return within 90 s")
	}
	t.Logf("publish returned %v after the interrupt or the end of input", time.Since(start).Round(time.Millisecond))

	var lines, published, duplicates, rejected, failed int
	summary := regexp.MustCompile(`(\d+) lines: (\d+) published, (\d+) duplicates, (\d+) rejected, (\d+) failed`).FindStringSubmatch(errb.String())
	if code != 1 || summary == nil {
		t.Fatalf("exit %d; want 1 with a summary:\n%s", code, errb.String())
	}
	for i, p := range []*int{&lines, &published, &duplicates, &rejected, &failed} {
		*p, _ = strconv.Atoi(summary[i+1])
	}
	if published+duplicates+rejected+failed != lines {
		t.Errorf("%d published + %d duplicates + %d rejected + %d failed ≠ %d lines read:\n%s", published, duplicates, rejected, failed, lines, errb.String())
	}
	if published != before || lines <= before {
		t.Errorf("%d lines read, %d published; want %d published before the server stopped and more lines read after", lines, published, before)
	}

	// Every line read is in the stream or in the rejects file.
	srv2, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: filepath.Join(dir, "nats"), Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { srv2.Shutdown(); srv2.WaitForShutdown() }()
	accounted := map[int]string{}
	for _, m := range readStream(t, srv2.ClientURL()) {
		e, err := events.Decode(m.Data(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		var i int
		fmt.Sscanf(e.SubjectID, "HS-%d", &i)
		accounted[i] = "stream"
	}
	recs := readRejects(t, rejects)
	for _, r := range recs {
		if prev, ok := accounted[r.Line]; ok {
			t.Errorf("line %d is in the %s and in the rejects file", r.Line, prev)
		}
		accounted[r.Line] = "rejects"
		if r.Outcome != "failed" || !strings.Contains(r.Error, "not sent") && !strings.Contains(r.Error, "not confirmed") || r.Event == nil {
			t.Errorf("reject record %+v; want failed, not sent or not confirmed, with the event", r)
		}
	}
	if len(recs) != rejected+failed {
		t.Errorf("%d reject records; the summary says %d rejected and %d failed", len(recs), rejected, failed)
	}
	for i := 1; i <= lines; i++ {
		if accounted[i] == "" {
			t.Errorf("line %d was read but is neither in the stream nor in the rejects file", i)
		}
	}
	t.Logf("%s", strings.TrimSpace(errb.String()))
}

// waitForStream waits until the events stream holds n messages.
func waitForStream(t *testing.T, url string, n uint64) {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: url}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		s, err := js.Stream(ctx, stream.DefaultConfig().Name)
		if err != nil {
			t.Fatal(err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs >= n {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the stream holds %d events after 30 s; want %d", info.State.Msgs, n)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func readRejects(t *testing.T, path string) []rejectRecord {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []rejectRecord
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r rejectRecord
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	return recs
}
