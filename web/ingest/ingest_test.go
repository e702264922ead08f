package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.yaml.in/yaml/v3"
	"golang.org/x/time/rate"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/logtest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/auth"
	"github.com/baocao/baocao/web/ingest"
)

const (
	agencyA = "000.00.31.H23"
	agencyB = "000.00.32.H23"
	// token is what the tests' callers send; it must never reach the log.
	token = "tok-3f9c2a7d51e84b06"
)

var agencyCaller = &auth.Principal{Name: "so-tu-phap", Role: auth.Agency, Agency: agencyA}

// asCaller stands for the login middleware: it puts p (none when nil) in
// the request's context.
func asCaller(h http.Handler, p *auth.Principal) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p != nil {
			r = r.WithContext(auth.WithPrincipal(r.Context(), *p))
		}
		h.ServeHTTP(w, r)
	})
}

type fixture struct {
	url string
	js  jetstream.JetStream
}

// start serves the intake on a real NATS with the events stream, as p.
func start(t *testing.T, js jetstream.JetStream, p *auth.Principal, tweak func(*ingest.Config)) *fixture {
	t.Helper()
	logs := &logtest.Buffer{}
	cfg := ingest.Config{
		JS: js, Stream: stream.DefaultConfig(),
		Log: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	in, err := ingest.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(asCaller(in, p))
	t.Cleanup(func() {
		srv.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := in.Close(ctx); err != nil {
			t.Error(err)
		}
		if strings.Contains(logs.String(), token) {
			t.Errorf("the log holds the bearer token:\n%s", logs.String())
		}
	})
	return &fixture{url: srv.URL, js: js}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (f *fixture) post(t *testing.T, contentType string, body []byte) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.url+"/v1/events", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, b}
}

func (r reply) outcomes(t *testing.T) ingest.Response {
	t.Helper()
	var out ingest.Response
	if err := json.Unmarshal(r.body, &out); err != nil {
		t.Fatalf("status %d: %v: %s", r.status, err, r.body)
	}
	return out
}

func (r reply) errorText(t *testing.T) string {
	t.Helper()
	var e struct{ Error string }
	if err := json.Unmarshal(r.body, &e); err != nil || e.Error == "" {
		t.Fatalf("status %d: want {\"error\": …}, got %s", r.status, r.body)
	}
	return e.Error
}

func streamMsgs(t *testing.T, js jetstream.JetStream) uint64 {
	t.Helper()
	return natstest.StreamState(t, js).Msgs
}

var at = time.Now().Add(-time.Hour).Truncate(time.Second)

// dossier is a valid event of agency.
func dossier(t *testing.T, agency string, i int) []byte {
	t.Helper()
	e := events.New(agency, "H23.31-240305-"+strconv.Itoa(i), at, events.DossierReceived{
		Procedure: "1.001234", Channel: events.ChannelOnline, DueAt: at.Add(48 * time.Hour), Components: 2,
	})
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func idOf(t *testing.T, data []byte) string {
	t.Helper()
	var v struct{ ID string }
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v.ID
}

func array(evs ...[]byte) []byte {
	return append(append([]byte("["), bytes.Join(evs, []byte(","))...), ']')
}

func TestNoPrincipalIsUnauthorized(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, nil, nil)
	r := f.post(t, "application/json", array(dossier(t, agencyA, 1), dossier(t, agencyA, 2)))
	if r.status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401: %s", r.status, r.body)
	}
	if got := r.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
		t.Errorf("WWW-Authenticate %q, want Bearer", got)
	}
	r.errorText(t)
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d events stored, want 0", n)
	}
}

func TestOtherRolesAreForbidden(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	for _, p := range []auth.Principal{
		{Name: "ana", Role: auth.Analyst},
		{Name: "reader", Role: auth.Reader},
		{Name: "nobody", Role: auth.Agency}, // an agency identity without its agency
		{Name: "odd", Role: "admin", Agency: agencyA},
	} {
		t.Run(p.Name, func(t *testing.T) {
			f := start(t, js, &p, nil)
			r := f.post(t, "application/json", dossier(t, agencyA, 1))
			if r.status != http.StatusForbidden {
				t.Fatalf("status %d, want 403: %s", r.status, r.body)
			}
			r.errorText(t)
		})
	}
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d events stored, want 0", n)
	}
}

func TestOtherAgencysEventsAreRejected(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	own := dossier(t, agencyA, 1)
	r := f.post(t, "application/json", array(dossier(t, agencyB, 1), own, dossier(t, agencyB, 2)))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	out := r.outcomes(t)
	want := []string{ingest.Rejected, ingest.Published, ingest.Rejected}
	for i, res := range out.Events {
		if res.Index != i || res.Outcome != want[i] {
			t.Errorf("event %d: %+v, want %s", i, res, want[i])
		}
		if res.Outcome == ingest.Rejected && (len(res.Errors) != 1 || res.Errors[0].Field != "agency" || !strings.Contains(res.Errors[0].Reason, agencyA)) {
			t.Errorf("event %d: errors %+v, want one on agency naming %s", i, res.Errors, agencyA)
		}
	}
	if out.Counts != (ingest.Counts{Events: 3, Published: 1, Rejected: 2}) {
		t.Errorf("counts %+v", out.Counts)
	}
	if n := streamMsgs(t, js); n != 1 {
		t.Errorf("%d events stored, want 1 (the caller's own)", n)
	}
	// And B's subjects hold nothing.
	s, _ := js.Stream(context.Background(), stream.DefaultConfig().Name)
	info, err := s.Info(context.Background(), jetstream.WithSubjectFilter(events.AgencySubjects(events.DefaultPrefix, agencyB)))
	if err != nil {
		t.Fatal(err)
	}
	if len(info.State.Subjects) != 0 {
		t.Errorf("agency B's subjects hold %v", info.State.Subjects)
	}

	// Only another agency's events: the token is not theirs, 403, with
	// each event's reason, and nothing stored.
	r = f.post(t, "application/json", array(dossier(t, agencyB, 3), dossier(t, agencyB, 4)))
	if r.status != http.StatusForbidden {
		t.Fatalf("only another agency's events: status %d, want 403: %s", r.status, r.body)
	}
	if out := r.outcomes(t); out.Counts != (ingest.Counts{Events: 2, Rejected: 2}) {
		t.Errorf("counts %+v", out.Counts)
	}
	if n := streamMsgs(t, js); n != 1 {
		t.Errorf("%d events stored, want still 1", n)
	}
}

func TestHalfValidBatchThenRetried(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	ok0, ok2, ok4 := dossier(t, agencyA, 0), dossier(t, agencyA, 2), dossier(t, agencyA, 4)
	// An invalid payload field, with a good id to echo.
	bad := bytes.Replace(dossier(t, agencyA, 1), []byte(`"channel":"online"`), []byte(`"channel":"fax"`), 1)
	report, _ := json.Marshal(events.New(agencyA, "reform/quarter/official/2024-1", at, events.ReportGenerated{
		Report: events.ReportProcedureControl, PeriodKind: events.PeriodQuarter, Cutoff: events.CutoffOfficial,
		Year: 2024, Number: 1, PeriodStart: events.Date{Time: time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC)},
		PeriodEnd: events.Date{Time: time.Date(2024, 3, 14, 0, 0, 0, 0, time.UTC)}, Label: "Quý I/2024",
		Files: []events.ReportFile{{Format: events.FormatMarkdown, Path: "2024/a.md", Bytes: 1, SHA256: strings.Repeat("a", 64)}}, AsOfSeq: 1,
	}))
	body := array(ok0, bad, ok2, report, ok4, []byte(`42`), ok0)

	type want struct {
		outcome, field string
	}
	first := []want{{ingest.Published, ""}, {ingest.Rejected, "payload.channel"}, {ingest.Published, ""}, {ingest.Rejected, "type"}, {ingest.Published, ""}, {ingest.Rejected, ""}, {ingest.Duplicate, ""}}
	check := func(r reply, wants []want, counts ingest.Counts) {
		t.Helper()
		if r.status != http.StatusOK {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		out := r.outcomes(t)
		if len(out.Events) != len(wants) {
			t.Fatalf("%d results, want %d: %s", len(out.Events), len(wants), r.body)
		}
		for i, w := range wants {
			res := out.Events[i]
			if res.Index != i || res.Outcome != w.outcome {
				t.Errorf("event %d: %+v, want %s", i, res, w.outcome)
			}
			if w.outcome == ingest.Rejected && (len(res.Errors) != 1 || res.Errors[0].Field != w.field || res.Errors[0].Reason == "") {
				t.Errorf("event %d: errors %+v, want one on %q", i, res.Errors, w.field)
			}
			if w.outcome != ingest.Rejected && (len(res.Errors) != 0 || res.Seq == 0) {
				t.Errorf("event %d: %+v: want a sequence and no errors", i, res)
			}
		}
		for i, id := range map[int]string{0: idOf(t, ok0), 1: idOf(t, bad), 2: idOf(t, ok2), 4: idOf(t, ok4), 6: idOf(t, ok0)} {
			if out.Events[i].ID != id {
				t.Errorf("event %d: id %q, want %q", i, out.Events[i].ID, id)
			}
		}
		if out.Counts != counts {
			t.Errorf("counts %+v, want %+v", out.Counts, counts)
		}
	}
	check(f.post(t, "application/json", body), first, ingest.Counts{Events: 7, Published: 3, Duplicate: 1, Rejected: 3})
	if n := streamMsgs(t, js); n != 3 {
		t.Fatalf("%d events stored, want 3", n)
	}

	// The same batch again, as after a timeout: nothing is stored twice.
	again := append([]want(nil), first...)
	for _, i := range []int{0, 2, 4} {
		again[i].outcome = ingest.Duplicate
	}
	check(f.post(t, "application/json", body), again, ingest.Counts{Events: 7, Duplicate: 4, Rejected: 3})
	if n := streamMsgs(t, js); n != 3 {
		t.Errorf("%d events stored after the retry, want 3", n)
	}
}

func TestForms(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	stored := uint64(0)
	for _, tc := range []struct {
		name, contentType string
		body              func() []byte
		lines             []int
	}{
		{"single", "application/json", func() []byte { return dossier(t, agencyA, 1) }, []int{0}},
		{"single pretty, no type", "", func() []byte {
			var b bytes.Buffer
			json.Indent(&b, dossier(t, agencyA, 1), "", "  ")
			return b.Bytes()
		}, []int{0}},
		{"array", "application/json", func() []byte { return array(dossier(t, agencyA, 1), dossier(t, agencyA, 2)) }, []int{0, 0}},
		{"array with a BOM", "application/json; charset=utf-8", func() []byte {
			return append([]byte("\xef\xbb\xbf\n"), array(dossier(t, agencyA, 1))...)
		}, []int{0}},
		{"JSON Lines", "application/x-ndjson", func() []byte {
			return bytes.Join([][]byte{dossier(t, agencyA, 1), {}, dossier(t, agencyA, 2), dossier(t, agencyA, 3)}, []byte("\r\n"))
		}, []int{1, 3, 4}},
		{"JSON Lines sent as application/json", "application/json", func() []byte {
			return bytes.Join([][]byte{dossier(t, agencyA, 1), dossier(t, agencyA, 2), {}}, []byte("\n"))
		}, []int{1, 2}},
		{"JSON Lines sent as a form (curl -d)", "application/x-www-form-urlencoded", func() []byte {
			return bytes.Join([][]byte{dossier(t, agencyA, 1), dossier(t, agencyA, 2)}, []byte("\n"))
		}, []int{1, 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.post(t, tc.contentType, tc.body())
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			out := r.outcomes(t)
			if len(out.Events) != len(tc.lines) || out.Counts.Published != len(tc.lines) {
				t.Fatalf("want %d published: %s", len(tc.lines), r.body)
			}
			for i, res := range out.Events {
				if res.Index != i || res.Line != tc.lines[i] || res.Outcome != ingest.Published {
					t.Errorf("event %d: %+v, want line %d published", i, res, tc.lines[i])
				}
			}
			stored += uint64(len(tc.lines))
			if n := streamMsgs(t, js); n != stored {
				t.Errorf("%d events stored, want %d", n, stored)
			}
		})
	}
}

// A broken line of JSON Lines is that event's rejection, not the batch's.
func TestBrokenLineIsRejectedAlone(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	body := bytes.Join([][]byte{dossier(t, agencyA, 1), []byte(`{"id": "x", oops`), dossier(t, agencyA, 2)}, []byte("\n"))
	r := f.post(t, "application/x-ndjson", body)
	out := r.outcomes(t)
	if r.status != http.StatusOK || out.Counts != (ingest.Counts{Events: 3, Published: 2, Rejected: 1}) {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if res := out.Events[1]; res.Outcome != ingest.Rejected || res.Line != 2 || len(res.Errors) != 1 || !strings.Contains(res.Errors[0].Reason, "not a JSON object") {
		t.Errorf("line 2: %+v", res)
	}
	if n := streamMsgs(t, js); n != 2 {
		t.Errorf("%d events stored, want 2", n)
	}
}

func TestUnparseableBody(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	for _, tc := range []struct {
		name, body, where string
	}{
		{"empty", "", "empty body"},
		{"blank", " \n\t ", "empty body"},
		{"not JSON", "id=1&type=x", "line 1, column 1"},
		{"a number", "\n\n  42", "line 3, column 3"},
		{"broken array", "[\n" + `{"id": 1},` + "\n" + `{"id": }` + "\n]", "line 3, column 8"},
		{"unterminated array", `[{"id": 1}`, "unexpected end of input"},
		{"broken single", "{\n  \"id\": \"a\",\n  \"type\" \"x\"\n}", "line 3, column 10"},
		{"empty array", "[ ]", "no events"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.post(t, "application/json", []byte(tc.body))
			if r.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.status, r.body)
			}
			if msg := r.errorText(t); !strings.Contains(msg, tc.where) {
				t.Errorf("error %q does not say %q", msg, tc.where)
			}
		})
	}
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d events stored, want 0", n)
	}
}

func TestTooBig(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	one := dossier(t, agencyA, 1)
	f := start(t, js, agencyCaller, func(c *ingest.Config) { c.MaxBodyBytes = int64(3*len(one) + 10); c.MaxEvents = 2 })
	big := bytes.Join([][]byte{dossier(t, agencyA, 1), dossier(t, agencyA, 2), dossier(t, agencyA, 3), dossier(t, agencyA, 4)}, []byte("\n"))
	if r := f.post(t, "application/x-ndjson", big); r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("body over the bytes: status %d, want 413: %s", r.status, r.body)
	}
	// Without a Content-Length the limit holds as the body is read.
	req, _ := http.NewRequest(http.MethodPost, f.url+"/v1/events", io.MultiReader(bytes.NewReader(big)))
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("chunked body over the bytes: status %d, want 413", resp.StatusCode)
	}
	three := bytes.Join([][]byte{dossier(t, agencyA, 1), dossier(t, agencyA, 2), dossier(t, agencyA, 3)}, []byte("\n"))
	r := f.post(t, "application/x-ndjson", three)
	if r.status != http.StatusRequestEntityTooLarge || !strings.Contains(r.errorText(t), "3 events; the limit is 2") {
		t.Errorf("over the events: status %d, want 413: %s", r.status, r.body)
	}
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d events stored, want 0", n)
	}
}

func TestRateLimitPerAgency(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	lim := func(c *ingest.Config) { c.Rate = rate.Limit(0.5); c.Burst = 3; c.MaxEvents = 3 }
	f := start(t, js, agencyCaller, lim)
	send := func(want int, evs ...[]byte) {
		t.Helper()
		r := f.post(t, "application/json", array(evs...))
		if r.status != want {
			t.Fatalf("%d events: status %d, want %d: %s", len(evs), r.status, want, r.body)
		}
		if want == http.StatusTooManyRequests {
			if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 6 {
				t.Errorf("Retry-After %q, want 1 to 6 s", r.header.Get("Retry-After"))
			}
			r.errorText(t)
		}
	}
	send(http.StatusOK, dossier(t, agencyA, 1), dossier(t, agencyA, 2)) // 1 of 3 left
	send(http.StatusTooManyRequests, dossier(t, agencyA, 3), dossier(t, agencyA, 4))
	send(http.StatusOK, dossier(t, agencyA, 5)) // the refused batch took nothing
	send(http.StatusTooManyRequests, dossier(t, agencyA, 6))
	if n := streamMsgs(t, js); n != 3 {
		t.Errorf("%d events stored, want 3 (the batches let through)", n)
	}
	// The limit is per agency: another agency's token still passes.
	other := start(t, js, &auth.Principal{Name: "so-yte", Role: auth.Agency, Agency: agencyB}, lim)
	if r := other.post(t, "application/json", dossier(t, agencyB, 1)); r.status != http.StatusOK {
		t.Errorf("another intake, agency B: %d", r.status)
	}
}

// One agency's requests in progress are bounded: a slow sender holds its own
// slots, not the intake.
func TestConcurrentRequestsPerAgency(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, func(c *ingest.Config) { c.MaxConcurrent = 1 })
	// A request whose body is still coming holds the agency's one slot.
	pr, pw := io.Pipe()
	slow := make(chan int)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, f.url+"/v1/events", pr)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- 0
			return
		}
		resp.Body.Close()
		slow <- resp.StatusCode
	}()
	pw.Write(dossier(t, agencyA, 1)[:10])
	// An empty array is a 400 when served: poll until the slot is seen taken.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := f.post(t, "application/json", []byte("[]"))
		if r.status == http.StatusTooManyRequests {
			if r.header.Get("Retry-After") == "" || !strings.Contains(r.errorText(t), "requests in progress") {
				t.Errorf("429 without Retry-After or reason: %s", r.body)
			}
			break
		}
		if r.status != http.StatusBadRequest || time.Now().After(deadline) {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if r := f.post(t, "application/json", dossier(t, agencyA, 2)); r.status != http.StatusTooManyRequests {
		t.Errorf("second request while the first is read: status %d, want 429", r.status)
	}
	// Another agency is not held up.
	other := start(t, js, &auth.Principal{Name: "so-yte", Role: auth.Agency, Agency: agencyB}, nil)
	if r := other.post(t, "application/json", dossier(t, agencyB, 1)); r.status != http.StatusOK {
		t.Errorf("agency B: status %d", r.status)
	}
	pw.Write(dossier(t, agencyA, 1)[10:])
	pw.Close()
	if s := <-slow; s != http.StatusOK {
		t.Errorf("the slow request: status %d", s)
	}
	if r := f.post(t, "application/json", dossier(t, agencyA, 3)); r.status != http.StatusOK {
		t.Errorf("after the slow request: status %d", r.status)
	}
	if n := streamMsgs(t, js); n != 3 {
		t.Errorf("%d events stored, want 3 (the slow one, B's and the last)", n)
	}
}

// Senders that wait for each answer before their next request never meet
// their own previous request's slot.
func TestSequentialRequestsNeverOverTheLimit(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	const senders = 4
	f := start(t, js, agencyCaller, func(c *ingest.Config) { c.MaxConcurrent, c.Rate = senders, rate.Inf })
	var wg sync.WaitGroup
	var over atomic.Int64
	for range senders {
		wg.Go(func() {
			// An answer larger than the server's buffer reaches the client
			// before the handler has returned.
			body := array(bytes.Split(bytes.Repeat([]byte("42 "), 300), []byte(" "))[:300]...)
			for range 50 {
				// Like many clients, read the answer's JSON and close,
				// without waiting for the end of the chunked body.
				resp, err := http.Post(f.url+"/v1/events", "application/json", bytes.NewReader(body))
				if err != nil {
					t.Error(err)
					return
				}
				var out ingest.Response
				json.NewDecoder(resp.Body).Decode(&out)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK || out.Counts.Rejected != 300 {
					over.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := over.Load(); n > 0 {
		t.Errorf("%d of %d requests refused", n, senders*50)
	}
}

// The stream's server is down: the intake answers 503 at once, nothing
// crashes, and it takes events again once the server is back.
func TestNATSDown(t *testing.T) {
	dir := t.TempDir()
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: dir, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	nc, err := stream.Connect(stream.ConnConfig{URL: srv.ClientURL()}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	if _, _, _, err := stream.Provision(context.Background(), js, stream.DefaultConfig()); err != nil {
		t.Fatal(err)
	}
	f := start(t, js, agencyCaller, nil)
	if r := f.post(t, "", dossier(t, agencyA, 1)); r.status != http.StatusOK {
		t.Fatalf("before: %d %s", r.status, r.body)
	}
	port := srv.Addr().(*net.TCPAddr).Port
	srv.Shutdown()
	srv.WaitForShutdown()
	for i := 0; nc.IsConnected(); i++ {
		if i > 100 {
			t.Fatal("the client still thinks it is connected")
		}
		time.Sleep(20 * time.Millisecond)
	}
	begin := time.Now()
	body := array(dossier(t, agencyA, 2), dossier(t, agencyA, 3))
	r := f.post(t, "application/json", body)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("status %d, Retry-After %q: want 503 with Retry-After: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	t.Logf("503 after %v: %s", time.Since(begin), r.errorText(t))

	// Back on the same port and files: the connection comes back by itself.
	srv, err = stream.StartEmbedded(stream.EmbeddedConfig{Dir: dir, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	for i := 0; !nc.IsConnected(); i++ {
		if i > 500 {
			t.Fatal("the client did not reconnect")
		}
		time.Sleep(20 * time.Millisecond)
	}
	r = f.post(t, "application/json", body) // the same body again, as the 503 asked
	if out := r.outcomes(t); r.status != http.StatusOK || out.Counts.Published != 2 {
		t.Fatalf("after the restart: status %d: %s", r.status, r.body)
	}
	if n := streamMsgs(t, js); n != 3 {
		t.Errorf("%d events stored, want 3 (one before, two after)", n)
	}
}

// NATS is up but no stream answers: every valid event fails, the answer is
// 503 with each event's outcome.
func TestNoStreamFailsEachEvent(t *testing.T) {
	js := natstest.Start(t).JS
	f := start(t, js, agencyCaller, nil)
	r := f.post(t, "application/json", array(dossier(t, agencyA, 1), []byte(`{}`), dossier(t, agencyA, 2)))
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	out := r.outcomes(t)
	if out.Counts != (ingest.Counts{Events: 3, Rejected: 1, Failed: 2}) {
		t.Fatalf("counts %+v: %s", out.Counts, r.body)
	}
	for _, i := range []int{0, 2} {
		if res := out.Events[i]; res.Outcome != ingest.Failed || len(res.Errors) != 1 || res.Errors[0].Reason == "" {
			t.Errorf("event %d: %+v", i, res)
		}
	}
}

func TestOpenAPIServed(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, nil, nil)
	resp, err := http.Get(f.url + "/v1/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(b, ingest.OpenAPI()) {
		t.Fatalf("status %d, %d bytes", resp.StatusCode, len(b))
	}
	var doc struct {
		OpenAPI    string                               `yaml:"openapi"`
		Paths      map[string]map[string]map[string]any `yaml:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]any `yaml:"properties"`
			} `yaml:"schemas"`
		} `yaml:"components"`
	}
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI == "" || doc.Paths["/v1/events"]["post"] == nil {
		t.Fatalf("no POST /v1/events: %+v", doc)
	}
	// The described response is the one sent.
	for schema, v := range map[string]any{"Result": ingest.Result{}, "Outcomes": ingest.Response{}} {
		b, _ := json.Marshal(v)
		var fields map[string]any
		json.Unmarshal(b, &fields)
		for k := range doc.Components.Schemas[schema].Properties {
			delete(fields, k)
		}
		if len(fields) > 0 {
			t.Errorf("schema %s lacks %v", schema, fields)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	js := natstest.Start(t).JS
	for _, tc := range []struct {
		name string
		cfg  ingest.Config
		want string
	}{
		{"no JetStream", ingest.Config{Stream: stream.DefaultConfig()}, "no JetStream"},
		{"burst below a batch", ingest.Config{JS: js, Stream: stream.DefaultConfig(), MaxEvents: 100, Burst: 10}, "burst 10"},
		{"bad stream", ingest.Config{JS: js}, "stream name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ingest.New(tc.cfg); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want %q", err, tc.want)
			}
		})
	}
}

// The agency directory is not an agency's to change over HTTP: an event
// merging another agency away is rejected on its type, and nothing stored.
func TestDirectoryEventsAreRejected(t *testing.T) {
	js := natstest.StartWithStream(t).JS
	f := start(t, js, agencyCaller, nil)
	merged, _ := json.Marshal(events.New(agencyA, agencyB, at, events.AgencyMerged{Into: agencyA, EffectiveFrom: events.NewDate(2024, 3, 1)}))
	r := f.post(t, "application/json", array(merged))
	if r.status != http.StatusOK {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	out := r.outcomes(t)
	if len(out.Events) != 1 || out.Events[0].Outcome != ingest.Rejected || len(out.Events[0].Errors) != 1 || out.Events[0].Errors[0].Field != "type" {
		t.Errorf("a directory event over HTTP: %s, want rejected on type", r.body)
	}
	if n := streamMsgs(t, js); n != 0 {
		t.Errorf("%d events stored, want none", n)
	}
}
