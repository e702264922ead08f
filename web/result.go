package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/baocao/baocao/store"
)

// Formats are the result formats of the SQL endpoint and "baocao sql", with
// their media types.
var Formats = map[string]string{
	"csv":  "text/csv; charset=utf-8",
	"tsv":  "text/tab-separated-values; charset=utf-8",
	"json": "application/json",
}

// WriteResult writes res as CSV or TSV with a header line, or as JSON in
// the shape of ClickHouse's JSON format ({"meta": [...], "data": [...],
// "rows": n}) with numbers as JSON numbers and NULL as null.
func WriteResult(w io.Writer, format string, res *store.Result) error {
	rw, err := NewResultWriter(w, format)
	if err != nil {
		return err
	}
	if err := rw.Header(res.Columns, res.Types); err != nil {
		return err
	}
	for _, r := range res.Rows {
		if err := rw.Row(r); err != nil {
			return err
		}
	}
	return rw.Close()
}

// ResultWriter writes a result row by row as it comes (a store.RowWriter),
// in one of Formats, the same bytes as WriteResult.
type ResultWriter struct {
	buf    *bufio.Writer
	w      *errWriter
	format string
	cw     *csv.Writer
	meta   []column
	rows   int
	header bool
}

var _ store.RowWriter = (*ResultWriter)(nil)

// NewResultWriter writes to w in format (csv, tsv or json).
func NewResultWriter(w io.Writer, format string) (*ResultWriter, error) {
	if Formats[format] == "" {
		return nil, fmt.Errorf("format %q: want csv, tsv or json", format)
	}
	buf := bufio.NewWriter(w)
	rw := &ResultWriter{buf: buf, w: &errWriter{w: buf}, format: format}
	if format == "csv" {
		rw.cw = csv.NewWriter(buf)
	}
	return rw, nil
}

// Rows is how many rows were written.
func (rw *ResultWriter) Rows() int { return rw.rows }

// Started tells whether anything was written.
func (rw *ResultWriter) Started() bool { return rw.header }

var tsvEscape = strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n")

func (rw *ResultWriter) line(values []string) {
	switch rw.format {
	case "csv":
		rw.cw.Write(values)
	case "tsv":
		for i, v := range values {
			if i > 0 {
				rw.w.write([]byte("\t"))
			}
			rw.w.write([]byte(tsvEscape.Replace(v)))
		}
		rw.w.write([]byte("\n"))
	}
}

func (rw *ResultWriter) Header(columns, types []string) error {
	rw.header = true
	if rw.format != "json" {
		rw.line(columns)
		return rw.err()
	}
	rw.meta = make([]column, len(columns))
	for i, c := range columns {
		rw.meta[i] = column{Name: c}
		if i < len(types) {
			rw.meta[i].Type = types[i]
		}
	}
	rw.w.write([]byte(`{"meta":`))
	rw.enc(rw.meta)
	rw.w.write([]byte(`,"data":[`))
	return rw.err()
}

func (rw *ResultWriter) Row(values []string) error {
	rw.rows++
	if rw.format != "json" {
		rw.line(values)
		return rw.err()
	}
	if rw.rows > 1 {
		rw.w.write([]byte(","))
	}
	rw.w.write([]byte("{"))
	for i, v := range values {
		if i > 0 {
			rw.w.write([]byte(","))
		}
		typ := ""
		if i < len(rw.meta) {
			rw.enc(rw.meta[i].Name)
			typ = rw.meta[i].Type
		} else {
			rw.enc(fmt.Sprint(i))
		}
		rw.w.write([]byte(":"))
		rw.w.write(jsonValue(v, typ))
	}
	rw.w.write([]byte("}"))
	return rw.err()
}

// Close ends a complete result.
func (rw *ResultWriter) Close() error {
	if rw.format == "json" {
		rw.w.write([]byte(`],"rows":` + strconv.Itoa(rw.rows) + "}\n"))
	}
	return rw.Flush()
}

// Fail ends a result cut short by err after its first bytes were written,
// when the status can no longer say so: CSV and TSV get a last line
// "baocao: query failed after N rows: …" (a line that no result has, its
// first field is not a column of the header), JSON closes its data and
// gets "exception": "…" beside "rows", as ClickHouse's own JSON format.
func (rw *ResultWriter) Fail(err error) error {
	msg := strings.ReplaceAll(err.Error(), "\n", " ")
	if rw.format == "json" {
		b, _ := json.Marshal(msg)
		rw.w.write([]byte(`],"rows":` + strconv.Itoa(rw.rows) + `,"exception":`))
		rw.w.write(b)
		rw.w.write([]byte("}\n"))
		return rw.Flush()
	}
	if rw.cw != nil {
		rw.cw.Flush()
	}
	rw.w.write([]byte(fmt.Sprintf("baocao: query failed after %d rows: %s\n", rw.rows, msg)))
	return rw.Flush()
}

// err is the first write error; the bytes reach the underlying writer in
// pieces of a few KB, and all of them on Flush, Close or Fail.
func (rw *ResultWriter) err() error { return rw.w.err }

// Flush sends what is buffered to the underlying writer.
func (rw *ResultWriter) Flush() error {
	if rw.cw != nil {
		rw.cw.Flush()
		if err := rw.cw.Error(); err != nil {
			return err
		}
	}
	if rw.w.err == nil {
		rw.w.err = rw.buf.Flush()
	}
	return rw.w.err
}

func (rw *ResultWriter) enc(v any) {
	b, err := json.Marshal(v)
	if err != nil && rw.w.err == nil {
		rw.w.err = err
	}
	rw.w.write(b)
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

// jsonValue turns one value in ClickHouse's text form into JSON: numbers
// stay numbers, NULL is null, the rest (dates, arrays, …) are strings.
func jsonValue(v, typ string) []byte {
	base := typ
	if strings.HasPrefix(base, "Nullable(") {
		if v == `\N` {
			return []byte("null")
		}
		base = strings.TrimSuffix(strings.TrimPrefix(base, "Nullable("), ")")
	}
	base = strings.TrimSuffix(strings.TrimPrefix(base, "LowCardinality("), ")")
	switch {
	case strings.HasPrefix(base, "Int"), strings.HasPrefix(base, "UInt"):
		if _, err := strconv.ParseInt(v, 10, 64); err == nil {
			return []byte(v)
		}
		if _, err := strconv.ParseUint(v, 10, 64); err == nil {
			return []byte(v)
		}
	case strings.HasPrefix(base, "Float"), strings.HasPrefix(base, "Decimal"):
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			if math.IsNaN(f) || math.IsInf(f, 0) {
				return []byte("null")
			}
			return []byte(strconv.FormatFloat(f, 'g', -1, 64))
		}
	case base == "Bool":
		if v == "true" || v == "false" {
			return []byte(v)
		}
	}
	b, _ := json.Marshal(v)
	return b
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) write(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}
