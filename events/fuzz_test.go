package events

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecode: no input panics the decoder, every rejection is a
// *ValidationError, and an accepted event survives encode → decode unchanged.
// The seed corpus in testdata/fuzz/FuzzDecode holds one valid event of every
// type, a v1 event and malformed inputs.
func FuzzDecode(f *testing.F) {
	for _, e := range samples() {
		f.Add(encode(f, e))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := Decode(data, testNow)
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("rejection %v is not a *ValidationError with fields", err)
			}
			return
		}
		again, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("accepted event does not encode: %v", err)
		}
		e2, err := Decode(again, testNow)
		if err != nil {
			t.Fatalf("re-encoded event rejected: %v\n%s", err, again)
		}
		if b, _ := json.Marshal(e2); string(b) != string(again) {
			t.Fatalf("encode → decode changed the event:\n%s\n%s", again, b)
		}
	})
}
