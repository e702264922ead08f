package events

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite the committed JSON Schemas under schema/events")

// schemaDir holds the committed schemas agencies download.
const schemaDir = "../schema/events"

func TestSchemasCommittedMatchGenerated(t *testing.T) {
	gen, err := Schemas()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.MkdirAll(schemaDir, 0o755); err != nil {
			t.Fatal(err)
		}
		old, _ := filepath.Glob(filepath.Join(schemaDir, "*.json"))
		for _, f := range old {
			os.Remove(f)
		}
		for name, b := range gen {
			if err := os.WriteFile(filepath.Join(schemaDir, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(schemaDir, "*.json"))
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
		want, ok := gen[filepath.Base(f)]
		if !ok {
			t.Errorf("%s is committed but no event type has that schema", f)
			continue
		}
		got, _ := os.ReadFile(f)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from the contract; run go test ./events -run TestSchemas -update", f)
		}
	}
	for name := range gen {
		if !slices.Contains(names, name) {
			t.Errorf("%s is missing from %s; run go test ./events -run TestSchemas -update", name, schemaDir)
		}
	}
}

func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	gen, err := Schemas()
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	out := map[string]*jsonschema.Schema{}
	for name, b := range gen {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(name, doc); err != nil {
			t.Fatal(err)
		}
		s, err := c.Compile(name)
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

func schemaAccepts(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(v)
}

// The schemas are what agencies without Go validate with: they must accept
// every valid event and reject the structural mistakes the decoder rejects.
func TestSchemasAgreeWithDecoder(t *testing.T) {
	schemas := compileSchemas(t)
	for _, e := range samples() {
		s := schemas[SchemaFileName(e.Type, e.SchemaVersion)]
		if err := schemaAccepts(t, s, encode(t, e)); err != nil {
			t.Errorf("%s: the schema rejects a valid event: %v", e.Type, err)
		}
	}
	v1 := patch(t, samples()[12], func(m map[string]any) {
		m["schema_version"] = 1
		p := m["payload"].(map[string]any)
		delete(p, "channel")
		delete(p, "desk")
		p["online"] = true
	})
	if err := schemaAccepts(t, schemas["dossier.received.v1.json"], v1); err != nil {
		t.Errorf("the v1 schema rejects a valid v1 event: %v", err)
	}

	received := samples()[12]
	mutations := map[string]func(m map[string]any){
		"missing payload field":  func(m map[string]any) { delete(m["payload"].(map[string]any), "procedure") },
		"empty required string":  func(m map[string]any) { m["payload"].(map[string]any)["procedure"] = "" },
		"wrong type":             func(m map[string]any) { m["payload"].(map[string]any)["components"] = "4" },
		"unknown enum value":     func(m map[string]any) { m["payload"].(map[string]any)["channel"] = "fax" },
		"unknown payload field":  func(m map[string]any) { m["payload"].(map[string]any)["chanel"] = "online" },
		"unknown envelope field": func(m map[string]any) { m["extra"] = 1 },
		"negative count":         func(m map[string]any) { m["payload"].(map[string]any)["components"] = -1 },
		"agency with underscore": func(m map[string]any) { m["agency"] = "000_00_31_H23" },
		"id too short":           func(m map[string]any) { m["id"] = "abc" },
		"other type":             func(m map[string]any) { m["type"] = "dossier.rated" },
		"other version":          func(m map[string]any) { m["schema_version"] = 1 },
		"timestamp not RFC 3339": func(m map[string]any) { m["occurred_at"] = "05/03/2024 09:15" },
		"missing payload":        func(m map[string]any) { delete(m, "payload") },
	}
	s := schemas[SchemaFileName(TypeDossierReceived, 2)]
	for name, f := range mutations {
		data := patch(t, received, f)
		if _, err := Decode(data, testNow); err == nil {
			t.Errorf("%s: the decoder accepts it", name)
		}
		if err := schemaAccepts(t, s, data); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}

	// Arrays of objects: each element is held to its fields as the payload is.
	var report Event
	for _, e := range samples() {
		if e.Type == TypeReportGenerated {
			report = e
		}
	}
	payload := func(m map[string]any) map[string]any { return m["payload"].(map[string]any) }
	file := func(m map[string]any) map[string]any { return payload(m)["files"].([]any)[0].(map[string]any) }
	fileMutations := map[string]func(m map[string]any){
		"no files":            func(m map[string]any) { payload(m)["files"] = []any{} },
		"files not an array":  func(m map[string]any) { payload(m)["files"] = file(m) },
		"file not an object":  func(m map[string]any) { payload(m)["files"] = []any{"a.md"} },
		"file format unknown": func(m map[string]any) { file(m)["format"] = "pdf" },
		"file path missing":   func(m map[string]any) { delete(file(m), "path") },
		"file path empty":     func(m map[string]any) { file(m)["path"] = "" },
		"file bytes negative": func(m map[string]any) { file(m)["bytes"] = -1 },
		"file sha256 not hex": func(m map[string]any) { file(m)["sha256"] = strings.Repeat("g", 64) },
		"file unknown field":  func(m map[string]any) { file(m)["size"] = 1 },
		"file sha256 is null": func(m map[string]any) { file(m)["sha256"] = nil },
	}
	s = schemas[SchemaFileName(TypeReportGenerated, CurrentVersion(TypeReportGenerated))]
	for name, f := range fileMutations {
		data := patch(t, report, f)
		if _, err := Decode(data, testNow); err == nil {
			t.Errorf("%s: the decoder accepts it", name)
		}
		if err := schemaAccepts(t, s, data); err == nil {
			t.Errorf("%s: the schema accepts it", name)
		}
	}
}

func TestSchemaFilesAreValidJSON(t *testing.T) {
	gen, _ := Schemas()
	for name, b := range gen {
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if v["title"] == nil || v["$id"] == nil {
			t.Errorf("%s: no title or $id", name)
		}
	}
}
