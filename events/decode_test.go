package events

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestSamplesCoverEveryType(t *testing.T) {
	seen := map[Type]bool{}
	for _, e := range samples() {
		seen[e.Type] = true
	}
	for _, typ := range Types() {
		if !seen[typ] {
			t.Errorf("no sample of %s", typ)
		}
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	for _, e := range samples() {
		t.Run(string(e.Type), func(t *testing.T) {
			got, err := Decode(encode(t, e), testNow)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if !got.OccurredAt.Equal(e.OccurredAt) || !got.RecordedAt.Equal(e.RecordedAt) {
				t.Fatalf("times changed: %v %v", got.OccurredAt, got.RecordedAt)
			}
			got.OccurredAt, got.RecordedAt = e.OccurredAt, e.RecordedAt
			if !reflect.DeepEqual(normalise(got), normalise(e)) {
				t.Fatalf("round trip changed the event:\n got %#v\nwant %#v", got, e)
			}
			if err := e.Validate(testNow); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

// normalise re-encodes times so that monotonic readings and *time.Time
// pointers compare by value.
func normalise(e Event) string { return string(encodeTB(e)) }

func encodeTB(e Event) []byte {
	var t testing.T
	return encode(&t, e)
}

func TestDecodeRejects(t *testing.T) {
	s := samples()
	byType := map[Type]Event{}
	for _, e := range s {
		byType[e.Type] = e
	}
	received := byType[TypeDossierReceived]
	task := byType[TypeTaskAssigned]
	indicator := byType[TypeIndicatorReported]
	report := byType[TypeReportGenerated]
	hash := strings.Repeat("0f", 32)
	file := func(format, path, sha256 string) map[string]any {
		return map[string]any{"format": format, "path": path, "bytes": 1024, "sha256": sha256}
	}

	set := func(path string, v any) func(map[string]any) {
		return func(m map[string]any) {
			keys := strings.Split(path, ".")
			for _, k := range keys[:len(keys)-1] {
				m = m[k].(map[string]any)
			}
			if v == nil {
				delete(m, keys[len(keys)-1])
			} else {
				m[keys[len(keys)-1]] = v
			}
		}
	}
	const remove = "\x00remove"
	tests := []struct {
		name      string
		event     Event
		path      string
		value     any // remove deletes the field
		wantKind  error
		wantField string
		wantIn    string // a phrase the reason must contain
	}{
		{"missing id", received, "id", remove, ErrInvalid, "id", "missing"},
		{"id not a ksuid", received, "id", "42", ErrInvalid, "id", "not a ksuid"},
		{"unknown type", received, "type", "dossier.teleported", ErrUnknownType, "type", "unknown event type"},
		{"version from the future", received, "schema_version", 4, ErrUnsupportedVersion, "schema_version", "versions 1, 2, 3; got 4"},
		{"version zero", received, "schema_version", 0, ErrUnsupportedVersion, "schema_version", "at least 1"},
		{"version wrong type", received, "schema_version", "2", ErrInvalid, "schema_version", "want an integer; got a string"},
		{"agency with underscore", received, "agency", "000_00_31_H23", ErrInvalid, "agency", "only ASCII letters"},
		{"agency with wildcard", received, "agency", "000.*.H23", ErrInvalid, "agency", "only ASCII letters"},
		{"agency with empty token", received, "agency", "000..H23", ErrInvalid, "agency", "dots only between"},
		{"agency empty", received, "agency", "", ErrInvalid, "agency", "empty"},
		{"subject id missing", received, "subject_id", remove, ErrInvalid, "subject_id", "missing"},
		{"subject id empty", received, "subject_id", "", ErrInvalid, "subject_id", "empty"},
		{"subject id control char", received, "subject_id", "a\nb", ErrInvalid, "subject_id", "control character"},
		{"occurred_at without offset", received, "occurred_at", "2024-03-05T09:15:00", ErrInvalid, "occurred_at", "RFC 3339"},
		{"occurred_at a number", received, "occurred_at", 1709600000, ErrInvalid, "occurred_at", "RFC 3339"},
		{"occurred_at over a day ahead", received, "occurred_at", testNow.Add(25 * time.Hour).Format(time.RFC3339), ErrInvalid, "occurred_at", "ahead of the clock"},
		{"recorded_at over a day ahead", received, "recorded_at", testNow.Add(48 * time.Hour).Format(time.RFC3339), ErrInvalid, "recorded_at", "ahead of the clock"},
		{"occurred_at before 2000", received, "occurred_at", "1999-12-31T23:00:00+07:00", ErrInvalid, "occurred_at", "before 2000-01-01"},
		{"unknown envelope field", received, "agnecy", "x", ErrInvalid, "agnecy", "unknown field"},
		{"payload missing", received, "payload", remove, ErrInvalid, "payload", "missing"},
		{"payload null", received, "payload", "\x00null", ErrInvalid, "payload", "missing (null)"},
		{"payload an array", received, "payload", []any{1}, ErrInvalid, "payload", "not a JSON object"},
		{"payload field missing", received, "payload.procedure", remove, ErrInvalid, "payload.procedure", "missing"},
		{"payload field empty", received, "payload.procedure", "", ErrInvalid, "payload.procedure", "empty"},
		{"payload field wrong type", received, "payload.components", "four", ErrInvalid, "payload.components", "want an integer; got a string"},
		{"payload fraction for integer", received, "payload.components", 1.5, ErrInvalid, "payload.components", "want an integer; got the number 1.5"},
		{"payload unknown enum", received, "payload.channel", "fax", ErrInvalid, "payload.channel", `unknown value "fax"; want one of online, in_person, postal`},
		{"payload unknown field", received, "payload.chanel", "online", ErrInvalid, "payload.chanel", "unknown field"},
		{"payload negative", received, "payload.components_reused", -1, ErrInvalid, "payload.components_reused", "below the minimum 0"},
		{"due date before receipt", received, "payload.due_at", at.Add(-time.Hour).Format(time.RFC3339), ErrInvalid, "payload.due_at", "not after the receipt"},
		{"digitised more than components", received, "payload.components_digitised", 9, ErrInvalid, "payload.components_digitised", "more than components"},
		{"bool as string", byType[TypeDossierFeePaid], "payload.online", "yes", ErrInvalid, "payload.online", "want true or false"},
		{"deadline field of another kind", task, "payload.deadline.month", 3, ErrInvalid, "payload.deadline.month", "not allowed when kind is quarter"},
		{"deadline missing its field", task, "payload.deadline.quarter", remove, ErrInvalid, "payload.deadline.quarter", "required when kind is quarter"},
		{"deadline quarter out of range", task, "payload.deadline.quarter", 5, ErrInvalid, "payload.deadline.quarter", "above the maximum 4"},
		{"nested unknown field", task, "payload.deadline.day", 3, ErrInvalid, "payload.deadline.day", "unknown field"},
		{"lead not an agency code", task, "payload.lead", "Sở Tư pháp", ErrInvalid, "payload.lead", "only ASCII letters"},
		{"coordinating entry bad", task, "payload.coordinating", []any{"000.00.32.H23", "x y"}, ErrInvalid, "payload.coordinating[1]", "only ASCII letters"},
		{"enum list entry unknown", byType[TypeProcedurePublished], "payload.levels", []any{"commune", "hamlet"}, ErrInvalid, "payload.levels[1]", `unknown value "hamlet"`},
		{"enum list empty", byType[TypeProcedurePublished], "payload.levels", []any{}, ErrInvalid, "payload.levels", "below the minimum 1"},
		{"full online must be eligible", byType[TypeProcedurePublished], "payload.online_eligible", false, ErrInvalid, "payload.online_eligible", "must be true"},
		{"bad date", byType[TypePlanIssued], "payload.issued_on", "30/01/2024", ErrInvalid, "payload.issued_on", "YYYY-MM-DD"},
		{"indicator period reversed", indicator, "payload.period_to", "2022-12-31", ErrInvalid, "payload.period_to", "before period_from"},
		{"indicator rank past rank_of", indicator, "payload.rank", 64, ErrInvalid, "payload.rank", "more than rank_of"},
		{"percent over 100", byType[TypeTaskProgressReported], "payload.percent", 101, ErrInvalid, "payload.percent", "above the maximum 100"},
		{"commune without parent", byType[TypeAgencyCreated], "payload.parent", remove, ErrInvalid, "payload.parent", "has a parent"},
		{"merged into itself", byType[TypeAgencyMerged], "payload.into", "000.07.41.H23", ErrInvalid, "payload.into", "the agency itself"},
		{"forwarded to itself", byType[TypeDossierForwarded], "payload.to_agency", "000.00.31.H23", ErrInvalid, "payload.to_agency", "forwarding agency itself"},
		{"report without files", report, "payload.files", remove, ErrInvalid, "payload.files", "missing"},
		{"report files empty", report, "payload.files", []any{}, ErrInvalid, "payload.files", "below the minimum 1"},
		{"report files not an array", report, "payload.files", "a.md", ErrInvalid, "payload.files", "want an array; got a string"},
		{"report file not an object", report, "payload.files", []any{"a.md"}, ErrInvalid, "payload.files[0]", "not a JSON object"},
		{"report sha256 uppercase", report, "payload.files", []any{file("md", "a.md", strings.ToUpper(hash))}, ErrInvalid, "payload.files[0].sha256", "64 lowercase hexadecimal digits"},
		{"report sha256 short", report, "payload.files", []any{file("md", "a.md", hash[:63])}, ErrInvalid, "payload.files[0].sha256", "64 lowercase hexadecimal digits"},
		{"report unknown format", report, "payload.files", []any{file("md", "a.md", hash), file("pdf", "a.pdf", hash)}, ErrInvalid, "payload.files[1].format", `unknown value "pdf"; want one of md, html, xlsx`},
		{"report format twice", report, "payload.files", []any{file("md", "a.md", hash), file("md", "b.md", hash)}, ErrInvalid, "payload.files[1].format", "files[0] is already md"},
		{"report path leaves the folder", report, "payload.files", []any{file("md", "../a.md", hash)}, ErrInvalid, "payload.files[0].path", "not a path inside the output folder"},
		{"report path absolute", report, "payload.files", []any{file("md", "/srv/a.md", hash)}, ErrInvalid, "payload.files[0].path", "not a path inside the output folder"},
		{"report file path missing", report, "payload.files", []any{map[string]any{"format": "md", "bytes": 1, "sha256": hash}}, ErrInvalid, "payload.files[0].path", "missing"},
		{"report file unknown field", report, "payload.files", []any{map[string]any{"format": "md", "path": "a.md", "bytes": 1, "sha256": hash, "size": 1}}, ErrInvalid, "payload.files[0].size", "unknown field"},
		{"report file negative bytes", report, "payload.files", []any{file("md", "a.md", hash), map[string]any{"format": "html", "path": "a.html", "bytes": -1, "sha256": hash}}, ErrInvalid, "payload.files[1].bytes", "below the minimum 0"},
		{"report end before start", report, "payload.period_end", "2023-09-01", ErrInvalid, "payload.period_end", "before period_start"},
		{"report number past its kind", report, "payload.number", 5, ErrInvalid, "payload.number", "more than the 4 period(s) of kind quarter"},
		{"report number over 12", report, "payload.number", 13, ErrInvalid, "payload.number", "above the maximum 12"},
		{"report unknown kind", report, "payload.report", "weekly", ErrInvalid, "payload.report", `unknown value "weekly"`},
		{"apology without later date", byType[TypeDossierApologyIssued], "payload.new_due_at", at.Format(time.RFC3339), ErrInvalid, "payload.new_due_at", "not after the apology"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data []byte
			switch tt.value {
			case remove:
				data = patch(t, tt.event, set(tt.path, nil))
			case "\x00null":
				data = patch(t, tt.event, func(m map[string]any) { m[tt.path] = nil })
			default:
				data = patch(t, tt.event, set(tt.path, tt.value))
			}
			_, err := Decode(data, testNow)
			assertRejected(t, err, tt.wantKind, tt.wantField, tt.wantIn)
		})
	}
}

func assertRejected(t *testing.T, err error, kind error, field, phrase string) {
	t.Helper()
	if err == nil {
		t.Fatal("accepted; want a rejection")
	}
	if !errors.Is(err, kind) {
		t.Fatalf("error %q is not %v", err, kind)
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T is not a *ValidationError", err)
	}
	for _, f := range ve.Fields {
		if f.Field == field && strings.Contains(f.Reason, phrase) {
			return
		}
	}
	t.Fatalf("no field error %q containing %q in %v", field, phrase, ve.Fields)
}

func TestDecodeMalformed(t *testing.T) {
	for _, in := range []string{"", "   ", "{\"id\":\"S\xe6 T\xad ph\xb8p\"}", "null", "[]", "42", `"event"`, "{", `{"id":`, `{"id" "x"}`, `{} {}`, "\xff\xfe", `{"a":1,}`} {
		_, err := Decode([]byte(in), testNow)
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("Decode(%q) = %v; want ErrMalformed", in, err)
		}
	}
}

func TestDecodeTooLarge(t *testing.T) {
	e := samples()[0]
	data := patch(t, e, func(m map[string]any) {
		m["payload"].(map[string]any)["name"] = strings.Repeat("ư", MaxEventBytes/2)
	})
	_, err := Decode(data, testNow)
	assertRejected(t, err, ErrTooLarge, "", "the limit is 65536")
}

func TestDecodeReportsEveryProblem(t *testing.T) {
	e := samples()[12] // dossier.received
	data := patch(t, e, func(m map[string]any) {
		p := m["payload"].(map[string]any)
		delete(p, "procedure")
		p["channel"] = "fax"
		p["components"] = "x"
	})
	_, err := Decode(data, testNow)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) != 3 {
		t.Fatalf("want 3 field errors; got %v", err)
	}
}

func TestDecodeDuplicateKey(t *testing.T) {
	data := encode(t, samples()[0])
	data = append(data[:len(data)-1], []byte(`,"agency":"000.00.01.H23"}`)...)
	_, err := Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "agency", "appears twice")
}

func TestUpgradeDossierReceivedV1(t *testing.T) {
	base := samples()[12]
	for _, tt := range []struct {
		online bool
		want   Channel
	}{{true, ChannelOnline}, {false, ChannelInPerson}} {
		data := patch(t, base, func(m map[string]any) {
			m["schema_version"] = 1
			p := m["payload"].(map[string]any)
			delete(p, "channel")
			delete(p, "desk")
			p["online"] = tt.online
		})
		e, err := Decode(data, testNow)
		if err != nil {
			t.Fatalf("v1 online=%v: %v", tt.online, err)
		}
		p, ok := e.Payload.(DossierReceived)
		if !ok {
			t.Fatalf("payload is %T; want DossierReceived", e.Payload)
		}
		if p.Channel != tt.want || p.Components != 4 || p.ComponentsDigitised != 3 || p.Procedure != "1.001234" {
			t.Fatalf("upgraded payload %+v; want channel %s and the other fields kept", p, tt.want)
		}
		if p.Desk != DeskAgency {
			t.Errorf("upgraded desk %q; a v1 dossier was received at the agency's own desk", p.Desk)
		}
		if e.SchemaVersion != CurrentVersion(TypeDossierReceived) {
			t.Errorf("SchemaVersion = %d; the upgraded event is at the current version", e.SchemaVersion)
		}
	}
	// A v1 event is held to v1's fields: channel did not exist yet.
	data := patch(t, base, func(m map[string]any) { m["schema_version"] = 1 })
	_, err := Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.channel", "unknown field")
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.online", "missing")
}

// A v2 dossier.received, written before desks were reported, upgrades as
// received at the agency's own desk; v2 cannot name a desk, and v3 must.
func TestUpgradeDossierReceivedV2(t *testing.T) {
	base := samples()[12]
	data := patch(t, base, func(m map[string]any) {
		m["schema_version"] = 2
		delete(m["payload"].(map[string]any), "desk")
	})
	e, err := Decode(data, testNow)
	if err != nil {
		t.Fatalf("v2: %v", err)
	}
	want := base.Payload.(DossierReceived)
	want.Desk = DeskAgency
	got := e.Payload.(DossierReceived)
	if got.DueAt.Equal(want.DueAt) {
		got.DueAt = want.DueAt // the same instant, its zone as parsed
	}
	if e.SchemaVersion != 3 || got != want {
		t.Errorf("upgraded v%d %+v; want v3 %+v", e.SchemaVersion, e.Payload, want)
	}
	data = patch(t, base, func(m map[string]any) { m["schema_version"] = 2 })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.desk", "unknown field")
	// absent in v3: the agency's desk, as the schema says ("" projects so)
	data = patch(t, base, func(m map[string]any) { delete(m["payload"].(map[string]any), "desk") })
	if e, err = Decode(data, testNow); err != nil || e.Payload.(DossierReceived).Desk != "" {
		t.Errorf("v3 without desk: %v, %+v; want it accepted", err, e.Payload)
	}
	data = patch(t, base, func(m map[string]any) { m["payload"].(map[string]any)["desk"] = "" })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.desk", `unknown value ""`)
	data = patch(t, base, func(m map[string]any) { m["payload"].(map[string]any)["desk"] = "kiosk" })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.desk", `unknown value "kiosk"; want one of centre, agency`)
}

// A v1 apology keeps its reason, the cause the reports list; a reason over
// v2's bound is cut there on upgrade (the stream's events stay valid) and
// refused in a v2 event, naming the field.
func TestUpgradeApologyIssuedV1(t *testing.T) {
	var base Event
	for _, e := range samples() {
		if e.Type == TypeDossierApologyIssued {
			base = e
		}
	}
	long := strings.Repeat("Chờ kết quả xác minh. ", 20) // 440 characters
	for _, tt := range []struct{ reason, want string }{
		{"Cần xác minh", "Cần xác minh"},
		{long, string([]rune(long)[:MaxApologyReasonLen-1]) + "…"},
	} {
		data := patch(t, base, func(m map[string]any) {
			m["schema_version"] = 1
			m["payload"].(map[string]any)["reason"] = tt.reason
		})
		e, err := Decode(data, testNow)
		if err != nil {
			t.Fatalf("v1: %v", err)
		}
		p := e.Payload.(DossierApologyIssued)
		if e.SchemaVersion != 2 || p.Reason != tt.want || !p.NewDueAt.Equal(base.Payload.(DossierApologyIssued).NewDueAt) {
			t.Errorf("upgraded v%d %+v; want v2 with reason %q", e.SchemaVersion, p, tt.want)
		}
	}
	data := patch(t, base, func(m map[string]any) { m["payload"].(map[string]any)["reason"] = long })
	_, err := Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.reason", "440 characters; the limit is 300")
	data = patch(t, base, func(m map[string]any) { delete(m["payload"].(map[string]any), "reason") })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.reason", "missing")
	data = patch(t, base, func(m map[string]any) { m["payload"].(map[string]any)["reason"] = "" })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.reason", "empty")
}

// A v1 procedure.published upgrades with one_stop and
// internal_process_issued false; v2 takes both as booleans. A v1 amendment
// leaves them unchanged (nil), a v2 one may set them.
func TestUpgradeProcedureV1(t *testing.T) {
	var pub, amend Event
	for _, e := range samples() {
		switch e.Type {
		case TypeProcedurePublished:
			pub = e
		case TypeProcedureAmended:
			amend = e
		}
	}
	data := patch(t, pub, func(m map[string]any) {
		m["schema_version"] = 1
		p := m["payload"].(map[string]any)
		delete(p, "one_stop")
		delete(p, "internal_process_issued")
	})
	e, err := Decode(data, testNow)
	if err != nil {
		t.Fatalf("published v1: %v", err)
	}
	want := pub.Payload.(ProcedurePublished)
	want.OneStop, want.InternalProcessIssued = false, false
	if e.SchemaVersion != 2 || !reflect.DeepEqual(e.Payload, want) {
		t.Errorf("upgraded v%d %+v; want v2 %+v", e.SchemaVersion, e.Payload, want)
	}
	data = patch(t, pub, func(m map[string]any) { m["schema_version"] = 1 })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.one_stop", "unknown field")
	for _, f := range []string{"one_stop", "internal_process_issued"} {
		data = patch(t, pub, func(m map[string]any) { m["payload"].(map[string]any)[f] = "yes" })
		_, err = Decode(data, testNow)
		assertRejected(t, err, ErrInvalid, "payload."+f, "want true or false")
	}

	data = patch(t, amend, func(m map[string]any) {
		m["schema_version"] = 1
		delete(m["payload"].(map[string]any), "internal_process_issued")
	})
	e, err = Decode(data, testNow)
	if err != nil {
		t.Fatalf("amended v1: %v", err)
	}
	if p := e.Payload.(ProcedureAmended); e.SchemaVersion != 2 || p.OneStop != nil || p.InternalProcessIssued != nil {
		t.Errorf("upgraded amendment v%d %+v; want v2 changing neither one_stop nor internal_process_issued", e.SchemaVersion, p)
	}
}

// A v1 report.generated, written before reports named their stream
// sequence, decodes as v2 without as_of_seq (unknown); a v2 event that
// names it names a real sequence.
func TestUpgradeReportGeneratedV1(t *testing.T) {
	var base Event
	for _, e := range samples() {
		if e.Type == TypeReportGenerated {
			base = e
		}
	}
	data := patch(t, base, func(m map[string]any) {
		m["schema_version"] = 1
		delete(m["payload"].(map[string]any), "as_of_seq")
	})
	e, err := Decode(data, testNow)
	if err != nil {
		t.Fatalf("v1: %v", err)
	}
	p := e.Payload.(ReportGenerated)
	want := base.Payload.(ReportGenerated)
	want.AsOfSeq = 0
	if e.SchemaVersion != 2 || !reflect.DeepEqual(p, want) {
		t.Errorf("upgraded v%d %+v; want v2 %+v", e.SchemaVersion, p, want)
	}
	data = patch(t, base, func(m map[string]any) { m["schema_version"] = 1 })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.as_of_seq", "unknown field")
	data = patch(t, base, func(m map[string]any) { m["payload"].(map[string]any)["as_of_seq"] = 0 })
	_, err = Decode(data, testNow)
	assertRejected(t, err, ErrInvalid, "payload.as_of_seq", "below the minimum")
}

func TestEventValidateFillsNothingSilently(t *testing.T) {
	e := samples()[12]
	e.SchemaVersion = 1
	if err := e.Validate(testNow); !errors.Is(err, ErrUnsupportedVersion) {
		t.Fatalf("Validate of a Go event at an old version = %v; want ErrUnsupportedVersion", err)
	}
	e = samples()[12]
	e.Type = TypeDossierRated
	if err := e.Validate(testNow); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate with a type that is not the payload's = %v; want ErrInvalid", err)
	}
}

func TestTypeNames(t *testing.T) {
	fams := map[Family]bool{}
	for _, f := range Families() {
		fams[f] = true
	}
	for _, typ := range Types() {
		if !fams[typ.Family()] || typ.Action() == "" || strings.Count(string(typ), ".") != 1 {
			t.Errorf("type %q is not <family>.<action> of a known family", typ)
		}
	}
}
