package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
)

// uniqueLines reads a JSON Lines file and returns each event's first line by
// id, the ids in first-seen order, and the number of lines.
func uniqueLines(t *testing.T, path string) (map[string]string, []string, int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	byID := map[string]string{}
	var order []string
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<20), 1<<20)
	for sc.Scan() {
		n++
		var head struct{ ID string }
		if err := json.Unmarshal(sc.Bytes(), &head); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		if _, seen := byID[head.ID]; !seen {
			byID[head.ID] = sc.Text()
			order = append(order, head.ID)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return byID, order, n
}

// assertStreamHolds checks that the stream holds exactly the unique events,
// each once, byte for byte, on its agency's subject with its id as Nats-Msg-Id.
func assertStreamHolds(t *testing.T, msgs []jetstream.Msg, byID map[string]string) {
	t.Helper()
	if len(msgs) != len(byID) {
		t.Fatalf("stream holds %d events; want the %d unique ones", len(msgs), len(byID))
	}
	seen := map[string]bool{}
	for _, m := range msgs {
		id := m.Headers().Get(jetstream.MsgIDHeader)
		want, ok := byID[id]
		switch {
		case !ok:
			t.Fatalf("stream holds an event %s that was not published", id)
		case seen[id]:
			t.Fatalf("stream holds %s twice", id)
		case string(m.Data()) != want:
			t.Fatalf("event %s differs from the published line:\n%s\n%s", id, m.Data(), want)
		}
		seen[id] = true
		var e events.Event
		agency, typ, perr := events.ParseSubject(events.DefaultPrefix, m.Subject())
		err := json.Unmarshal(m.Data(), &struct {
			Agency *string
			Type   *events.Type
		}{&e.Agency, &e.Type})
		if perr != nil || err != nil || agency != e.Agency || typ != e.Type {
			t.Fatalf("subject %s does not match the event's agency %s and type %s (%v, %v)", m.Subject(), e.Agency, e.Type, perr, err)
		}
	}
}

// The whole producer side: simulate a province → publish → read the stream
// back → the same events, each once, whatever the feed delivered twice.
func TestSimulatePublishReadBack(t *testing.T) {
	url := startNATS(t)
	if code, _, errs := baocao(t, "", "--nats-url", url, "streams"); code != 0 {
		t.Fatalf("streams: %s", errs)
	}
	dir := t.TempDir()
	feed := filepath.Join(dir, "feed.jsonl")
	sim := []string{"simulate", "--seed", "7", "--from", "2024-03-01", "--to", "2024-03-14",
		"--dossiers-per-day", "40", "--departments", "4", "--districts", "2", "--communes-per-district", "3",
		"--procedures", "80", "--duplicate-rate", "0.05"}
	if code, _, errs := baocao(t, "", append(sim, "--out", feed)...); code != 0 {
		t.Fatalf("simulate: %s", errs)
	}
	byID, _, lines := uniqueLines(t, feed)
	dups := lines - len(byID)
	if dups == 0 {
		t.Fatal("the simulated feed has no duplicates; the test would prove nothing")
	}

	code, _, errs := baocao(t, "", "--nats-url", url, "publish", "--rejects", filepath.Join(dir, "rej.jsonl"), feed)
	if code != 0 {
		t.Fatalf("publish exit %d: %s", code, errs)
	}
	want := fmt.Sprintf("%d lines: %d published, %d duplicates, 0 rejected, 0 failed", lines, len(byID), dups)
	if !strings.Contains(errs, want) {
		t.Fatalf("publish summary %q; want %q", errs, want)
	}
	assertStreamHolds(t, readStream(t, url), byID)

	// simulate --publish sends the same events (same seed) straight to a
	// fresh stream: the stream ends up with the same events.
	url2 := startNATS(t)
	baocao(t, "", "--nats-url", url2, "streams")
	if code, _, errs := baocao(t, "", append(append([]string{"--nats-url", url2}, sim...), "--publish")...); code != 0 {
		t.Fatalf("simulate --publish: %s", errs)
	}
	assertStreamHolds(t, readStream(t, url2), byID)
}
