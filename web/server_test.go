package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/chdb"
	"github.com/baocao/baocao/store/clickhouse"
	"github.com/baocao/baocao/store/storetest"
)

func TestReadOnlyQuery(t *testing.T) {
	allowed := map[string]string{
		"SELECT 1":                                     "SELECT 1",
		"  select 1 ;  ":                               "select 1",
		"WITH 2 AS x SELECT x;":                        "WITH 2 AS x SELECT x",
		"SHOW TABLES FROM baocao":                      "SHOW TABLES FROM baocao",
		"DESCRIBE baocao.events":                       "DESCRIBE baocao.events",
		"EXPLAIN SELECT 1":                             "EXPLAIN SELECT 1",
		"SELECT 'DROP TABLE x; INSERT' AS s":           "SELECT 'DROP TABLE x; INSERT' AS s",
		"SELECT 1 -- ; DROP TABLE x\n":                 "SELECT 1", // a trailing comment would hide the engine's FORMAT
		"SELECT format('{}-{}', 1, 2)":                 "SELECT format('{}-{}', 1, 2)",
		"SELECT 'it''s', `a;b` FROM t":                 "SELECT 'it''s', `a;b` FROM t",
		"/* read */ SELECT count() FROM baocao.x /**/": "/* read */ SELECT count() FROM baocao.x",
	}
	for q, want := range allowed {
		got, err := ReadOnlyQuery(q)
		if err != nil || got != want {
			t.Errorf("ReadOnlyQuery(%q) = %q, %v; want %q", q, got, err, want)
		}
	}
	refused := map[string]string{
		"":                                     "empty",
		" ; ":                                  "empty",
		"INSERT INTO baocao.events VALUES (1)": "INSERT is not allowed",
		"insert into t select 1":               "INSERT is not allowed",
		"DROP TABLE baocao.events":             "DROP is not allowed",
		"ALTER TABLE t DELETE WHERE 1":         "ALTER is not allowed",
		"CREATE TABLE t (x UInt8) ENGINE = Memory":          "CREATE is not allowed",
		"SET readonly = 0":                                  "SET is not allowed",
		"OPTIMIZE TABLE t":                                  "OPTIMIZE is not allowed",
		"SELECT 1; DROP TABLE t":                            "one statement",
		"SELECT * FROM file('/etc/passwd', 'LineAsString')": "file() is not allowed",
		"SELECT * FROM URL ('http://x', CSV)":               "URL() is not allowed",
		"SELECT * FROM remote('h:9000', db.t)":              "remote() is not allowed",
		"SELECT `file`('/etc/hostname')":                    "`file`() is not allowed",
		"SELECT \"file\"(1)":                                "\"file\"() is not allowed",
		"SELECT 1 INTO OUTFILE '/tmp/x'":                    "INTO OUTFILE",
		"SELECT 1 FORMAT JSON":                              "FORMAT is set by the endpoint",
		"SELECT 'unterminated":                              "unterminated",
		"SELECT 1 /* open":                                  "unterminated comment",
	}
	for q, want := range refused {
		if _, err := ReadOnlyQuery(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("ReadOnlyQuery(%q) = %v; want an error saying %q", q, err, want)
		}
	}
}

// The SQL endpoint answers reads in every format and refuses writes before
// the engine sees them, on both engines; the server engine also refuses a
// write that reaches it marked read-only.
func TestSQLEndpoint(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, srv *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, storetest.Lifecycle())
		count := storetest.Query(t, s, "SELECT count() FROM "+db+".events")[0][0]
		ts := httptest.NewServer(Handler(Config{Store: analyst(t, s, store.Limits{})}))
		defer ts.Close()

		q := "SELECT type, count() AS n, toFloat64(n) / 2 AS half, CAST(NULL AS Nullable(UInt8)) AS none FROM " + db +
			".events GROUP BY type ORDER BY type LIMIT 1"
		code, body, hdr := get(t, ts.URL+"/sql?format=json&query="+url.QueryEscape(q))
		if code != http.StatusOK || hdr.Get("Content-Type") != "application/json" {
			t.Fatalf("json: %d %s %q", code, hdr.Get("Content-Type"), body)
		}
		var res struct {
			Meta []struct{ Name, Type string }
			Data []map[string]any
			Rows int
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatalf("json: %v in %s", err, body)
		}
		if res.Rows != 1 || len(res.Meta) != 4 || res.Meta[1].Name != "n" {
			t.Fatalf("json: %s", body)
		}
		n, ok := res.Data[0]["n"].(float64)
		if !ok || n < 1 || res.Data[0]["half"] != n/2 || res.Data[0]["none"] != nil {
			t.Errorf("json values: %v (n must be a number, half n/2, none null)", res.Data[0])
		}

		code, body, hdr = post(t, ts.URL+"/sql?format=csv", "text/plain", "SELECT 'a,b' AS x, 2 AS y;")
		if code != http.StatusOK || body != "x,y\n\"a,b\",2\n" || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
			t.Errorf("csv: %d %q %s", code, body, hdr.Get("Content-Type"))
		}
		code, body, _ = post(t, ts.URL+"/sql", "application/x-www-form-urlencoded", url.Values{"query": {"SELECT 'a\tb' AS x"}}.Encode())
		if code != http.StatusOK || body != "x\na\\tb\n" {
			t.Errorf("tsv (the default) from a form: %d %q", code, body)
		}
		// curl --data-binary @query.sql labels the raw query as a form.
		code, body, _ = post(t, ts.URL+"/sql?format=csv", "application/x-www-form-urlencoded", "SELECT 1 + 1 AS two")
		if code != http.StatusOK || body != "two\n2\n" {
			t.Errorf("raw query sent as a form: %d %q", code, body)
		}

		for _, w := range []string{
			"INSERT INTO " + db + ".events SELECT * FROM " + db + ".events",
			"DROP TABLE " + db + ".events",
			"TRUNCATE TABLE " + db + ".events",
			"SELECT 1; DROP TABLE " + db + ".events",
			"SELECT * FROM file('/etc/passwd', 'LineAsString')",
		} {
			code, body, _ := post(t, ts.URL+"/sql", "text/plain", w)
			if code != http.StatusBadRequest || !strings.Contains(body, "not allowed") && !strings.Contains(body, "one statement") {
				t.Errorf("%q: %d %q; want 400 refused", w, code, body)
			}
		}
		code, body, _ = get(t, ts.URL+"/sql?query="+url.QueryEscape("SELECT no_such_column FROM "+db+".events"))
		if code != http.StatusBadRequest || !strings.Contains(body, "no_such_column") {
			t.Errorf("bad column: %d %q; want 400 naming it", code, body)
		}
		if got := storetest.Query(t, s, "SELECT count() FROM "+db+".events")[0][0]; got != count {
			t.Errorf("events after refused writes: %s, want %s", got, count)
		}

		_, body, _ = get(t, ts.URL+"/metrics")
		if !strings.Contains(body, `baocao_sql_requests_total{outcome="refused"} 5`) || !strings.Contains(body, `baocao_sql_requests_total{outcome="ok"} 4`) {
			t.Errorf("metrics: want 5 refused and 4 ok requests in\n%s", grep(body, "baocao_sql"))
		}
	})
}

func TestHealth(t *testing.T) {
	block := make(chan struct{})
	defer close(block)
	checks := map[string]func(context.Context) error{
		"nats":  func(context.Context) error { return nil },
		"store": func(context.Context) error { return nil },
	}
	ts := httptest.NewServer(Handler(Config{Checks: checks, CheckTimeout: 200 * time.Millisecond}))
	defer ts.Close()
	code, body, _ := get(t, ts.URL+"/healthz")
	if code != http.StatusOK || !strings.Contains(body, `"status":"ok"`) {
		t.Errorf("healthy: %d %s", code, body)
	}
	checks["nats"] = func(context.Context) error { return errors.New("disconnected") }
	checks["store"] = func(context.Context) error { <-block; return nil }
	code, body, _ = get(t, ts.URL+"/healthz")
	if code != http.StatusServiceUnavailable || !strings.Contains(body, `"nats":"disconnected"`) || !strings.Contains(body, `"store":"no answer within 200ms"`) {
		t.Errorf("unhealthy: %d %s", code, body)
	}
}

func get(t *testing.T, u string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

func post(t *testing.T, u, contentType, body string) (int, string, http.Header) {
	t.Helper()
	resp, err := http.Post(u, contentType, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

func readResponse(t *testing.T, resp *http.Response) (int, string, http.Header) {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header
}

func grep(s, substr string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// analyst opens the analysts' store of s with limits l.
func analyst(t *testing.T, s store.Store, l store.Limits) store.Store {
	t.Helper()
	var a store.Store
	var err error
	switch s := s.(type) {
	case *chdb.Store:
		a, err = s.Analyst(l)
	case *clickhouse.Store:
		a, err = s.Analyst(context.Background(), l, "", "")
	default:
		t.Fatalf("no analyst store for %T", s)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// The engine keeps analysts read-only, not the parser: each write, file,
// URL and settings attack of issue 12 is refused through /sql and also when
// it reaches the analysts' store directly, and nothing changed.
func TestSQLReadOnlyByEngine(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, srv *chtest.Server) {
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, storetest.Lifecycle())
		counts := func() string {
			return strings.Join(storetest.Query(t, s, "SELECT (SELECT count() FROM "+db+".events), (SELECT count() FROM "+db+
				".holidays), (SELECT count() FROM "+db+".dossiers)")[0], " ")
		}
		before := counts()
		var hits atomic.Int32 // a loopback listener: url() must never reach it
		lis := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1); io.WriteString(w, "x\n") }))
		defer lis.Close()
		out := filepath.Join(t.TempDir(), "written.tsv")
		a := analyst(t, s, store.Limits{})
		ts := httptest.NewServer(Handler(Config{Store: a}))
		defer ts.Close()

		attacks := []string{
			"WITH 1 AS x INSERT INTO " + db + ".holidays SELECT toDate('2024-01-02'),'x',0,now()",
			"WITH 1 AS x INSERT INTO " + db + ".events SELECT * FROM " + db + ".events",
			"SELECT * FROM `file`('/etc/hostname', 'TSV', 'x String')",
			"SELECT * FROM `url`('" + lis.URL + "/x', 'TSV', 'x String')",
			"INSERT INTO FUNCTION `file`('" + out + "', 'TSV', 'x String') SELECT 'x'",
			"SELECT count() FROM " + db + ".events SETTINGS readonly = 0",
			"SELECT count() FROM " + db + ".events SETTINGS max_execution_time = 100000",
			"SELECT `file`('/etc/hostname')",
		}
		for _, q := range attacks {
			code, body, _ := post(t, ts.URL+"/sql", "text/plain", q)
			if code != http.StatusBadRequest {
				t.Errorf("/sql %q: %d %q; want 400", q, code, body)
			}
		}
		// The parser bypassed: the engine refuses on its own.
		direct := append(attacks[:7:7], "SET readonly = 0", "CREATE TABLE "+db+".sneaky (x UInt8) ENGINE = Memory",
			"DROP TABLE "+db+".holidays", "CREATE TEMPORARY TABLE tmp (x UInt8)", "SYSTEM DROP DNS CACHE", "OPTIMIZE TABLE "+db+".events")
		for _, q := range direct {
			_, qerr := a.Query(context.Background(), q)
			eerr := a.Exec(context.Background(), q)
			if qerr == nil || eerr == nil {
				t.Errorf("analyst store %q: query %v, exec %v; want both refused", q, qerr, eerr)
			} else {
				t.Logf("refused %q: %v", q, qerr)
			}
		}
		if _, err := a.Query(context.Background(), "SELECT count() FROM system.tables"); err != nil {
			t.Errorf("analysts read system tables: %v", err)
		}
		if after := counts(); after != before {
			t.Errorf("events, holidays, dossiers: %s after the attacks, %s before", after, before)
		}
		if n := hits.Load(); n != 0 {
			t.Errorf("url() reached the loopback listener %d times", n)
		}
		if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("INSERT INTO FUNCTION file(): %s exists (%v)", out, err)
		}
	})
}

// slowQuery runs until max_execution_time stops it: sleep(1) sleeps once
// per block of system.numbers, and the sum reads blocks for ever.
const slowQuery = "SELECT sum(sleep(1)) FROM system.numbers"

// The engine enforces the limits: execution time, result rows, and how
// many analyst queries run at once (the next waits, then 503); while an
// analyst query runs, the projector's store is not held.
func TestSQLLimits(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, srv *chtest.Server) {
		db := storetest.Migrated(t, s)
		a := analyst(t, s, store.Limits{MaxExecutionTime: 4 * time.Second, MaxResultRows: 1000, Concurrency: 1, QueueWait: 300 * time.Millisecond})
		// The handler's own timeout comes later than the engine's: the
		// engine is what must stop the query.
		ts := httptest.NewServer(Handler(Config{Store: a, QueryTimeout: 8 * time.Second}))
		defer ts.Close()

		code, body, _ := post(t, ts.URL+"/sql", "text/plain", "SELECT number FROM system.numbers LIMIT 5000")
		if code != http.StatusBadRequest {
			t.Errorf("5000 rows over max_result_rows 1000: %d %.200q; want 400 (a limit)", code, body)
		}

		slow := make(chan string)
		start := time.Now()
		go func() {
			code, body, _ := post(t, ts.URL+"/sql", "text/plain", slowQuery)
			slow <- fmt.Sprintf("%d %s", code, body)
		}()
		time.Sleep(time.Second) // the slow query has its slot
		code, body, hdr := post(t, ts.URL+"/sql", "text/plain", "SELECT 1")
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "too many") || hdr.Get("Retry-After") == "" {
			t.Errorf("a second query while the only slot is taken: %d %q; want 503 too many, Retry-After", code, body)
		}
		// The projector's store answers while the analyst query runs.
		storetest.InsertOnce(t, s, db, storetest.Lifecycle())
		storetest.Query(t, s, "SELECT count() FROM "+db+".dossiers")
		select {
		case r := <-slow:
			t.Errorf("the analyst query ended (%s) before the projector's store answered: want it still running", r)
		default:
		}
		r := <-slow
		if !strings.HasPrefix(r, "400") || !strings.Contains(r, "TIMEOUT_EXCEEDED") && !strings.Contains(r, "Timeout exceeded") {
			t.Errorf("a query over max_execution_time: %.300s; want 400 timeout (a limit: retrying would stop again)", r)
		}
		// The next query on the session the timeout stopped is whole (chDB
		// once prefixed it with the stopped query's header line).
		if code, body, _ := post(t, ts.URL+"/sql?format=csv", "text/plain", "SELECT 1 AS one"); code != http.StatusOK || body != "one\n1\n" {
			t.Errorf("the query after a timeout: %d %q; want one,1", code, body)
		}
		t.Logf("slow query ended after %v", time.Since(start).Round(100*time.Millisecond))
	})
}

// A client that hangs up stops its query in the engine: the query leaves
// system.processes within a few seconds and its slot is free again (with
// one slot, the next query runs at once instead of 503).
func TestSQLCancelledByClient(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, srv *chtest.Server) {
		a := analyst(t, s, store.Limits{MaxExecutionTime: 60 * time.Second, Concurrency: 1, QueueWait: 300 * time.Millisecond})
		ts := httptest.NewServer(Handler(Config{Store: a, QueryTimeout: time.Minute}))
		defer ts.Close()
		const token = "cancel_me_7f3a"
		query := "SELECT sum(sleep(1)) AS " + token + " FROM system.numbers"
		running := "SELECT count() FROM system.processes WHERE position(query, '" + token + "') > 0 AND position(query, 'system.processes') = 0"

		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/sql", strings.NewReader(query))
		ended := make(chan error, 1)
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			ended <- err
		}()
		time.Sleep(1500 * time.Millisecond)
		if n := storetest.Query(t, s, running)[0][0]; n != "1" {
			t.Fatalf("the slow query is not running (%s in system.processes)", n)
		}
		cancel()
		<-ended
		hungUp := time.Now()
		for {
			n := storetest.Query(t, s, running)[0][0]
			if n == "0" {
				t.Logf("the query left system.processes %v after the client hung up", time.Since(hungUp).Round(10*time.Millisecond))
				break
			}
			if time.Since(hungUp) > 5*time.Second {
				t.Fatalf("the query is still running 5s after its client hung up")
			}
			time.Sleep(100 * time.Millisecond)
		}
		// the slot is free: the next query does not wait QueueWait for it
		code, body, _ := post(t, ts.URL+"/sql?format=csv", "text/plain", "SELECT 1 AS one")
		if code != http.StatusOK || body != "one\n1\n" {
			t.Errorf("the next query after a hang-up: %d %q; want one,1", code, body)
		}
	})
}

// A result streams out as the engine produces it, so an error after the
// first rows cannot change the 200: the body ends with the error (a last
// line for TSV/CSV, "exception" for JSON) and so does a trailer.
func TestSQLErrorAfterFirstRows(t *testing.T) {
	enginetest.Engines(t, func(t *testing.T, s store.Store, srv *chtest.Server) {
		a := analyst(t, s, store.Limits{Concurrency: 1})
		ts := httptest.NewServer(Handler(Config{Store: a, QueryTimeout: time.Minute}))
		defer ts.Close()
		// the first block (65536 rows) goes out, the second throws
		query := "SELECT number, throwIf(number = 100000) AS boom FROM system.numbers LIMIT 200000"
		for _, f := range []string{"tsv", "json"} {
			resp, err := http.Post(ts.URL+"/sql?format="+f, "text/plain", strings.NewReader(query))
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			tail := body[max(0, len(body)-300):]
			switch {
			case resp.StatusCode != http.StatusOK:
				t.Logf("%s: the engine failed before the first row (%d %.200q)", f, resp.StatusCode, body)
				continue
			case resp.Trailer.Get("X-Baocao-Error") == "":
				t.Errorf("%s: no X-Baocao-Error trailer after a failed stream; body ends %q", f, tail)
			case f == "tsv" && !strings.HasPrefix(body[strings.LastIndex(strings.TrimSuffix(body, "\n"), "\n")+1:], "baocao: query failed after "):
				t.Errorf("tsv: body ends %q; want the error line", tail)
			case f == "json" && (!strings.Contains(tail, `"exception":`) || !json.Valid(b)):
				t.Errorf("json: body ends %q; want valid JSON with exception", tail)
			}
			t.Logf("%s: %d bytes, rows trailer %s, ends %q", f, len(b), resp.Trailer.Get("X-Baocao-Rows"), body[max(0, len(body)-120):])
		}
	})
}
