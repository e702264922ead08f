package web

import (
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
	switch format {
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(res.Columns)
		cw.WriteAll(res.Rows)
		return cw.Error()
	case "tsv":
		esc := strings.NewReplacer("\\", "\\\\", "\t", "\\t", "\n", "\\n")
		for _, r := range append([][]string{res.Columns}, res.Rows...) {
			line := make([]string, len(r))
			for i, v := range r {
				line[i] = esc.Replace(v)
			}
			if _, err := io.WriteString(w, strings.Join(line, "\t")+"\n"); err != nil {
				return err
			}
		}
		return nil
	case "json":
		return writeJSON(w, res)
	}
	return fmt.Errorf("format %q: want csv, tsv or json", format)
}

type column struct {
	Name string `json:"name"`
	Type string `json:"type"`
}

func writeJSON(w io.Writer, res *store.Result) error {
	meta := make([]column, len(res.Columns))
	for i, c := range res.Columns {
		meta[i] = column{Name: c}
		if i < len(res.Types) {
			meta[i].Type = res.Types[i]
		}
	}
	// Rows are written one by one so a large result is not held twice.
	bw := &errWriter{w: w}
	enc := func(v any) {
		b, err := json.Marshal(v)
		if err != nil && bw.err == nil {
			bw.err = err
		}
		bw.write(b)
	}
	bw.write([]byte(`{"meta":`))
	enc(meta)
	bw.write([]byte(`,"data":[`))
	for n, r := range res.Rows {
		if n > 0 {
			bw.write([]byte(","))
		}
		bw.write([]byte("{"))
		for i, v := range r {
			if i > 0 {
				bw.write([]byte(","))
			}
			enc(meta[i].Name)
			bw.write([]byte(":"))
			bw.write(jsonValue(v, meta[i].Type))
		}
		bw.write([]byte("}"))
	}
	bw.write([]byte(`],"rows":` + strconv.Itoa(len(res.Rows)) + "}\n"))
	return bw.err
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
