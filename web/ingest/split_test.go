package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// FuzzSplit: any body either splits into events cut from it, or is a
// *bodyError; never a panic.
func FuzzSplit(f *testing.F) {
	ev := `{"id":"2dFXf773gq7MK6NNICoLQcXpwxY","type":"dossier.received","payload":{"a":[1,"]",{}]}}`
	for _, s := range []string{
		"", " ", ev, "[" + ev + "," + ev + "]", ev + "\n" + ev + "\r\n\n", "[]", "[1, \"x\", null, [], {}]",
		"[{", "{\"a\": \"\\\"}", "\xef\xbb\xbf" + ev, "42", "[\"\\u00e9\"]", "{}\n{", "\n\n{\"a\":1} x",
	} {
		f.Add([]byte(s), "application/json")
		f.Add([]byte(s), "application/x-ndjson")
	}
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		items, form, err := split(body, contentType)
		if err != nil {
			if _, ok := errors.AsType[*bodyError](err); !ok {
				t.Fatalf("error %T %v, want a *bodyError", err, err)
			}
			return
		}
		total := 0
		for _, it := range items {
			if len(it.data) == 0 {
				t.Fatalf("empty item in %q", body)
			}
			if !bytes.Contains(body, it.data) {
				t.Fatalf("item %q not from the body %q", it.data, body)
			}
			if form == formArray && !json.Valid(it.data) {
				t.Fatalf("array element %q is not JSON (body %q)", it.data, body)
			}
			if (form == formLines) != (it.line > 0) {
				t.Fatalf("form %v, line %d", form, it.line)
			}
			total += len(it.data)
		}
		if total > len(body) {
			t.Fatalf("items hold %d bytes of a %d-byte body", total, len(body))
		}
		if form == formSingle && (len(items) != 1 || !json.Valid(items[0].data)) {
			t.Fatalf("single: %v", items)
		}
	})
}

func TestSplitArrayElements(t *testing.T) {
	items, form, err := split([]byte(` [ {"a":"]}"} , 12,"x\"",[1,[2]] ,true]`), "")
	if err != nil || form != formArray {
		t.Fatal(form, err)
	}
	want := []string{`{"a":"]}"}`, `12`, `"x\""`, `[1,[2]]`, `true`}
	if len(items) != len(want) {
		t.Fatalf("%v", items)
	}
	for i, w := range want {
		if string(items[i].data) != w {
			t.Errorf("element %d: %q, want %q", i, items[i].data, w)
		}
	}
}
