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

type readOnlyKey struct{}

// ReadOnly marks ctx so that a ClickHouse server runs the query with
// readonly = 1 and refuses anything that writes or changes settings. chDB
// has no per-query equivalent; its callers check statements first
// (web.ReadOnlyQuery).
func ReadOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, readOnlyKey{}, true)
}

// IsReadOnly reports whether ctx was marked by ReadOnly.
func IsReadOnly(ctx context.Context) bool { v, _ := ctx.Value(readOnlyKey{}).(bool); return v }
