package chdb

import (
	"bytes"
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

var (
	_ store.Store    = (*Analyst)(nil)
	_ store.Streamer = (*Analyst)(nil)
)

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

// QueryStream runs query and hands its rows to w chunk by chunk as chDB
// produces them (one TabSeparatedWithNamesAndTypes chunk per block, each
// starting with the two header lines), so at most a block is held.
func (a *Analyst) QueryStream(ctx context.Context, query string, w store.RowWriter) (err error) {
	sess, err := a.take(ctx)
	if err != nil {
		return err
	}
	defer func() { a.sessions <- a.reuse(sess, err) }()
	query, stop := a.watch(ctx, query)
	defer stop()
	st, err := sess.QueryStream(query, "TabSeparatedWithNamesAndTypes")
	if err != nil {
		return a.streamErr(ctx, err)
	}
	// Free cancels the stream first; measured on chDB 26.5, cancelling a
	// stream that already ended in an error now and then aborts the process
	// (pthread mutex assertion) or hangs: such a stream is left to the
	// session, which reuse replaces.
	failed := false
	defer func() {
		if !failed {
			st.Free()
		}
	}()
	header := false
	for {
		chunk := st.GetNext()
		if chunk == nil {
			break
		}
		if err := chunk.Error(); err != nil {
			failed = true
			return a.streamErr(ctx, err)
		}
		buf := chunk.Buf()
		if len(buf) == 0 { // measured on chDB 26.5: the end is an empty chunk, not nil
			break
		}
		if err := streamTSV(buf, &header, w); err != nil {
			return err
		}
	}
	if err := st.Error(); err != nil {
		return a.streamErr(ctx, err)
	}
	if !header { // a result of no rows still has its columns
		res, err := sess.Query("SELECT * FROM ("+query+"\n) LIMIT 0", "TabSeparatedWithNamesAndTypes")
		if err != nil {
			return a.streamErr(ctx, err)
		}
		defer res.Free()
		if err := res.Error(); err != nil {
			return a.streamErr(ctx, err)
		}
		if err := streamTSV(res.Buf(), &header, w); err != nil {
			return err
		}
		if !header {
			return errors.New("chdb query: no columns in the result")
		}
	}
	return nil
}

// streamErr reports a query the watcher killed as the caller's own end.
func (a *Analyst) streamErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("chdb query: %w (%w)", ctx.Err(), err)
	}
	return fmt.Errorf("chdb query: %w", classify(err))
}

// streamTSV hands one chunk's rows to w, and its header the first time.
func streamTSV(buf []byte, header *bool, w store.RowWriter) error {
	var cols []string
	for n := 0; len(buf) > 0; n++ {
		line := buf
		if i := bytes.IndexByte(buf, '\n'); i >= 0 {
			line, buf = buf[:i], buf[i+1:]
		} else {
			buf = nil
		}
		fields := strings.Split(string(line), "\t")
		for i := range fields {
			fields[i] = unescapeTSV(fields[i])
		}
		switch {
		case n == 0:
			cols = fields
		case n == 1:
			if !*header {
				*header = true
				if err := w.Header(cols, fields); err != nil {
					return err
				}
			}
		default:
			if err := w.Row(fields); err != nil {
				return err
			}
		}
	}
	return nil
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
