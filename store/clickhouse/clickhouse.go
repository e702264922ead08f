// Package clickhouse is the Store on a ClickHouse server, reached over the
// native protocol with clickhouse-go. It runs on every server from 18.16 on:
// inserts name their columns (18.16 needs it) and data never goes inline.
package clickhouse

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	ch "github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/baocao/baocao/store"
)

// Config says how to reach the server.
type Config struct {
	Addr     []string `yaml:"addr"` // host:port of the native protocol (9000; 9440 with TLS)
	User     string   `yaml:"user"`
	Password string   `yaml:"password"`
	// TLS enables TLS; TLSCA verifies the server, TLSCert and TLSKey are a
	// client certificate for mutual TLS.
	TLS         bool          `yaml:"tls"`
	TLSCA       string        `yaml:"tls_ca"`
	TLSCert     string        `yaml:"tls_cert"`
	TLSKey      string        `yaml:"tls_key"`
	DialTimeout time.Duration `yaml:"dial_timeout"`
	ReadTimeout time.Duration `yaml:"read_timeout"`
	// Cluster names a cluster of the servers' remote_servers: the schema is
	// then created ON CLUSTER, as Replicated tables behind Distributed ones
	// (package schema), and every connection inserts synchronously through
	// the Distributed tables.
	Cluster string `yaml:"cluster"`
}

var clusterName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate names settings that cannot work.
func (c Config) Validate() error {
	var errs []error
	if len(c.Addr) == 0 {
		errs = append(errs, errors.New("clickhouse addr: empty"))
	}
	for _, a := range c.Addr {
		if _, _, err := net.SplitHostPort(a); err != nil {
			errs = append(errs, fmt.Errorf("clickhouse addr %q: want host:port", a))
		}
	}
	if c.Cluster != "" && !clusterName.MatchString(c.Cluster) {
		errs = append(errs, fmt.Errorf("clickhouse cluster %q: want letters, digits and _", c.Cluster))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("clickhouse tls: a client certificate and its key go together"))
	}
	return errors.Join(errs...)
}

// Store is a ClickHouse server.
type Store struct {
	conn driver.Conn
	addr string
	cfg  Config
}

var _ store.Store = (*Store)(nil)

// Open connects and pings the server; the error says whether it was
// unreachable or refused the credentials.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opts := &ch.Options{
		Addr:        cfg.Addr,
		Auth:        ch.Auth{Username: cfg.User, Password: cfg.Password},
		DialTimeout: cmp(cfg.DialTimeout, 5*time.Second),
		ReadTimeout: cmp(cfg.ReadTimeout, 5*time.Minute),
		Compression: &ch.Compression{Method: ch.CompressionLZ4},
	}
	if cfg.Cluster != "" {
		opts.Settings = ch.Settings{
			// An insert into a Distributed table returns once every shard
			// wrote its rows (one replica each; replication copies them),
			// so a JetStream message is acked only when its row is on a
			// shard's disk, not in a queue on the node we talk to.
			"insert_distributed_sync": 1,
			// A Replicated table skips a block it has seen (by checksum),
			// and on 18.16 the materialized views then skip it too: a batch
			// retried after a replica died between writing events_local and
			// the views' targets would leave the views without it. The
			// projections fold duplicates themselves (the same event twice
			// changes nothing), so every retried block goes in whole.
			"insert_deduplicate": 0,
		}
		// distributed_product_mode = 'global' (a view's IN/JOIN subquery
		// over a Distributed table runs once and its result goes to every
		// shard; 18.16's 'deny' refuses such queries) is a string, which
		// the native protocol of 18.16 cannot carry as a query setting:
		// the users' profile on the servers sets it.
	}
	if cfg.TLS || cfg.TLSCA != "" || cfg.TLSCert != "" {
		t, err := tlsConfig(cfg)
		if err != nil {
			return nil, err
		}
		opts.TLS = t
	}
	conn, err := ch.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("clickhouse %s: %w", strings.Join(cfg.Addr, ","), err)
	}
	if err := conn.Ping(ctx); err != nil {
		conn.Close()
		var exc *ch.Exception
		if errors.As(err, &exc) && (exc.Code == 516 || exc.Code == 192 || exc.Code == 193) { // auth failed, unknown user, wrong password
			return nil, fmt.Errorf("ClickHouse at %s refused the credentials of user %q: %w", strings.Join(cfg.Addr, ","), cfg.User, err)
		}
		return nil, fmt.Errorf("cannot reach ClickHouse at %s: %w", strings.Join(cfg.Addr, ","), classify(err))
	}
	return &Store{conn: conn, addr: strings.Join(cfg.Addr, ","), cfg: cfg}, nil
}

func cmp(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func tlsConfig(cfg Config) (*tls.Config, error) {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if cfg.TLSCA != "" {
		pem, err := os.ReadFile(cfg.TLSCA)
		if err != nil {
			return nil, fmt.Errorf("clickhouse tls ca: %w", err)
		}
		t.RootCAs = x509.NewCertPool()
		if !t.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("clickhouse tls ca %s: no certificates in it", cfg.TLSCA)
		}
	}
	if cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(cfg.TLSCert, cfg.TLSKey)
		if err != nil {
			return nil, fmt.Errorf("clickhouse tls client certificate: %w", err)
		}
		t.Certificates = []tls.Certificate{cert}
	}
	return t, nil
}

func (s *Store) Exec(ctx context.Context, query string) error {
	if err := s.conn.Exec(ctx, query); err != nil {
		return fmt.Errorf("clickhouse exec: %w", classify(err))
	}
	return nil
}

func (s *Store) Query(ctx context.Context, query string) (*store.Result, error) {
	rows, err := s.conn.Query(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("clickhouse query: %w", classify(err))
	}
	defer rows.Close()
	types := rows.ColumnTypes()
	res := &store.Result{Columns: rows.Columns()}
	holders := make([]any, len(types))
	for i, t := range types {
		res.Types = append(res.Types, t.DatabaseTypeName())
		holders[i] = reflect.New(t.ScanType()).Interface()
	}
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return nil, fmt.Errorf("clickhouse scan: %w", err)
		}
		row := make([]string, len(holders))
		for i, h := range holders {
			row[i] = text(reflect.ValueOf(h).Elem().Interface(), res.Types[i])
		}
		res.Rows = append(res.Rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("clickhouse query: %w", classify(err))
	}
	return res, nil
}

// text renders a value as ClickHouse's TabSeparated output does.
func text(v any, typ string) string {
	switch x := v.(type) {
	case nil:
		return `\N`
	case string:
		return x
	case time.Time:
		if strings.HasPrefix(strings.TrimPrefix(typ, "Nullable("), "Date") && !strings.Contains(typ, "DateTime") {
			return x.Format(time.DateOnly)
		}
		return x.Format(time.DateTime)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32)
	case []string:
		parts := make([]string, len(x))
		for i, s := range x {
			parts[i] = "'" + strings.ReplaceAll(s, "'", `\'`) + "'"
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return `\N`
		}
		return text(rv.Elem().Interface(), typ)
	}
	return fmt.Sprint(v)
}

func (s *Store) InsertEvents(ctx context.Context, db string, rows []store.EventRow) error {
	return s.insert(ctx, db+".events", store.EventColumns, len(rows), func(i int) []any { return rows[i].Values() })
}

func (s *Store) InsertDeadLetters(ctx context.Context, db string, rows []store.DeadLetter) error {
	return s.insert(ctx, db+".dead_letters", store.DeadLetterColumns, len(rows), func(i int) []any { return rows[i].Values() })
}

func (s *Store) insert(ctx context.Context, table string, cols []store.Column, n int, values func(int) []any) error {
	if n == 0 {
		return nil
	}
	batch, err := s.conn.PrepareBatch(ctx, "INSERT INTO "+table+" "+store.ColumnList(cols))
	if err != nil {
		return fmt.Errorf("insert into %s: %w", table, classify(err))
	}
	defer batch.Abort()
	for i := range n {
		if err := batch.Append(values(i)...); err != nil {
			return fmt.Errorf("insert into %s: row %d: %w", table, i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("insert into %s: %w", table, classify(err))
	}
	return nil
}

func (s *Store) Engine(ctx context.Context) (string, error) {
	res, err := s.Query(ctx, "SELECT version()")
	if err != nil {
		return "", err
	}
	return "ClickHouse " + res.Rows[0][0] + " at " + s.addr, nil
}

func (s *Store) Close() error { return s.conn.Close() }

// Cluster is the cluster the schema lives on, "" for one server.
func (s *Store) Cluster() string { return s.cfg.Cluster }

// classify marks errors that may pass on retry with store.ErrUnavailable.
func classify(err error) error {
	var exc *ch.Exception
	var netErr net.Error
	switch {
	case errors.As(err, &exc):
		// Server-side errors are about the statement or the data, except
		// those saying the server is overloaded or shutting down, and a
		// missing table: a rebuild swaps tables, and consume always migrates
		// before it inserts.
		switch exc.Code {
		case 60, 159, 164, 202, 209, 210, 241, 242, 252, 394: // unknown table, timeout, readonly, too many queries/parts, socket, memory, aborted
			return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return err
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, context.DeadlineExceeded),
		errors.Is(err, ch.ErrAcquireConnTimeout), errors.As(err, &netErr):
		return fmt.Errorf("%w: %w", store.ErrUnavailable, err)
	}
	return err
}
