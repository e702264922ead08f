package chdb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	chdbgo "github.com/chdb-io/chdb-go/v2/chdb"

	"github.com/baocao/baocao/store"
)

// Analyst runs analysts' queries on the Store's data, read-only and within
// limits that the engine enforces. It holds its own chDB sessions on the
// same data path (a pool of Limits.Concurrency), separate from the Store's
// one, so an analyst query never waits behind the projector's inserts and
// the projector never waits behind it: chDB runs the queries of different
// sessions in parallel.
//
// Each session is set up once with SET for every limit, then SET readonly =
// 1 (store.Limits.Settings). Measured on chDB 26.5: SET persists for the
// session and does not touch the other sessions; after readonly = 1 the
// engine refuses INSERT (plain or WITH-prefixed), DDL, SYSTEM, OPTIMIZE,
// CREATE TEMPORARY TABLE, the table functions file, url, remote and
// executable (back-quoted or not), INSERT INTO FUNCTION, and every change
// of a setting, by SET or by a query's SETTINGS clause (READONLY, code
// 164). It does not stop the scalar function file(path), which chDB (as
// clickhouse-local) lets read any file the process can, nor KILL QUERY:
// web.ReadOnlyQuery refuses both before they reach the engine.
//
// chdb-go cannot cancel a running query: when its caller gives up, the
// query is killed from the Store's own session (watch), and its session
// goes back to the pool once the engine has stopped it.
type Analyst struct {
	store    *Store
	settings []store.Setting
	mu       sync.Mutex
	all      []*chdbgo.Session
	sessions chan *chdbgo.Session // the idle ones
	wait     time.Duration
}

// Not a store.Streamer: chdb-go's Session.QueryStream (v2.0.1) was tried
// and kept out — under the report pages' and the tests' load it hung a
// stream now and then, and freeing a stream that had failed aborted the
// process (a pthread mutex assertion). Results are held whole, bounded by
// max_result_rows and max_result_bytes.
var _ store.Store = (*Analyst)(nil)

// Analyst opens the analysts' sessions on the Store's data path.
func (s *Store) Analyst(l store.Limits) (*Analyst, error) {
	l = l.WithDefaults()
	a := &Analyst{store: s, settings: l.Settings(), sessions: make(chan *chdbgo.Session, l.Concurrency), wait: l.QueueWait}
	for range l.Concurrency {
		sess, err := a.open()
		if err != nil {
			a.Close()
			return nil, err
		}
		a.sessions <- sess
	}
	return a, nil
}

// open starts one analysts' session: the limits by SET, readonly = 1 last.
func (a *Analyst) open() (*chdbgo.Session, error) {
	sess, err := chdbgo.NewSession(a.store.path)
	if err != nil {
		return nil, fmt.Errorf("chdb analyst session on %s: %w", a.store.path, err)
	}
	a.mu.Lock()
	a.all = append(a.all, sess)
	a.mu.Unlock()
	for _, set := range a.settings {
		if err := exec(sess, fmt.Sprintf("SET %s = %d", set.Name, set.Value)); err != nil {
			return nil, fmt.Errorf("chdb analyst session: SET %s: %w", set.Name, err)
		}
	}
	return sess, nil
}

func exec(sess *chdbgo.Session, query string) error {
	res, err := sess.Query(query, "TabSeparated")
	if err != nil {
		return err
	}
	if res != nil {
		defer res.Free()
		return res.Error()
	}
	return nil
}

// take waits for an idle session: ErrBusy after the pool's wait, ctx's
// error when it ends first.
func (a *Analyst) take(ctx context.Context) (*chdbgo.Session, error) {
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case sess := <-a.sessions:
		return sess, nil
	case <-t.C:
		return nil, store.ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// run takes a session from the pool for one query. A caller that gives up
// (ctx done) gets ctx's error at once; the query is killed (watch) and the
// session goes back to the pool when the engine has let go of it.
func (a *Analyst) run(ctx context.Context, query, format string) ([]byte, error) {
	sess, err := a.take(ctx)
	if err != nil {
		return nil, err
	}
	query, stop := a.watch(ctx, query)
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer stop()
		res, err := sess.Query(query, format)
		defer func() { a.sessions <- a.reuse(sess, err) }()
		if err == nil && res != nil {
			defer res.Free()
			if err = res.Error(); err == nil {
				done <- result{out: append([]byte(nil), res.Buf()...)}
				return
			}
		}
		done <- result{err: err}
	}()
	select {
	case r := <-done:
		return r.out, classify(r.err)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// queries numbers the analysts' queries for watch.
var queries atomic.Uint64

// watch tags query with a comment unique in the process and, once ctx ends
// before stop is called, kills it from the Store's own session (KILL QUERY
// … ASYNC; chdb-go cannot cancel a running query, and the analysts'
// sessions are read-only). Measured on chDB 26.5: a query killed so ends
// within a second with QUERY_WAS_CANCELLED and its session runs the next
// query (KILL … SYNC from another session never returned). The kill is
// repeated until the query is over, in case ctx ended before the engine
// had listed it. stop returns once the watcher is done.
func (a *Analyst) watch(ctx context.Context, query string) (string, func()) {
	tag := fmt.Sprintf("baocao-analyst-%d-%d", os.Getpid(), queries.Add(1))
	over := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-over:
			return
		case <-ctx.Done():
		}
		// the pattern is split so the KILL query's own text does not match it
		kill := fmt.Sprintf("KILL QUERY WHERE position(query, concat('/* baocao-', '%s */')) > 0 ASYNC", strings.TrimPrefix(tag, "baocao-"))
		for {
			if err := a.store.Exec(context.Background(), kill); err != nil {
				slog.Warn("chdb analyst: kill query", "tag", tag, "err", err)
			}
			select {
			case <-over:
				return
			case <-time.After(500 * time.Millisecond):
			}
		}
	}()
	return "/* " + tag + " */ " + query, func() { close(over); <-finished }
}

// reuse gives back sess, or a new session in its place after a failed
// query: measured on chDB 26.5, the output a query had written before
// max_execution_time stopped it (its header line) comes back at the start
// of the session's next result.
func (a *Analyst) reuse(sess *chdbgo.Session, err error) *chdbgo.Session {
	if err == nil {
		return sess
	}
	fresh, oerr := a.open()
	if oerr != nil {
		return sess // better a session than none; the next query reports
	}
	sess.Close()
	return fresh
}

// classify marks the engine's own limits as what they are: a query over
// max_execution_time is unavailable for now, like a busy server.
func classify(err error) error {
	if err == nil {
		return nil
	}
	for _, code := range []string{"TIMEOUT_EXCEEDED", "TOO_MANY_ROWS_OR_BYTES", "MEMORY_LIMIT_EXCEEDED"} {
		if strings.Contains(err.Error(), code) {
			return fmt.Errorf("%w: %w", store.ErrLimit, err)
		}
	}
	return err
}

func (a *Analyst) Exec(ctx context.Context, query string) error {
	if _, err := a.run(ctx, query, "TabSeparated"); err != nil {
		return fmt.Errorf("chdb exec: %w", err)
	}
	return nil
}

func (a *Analyst) Query(ctx context.Context, query string) (*store.Result, error) {
	out, err := a.run(ctx, query, "TabSeparatedWithNamesAndTypes")
	if err != nil {
		return nil, fmt.Errorf("chdb query: %w", err)
	}
	return parseTSV(out)
}

// errReadOnly: the analysts' store never inserts.
var errReadOnly = errors.New("chdb analyst: read-only")

func (a *Analyst) InsertEvents(context.Context, string, []store.EventRow) error { return errReadOnly }

func (a *Analyst) InsertDeadLetters(context.Context, string, []store.DeadLetter) error {
	return errReadOnly
}

func (a *Analyst) Engine(ctx context.Context) (string, error) {
	e, err := a.store.Engine(ctx)
	return e + " (analysts: read-only sessions)", err
}

// Close closes the sessions, waiting for running queries to end.
func (a *Analyst) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, sess := range a.all {
		sess.Close()
	}
	return nil
}
