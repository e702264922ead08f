package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store"
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
		"SELECT \"file\"(1)":                           "SELECT \"file\"(1)",
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
		ts := httptest.NewServer(Handler(Config{Store: s}))
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

		if srv != nil { // the server's own guard, for a write that got past ours
			_, err := s.Query(store.ReadOnly(context.Background()), "CREATE TABLE "+db+".sneaky (x UInt8) ENGINE = Memory")
			if err == nil || !strings.Contains(strings.ToLower(err.Error()), "readonly") {
				t.Errorf("CREATE marked read-only on the server: %v; want refused in readonly mode", err)
			}
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
