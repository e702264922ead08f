package chdb

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// BenchmarkInsertRows measures encoding a batch for the engine, the part of
// an insert done in Go.
func BenchmarkInsertRows(b *testing.B) {
	rows := storetest.Rows(b, storetest.Simulated(b, 20_000))
	b.ResetTimer()
	for range b.N {
		var buf bytes.Buffer
		for i := range rows {
			if err := writeJSONRow(&buf, store.EventColumns, rows[i].Values()); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(rows)), "ns/row")
}

// Strings reach the engine as JSON that reads back as the same string (or,
// for bytes that are not UTF-8, as encoding/json replaces them).
func TestWriteJSONString(t *testing.T) {
	for _, s := range []string{"", "plain", "Sở Tư pháp", `quote " and \ back`, "tab\tnew\nline\x00nul", "<&>", "\u2028", "bad \xff utf8 Sở", "Sở \"quoted\""} {
		var b bytes.Buffer
		writeJSONString(&b, s)
		var got string
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Errorf("%q: wrote %s, not JSON: %v", s, b.String(), err)
			continue
		}
		want := s
		if !utf8.ValidString(s) {
			enc, _ := json.Marshal(s)
			_ = json.Unmarshal(enc, &want)
		}
		if got != want {
			t.Errorf("%q: wrote %s, which reads back as %q", s, b.String(), got)
		}
	}
}
