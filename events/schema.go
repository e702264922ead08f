package events

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/invopop/jsonschema"
	orderedmap "github.com/pb33f/ordered-map/v2"
)

// JSON Schema documents for agencies that do not write Go. They are generated
// from the payload structs, so the decoder and the schemas read the same
// field list, required set, enumerations and bounds. Rules between fields
// (a due date after the receipt, deadline fields per kind) are listed in each
// schema's description; the decoder enforces them.

// AgencyCodePattern is the JSON Schema pattern of an agency code.
const AgencyCodePattern = `^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$`

// SchemaFileName is the file name of the schema of type t at version v.
func SchemaFileName(t Type, v int) string { return fmt.Sprintf("%s.v%d.json", t, v) }

// Schemas returns the JSON Schema of every event type at every accepted
// version, keyed by SchemaFileName, each indented and newline-terminated.
func Schemas() (map[string][]byte, error) {
	out := map[string][]byte{}
	for _, t := range Types() {
		for _, v := range Versions(t) {
			s := schemaFor(t, v)
			b, err := json.MarshalIndent(s, "", "  ")
			if err != nil {
				return nil, fmt.Errorf("schema %s v%d: %w", t, v, err)
			}
			out[SchemaFileName(t, v)] = append(b, '\n')
		}
	}
	return out, nil
}

func schemaFor(t Type, v int) *jsonschema.Schema {
	pt, _ := payloadType(t, v)
	r := jsonschema.Reflector{DoNotReference: true, ExpandedStruct: true, Anonymous: true}
	payload := r.ReflectFromType(pt)
	payload.Version = ""
	requireNonEmptyStrings(payload)
	forbidControlCharacters(payload, "")

	props := orderedmap.New[string, *jsonschema.Schema]()
	ksuidLen := uint64(27)
	maxSubject := uint64(MaxSubjectIDLen)
	maxAgency := uint64(MaxAgencyCodeLen)
	one := uint64(1)
	props.Set("id", &jsonschema.Schema{Type: "string", Pattern: "^[0-9A-Za-z]{27}$", MinLength: &ksuidLen, MaxLength: &ksuidLen,
		Description: "KSUID of the event; also sent as the Nats-Msg-Id header"})
	props.Set("type", &jsonschema.Schema{Type: "string", Const: string(t)})
	props.Set("schema_version", &jsonschema.Schema{Type: "integer", Const: v})
	props.Set("agency", &jsonschema.Schema{Type: "string", Pattern: AgencyCodePattern, MinLength: &one, MaxLength: &maxAgency,
		Description: "Code of the emitting agency, e.g. 000.00.31.H23"})
	props.Set("subject_id", &jsonschema.Schema{Type: "string", MinLength: &one, MaxLength: &maxSubject, Pattern: OneLinePattern,
		Description: subjectDoc[t.Family()]})
	props.Set("occurred_at", &jsonschema.Schema{Type: "string", Format: "date-time",
		Description: "When it happened, RFC 3339 with offset (+07:00); at most a day ahead of the clock"})
	props.Set("recorded_at", &jsonschema.Schema{Type: "string", Format: "date-time",
		Description: "When the agency's system recorded it"})
	props.Set("payload", payload)

	desc := "baocao event " + string(t) + ", schema version " + strconv.Itoa(v) + "."
	if v < CurrentVersion(t) {
		desc += " Superseded: still accepted and upgraded to version " + strconv.Itoa(CurrentVersion(t)) + " on decoding."
	}
	if r := crossFieldRules[t]; r != "" {
		desc += " Also checked: " + r
	}
	return &jsonschema.Schema{
		Version:              jsonschema.Version,
		ID:                   jsonschema.ID("urn:baocao:event:" + string(t) + ":v" + strconv.Itoa(v)),
		Title:                string(t) + " v" + strconv.Itoa(v),
		Description:          desc,
		Type:                 "object",
		Properties:           props,
		Required:             []string{"id", "type", "schema_version", "agency", "subject_id", "occurred_at", "recorded_at", "payload"},
		AdditionalProperties: jsonschema.FalseSchema,
	}
}

// requireNonEmptyStrings gives every required plain string minLength 1, as
// the decoder rejects an empty required string, in nested objects and in
// arrays of objects too.
func requireNonEmptyStrings(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	requireNonEmptyStrings(s.Items)
	if s.Properties == nil {
		return
	}
	one := uint64(1)
	for _, name := range s.Required {
		p, ok := s.Properties.Get(name)
		if ok && p.Type == "string" && p.Enum == nil && p.Format == "" && p.MinLength == nil {
			p.MinLength = &one
		}
	}
	for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
		requireNonEmptyStrings(pair.Value)
	}
}

// The decoder's text rule (textProblem) as JSON Schema patterns, written
// with \xHH escapes that ECMA-262 and RE2 read alike: no C0 control
// character, DEL or C1 control character; free text may keep tabs and line
// breaks (LF or CRLF).
const (
	OneLinePattern  = `^[^\x00-\x1f\x7f-\x9f]*$`
	FreeTextPattern = `^(?:[^\x00-\x08\x0b-\x1f\x7f-\x9f]|\r\n)*$`
)

// forbidControlCharacters gives every plain string (no pattern, enumeration
// or format of its own, all of which exclude control characters already) the
// pattern of the text rule; name is the property's name, which decides
// whether it is free text.
func forbidControlCharacters(s *jsonschema.Schema, name string) {
	if s == nil {
		return
	}
	if s.Type == "string" && s.Pattern == "" && s.Enum == nil && s.Format == "" && s.Const == nil {
		s.Pattern = OneLinePattern
		if freeText[name] {
			s.Pattern = FreeTextPattern
		}
	}
	forbidControlCharacters(s.Items, name)
	if s.Properties == nil {
		return
	}
	for pair := s.Properties.Oldest(); pair != nil; pair = pair.Next() {
		forbidControlCharacters(pair.Value, pair.Key)
	}
}

var subjectDoc = map[Family]string{
	FamilyAgency:       "Code of the agency the event is about",
	FamilyProcedure:    "Procedure code, e.g. 1.001234",
	FamilyDossier:      "Dossier code (mã hồ sơ)",
	FamilyFeedback:     "Feedback (PAKN) id",
	FamilyPlan:         "Plan id",
	FamilyTask:         "Task id, unique across plans",
	FamilyIndicator:    "Indicator key, e.g. par_index/2023",
	FamilyReport:       "Report key, e.g. reform/half_year/official/2024-1",
	FamilyContribution: "The contribution's slot: the report key and the section key, <report>/<period_kind>/<cutoff>/<year>-<number>/<section>, e.g. reform/half_year/official/2024-1/results.institutions",
}

// crossFieldRules documents, in the schemas, the rules of the check methods.
var crossFieldRules = map[Type]string{
	TypeAgencyCreated:             "parent is required unless level is province, and is not the agency itself.",
	TypeAgencyLevelChanged:        "parent is required unless level is province, and is not the agency itself.",
	TypeAgencyMerged:              "into is not the agency itself.",
	TypeProcedurePublished:        "online_eligible is true when online_level is full.",
	TypeProcedureAmended:          "online_eligible is not false when online_level is full.",
	TypeDossierReceived:           "due_at is after occurred_at; components_digitised and components_reused are at most components.",
	TypeDossierForwarded:          "to_agency is not the forwarding agency.",
	TypeDossierSupplementSupplied: "new_due_at is after occurred_at.",
	TypeDossierApologyIssued:      "new_due_at is after occurred_at.",
	TypeFeedbackReceived:          "due_at is after occurred_at.",
	TypeTaskAssigned:              "deadline carries exactly the fields of its kind: date → date; month → year, month; quarter → year, quarter; half_year → year, half; year → year; recurring → recurrence.",
	TypeTaskDeadlineChanged:       "deadline carries exactly the fields of its kind (see task.assigned).",
	TypeIndicatorReported:         "period_to is not before period_from; name is required for indicator other; rank and rank_of go together, rank ≤ rank_of.",
	TypeContributionSubmitted:     "subject_id is the slot <report>/<period_kind>/<cutoff>/<year>-<number>/<section>; section matches the pattern, at most 64 characters; number is at most the periods of its kind in a year; each paragraph is one line of at most 2000 characters in the Markdown subset (a leading '- ' for a bullet, **bold**, *italic*, balanced; no raw HTML, links, URLs, images, headings, block quotes, rules, other, nested, numbered or task-list markers, code, tables, underscores, strikethrough, character references or backslash escapes), 1 to 100 paragraphs, at most 32000 bytes in all; at most 50 figures with distinct names (at most 200 characters), units at most 32 and comparison labels at most 64 characters.",
	TypeContributionWithdrawn:     "subject_id is the slot <report>/<period_kind>/<cutoff>/<year>-<number>/<section>; section matches the pattern; number is at most the periods of its kind in a year.",
	TypeReportGenerated:           "period_end is not before period_start; number is at most 12 for month, 4 for quarter, 2 for half_year, 1 for nine_months and year; at most one file per format; each path is relative to the output folder, without . or .. elements.",
}

// JSONSchema describes a Date as a JSON Schema date string.
func (Date) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Format: "date", Description: "A date, YYYY-MM-DD"}
}
