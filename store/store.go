// Package store is where projections live: a ClickHouse engine, either a
// server reached with clickhouse-go (package store/clickhouse) or chDB
// embedded in the process (package store/chdb). Both run the same SQL files;
// one contract test suite (package store/storetest) holds them to the same
// behaviour.
package store

import (
	"context"
	"errors"
	"time"
)

// Store is one ClickHouse engine. Statements name their tables with the
// database explicitly ("baocao.events"), so one engine can hold a live and a
// rebuilding copy side by side.
type Store interface {
	// Exec runs one statement that returns no rows: DDL, INSERT … SELECT.
	Exec(ctx context.Context, query string) error
	// Query runs one SELECT and returns all its rows, each value in
	// ClickHouse's text form (as TabSeparated prints it).
	Query(ctx context.Context, query string) (*Result, error)
	// InsertEvents appends rows to db.events in one insert.
	InsertEvents(ctx context.Context, db string, rows []EventRow) error
	// InsertDeadLetters appends rows to db.dead_letters in one insert.
	InsertDeadLetters(ctx context.Context, db string, rows []DeadLetter) error
	// Engine names the engine and its version, e.g. "ClickHouse 18.16.1".
	Engine(ctx context.Context) (string, error)
	Close() error
}

// Result is a query's columns and rows in text form.
type Result struct {
	Columns []string
	Types   []string
	Rows    [][]string
}

// ErrUnavailable wraps failures that may pass on retry: the server is down,
// restarting or timing out. Anything else is a problem with the statement or
// the data.
var ErrUnavailable = errors.New("store unavailable")

// DeadLetter is an event the projector could not accept.
type DeadLetter struct {
	StreamSeq  uint64
	Subject    string
	ReceivedAt time.Time // the stream's timestamp
	Reason     string
	Raw        []byte
}

// Limits bound the queries of analysts (the SQL endpoint, "baocao sql" and
// the report pages), each enforced by the engine: the analyst stores
// (chdb.Store.Analyst, clickhouse.Store.Analyst) run every query with
// Settings, readonly = 1 last, fixed where the query text cannot lift them.
type Limits struct {
	// MaxExecutionTime is max_execution_time: the engine stops the query.
	MaxExecutionTime time.Duration
	// MaxResultRows and MaxResultBytes are max_result_rows and
	// max_result_bytes with result_overflow_mode = 'throw'.
	MaxResultRows  uint64
	MaxResultBytes uint64
	// MaxMemoryUsage is max_memory_usage, in bytes, per query.
	MaxMemoryUsage uint64
	// Concurrency is how many analyst queries run at once; QueueWait how
	// long one waits for its turn before ErrBusy.
	Concurrency int
	QueueWait   time.Duration
}

// DefaultLimits are the limits when none are given.
var DefaultLimits = Limits{
	MaxExecutionTime: 5 * time.Minute,
	MaxResultRows:    1_000_000,
	MaxResultBytes:   1 << 30,
	MaxMemoryUsage:   4 << 30,
	Concurrency:      2,
	QueueWait:        10 * time.Second,
}

// WithDefaults fills the zero fields from DefaultLimits.
func (l Limits) WithDefaults() Limits {
	d := DefaultLimits
	if l.MaxExecutionTime > 0 {
		d.MaxExecutionTime = l.MaxExecutionTime
	}
	if l.MaxResultRows > 0 {
		d.MaxResultRows = l.MaxResultRows
	}
	if l.MaxResultBytes > 0 {
		d.MaxResultBytes = l.MaxResultBytes
	}
	if l.MaxMemoryUsage > 0 {
		d.MaxMemoryUsage = l.MaxMemoryUsage
	}
	if l.Concurrency > 0 {
		d.Concurrency = l.Concurrency
	}
	if l.QueueWait > 0 {
		d.QueueWait = l.QueueWait
	}
	return d
}

// Setting is one ClickHouse setting with a number for value.
type Setting struct {
	Name  string
	Value uint64
}

// Settings are the engine settings that enforce l, readonly = 1 last: once
// it is set, the engine refuses to change any setting, so neither SET nor a
// query's own SETTINGS clause can lift a limit or the read-only mode, and
// table functions (file, url, remote, s3, executable, …) are refused.
// Exceeding a limit fails the query: timeout_overflow_mode and
// result_overflow_mode are left at their default, 'throw' (ClickHouse 18.16
// takes no string-valued setting from clickhouse-go).
func (l Limits) Settings() []Setting {
	l = l.WithDefaults()
	return []Setting{
		{"max_execution_time", uint64(max(l.MaxExecutionTime.Round(time.Second)/time.Second, 1))},
		{"max_result_rows", l.MaxResultRows},
		{"max_result_bytes", l.MaxResultBytes},
		{"max_memory_usage", l.MaxMemoryUsage},
		{"readonly", 1},
	}
}

// ErrLimit wraps an analyst query the engine stopped at one of its Limits
// (execution time, result rows or bytes, memory): running it again would
// stop again, so it is the query to change, not a moment to retry.
var ErrLimit = errors.New("the query went past an analysts' limit")

// ErrBusy is returned when an analyst query waited QueueWait for its turn.
var ErrBusy = errors.New("too many analyst queries at once: try again later")

// Gate bounds how many analyst queries run at once.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate lets n queries in at once; the others wait up to wait.
func NewGate(n int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// Enter waits for a slot: ErrBusy after the gate's wait, ctx's error when
// it ends first. Call release when the query is over.
func (g *Gate) Enter(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-t.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// RowWriter takes a query's result as the engine hands it out: Header once,
// before the first row, then each row, every value in text form (as Result);
// values is only valid until Row returns.
type RowWriter interface {
	Header(columns, types []string) error
	Row(values []string) error
}

// Streamer is a Store that hands a query's rows out as the engine produces
// them, so a large result is never held whole (the analysts' stores). An
// error from w stops the query.
type Streamer interface {
	QueryStream(ctx context.Context, query string, w RowWriter) error
}

// QueryStream runs query on s, streamed when s is a Streamer, else through
// Query.
func QueryStream(ctx context.Context, s Store, query string, w RowWriter) error {
	if st, ok := s.(Streamer); ok {
		return st.QueryStream(ctx, query, w)
	}
	res, err := s.Query(ctx, query)
	if err != nil {
		return err
	}
	if err := w.Header(res.Columns, res.Types); err != nil {
		return err
	}
	for _, r := range res.Rows {
		if err := w.Row(r); err != nil {
			return err
		}
	}
	return nil
}

// ClusterOf names the ClickHouse cluster s's schema is created on (ON
// CLUSTER, Replicated tables behind Distributed ones), "" for one server or
// chDB.
func ClusterOf(s Store) string {
	if c, ok := s.(interface{ Cluster() string }); ok {
		return c.Cluster()
	}
	return ""
}
