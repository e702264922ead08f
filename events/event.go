package events

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/segmentio/ksuid"
)

// MaxEventBytes bounds one encoded event. The events stream refuses larger
// messages too (its MaxMsgSize), so an oversized event fails the same way
// whichever path it takes.
const MaxEventBytes = 64 << 10

// MaxFutureSkew is how far ahead of the reference clock occurred_at and
// recorded_at may be: agency clocks drift, but not by more than a day.
const MaxFutureSkew = 24 * time.Hour

// Vietnam is the zone agencies' clocks run on (UTC+7, no daylight saving since
// 1975). A fixed zone keeps the package free of a tzdata dependency.
var Vietnam = time.FixedZone("Asia/Ho_Chi_Minh", 7*60*60)

// Type names an event type as "<family>.<action>", e.g. "dossier.received".
type Type string

// Family is the part of the type before the dot: "dossier" for "dossier.received".
func (t Type) Family() Family {
	f, _, _ := strings.Cut(string(t), ".")
	return Family(f)
}

// Action is the part of the type after the dot: "received" for "dossier.received".
func (t Type) Action() string {
	_, a, _ := strings.Cut(string(t), ".")
	return a
}

// Family groups event types by the thing they describe.
type Family string

const (
	FamilyAgency    Family = "agency"
	FamilyProcedure Family = "procedure"
	FamilyDossier   Family = "dossier"
	FamilyFeedback  Family = "feedback"
	FamilyPlan      Family = "plan"
	FamilyTask      Family = "task"
	FamilyIndicator Family = "indicator"
	FamilyReport    Family = "report"
	// FamilyContribution: an agency's text and figures for a section of a report.
	FamilyContribution Family = "contribution"
)

// Families lists every family in a stable order.
func Families() []Family {
	return []Family{FamilyAgency, FamilyProcedure, FamilyDossier, FamilyFeedback, FamilyPlan, FamilyTask, FamilyIndicator, FamilyReport, FamilyContribution}
}

// Event is the envelope every agency publishes, with its typed payload.
//
// Agency is the code of the agency that emits the event and owns its subject
// (the dossier's handling agency, the task's reporting agency, the province
// office for the directory and catalogue). SubjectID identifies the thing the
// event is about within its family: a dossier code, a task id, a procedure
// code. OccurredAt is when it happened on the agency's clock; RecordedAt is
// when the agency's system recorded it (later for back-filled events).
type Event struct {
	ID            string    `json:"id"`
	Type          Type      `json:"type"`
	SchemaVersion int       `json:"schema_version"`
	Agency        string    `json:"agency"`
	SubjectID     string    `json:"subject_id"`
	OccurredAt    time.Time `json:"occurred_at"`
	RecordedAt    time.Time `json:"recorded_at"`
	Payload       Payload   `json:"payload"`
}

// Payload is implemented by the typed payload of each event type in this
// package; the set is closed so every payload has a schema and rules.
type Payload interface {
	EventType() Type
	// check enforces the rules a JSON Schema cannot express (one field against
	// another, or against the envelope).
	check(c *checker, e *Event)
}

// New builds an event of the payload's type at its current schema version,
// with a fresh ksuid id and RecordedAt set to now.
func New(agency, subjectID string, occurredAt time.Time, p Payload) Event {
	now := time.Now()
	return Event{
		ID:            NewID(now),
		Type:          p.EventType(),
		SchemaVersion: CurrentVersion(p.EventType()),
		Agency:        agency,
		SubjectID:     subjectID,
		OccurredAt:    occurredAt,
		RecordedAt:    now.In(Vietnam).Truncate(time.Millisecond),
		Payload:       p,
	}
}

// NewID returns a random ksuid whose time component is t. KSUIDs sort by time,
// so ids of events recorded later sort later.
func NewID(t time.Time) string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on Linux (Go ≥1.24 it cannot)
	id, err := ksuid.FromParts(t, b[:])
	if err != nil { // only for times outside ksuid's epoch (before 2014 or after 2150)
		return ksuid.New().String()
	}
	return id.String()
}

// Validate applies every rule Decode applies to an event built in Go, with now
// as the reference clock for the future-timestamp rule.
func (e *Event) Validate(now time.Time) error {
	if e.Payload == nil {
		return reject(ErrInvalid, "payload", "missing")
	}
	if e.Type == "" {
		e.Type = e.Payload.EventType()
	}
	if e.Type != e.Payload.EventType() {
		return reject(ErrInvalid, "type", "is %q but the payload is %s", e.Type, e.Payload.EventType())
	}
	if e.SchemaVersion != CurrentVersion(e.Type) {
		return reject(ErrUnsupportedVersion, "schema_version", "is %d; events built in Go must use the current version %d", e.SchemaVersion, CurrentVersion(e.Type))
	}
	// Round-trip through the decoder: one set of rules, whatever the source.
	raw, err := json.Marshal(e)
	if err != nil {
		return reject(ErrInvalid, "payload", "cannot encode: %v", err)
	}
	_, err = Decode(raw, now)
	return err
}

// Date is a civil date without a time of day, encoded as "YYYY-MM-DD": the form
// of decision dates, effective dates and task deadlines.
type Date struct{ time.Time }

// NewDate returns the date year-month-day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// DateOf returns the civil date of t in Vietnam.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Vietnam).Date()
	return NewDate(y, m, d)
}

func (d Date) String() string { return d.Format(time.DateOnly) }

func (d Date) MarshalJSON() ([]byte, error) { return []byte(`"` + d.String() + `"`), nil }

func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("not a date in the form YYYY-MM-DD: %q", s)
	}
	d.Time = t
	return nil
}
