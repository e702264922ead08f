package clickhouse

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	ch "github.com/ClickHouse/clickhouse-go/v2"

	"github.com/baocao/baocao/store"
)

// Analyst runs analysts' queries on the server, read-only and within
// limits that the server enforces. It has its own connections (as the
// Store's user, or as a read-only analyst user given to Store.Analyst), so
// analysts never hold the projector's, and a gate lets Limits.Concurrency
// queries run at once.
//
// Every query carries store.Limits.Settings as settings of the query packet,
// readonly = 1 among them. The server applies them before it parses the
// query; from then on it refuses writes, DDL, table functions (on 18.16 all
// of them, numbers() included: use system.numbers) and any change of a
// setting, so a query's own SETTINGS clause cannot lift them (measured on
// 18.16 by web's tests). A user whose profile says readonly = 1 (the compose
// file's analyst) is refused at the server whatever the client sends.
// Cancelling ctx (a client that went away) makes clickhouse-go cancel the
// query on the server.
type Analyst struct {
	s        *Store
	gate     *store.Gate
	settings ch.Settings
}

var (
	_ store.Store    = (*Analyst)(nil)
	_ store.Streamer = (*Analyst)(nil)
)

// Analyst connects for analysts' queries; user and password, when given,
// replace the Store's (a read-only user with its own profile).
func (s *Store) Analyst(ctx context.Context, l store.Limits, user, password string) (*Analyst, error) {
	l = l.WithDefaults()
	cfg := s.cfg
	// Analysts only read: a cluster's insert settings, sent with every
	// query, would be refused for a user whose profile says readonly = 1.
	cfg.Cluster = ""
	if user != "" {
		cfg.User, cfg.Password = user, password
	}
	conn, err := Open(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("analyst connection: %w", err)
	}
	set := ch.Settings{}
	for _, v := range l.Settings() {
		set[v.Name] = int(v.Value) // clickhouse-go sends int, not uint64
	}
	return &Analyst{s: conn, gate: store.NewGate(l.Concurrency, l.QueueWait), settings: set}, nil
}

func (a *Analyst) enter(ctx context.Context) (context.Context, func(), error) {
	release, err := a.gate.Enter(ctx)
	if err != nil {
		return nil, nil, err
	}
	// clickhouse-go replaces max_execution_time by a context's deadline +
	// 5 s: the query gets a context without one, cancelled with ctx (a
	// client that hangs up still cancels it), so the engine's limit is the
	// analysts' --sql-timeout.
	qctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, cancel)
	return ch.Context(qctx, ch.WithSettings(a.settings)), func() { stop(); cancel(); release() }, nil
}

func (a *Analyst) Exec(ctx context.Context, query string) error {
	ctx, release, err := a.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	return refused(a.s.Exec(ctx, query))
}

func (a *Analyst) Query(ctx context.Context, query string) (*store.Result, error) {
	ctx, release, err := a.enter(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	res, err := a.s.Query(ctx, query)
	return res, refused(err)
}

// QueryStream hands the rows to w one by one as clickhouse-go reads them
// off the connection, each value in text form as Query gives it.
func (a *Analyst) QueryStream(ctx context.Context, query string, w store.RowWriter) error {
	ctx, release, err := a.enter(ctx)
	if err != nil {
		return err
	}
	defer release()
	rows, err := a.s.conn.Query(ctx, query)
	if err != nil {
		return fmt.Errorf("clickhouse query: %w", refused(classify(err)))
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	names := make([]string, len(types))
	holders := make([]any, len(types))
	for i, t := range types {
		names[i] = t.DatabaseTypeName()
		holders[i] = reflect.New(t.ScanType()).Interface()
	}
	// The header waits for the first row: an error the server sends before
	// any (a limit, a timeout) then still fails the query as a whole.
	header := func() error { return w.Header(rows.Columns(), names) }
	row := make([]string, len(holders))
	for rows.Next() {
		if header != nil {
			if err := header(); err != nil {
				return err
			}
			header = nil
		}
		if err := rows.Scan(holders...); err != nil {
			return fmt.Errorf("clickhouse scan: %w", err)
		}
		for i, h := range holders {
			row[i] = text(reflect.ValueOf(h).Elem().Interface(), names[i])
		}
		if err := w.Row(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("clickhouse query: %w", refused(classify(err)))
	}
	if header != nil {
		return header()
	}
	return nil
}

// refused takes READONLY (164) and the analysts' limits out of
// store.ErrUnavailable: for the projector they mean a server that may
// recover, for an analyst a write refused for good or a query to change.
func refused(err error) error {
	var exc *ch.Exception
	if !errors.As(err, &exc) {
		return err
	}
	switch exc.Code {
	case 164:
		return fmt.Errorf("clickhouse: refused: %w", exc)
	case 158, 159, 241, 307, 396: // too many rows, timeout, memory, too many bytes, rows or bytes
		return fmt.Errorf("clickhouse: %w: %w", store.ErrLimit, exc)
	}
	return err
}

var errReadOnly = errors.New("clickhouse analyst: read-only")

func (a *Analyst) InsertEvents(context.Context, string, []store.EventRow) error { return errReadOnly }

func (a *Analyst) InsertDeadLetters(context.Context, string, []store.DeadLetter) error {
	return errReadOnly
}

func (a *Analyst) Engine(ctx context.Context) (string, error) { return a.s.Engine(ctx) }

func (a *Analyst) Close() error { return a.s.Close() }
