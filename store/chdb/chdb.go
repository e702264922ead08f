// Package chdb is the Store embedded in the process: chDB, ClickHouse as a
// library (libchdb.so), the zero-install default.
//
// Importing this package loads libchdb when the program starts (chdb-go does
// it in its package init and panics if the library is missing), so only the
// default build of the baocao binary imports it; see cmd/baocao/embedded.go.
// One process may open one data path; statements on one Store run one at a
// time.
package chdb

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	chdbgo "github.com/chdb-io/chdb-go/v2/chdb"

	"github.com/baocao/baocao/store"
)

// Store is an embedded chDB engine on one data directory.
type Store struct {
	mu   sync.Mutex
	sess *chdbgo.Session
	path string
}

var _ store.Store = (*Store)(nil)

// Open starts chDB on the data directory path (created if needed).
func Open(path string) (*Store, error) {
	sess, err := chdbgo.NewSession(path)
	if err != nil {
		return nil, fmt.Errorf("chdb %s: %w (is another process using it?)", path, err)
	}
	return &Store{sess: sess, path: path}, nil
}

func (s *Store) run(ctx context.Context, query, format string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	res, err := s.sess.Query(query, format)
	if err != nil {
		return nil, err
	}
	defer res.Free()
	if err := res.Error(); err != nil {
		return nil, err
	}
	return bytes.Clone(res.Buf()), nil
}

func (s *Store) Exec(ctx context.Context, query string) error {
	if _, err := s.run(ctx, query, "TabSeparated"); err != nil {
		return fmt.Errorf("chdb exec: %w", err)
	}
	return nil
}

func (s *Store) Query(ctx context.Context, query string) (*store.Result, error) {
	out, err := s.run(ctx, query, "TabSeparatedWithNamesAndTypes")
	if err != nil {
		return nil, fmt.Errorf("chdb query: %w", err)
	}
	return parseTSV(out)
}

// parseTSV reads TabSeparatedWithNamesAndTypes.
func parseTSV(out []byte) (*store.Result, error) {
	res := &store.Result{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 0, 1<<20), 256<<20)
	for n := 0; sc.Scan(); n++ {
		fields := strings.Split(sc.Text(), "\t")
		for i := range fields {
			fields[i] = unescapeTSV(fields[i])
		}
		switch n {
		case 0:
			res.Columns = fields
		case 1:
			res.Types = fields
		default:
			res.Rows = append(res.Rows, fields)
		}
	}
	return res, sc.Err()
}

// unescapeTSV undoes TabSeparated escaping.
func unescapeTSV(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch s[i] {
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case '0':
			b.WriteByte(0)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'N':
			b.WriteString(`\N`)
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func (s *Store) InsertEvents(ctx context.Context, db string, rows []store.EventRow) error {
	return s.insert(ctx, db+".events", store.EventColumns, len(rows), func(i int) []any { return rows[i].Values() })
}

func (s *Store) InsertDeadLetters(ctx context.Context, db string, rows []store.DeadLetter) error {
	return s.insert(ctx, db+".dead_letters", store.DeadLetterColumns, len(rows), func(i int) []any { return rows[i].Values() })
}

// insert sends rows as JSONCompactEachRow inline data (a JSON array per row,
// in the statement's column order): JSON escapes every newline, so no blank
// line can end the data early (inline data stops at the first blank line,
// and RowBinary through a C string at the first zero byte). Without the
// column names on every row, a batch is half the bytes of JSONEachRow.
func (s *Store) insert(ctx context.Context, table string, cols []store.Column, n int, values func(int) []any) error {
	if n == 0 {
		return nil
	}
	var b bytes.Buffer
	b.Grow(n * 700) // a typical event's row, so the buffer rarely grows
	b.WriteString("INSERT INTO " + table + " " + store.ColumnList(cols) + " FORMAT JSONCompactEachRow\n")
	for i := range n {
		if err := writeJSONRow(&b, cols, values(i)); err != nil {
			return fmt.Errorf("insert into %s: row %d: %w", table, i, err)
		}
	}
	if _, err := s.run(ctx, b.String(), "TabSeparated"); err != nil {
		if strings.Contains(err.Error(), "UNKNOWN_TABLE") {
			// A rebuild is swapping the tables: the same insert will pass.
			err = fmt.Errorf("%w: %w", store.ErrUnavailable, err)
		}
		return fmt.Errorf("insert into %s: %w", table, err)
	}
	return nil
}

func writeJSONRow(b *bytes.Buffer, cols []store.Column, vals []any) error {
	b.WriteByte('[')
	for i, c := range cols {
		if i > 0 {
			b.WriteByte(',')
		}
		switch v := vals[i].(type) {
		case string:
			writeJSONString(b, v)
		case uint8:
			b.Write(strconv.AppendUint(b.AvailableBuffer(), uint64(v), 10))
		case uint16:
			b.Write(strconv.AppendUint(b.AvailableBuffer(), uint64(v), 10))
		case uint64:
			b.Write(strconv.AppendUint(b.AvailableBuffer(), v, 10))
		case int64:
			b.Write(strconv.AppendInt(b.AvailableBuffer(), v, 10))
		case []string:
			b.WriteByte('[')
			for j, s := range v {
				if j > 0 {
					b.WriteByte(',')
				}
				writeJSONString(b, s)
			}
			b.WriteByte(']')
		case time.Time:
			if c.Date {
				b.WriteString(`"` + v.UTC().Format(time.DateOnly) + `"`)
			} else {
				b.Write(strconv.AppendInt(b.AvailableBuffer(), v.Unix(), 10))
			}
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("column %s: %v is not a finite number", c.Name, v)
			}
			b.Write(strconv.AppendFloat(b.AvailableBuffer(), v, 'g', -1, 64))
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				return fmt.Errorf("column %s: %w", c.Name, err)
			}
			b.Write(enc)
		}
	}
	b.WriteString("]\n")
	return nil
}

// writeJSONString writes s as a JSON string: as it is when nothing in it
// needs escaping (the common case: encoding/json for every value was a fifth
// of an insert's time), else as encoding/json writes it.
func writeJSONString(b *bytes.Buffer, s string) {
	escape, ascii := false, true
	for i := 0; i < len(s) && !escape; i++ {
		c := s[i]
		escape = c < 0x20 || c == '"' || c == '\\'
		ascii = ascii && c < utf8.RuneSelf
	}
	if escape || (!ascii && !utf8.ValidString(s)) {
		enc, _ := json.Marshal(s) // a string always encodes
		b.Write(enc)
		return
	}
	b.WriteByte('"')
	b.WriteString(s)
	b.WriteByte('"')
}

func (s *Store) Engine(ctx context.Context) (string, error) {
	res, err := s.Query(ctx, "SELECT version()")
	if err != nil {
		return "", err
	}
	return "chDB (ClickHouse " + res.Rows[0][0] + ") at " + s.path, nil
}

func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sess.Close()
	return nil
}
