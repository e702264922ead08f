package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
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
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

// "baocao up" with nothing but a data folder: agencies publish to its
// embedded NATS, the projector fills chDB, the scheduler writes and
// announces the closed quarter's report, analysts query through /sql and
// "baocao sql", and everything is still there after a restart.
func TestUpEmbedded(t *testing.T) {
	data := t.TempDir()
	args := []string{"up", "--data", data, "--http", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0",
		"--grace", "0s", "--lookback", "2880h", "--interval", "1s", "--format", "md,html"}
	up := startChild(t, args...)
	web, natsURL := upAddresses(t, up, data)

	// Three months of a small province, published as agencies' systems do.
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2026, 8, 1), events.NewDate(2026, 10, 31)
	cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict, cfg.Procedures, cfg.DossiersPerDay = 3, 2, 2, 60, 20
	var feed []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { feed = append(feed, e); return nil }); err != nil {
		t.Fatal(err)
	}
	js := publishAll(t, natsURL, feed)
	waitConsumed(t, js)
	unique := strconv.Itoa(len(storetest.Unique(feed)))
	countIDs := "SELECT uniqExact(id) AS n FROM baocao.events WHERE type != 'report.generated'"
	if got := httpSQL(t, web, countIDs); got != "n\n"+unique+"\n" {
		t.Fatalf("/sql: %q, want %s events", got, unique)
	}

	// "baocao sql" on the same folder goes through up: chDB is up's.
	code, out, errs := baocao(t, "", "sql", "--data", data, "--format", "csv", countIDs)
	if code != 0 || out != "n\n"+unique+"\n" {
		t.Fatalf("baocao sql via up: exit %d %q %s", code, out, errs)
	}
	code, _, errs = baocao(t, "", "sql", "--data", data, "DROP TABLE baocao.events")
	if code != 2 || !strings.Contains(errs, "read-only") {
		t.Errorf("baocao sql DROP via up: exit %d %s; want refused as read-only", code, errs)
	}

	// The quarter that closed (Q3 2026, 15/6–14/9) is written and announced;
	// the announcement comes back through the stream into the projections.
	report := filepath.Join(data, "reports", "procedure_control", "2026-Q3-official")
	waitFor(t, "the Q3 report", 2*time.Minute, func() bool { _, err := os.Stat(report + ".html"); return err == nil })
	if _, err := os.Stat(report + ".md"); err != nil {
		t.Error(err)
	}
	// A pass during the publishing may have written Q3 from the events up
	// to then and rewritten it after: wait for a pass over the whole feed,
	// then for every announcement to come back.
	feedSeq := streamLastSeq(t, js)
	waitFor(t, "a schedule pass over the whole feed", time.Minute, func() bool {
		_, body := httpGet(t, web+"/metrics")
		return metricValue(body, "baocao_schedule_as_of_seq") >= float64(feedSeq) && metricValue(body, "baocao_schedule_projector_behind_events") == 0
	})
	_, body := httpGet(t, web+"/metrics")
	generated := int(metricValue(body, "baocao_reports_generated_total"))
	announced := "SELECT count() AS n FROM baocao.events WHERE type = 'report.generated'"
	waitFor(t, "report.generated projected", time.Minute, func() bool { return httpSQL(t, web, announced) == "n\n"+strconv.Itoa(generated)+"\n" })
	before := httpSQL(t, web, announced)

	code, body = httpGet(t, web+"/healthz")
	if code != 200 || !strings.Contains(body, `"nats":"ok"`) || !strings.Contains(body, `"store":"ok"`) {
		t.Errorf("/healthz: %d %s", code, body)
	}
	_, body = httpGet(t, web+"/metrics")
	for _, m := range []string{"baocao_reports_generated_total ", "baocao_projector_events_total", "baocao_sql_requests_total"} {
		if !strings.Contains(body, m) {
			t.Errorf("/metrics lacks %q", m)
		}
	}
	code, body = httpGet(t, web+"/")
	if code != 200 || !strings.Contains(body, "/reports/procedure_control/2026-Q3-official") {
		t.Errorf("report pages: %d, want a link to the Q3 report in:\n%s", code, body)
	}

	up.stop(t)
	if _, err := os.Stat(serverURLFile(data)); !os.IsNotExist(err) {
		t.Errorf("http.url left after a clean stop: %v", err)
	}

	// A restart finds the stream, the projections and the reports as they
	// were, and announces nothing again.
	up = startChild(t, args...)
	web, _ = upAddresses(t, up, data)
	if got := httpSQL(t, web, countIDs); got != "n\n"+unique+"\n" {
		t.Errorf("after restart: %q, want %s events", got, unique)
	}
	time.Sleep(3 * time.Second) // a few schedule passes
	if got := httpSQL(t, web, announced); got != before {
		t.Errorf("after restart, report.generated events: %q, want those from before (%q)", got, before)
	}
	up.stop(t)
}

var natsLine = regexp.MustCompile(`NATS\s+(nats://\S+)`)

// upAddresses waits until up serves and returns its HTTP and NATS URLs.
func upAddresses(t *testing.T, up *child, data string) (web, nats string) {
	t.Helper()
	waitFor(t, "up's HTTP server", time.Minute, func() bool {
		if up.cmd.ProcessState != nil {
			t.Fatalf("up exited:\n%s", up.output())
		}
		b, err := os.ReadFile(serverURLFile(data))
		web = strings.TrimSpace(string(b))
		// the banner follows the URL file
		return err == nil && web != "" && natsLine.MatchString(up.output())
	})
	m := natsLine.FindStringSubmatch(up.output())
	if m == nil {
		t.Fatalf("no NATS URL in up's banner:\n%s", up.output())
	}
	return web, m[1]
}

func publishAll(t *testing.T, natsURL string, feed []events.Event) jetstream.JetStream {
	t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: natsURL}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := producers.New(js, producers.Config{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, e := range feed {
		if err := p.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Outcome == producers.Rejected || r.Outcome == producers.Failed {
				t.Errorf("publish %s: %v", r.ID, r.Err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	return js
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	return httpDo(t, http.MethodGet, u, "", nil)
}

// httpDo sends a request, set adjusting it (headers, a login; nil: none),
// and returns the status and the body.
func httpDo(t *testing.T, method, u, body string, set func(*http.Request)) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if set != nil {
		set(req)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func httpSQL(t *testing.T, web, query string) string {
	t.Helper()
	code, body := httpGet(t, web+"/sql?format=csv&query="+url.QueryEscape(query))
	if code != 200 {
		t.Fatalf("/sql %q: %d %s", query, code, body)
	}
	return body
}

// Servers that cannot be reached are named, with the address tried.
func TestUpUnreachableServers(t *testing.T) {
	code, _, errs := baocao(t, "", "up", "--data", t.TempDir(), "--nats-url", "nats://127.0.0.1:1")
	if code != 2 || !strings.Contains(errs, "cannot reach NATS at nats://127.0.0.1:1") {
		t.Errorf("up with NATS down: exit %d %s", code, errs)
	}
	code, _, errs = baocao(t, "", "serve", "--clickhouse-addr", "127.0.0.1:1", "--http", "127.0.0.1:0")
	if code != 2 || !strings.Contains(errs, "cannot reach ClickHouse at 127.0.0.1:1") {
		t.Errorf("serve with ClickHouse down: exit %d %s", code, errs)
	}
}

// streamLastSeq is the events stream's last sequence.
func streamLastSeq(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	return natstest.StreamState(t, js).LastSeq
}

// metricValue reads an unlabelled metric from a /metrics body; -1 if absent.
func metricValue(body, name string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return -1
}
