package events

import (
	"errors"
	"strings"
	"testing"
	"testing/quick"
)

func TestAgencyTokenRoundTrip(t *testing.T) {
	for _, code := range []string{"000.00.31.H23", "H23", "000.00.00.H23", "UBND-xa.001", "a.b.c.d.e"} {
		if err := ValidAgencyCode(code); err != nil {
			t.Fatalf("%q: %v", code, err)
		}
		tok := AgencyToken(code)
		for _, r := range tok {
			if r == '.' || r == '*' || r == '>' || r == ' ' {
				t.Fatalf("token %q of %q is not a single subject token", tok, code)
			}
		}
		if back := AgencyFromToken(tok); back != code {
			t.Fatalf("AgencyFromToken(AgencyToken(%q)) = %q", code, back)
		}
	}
	// Property: every valid code maps to one token and back.
	prop := func(parts []uint16) bool {
		parts = parts[:min(len(parts), 8)]
		code := ""
		for i, p := range parts {
			if i > 0 {
				code += "."
			}
			code += "A" + string(rune('0'+p%10)) + "-x"
		}
		if ValidAgencyCode(code) != nil {
			return code == ""
		}
		return AgencyFromToken(AgencyToken(code)) == code
	}
	if err := quick.Check(prop, nil); err != nil {
		t.Fatal(err)
	}
}

func TestSubjects(t *testing.T) {
	e := samples()[12]
	subj := Subject(DefaultPrefix, &e)
	if subj != "baocao.events.000_00_31_H23.dossier.received" {
		t.Fatalf("Subject = %q", subj)
	}
	agency, typ, err := ParseSubject(DefaultPrefix, subj)
	if err != nil || agency != e.Agency || typ != e.Type {
		t.Fatalf("ParseSubject = %q %q %v", agency, typ, err)
	}
	// Every type's subject parses back, report.generated from the province
	// office included.
	for _, typ := range Types() {
		subj := SubjectFor(DefaultPrefix, "000.00.00.H23", typ)
		agency, got, err := ParseSubject(DefaultPrefix, subj)
		if err != nil || agency != "000.00.00.H23" || got != typ || !strings.HasSuffix(subj, "."+string(typ.Family())+"."+typ.Action()) {
			t.Errorf("%s: subject %q parses to %q %q %v", typ, subj, agency, got, err)
		}
	}
	if got := SubjectFor(DefaultPrefix, "000.00.00.H23", TypeReportGenerated); got != "baocao.events.000_00_00_H23.report.generated" {
		t.Fatalf("SubjectFor(report.generated) = %q", got)
	}
	if got := AgencySubjects(DefaultPrefix, "000.00.31.H23"); got != "baocao.events.000_00_31_H23.>" {
		t.Fatalf("AgencySubjects = %q", got)
	}
	for _, bad := range []string{"other.000_00_31_H23.dossier.received", "baocao.events.x.dossier", "baocao.events.x.dossier.received.extra", "baocao.events..dossier.received"} {
		if _, _, err := ParseSubject(DefaultPrefix, bad); !errors.Is(err, ErrBadSubject) {
			t.Errorf("ParseSubject(%q) = %v; want ErrBadSubject", bad, err)
		}
	}
}
