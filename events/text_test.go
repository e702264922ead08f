package events

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDecodeRejectsControlCharacters puts an ESC inside every string of every
// sample event, envelope and payload, nested objects and arrays included:
// each is rejected with the field named, and every field that takes free
// text says which character and where.
func TestDecodeRejectsControlCharacters(t *testing.T) {
	for _, e := range samples() {
		var m map[string]any
		if err := json.Unmarshal(encode(t, e), &m); err != nil {
			t.Fatal(err)
		}
		for _, path := range stringPaths(m, "") {
			if path == "type" {
				continue // the type picks the payload; an unknown one is ErrUnknownType
			}
			t.Run(string(e.Type)+"/"+path, func(t *testing.T) {
				orig := getPath(m, path).(string)
				at := min(2, utf8.RuneCountInString(orig))
				cut := len(string([]rune(orig)[:at]))
				bad := patchPath(t, e, path, orig[:cut]+"\x1b"+orig[cut:])
				_, err := Decode(bad, testNow)
				if _, plainErr := Decode(patchPath(t, e, path, orig+"x"), testNow); plainErr == nil { // a field free to hold any text
					assertRejected(t, err, ErrInvalid, path, "control character U+001B at offset "+strconv.Itoa(at))
				} else {
					assertRejected(t, err, ErrInvalid, path, "")
				}
			})
		}
	}
}

func TestControlCharacters(t *testing.T) {
	s := samples()
	byType := map[Type]Event{}
	for _, e := range s {
		byType[e.Type] = e
	}
	plan, rejected := byType[TypePlanIssued], byType[TypeFeedbackRejected]
	tests := []struct {
		name   string
		event  Event
		path   string
		value  string
		wantIn string // empty: accepted
	}{
		{"NUL in a title", plan, "payload.title", "Kế\x00 hoạch", "control character U+0000 at offset 2"},
		{"DEL in a title", plan, "payload.title", "Kế hoạch\x7f", "control character U+007F at offset 8"},
		{"C1 NEL in a title", plan, "payload.title", "Kế\u0085hoạch", "control character U+0085 at offset 2"},
		{"C1 CSI in a number", plan, "payload.number", "302/QĐ\u009b", "control character U+009B at offset 6"},
		{"newline in a title", plan, "payload.title", "Kế hoạch\nsố 2", "control character U+000A at offset 8"},
		{"tab in the issuer", plan, "payload.issuer", "UBND\tthành phố", "control character U+0009 at offset 4"},
		{"ESC in the subject id", plan, "subject_id", "KH\x1b[2J", "control character U+001B at offset 2"},
		{"lines in a reason", rejected, "payload.reason", "Trùng lặp:\n\t- PAKN 12\r\n\t- PAKN 13", ""},
		{"a lone CR in a reason", rejected, "payload.reason", "Trùng lặp\rPAKN 12", "control character U+000D at offset 9"},
		{"ESC in a reason", rejected, "payload.reason", "Trùng lặp\n\x1b[31mđỏ", "control character U+001B at offset 10"},
		{"C1 in a reason", rejected, "payload.reason", "Trùng\u0090", "control character U+0090 at offset 5"},
		{"Vietnamese and symbols", plan, "payload.title", "Kế hoạch «CCHC» – 2024 ₫ <b>&amp;</b> 😀", ""},
	}
	// The JSON Schemas say the same, for agencies that validate with them.
	schemas := compileSchemas(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := patchPath(t, tt.event, tt.path, tt.value)
			_, err := Decode(data, testNow)
			schemaErr := schemaAccepts(t, schemas[SchemaFileName(tt.event.Type, tt.event.SchemaVersion)], data)
			if tt.wantIn == "" {
				if err != nil || schemaErr != nil {
					t.Fatalf("rejected: %v; by the schema: %v", err, schemaErr)
				}
				return
			}
			assertRejected(t, err, ErrInvalid, tt.path, tt.wantIn)
			if schemaErr == nil {
				t.Errorf("the schema accepts %q in %s", tt.value, tt.path)
			}
		})
	}
	// A C1 character sent raw (UTF-8 C2 85, no JSON escape) is caught too.
	raw := strings.Replace(string(patchPath(t, plan, "payload.title", "Kế hoạch@")), "@", "\u0085", 1)
	_, err := Decode([]byte(raw), testNow)
	assertRejected(t, err, ErrInvalid, "payload.title", "control character U+0085 at offset 8")
	if schemaAccepts(t, schemas[SchemaFileName(plan.Type, plan.SchemaVersion)], []byte(raw)) == nil {
		t.Error("the schema accepts a raw C1 character")
	}
}

// stringPaths lists the dotted paths of every string leaf under v.
func stringPaths(v any, prefix string) []string {
	var out []string
	switch v := v.(type) {
	case string:
		out = append(out, prefix)
	case map[string]any:
		for k, x := range v {
			out = append(out, stringPaths(x, join(prefix, k))...)
		}
	case []any:
		for i, x := range v {
			out = append(out, stringPaths(x, indexed(prefix, i))...)
		}
	}
	return out
}

// getPath and setPath follow a path such as payload.files[0].path.
func getPath(v any, path string) any {
	for _, k := range strings.Split(path, ".") {
		name, idx := k, -1
		if i := strings.IndexByte(k, '['); i >= 0 {
			name = k[:i]
			fmt.Sscanf(k[i:], "[%d]", &idx)
		}
		v = v.(map[string]any)[name]
		if idx >= 0 {
			v = v.([]any)[idx]
		}
	}
	return v
}

func patchPath(t *testing.T, e Event, path, value string) []byte {
	t.Helper()
	return patch(t, e, func(m map[string]any) {
		i := strings.LastIndexByte(path, '.')
		parent, last := any(m), path
		if i >= 0 {
			parent, last = getPath(m, path[:i]), path[i+1:]
		}
		name, idx := last, -1
		if j := strings.IndexByte(last, '['); j >= 0 {
			name = last[:j]
			fmt.Sscanf(last[j:], "[%d]", &idx)
		}
		if idx >= 0 {
			parent.(map[string]any)[name].([]any)[idx] = value
		} else {
			parent.(map[string]any)[name] = value
		}
	})
}
