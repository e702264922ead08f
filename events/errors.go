package events

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinels for errors.Is. A *ValidationError wraps exactly one of them, so
// callers can tell "fix the sender" (all of these) from transport trouble.
var (
	// ErrMalformed: the bytes are not a JSON object.
	ErrMalformed = errors.New("malformed event")
	// ErrTooLarge: the encoded event exceeds MaxEventBytes.
	ErrTooLarge = errors.New("event too large")
	// ErrUnknownType: the type field names no event type of this contract.
	ErrUnknownType = errors.New("unknown event type")
	// ErrUnsupportedVersion: the schema version is newer than this build knows,
	// or below 1.
	ErrUnsupportedVersion = errors.New("unsupported schema version")
	// ErrInvalid: one or more fields are missing, of the wrong type or fail a rule.
	ErrInvalid = errors.New("invalid event")
)

// FieldError names one field (a dotted JSON path such as "payload.due_at"; empty
// for the event as a whole) and why it was rejected.
type FieldError struct {
	Field  string `json:"field"`
	Reason string `json:"reason"`
}

func (e FieldError) String() string {
	if e.Field == "" {
		return e.Reason
	}
	return e.Field + ": " + e.Reason
}

// ValidationError is returned for every rejected event. Kind is one of the
// sentinels above; Fields lists each problem found, in field order.
type ValidationError struct {
	Kind   error
	Fields []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.String()
	}
	return fmt.Sprintf("%v: %s", e.Kind, strings.Join(parts, "; "))
}

func (e *ValidationError) Unwrap() error { return e.Kind }

func reject(kind error, field, format string, args ...any) *ValidationError {
	return &ValidationError{Kind: kind, Fields: []FieldError{{Field: field, Reason: fmt.Sprintf(format, args...)}}}
}

// checker collects field errors while a payload checks its own rules, so one
// rejection reports every problem rather than the first.
type checker struct {
	prefix string
	errs   []FieldError
}

func (c *checker) failf(field, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: join(c.prefix, field), Reason: fmt.Sprintf(format, args...)})
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &ValidationError{Kind: ErrInvalid, Fields: c.errs}
}

func join(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}
