package events

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecode measures validation of a typical ~400-byte event, the work
// producers do before sending and consumers do for every message.
func BenchmarkDecode(b *testing.B) {
	data := encode(b, samples()[12]) // dossier.received
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(data, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUnmarshalBaseline is plain encoding/json into the same structs,
// for comparison: the price of field-by-field errors.
func BenchmarkUnmarshalBaseline(b *testing.B) {
	data := encode(b, samples()[12])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var w struct {
			wireEvent
			Payload DossierReceived `json:"payload"`
		}
		if err := json.Unmarshal(data, &w); err != nil {
			b.Fatal(err)
		}
	}
}
