// Package web is baocao's HTTP side, served by "baocao up" and "baocao
// serve": health for supervisors, Prometheus metrics, a read-only SQL
// endpoint for analysts, and the report pages.
package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/web/auth"
)

// Config is what the handler serves.
type Config struct {
	// Store runs /sql: the analysts' store (chdb.Store.Analyst,
	// clickhouse.Store.Analyst), on which the engine itself keeps queries
	// read-only and within store.Limits. Never the projector's store.
	Store store.Store
	// Registry is served at /metrics; the handler adds its own metrics.
	Registry *prometheus.Registry
	// Checks are the health checks by component ("nats", "store"), each
	// given CheckTimeout to answer.
	Checks       map[string]func(context.Context) error
	CheckTimeout time.Duration
	// QueryTimeout bounds one SQL request in the handler; the engine's
	// max_execution_time (store.Limits) is what stops the query.
	QueryTimeout time.Duration
	// Pages adds the report pages' routes (nil: none).
	Pages interface{ Register(*http.ServeMux) }
	// RequireLogin asks every route but /healthz for a login from Users:
	// /sql an analyst, the pages, downloads and /metrics a reader or an
	// analyst. "up" and "serve" set it whenever they listen beyond
	// loopback.
	RequireLogin bool
	// Users are who may log in (agencies' tokens too, whether or not
	// RequireLogin); nil: nobody.
	Users *auth.Users
	// Intake serves agencies' events (web/ingest): POST /v1/events, always
	// behind an agency's login, and GET /v1/openapi.yaml, open. nil: none.
	Intake http.Handler
	Log    *slog.Logger
}

// maxQueryBytes bounds a SQL request's body.
const maxQueryBytes = 1 << 20

// Handler returns the HTTP handler: /healthz, /metrics, /sql and the pages.
func Handler(cfg Config) http.Handler {
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.CheckTimeout == 0 {
		cfg.CheckTimeout = 3 * time.Second
	}
	if cfg.QueryTimeout == 0 {
		cfg.QueryTimeout = store.DefaultLimits.MaxExecutionTime + time.Minute
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Users == nil {
		cfg.Users = auth.None()
	}
	s := &server{cfg: cfg, queries: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "baocao_sql_requests_total", Help: "Requests to the SQL endpoint by outcome: ok, refused (not read-only or malformed), failed.",
	}, []string{"outcome"})}
	cfg.Registry.MustRegister(s.queries)
	if err := cfg.Registry.Register(cfg.Users.Collector()); err != nil && !errors.As(err, new(prometheus.AlreadyRegisteredError)) {
		panic(err)
	}
	login := func(h http.Handler, roles ...auth.Role) http.Handler { return h }
	if cfg.RequireLogin {
		if err := cfg.Users.Err(); err != nil {
			cfg.Log.Warn("HTTP login is required and nobody can log in yet: every request but /healthz is refused (401) until a user is added, e.g. baocao users add NAME --role analyst", "reason", err)
		}
		login = func(h http.Handler, roles ...auth.Role) http.Handler { return auth.Require(cfg.Users, roles...)(h) }
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.health)
	if cfg.Intake != nil {
		// The token decides whose events these are: asked even on loopback.
		mux.Handle("POST /v1/events", auth.Require(cfg.Users, auth.Agency)(cfg.Intake))
		mux.Handle("GET /v1/openapi.yaml", cfg.Intake)
	}
	mux.Handle("GET /metrics", login(promhttp.HandlerFor(cfg.Registry, promhttp.HandlerOpts{Registry: cfg.Registry}), auth.Reader, auth.Analyst))
	sql := login(http.HandlerFunc(s.sql), auth.Analyst)
	mux.Handle("GET /sql", sql)
	mux.Handle("POST /sql", sql)
	// The pages and downloads have their own mux behind one login, so no
	// route of theirs can be left open; an unknown path also asks for one.
	pages := http.NewServeMux()
	if cfg.Pages != nil {
		cfg.Pages.Register(pages)
	}
	mux.Handle("/", login(pages, auth.Reader, auth.Analyst))
	return mux
}

type server struct {
	cfg     Config
	queries *prometheus.CounterVec
}

// health answers 200 when every check passes and 503 otherwise, with each
// component's state as JSON. A check that does not answer in time counts
// as failed: the embedded engine runs one query at a time, so a long
// report holds it.
func (s *server) health(w http.ResponseWriter, r *http.Request) {
	names := make([]string, 0, len(s.cfg.Checks))
	for n := range s.cfg.Checks {
		names = append(names, n)
	}
	sort.Strings(names)
	var mu sync.Mutex
	var wg sync.WaitGroup
	states := map[string]string{}
	ok := true
	for _, n := range names {
		wg.Go(func() {
			state := "ok"
			if err := runCheck(r.Context(), s.cfg.Checks[n], s.cfg.CheckTimeout); err != nil {
				state = err.Error()
			}
			mu.Lock()
			defer mu.Unlock()
			states[n] = state
			ok = ok && state == "ok"
		})
	}
	wg.Wait()
	status, code := "ok", http.StatusOK
	if !ok {
		status, code = "unavailable", http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]any{"status": status, "checks": states})
}

func runCheck(ctx context.Context, check func(context.Context) error, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- check(ctx) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within %v", timeout)
	}
}

// sql runs one read-only query: GET /sql?query=…, or POST with the query
// as the body (or a form field "query"). ?format= or the Accept header
// picks CSV, TSV (the default, as ClickHouse's HTTP interface) or JSON.
func (s *server) sql(w http.ResponseWriter, r *http.Request) {
	query, err := requestQuery(r)
	if err == nil {
		query, err = ReadOnlyQuery(query)
	}
	format := resultFormat(r)
	if err == nil && Formats[format] == "" {
		err = fmt.Errorf("format %q: want csv, tsv or json", format)
	}
	if err != nil {
		s.queries.WithLabelValues("refused").Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	// r.Context() ends when the client goes away: the analysts' stores then
	// stop the query in the engine (the server cancels it, chDB's is killed).
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.QueryTimeout)
	defer cancel()
	rw := &httpRows{w: w, format: format, start: time.Now()}
	err = store.QueryStream(ctx, s.cfg.Store, query, rw)
	switch {
	case err != nil && rw.out == nil:
		s.queries.WithLabelValues("failed").Inc()
		code := http.StatusBadRequest
		switch {
		case errors.Is(err, store.ErrBusy):
			code = http.StatusServiceUnavailable
			w.Header().Set("Retry-After", "10")
		case errors.Is(err, store.ErrLimit):
			// 400 with the engine's words: the query must change (or the
			// --sql-* limit), a retry would stop the same way
		case errors.Is(err, store.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded):
			code = http.StatusServiceUnavailable
		}
		s.cfg.Log.Info("sql request failed", "err", err)
		http.Error(w, err.Error(), code)
	case err != nil:
		// The status (200) and some rows are out: the body ends with the
		// error (ResultWriter.Fail) and so does the X-Baocao-Error trailer.
		s.queries.WithLabelValues("failed").Inc()
		s.cfg.Log.Info("sql request failed while streaming", "rows", rw.out.Rows(), "err", err)
		w.Header().Set("X-Baocao-Error", strings.ReplaceAll(err.Error(), "\n", " "))
		w.Header().Set("X-Baocao-Rows", fmt.Sprint(rw.out.Rows()))
		if err := rw.out.Fail(err); err != nil {
			s.cfg.Log.Warn("sql response", "err", err)
		}
	default:
		s.queries.WithLabelValues("ok").Inc()
		w.Header().Set("X-Baocao-Rows", fmt.Sprint(rw.out.Rows()))
		w.Header().Set("X-Baocao-Elapsed", time.Since(rw.start).Round(time.Millisecond).String())
		if err := rw.out.Close(); err != nil {
			s.cfg.Log.Warn("sql response", "err", err)
		}
	}
}

// httpRows streams a result into an HTTP response: the status and headers
// go out with the result's header, so an error before it still gets its
// own status; the row count and time come as trailers.
type httpRows struct {
	w      http.ResponseWriter
	format string
	start  time.Time
	out    *ResultWriter
}

func (h *httpRows) Header(columns, types []string) error {
	hd := h.w.Header()
	hd.Set("Content-Type", Formats[h.format])
	hd.Set("Trailer", "X-Baocao-Rows, X-Baocao-Elapsed, X-Baocao-Error")
	h.w.WriteHeader(http.StatusOK)
	out, err := NewResultWriter(h.w, h.format)
	if err != nil {
		return err
	}
	h.out = out
	return out.Header(columns, types)
}

func (h *httpRows) Row(values []string) error { return h.out.Row(values) }

func requestQuery(r *http.Request) (string, error) {
	if q := r.URL.Query().Get("query"); q != "" || r.Method == http.MethodGet {
		return q, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxQueryBytes))
	if err != nil {
		return "", fmt.Errorf("query: %w", err)
	}
	// A form field "query" when the body is a form; curl --data-binary also
	// labels a raw query as a form, so anything else is the query itself.
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if form, err := url.ParseQuery(string(b)); err == nil && form.Has("query") {
			return form.Get("query"), nil
		}
	}
	return string(b), nil
}

func resultFormat(r *http.Request) string {
	if f := r.URL.Query().Get("format"); f != "" {
		return strings.ToLower(f)
	}
	accept := r.Header.Get("Accept")
	for f, mt := range Formats {
		if strings.Contains(accept, strings.SplitN(mt, ";", 2)[0]) {
			return f
		}
	}
	return "tsv"
}
