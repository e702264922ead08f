package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/segmentio/ksuid"
)

// Decode parses and validates one encoded event, upgrading a payload of an
// older schema version to the current one. now is the reference clock for the
// future-timestamp rule: the wall clock when publishing, the stream's receipt
// time when consuming, so a replay decides as the first delivery did.
//
// Every rejection is a *ValidationError naming each offending field; malformed
// input of any kind returns an error, never a panic.
func Decode(data []byte, now time.Time) (Event, error) {
	if len(data) > MaxEventBytes {
		return Event{}, reject(ErrTooLarge, "", "event is %d bytes; the limit is %d", len(data), MaxEventBytes)
	}
	var w wireEvent
	if err := decodeObject(data, &w, ""); err != nil {
		return Event{}, err
	}
	e := Event{
		ID: w.ID, Type: Type(w.Type), SchemaVersion: w.SchemaVersion, Agency: w.Agency,
		SubjectID: w.SubjectID, OccurredAt: w.OccurredAt, RecordedAt: w.RecordedAt,
	}
	if err := e.checkEnvelope(now); err != nil {
		return Event{}, err
	}
	pt, ok := payloadType(e.Type, e.SchemaVersion)
	if !ok {
		return Event{}, reject(ErrUnsupportedVersion, "schema_version", "%s has versions %s; got %d", e.Type, versionList(e.Type), e.SchemaVersion)
	}
	pv := reflect.New(pt)
	if err := decodeObject(w.Payload, pv.Interface(), "payload"); err != nil {
		return Event{}, err
	}
	p := pv.Elem().Interface()
	for {
		u, old := p.(upgrader)
		if !old {
			break
		}
		p = u.upgrade()
	}
	// The decoded event is at the current version; the stream keeps the
	// bytes as they were sent.
	e.Payload, e.SchemaVersion = p.(Payload), CurrentVersion(e.Type)
	c := checker{prefix: "payload"}
	e.Payload.check(&c, &e)
	if err := c.err(); err != nil {
		return Event{}, err
	}
	return e, nil
}

// wireEvent is the envelope as it travels, payload still raw.
type wireEvent struct {
	ID            string          `json:"id"`
	Type          string          `json:"type"`
	SchemaVersion int             `json:"schema_version"`
	Agency        string          `json:"agency"`
	SubjectID     string          `json:"subject_id"`
	OccurredAt    time.Time       `json:"occurred_at"`
	RecordedAt    time.Time       `json:"recorded_at"`
	Payload       json.RawMessage `json:"payload"`
}

// MaxSubjectIDLen bounds subject ids (dossier codes are ~30 characters).
const MaxSubjectIDLen = 128

// earliest is the oldest timestamp an event may carry: the one-stop systems
// began in the 2000s, and ksuid ids cannot encode times before 2014 anyway.
var earliest = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

func (e *Event) checkEnvelope(now time.Time) error {
	if _, err := ksuid.Parse(e.ID); err != nil {
		return reject(ErrInvalid, "id", "not a ksuid (27 base-62 characters): %q", clip(e.ID))
	}
	if !Known(e.Type) {
		return reject(ErrUnknownType, "type", "unknown event type %q", clip(string(e.Type)))
	}
	if e.SchemaVersion < 1 {
		return reject(ErrUnsupportedVersion, "schema_version", "must be at least 1; got %d", e.SchemaVersion)
	}
	c := checker{}
	if err := ValidAgencyCode(e.Agency); err != nil {
		c.failf("agency", "%v", err)
	}
	if len(e.SubjectID) > MaxSubjectIDLen { // control characters: decodeField
		c.failf("subject_id", "%d bytes; the limit is %d", len(e.SubjectID), MaxSubjectIDLen)
	}
	limit := now.Add(MaxFutureSkew)
	for _, ts := range []struct {
		field string
		t     time.Time
	}{{"occurred_at", e.OccurredAt}, {"recorded_at", e.RecordedAt}} {
		switch {
		case ts.t.After(limit):
			c.failf(ts.field, "%s is more than %v ahead of the clock (%s)", ts.t.Format(time.RFC3339), MaxFutureSkew, now.Format(time.RFC3339))
		case ts.t.Before(earliest):
			c.failf(ts.field, "%s is before %s", ts.t.Format(time.RFC3339), earliest.Format(time.DateOnly))
		}
	}
	return c.err()
}

func versionList(t Type) string {
	vs := Versions(t)
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = strconv.Itoa(v)
	}
	return strings.Join(parts, ", ")
}

// clip keeps echoed input short in error messages.
func clip(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	for i := max; i > 0; i-- {
		if utf8.RuneStart(s[i]) {
			return s[:i] + "…"
		}
	}
	return ""
}

// ---- Field-by-field decoding ----
//
// encoding/json stops at the first problem and names fields inconsistently;
// agencies need every problem with its path. So objects are split into their
// members first, and each member is decoded into its field on its own.

// structPlan is the decoding plan of one struct type, built once.
type structPlan struct {
	fields []fieldPlan
	byName map[string]int
}

type fieldPlan struct {
	name     string
	index    int
	required bool
	kind     fieldKind
	enum     map[string]bool // for enum and enumSlice
	enumList string
	min, max *float64
	nested   reflect.Type // for kindNested (the struct type, pointer stripped) and kindNestedSlice (the element type)
}

type fieldKind int

const (
	kindOther fieldKind = iota
	kindString
	kindEnum
	kindEnumSlice
	kindStringSlice
	kindTime
	kindDate
	kindNested
	kindNestedSlice
	kindRaw
)

var plans sync.Map // reflect.Type → *structPlan

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(Date{})
	rawType  = reflect.TypeOf(json.RawMessage{})
	enumType = reflect.TypeOf((*enum)(nil)).Elem()
)

func planFor(t reflect.Type) *structPlan {
	if p, ok := plans.Load(t); ok {
		return p.(*structPlan)
	}
	p := &structPlan{byName: map[string]int{}}
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		fp := fieldPlan{name: name, index: i, required: !strings.Contains(opts, "omitempty")}
		ft := f.Type
		if ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		switch {
		case ft == timeType:
			fp.kind = kindTime
		case ft == dateType:
			fp.kind = kindDate
		case ft == rawType:
			fp.kind = kindRaw
		case ft.Implements(enumType):
			fp.kind = kindEnum
			fp.enum, fp.enumList = enumSet(reflect.Zero(ft).Interface().(enum))
		case ft.Kind() == reflect.Slice && ft.Elem().Implements(enumType):
			fp.kind = kindEnumSlice
			fp.enum, fp.enumList = enumSet(reflect.Zero(ft.Elem()).Interface().(enum))
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.String:
			fp.kind = kindStringSlice
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct && ft.Elem() != timeType && ft.Elem() != dateType:
			fp.kind = kindNestedSlice
			fp.nested = ft.Elem()
		case ft.Kind() == reflect.String:
			fp.kind = kindString
		case ft.Kind() == reflect.Struct:
			fp.kind = kindNested
			fp.nested = ft
		}
		for _, kv := range strings.Split(f.Tag.Get("jsonschema"), ",") {
			k, v, _ := strings.Cut(kv, "=")
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				switch k {
				case "minimum", "minItems":
					fp.min = &n
				case "maximum":
					fp.max = &n
				}
			}
		}
		p.byName[name] = len(p.fields)
		p.fields = append(p.fields, fp)
	}
	plans.Store(t, p)
	return p
}

func enumSet(e enum) (map[string]bool, string) {
	m := map[string]bool{}
	for _, v := range e.Values() {
		m[v] = true
	}
	return m, strings.Join(e.Values(), ", ")
}

// decodeObject decodes the JSON object data into the struct dst points to,
// reporting every problem under the path prefix.
func decodeObject(data []byte, dst any, prefix string) error {
	if prefix == "" && !utf8.Valid(data) {
		// JSON is UTF-8; text from a legacy Vietnamese encoding (TCVN3, VNI)
		// must be converted by the sender, not silently replaced.
		return &ValidationError{Kind: ErrMalformed, Fields: []FieldError{{Reason: fmt.Sprintf("not valid UTF-8 (at byte %d)", invalidUTF8At(data))}}}
	}
	if prefix == "" && !json.Valid(data) {
		var v any
		err := json.Unmarshal(data, &v)
		if err == nil { // unreachable: Valid and Unmarshal agree
			err = errors.New("invalid JSON")
		}
		return &ValidationError{Kind: ErrMalformed, Fields: []FieldError{{Reason: "not a JSON object: " + syntaxError(err).Error()}}}
	}
	v := reflect.ValueOf(dst).Elem()
	var errs []FieldError
	if !decodeInto(data, v, prefix, &errs) && prefix == "" {
		return &ValidationError{Kind: ErrMalformed, Fields: errs}
	}
	if len(errs) > 0 {
		return &ValidationError{Kind: ErrInvalid, Fields: errs}
	}
	return nil
}

// decodeInto reports false when data is not a JSON object at all. data is
// valid JSON (decodeObject checked the whole event once).
func decodeInto(data []byte, v reflect.Value, prefix string, errs *[]FieldError) bool {
	fail := func(field, format string, args ...any) {
		*errs = append(*errs, FieldError{Field: join(prefix, field), Reason: fmt.Sprintf(format, args...)})
	}
	var buf [12]member
	members, ok := splitObject(data, buf[:0])
	if !ok {
		fail("", "not a JSON object: got %s", jsonValueKind(data))
		return false
	}
	plan := planFor(v.Type())
	var seenBuf [32]bool
	seen := seenBuf[:0]
	if len(plan.fields) > len(seenBuf) {
		seen = make([]bool, 0, len(plan.fields))
	}
	seen = seen[:len(plan.fields)]
	for _, m := range members {
		i, ok := plan.byName[m.name]
		if !ok {
			fail(m.name, "unknown field")
			continue
		}
		if seen[i] {
			fail(m.name, "appears twice")
			continue
		}
		seen[i] = true
		fp := &plan.fields[i]
		if string(m.value) == "null" {
			if fp.required {
				fail(fp.name, "missing (null)")
			}
			continue
		}
		decodeField(m.value, v.Field(fp.index), fp, prefix, errs)
	}
	for i, fp := range plan.fields {
		if fp.required && !seen[i] {
			fail(fp.name, "missing")
		}
	}
	return true
}

func decodeField(raw []byte, fv reflect.Value, fp *fieldPlan, prefix string, errs *[]FieldError) {
	fail := func(format string, args ...any) {
		*errs = append(*errs, FieldError{Field: join(prefix, fp.name), Reason: fmt.Sprintf(format, args...)})
	}
	if fv.Kind() == reflect.Pointer {
		fv.Set(reflect.New(fv.Type().Elem()))
		fv = fv.Elem()
	}
	if fp.kind == kindNested {
		decodeInto(raw, fv, join(prefix, fp.name), errs)
		return
	}
	if fp.kind == kindNestedSlice {
		if !decodeElems(raw, fv, join(prefix, fp.name), errs) {
			fail("wrong type: want an array; got %s", jsonValueKind(raw))
			return
		}
	} else if !decodeFast(raw, fv, fp.kind) {
		if err := json.Unmarshal(raw, fv.Addr().Interface()); err != nil {
			switch fp.kind {
			case kindTime:
				fail("wrong format: want an RFC 3339 timestamp with its offset, e.g. 2024-03-05T09:15:00+07:00; got %s", clip(string(raw)))
			case kindDate:
				fail("wrong format: want a date YYYY-MM-DD; got %s", clip(string(raw)))
			default:
				fail("wrong type: want %s; got %s", jsonKind(fv.Type()), jsonValueKind(raw))
			}
			return
		}
	}
	switch fp.kind {
	case kindString:
		if fp.required && fv.Len() == 0 {
			fail("empty")
		} else if msg := textProblem(fv.String(), freeText[fp.name]); msg != "" {
			fail("%s", msg)
		}
	case kindEnum:
		if s := fv.String(); !fp.enum[s] {
			fail("unknown value %q; want one of %s", clip(s), fp.enumList)
		}
	case kindEnumSlice:
		for i := range fv.Len() {
			if s := fv.Index(i).String(); !fp.enum[s] {
				*errs = append(*errs, FieldError{Field: indexed(join(prefix, fp.name), i), Reason: fmt.Sprintf("unknown value %q; want one of %s", clip(s), fp.enumList)})
			}
		}
	case kindStringSlice:
		for i := range fv.Len() {
			if msg := textProblem(fv.Index(i).String(), freeText[fp.name]); msg != "" {
				*errs = append(*errs, FieldError{Field: indexed(join(prefix, fp.name), i), Reason: msg})
			}
		}
	}
	if fp.min != nil || fp.max != nil {
		var n float64
		switch fv.Kind() {
		case reflect.Int, reflect.Int64:
			n = float64(fv.Int())
		case reflect.Float64:
			n = fv.Float()
		case reflect.Slice:
			n = float64(fv.Len())
		}
		if fp.min != nil && n < *fp.min {
			fail("%v is below the minimum %v", n, *fp.min)
		}
		if fp.max != nil && n > *fp.max {
			fail("%v is above the maximum %v", n, *fp.max)
		}
	}
}

// decodeFast decodes the common simple values without encoding/json's
// per-call setup; it reports false to leave anything unusual (escapes,
// exponents, wrong types) to json.Unmarshal and its precise errors.
func decodeFast(raw []byte, fv reflect.Value, kind fieldKind) bool {
	str := func() (string, bool) {
		if len(raw) < 2 || raw[0] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
			return "", false
		}
		return string(raw[1 : len(raw)-1]), true
	}
	switch kind {
	case kindString, kindEnum:
		s, ok := str()
		if ok && fv.Kind() == reflect.String {
			fv.SetString(s)
		}
		return ok && fv.Kind() == reflect.String
	case kindTime:
		s, ok := str()
		if !ok {
			return false
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return false
		}
		fv.Set(reflect.ValueOf(t))
		return true
	case kindDate:
		s, ok := str()
		if !ok {
			return false
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return false
		}
		fv.Set(reflect.ValueOf(Date{t}))
		return true
	}
	switch fv.Kind() {
	case reflect.Int, reflect.Int64:
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil || fv.OverflowInt(n) {
			return false
		}
		fv.SetInt(n)
		return true
	case reflect.Float64:
		if raw[0] == '"' || raw[0] == 't' || raw[0] == 'f' || raw[0] == '[' || raw[0] == '{' {
			return false
		}
		f, err := strconv.ParseFloat(string(raw), 64)
		if err != nil {
			return false
		}
		fv.SetFloat(f)
		return true
	case reflect.Bool:
		switch string(raw) {
		case "true":
			fv.SetBool(true)
			return true
		case "false":
			fv.SetBool(false)
			return true
		}
	}
	return false
}

// decodeElems decodes a JSON array of objects into the struct slice fv, each
// element field by field under path[i]. It reports false when raw is not an
// array.
func decodeElems(raw []byte, fv reflect.Value, path string, errs *[]FieldError) bool {
	elems, ok := splitArray(raw)
	if !ok {
		return false
	}
	out := reflect.MakeSlice(fv.Type(), len(elems), len(elems))
	for i, el := range elems {
		decodeInto(el, out.Index(i), indexed(path, i), errs)
	}
	fv.Set(out)
	return true
}

func indexed(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

type member struct {
	name  string
	value []byte
}

// splitObject splits a JSON object into its members, values left raw. data
// must be valid JSON; ok is false when it is not an object.
func splitObject(data []byte, out []member) (_ []member, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if data[i] == '}' {
		return out, true
	}
	for {
		end := stringEnd(data, i)
		var name string
		if key := data[i:end]; bytes.IndexByte(key, '\\') < 0 {
			name = string(key[1 : len(key)-1])
		} else if err := json.Unmarshal(key, &name); err != nil {
			return nil, false
		}
		i = skipSpace(data, skipSpace(data, end)+1) // past the colon
		vend := valueEnd(data, i)
		out = append(out, member{name: name, value: data[i:vend]})
		i = skipSpace(data, vend)
		if data[i] != ',' {
			return out, true // the closing brace
		}
		i = skipSpace(data, i+1)
	}
}

// SplitArray splits a JSON array into its elements, left raw, as the
// decoder does: the HTTP intake cuts a batch with it. data must be valid
// JSON; ok is false when it is not an array.
func SplitArray(data []byte) (elems [][]byte, ok bool) { return splitArray(data) }

func splitArray(data []byte) (elems [][]byte, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '[' {
		return nil, false
	}
	i = skipSpace(data, i+1)
	if data[i] == ']' {
		return nil, true
	}
	for {
		end := valueEnd(data, i)
		elems = append(elems, data[i:end])
		i = skipSpace(data, end)
		if data[i] != ',' {
			return elems, true // the closing bracket
		}
		i = skipSpace(data, i+1)
	}
}

func invalidUTF8At(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(data)
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at data[i].
func stringEnd(data []byte, i int) int {
	for j := i + 1; j < len(data); j++ {
		switch data[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(data)
}

// valueEnd returns the index just past the value starting at data[i].
func valueEnd(data []byte, i int) int {
	switch data[i] {
	case '"':
		return stringEnd(data, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(data); j++ {
			switch data[j] {
			case '"':
				j = stringEnd(data, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return j + 1
				}
			}
		}
		return len(data)
	}
	j := i
	for ; j < len(data); j++ {
		switch data[j] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return j
		}
	}
	return j
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("%v (at byte %d)", se, se.Offset)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "unexpected end of JSON input") {
		return errors.New("unexpected end of input")
	}
	return err
}

// jsonKind names the JSON kind a Go type decodes from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64:
		return "an integer"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

func jsonValueKind(raw []byte) string {
	switch raw[0] {
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	case 'n':
		return "null"
	}
	return "the number " + clip(string(raw))
}
