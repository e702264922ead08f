package events

import (
	"errors"
	"fmt"
	"strings"
)

// Subjects
//
// Every event is published on
//
//	<prefix>.<agency token>.<family>.<action>
//
// e.g. baocao.events.000_00_31_H23.dossier.received. The agency comes right
// after the prefix so that "agency X may publish only its own events" is one
// NATS permission: publish allow "<prefix>.<token of X>.>".
//
// Official agency codes contain dots ("000.00.31.H23"), and a dot separates
// NATS subject tokens, so the token is the code with each "." replaced by "_".
// Agency codes may use only ASCII letters, digits, "-" and single dots between
// them, so "_" never occurs in a code and the mapping is reversible.

// DefaultPrefix is the subject prefix of the events stream.
const DefaultPrefix = "baocao.events"

// MaxAgencyCodeLen bounds an agency code.
const MaxAgencyCodeLen = 64

// ErrBadSubject: a subject does not have the event subject's shape.
var ErrBadSubject = errors.New("not an event subject")

// ValidAgencyCode reports why code is not an acceptable agency code, or nil.
func ValidAgencyCode(code string) error {
	switch {
	case code == "":
		return errors.New("empty")
	case len(code) > MaxAgencyCodeLen:
		return fmt.Errorf("%d characters; the limit is %d", len(code), MaxAgencyCodeLen)
	case code[0] == '.' || code[len(code)-1] == '.' || strings.Contains(code, ".."):
		return fmt.Errorf("%q: dots only between letters or digits", clip(code))
	}
	for _, r := range code {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '.') {
			return fmt.Errorf("%q: only ASCII letters, digits, '-' and '.' are allowed", clip(code))
		}
	}
	return nil
}

// AgencyToken maps an agency code to its subject token: "000.00.31.H23" →
// "000_00_31_H23".
func AgencyToken(code string) string { return strings.ReplaceAll(code, ".", "_") }

// AgencyFromToken is the inverse of AgencyToken.
func AgencyFromToken(token string) string { return strings.ReplaceAll(token, "_", ".") }

// Subject returns the subject event e is published on under prefix.
func Subject(prefix string, e *Event) string {
	return SubjectFor(prefix, e.Agency, e.Type)
}

// SubjectFor returns the subject for an agency and event type.
func SubjectFor(prefix, agency string, t Type) string {
	return prefix + "." + AgencyToken(agency) + "." + string(t)
}

// AgencySubjects is the subject filter covering every event of one agency: the
// subject to grant that agency's publishing credentials.
func AgencySubjects(prefix, agency string) string {
	return prefix + "." + AgencyToken(agency) + ".>"
}

// ParseSubject splits an event subject under prefix into the agency code and
// the event type. It does not check that the type is known.
func ParseSubject(prefix, subject string) (agency string, t Type, err error) {
	rest, ok := strings.CutPrefix(subject, prefix+".")
	if !ok {
		return "", "", fmt.Errorf("%w: %q does not start with %q", ErrBadSubject, subject, prefix+".")
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return "", "", fmt.Errorf("%w: %q is not %s.<agency>.<family>.<action>", ErrBadSubject, subject, prefix)
	}
	return AgencyFromToken(parts[0]), Type(parts[1] + "." + parts[2]), nil
}
