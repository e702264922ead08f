package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"strings"

	"github.com/baocao/baocao/events"
)

// form is how a request body carries its events.
type form int

const (
	formSingle form = iota + 1 // one JSON object
	formArray                  // a JSON array of objects
	formLines                  // JSON Lines: one object per line
)

func (f form) String() string {
	switch f {
	case formSingle:
		return "single"
	case formArray:
		return "array"
	case formLines:
		return "lines"
	}
	return "unknown"
}

// item is one event as it was cut out of the body, still undecoded.
type item struct {
	data []byte
	line int // 1-based line in JSON Lines input; 0 for the other forms
}

// bodyError says why a body holds no events at all, and where.
type bodyError struct{ msg string }

func (e *bodyError) Error() string { return e.msg }

// split cuts body into its events. The form is sniffed from the body itself
// (senders label JSON Lines as application/json, and curl -d labels
// everything a form); Content-Type application/x-ndjson (or jsonl) only
// forces JSON Lines. A body that is not one of the three forms is a
// *bodyError naming the line and column; an event that is wrong on its own
// (a broken line, an array element that is not an object) is cut out
// anyway and rejected by the decoder, so the rest of the batch still goes.
func split(body []byte, contentType string) ([]item, form, error) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // a BOM from Windows senders
	start := len(body) - len(bytes.TrimLeft(body, " \t\r\n"))
	if start == len(body) {
		return nil, 0, &bodyError{"empty body: want one JSON event, a JSON array of events or JSON Lines"}
	}
	if isLines(contentType) {
		return splitLines(body), formLines, nil
	}
	switch body[start] {
	case '[':
		if err := valid(body); err != nil {
			return nil, 0, err
		}
		return splitArray(body), formArray, nil
	case '{':
		if json.Valid(body) {
			return []item{{data: body[start:]}}, formSingle, nil
		}
		// Several values: JSON Lines when the first line is an event by
		// itself; otherwise one broken object, reported where it breaks.
		first := body[start:]
		if i := bytes.IndexByte(first, '\n'); i >= 0 {
			first = first[:i]
		}
		if json.Valid(first) {
			return splitLines(body), formLines, nil
		}
		return nil, 0, valid(body)
	}
	line, col := position(body, start)
	return nil, 0, &bodyError{fmt.Sprintf("line %d, column %d: want one JSON event (an object), a JSON array of events or JSON Lines; the body starts with %q", line, col, clip(body[start:]))}
}

func isLines(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch mt {
	case "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines":
		return true
	}
	return false
}

// valid returns a *bodyError locating the first syntax error of body, or nil.
func valid(body []byte) error {
	if json.Valid(body) {
		return nil
	}
	var v any
	err := json.Unmarshal(body, &v)
	off, msg := len(body), "unexpected end of input"
	if se, ok := err.(*json.SyntaxError); ok && !strings.Contains(se.Error(), "unexpected end") {
		off, msg = int(se.Offset)-1, se.Error() // the offset is past the offending byte
	}
	line, col := position(body, off)
	return &bodyError{fmt.Sprintf("not JSON: line %d, column %d: %s", line, col, msg)}
}

// position turns a byte offset into a 1-based line and column (in bytes).
func position(body []byte, off int) (line, col int) {
	off = min(max(off, 0), len(body))
	line = 1 + bytes.Count(body[:off], []byte("\n"))
	return line, off - (bytes.LastIndexByte(body[:off], '\n') + 1) + 1
}

// splitLines cuts JSON Lines into one item per non-blank line.
func splitLines(body []byte) []item {
	var items []item
	for n := 1; len(body) > 0; n++ {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			items = append(items, item{data: line, line: n})
		}
	}
	return items
}

// splitArray cuts the elements out of a JSON array; body is valid JSON.
func splitArray(body []byte) []item {
	elems, _ := events.SplitArray(body)
	items := make([]item, len(elems))
	for i, e := range elems {
		items[i] = item{data: e}
	}
	return items
}

func clip(b []byte) string {
	if len(b) > 20 {
		return string(b[:20]) + "…"
	}
	return string(b)
}
