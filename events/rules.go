package events

import (
	"fmt"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"
)

// Rules between fields, one check method per payload. Field presence, types,
// enumerations and numeric bounds are enforced by the decoder from the struct
// tags; what is here is what those cannot say.

func (p AgencyCreated) check(c *checker, e *Event) {
	agencyRef(c, "parent", p.Parent)
	if p.Level != LevelProvince && p.Parent == "" {
		c.failf("parent", "missing: every agency but a province has a parent")
	}
	if p.Parent == e.SubjectID && p.Parent != "" {
		c.failf("parent", "is the agency itself")
	}
}

func (p AgencyRenamed) check(*checker, *Event) {}

func (p AgencyMerged) check(c *checker, e *Event) {
	agencyRef(c, "into", p.Into)
	if p.Into == e.SubjectID {
		c.failf("into", "is the agency itself")
	}
}

func (p AgencyLevelChanged) check(c *checker, e *Event) {
	AgencyCreated{Level: p.Level, Parent: p.Parent}.check(c, e)
}

func (AgencyOnboarded) check(*checker, *Event) {}

func (p ProcedurePublished) check(c *checker, _ *Event) {
	if p.OnlineLevel == OnlineFull && !p.OnlineEligible {
		c.failf("online_eligible", "must be true when online_level is full")
	}
}

func (p ProcedureAmended) check(c *checker, _ *Event) {
	if p.OnlineLevel == OnlineFull && p.OnlineEligible != nil && !*p.OnlineEligible {
		c.failf("online_eligible", "cannot be false when online_level is full")
	}
}

func (ProcedureRepealed) check(*checker, *Event) {}

func (p ProcedureDelegated) check(c *checker, _ *Event) { agencyRef(c, "to_agency", p.ToAgency) }

func (ProcedureReviewPlanned) check(*checker, *Event)          {}
func (ProcedureReviewed) check(*checker, *Event)               {}
func (ProcedureSimplificationProposed) check(*checker, *Event) {}

func (p DossierReceived) check(c *checker, e *Event) {
	after(c, "due_at", p.DueAt, e.OccurredAt, "the receipt (occurred_at)")
	if p.ComponentsDigitised > p.Components {
		c.failf("components_digitised", "%d is more than components (%d)", p.ComponentsDigitised, p.Components)
	}
	if p.ComponentsReused > p.Components {
		c.failf("components_reused", "%d is more than components (%d)", p.ComponentsReused, p.Components)
	}
}

func (DossierRejected) check(*checker, *Event) {}

func (p DossierForwarded) check(c *checker, e *Event) {
	agencyRef(c, "to_agency", p.ToAgency)
	if p.ToAgency == e.Agency {
		c.failf("to_agency", "is the forwarding agency itself")
	}
}

func (DossierSupplementRequested) check(*checker, *Event) {}

func (p DossierSupplementSupplied) check(c *checker, e *Event) {
	if p.NewDueAt != nil {
		after(c, "new_due_at", *p.NewDueAt, e.OccurredAt, "the supply (occurred_at)")
	}
}

func (DossierFeeRequested) check(*checker, *Event) {}
func (DossierFeePaid) check(*checker, *Event)      {}
func (DossierStopped) check(*checker, *Event)      {}
func (DossierWithdrawn) check(*checker, *Event)    {}

func (p DossierApologyIssued) check(c *checker, e *Event) {
	after(c, "new_due_at", p.NewDueAt, e.OccurredAt, "the apology (occurred_at)")
	maxLen(c, "reason", p.Reason, MaxApologyReasonLen)
}

func (DossierResultIssued) check(*checker, *Event)   {}
func (DossierResultReturned) check(*checker, *Event) {}
func (DossierSynced) check(*checker, *Event)         {}
func (DossierRated) check(*checker, *Event)          {}

func (p FeedbackReceived) check(c *checker, e *Event) {
	after(c, "due_at", p.DueAt, e.OccurredAt, "the receipt (occurred_at)")
}

func (p FeedbackClassified) check(c *checker, _ *Event) { agencyRef(c, "handler", p.Handler) }

func (FeedbackAnswered) check(*checker, *Event)  {}
func (FeedbackPublished) check(*checker, *Event) {}
func (FeedbackRejected) check(*checker, *Event)  {}
func (FeedbackRated) check(*checker, *Event)     {}

func (PlanIssued) check(*checker, *Event) {}

func (p TaskAssigned) check(c *checker, _ *Event) {
	agencyRef(c, "lead", p.Lead)
	for i, a := range p.Coordinating {
		agencyRef(c, indexed("coordinating", i), a)
	}
	p.Deadline.check(c, "deadline")
}

func (TaskProgressReported) check(*checker, *Event) {}
func (TaskCompleted) check(*checker, *Event)        {}

func (p TaskDeadlineChanged) check(c *checker, _ *Event) { p.Deadline.check(c, "deadline") }

func (TaskCancelled) check(*checker, *Event) {}

// check requires exactly the fields its kind uses.
func (d Deadline) check(c *checker, field string) {
	need := map[DeadlineKind][]string{
		DeadlineDate:      {"date"},
		DeadlineMonth:     {"year", "month"},
		DeadlineQuarter:   {"year", "quarter"},
		DeadlineHalfYear:  {"year", "half"},
		DeadlineYear:      {"year"},
		DeadlineRecurring: {"recurrence"},
	}[d.Kind]
	set := map[string]bool{
		"date": d.Date != nil, "year": d.Year != 0, "month": d.Month != 0,
		"quarter": d.Quarter != 0, "half": d.Half != 0, "recurrence": d.Recurrence != "",
	}
	for _, f := range need {
		if !set[f] {
			c.failf(join(field, f), "missing: required when kind is %s", d.Kind)
		}
		delete(set, f)
	}
	for _, f := range []string{"date", "year", "month", "quarter", "half", "recurrence"} {
		if set[f] {
			c.failf(join(field, f), "not allowed when kind is %s", d.Kind)
		}
	}
}

func (p IndicatorReported) check(c *checker, _ *Event) {
	if p.PeriodTo.Before(p.PeriodFrom.Time) {
		c.failf("period_to", "%s is before period_from (%s)", p.PeriodTo, p.PeriodFrom)
	}
	if p.Indicator == IndicatorOther && p.Name == "" {
		c.failf("name", "missing: required when indicator is other")
	}
	if p.RankOf != 0 && p.Rank > p.RankOf {
		c.failf("rank", "%d is more than rank_of (%d)", p.Rank, p.RankOf)
	}
	if (p.Rank == 0) != (p.RankOf == 0) {
		c.failf("rank", "rank and rank_of go together")
	}
}

// periodsPerYear bounds a report's number by its period kind.
var periodsPerYear = map[PeriodKind]int{PeriodMonth: 12, PeriodQuarter: 4, PeriodHalfYear: 2, PeriodNineMonths: 1, PeriodYear: 1}

func (p ReportGenerated) check(c *checker, _ *Event) {
	if p.PeriodEnd.Before(p.PeriodStart.Time) {
		c.failf("period_end", "%s is before period_start (%s)", p.PeriodEnd, p.PeriodStart)
	}
	if n := periodsPerYear[p.PeriodKind]; p.Number > n {
		c.failf("number", "%d is more than the %d period(s) of kind %s in a year", p.Number, n, p.PeriodKind)
	}
	first := map[FileFormat]int{}
	for i, f := range p.Files {
		field := indexed("files", i)
		if j, dup := first[f.Format]; dup {
			c.failf(join(field, "format"), "%s again: files[%d] is already %s; one file per format", f.Format, j, f.Format)
		} else {
			first[f.Format] = i
		}
		// Consumers join the path to their copy of the output folder, so it
		// must not leave it.
		if !fs.ValidPath(f.Path) || f.Path == "." {
			c.failf(join(field, "path"), "%q is not a path inside the output folder (relative, / separators, no . or .. elements)", clip(f.Path))
		}
		// The decoder reads no pattern tags; this is the schema's sha256 pattern.
		if len(f.SHA256) != 64 || strings.Trim(f.SHA256, "0123456789abcdef") != "" {
			c.failf(join(field, "sha256"), "%q is not 64 lowercase hexadecimal digits", clip(f.SHA256))
		}
	}
}

// after requires t to be strictly after ref.
func after(c *checker, field string, t, ref time.Time, what string) {
	if !t.After(ref) {
		c.failf(field, "%s is not after %s (%s)", t.Format(time.RFC3339), what, ref.Format(time.RFC3339))
	}
}

// agencyRef checks an optional reference to another agency's code.
func agencyRef(c *checker, field, code string) {
	if code == "" {
		return
	}
	if err := ValidAgencyCode(code); err != nil {
		c.failf(field, "%v", err)
	}
}

// ---- Superseded schema versions ----

// dossierReceivedV1 is dossier.received at schema version 1: a boolean
// "online" instead of the channel, which v2 introduced to count public postal
// service separately. An offline v1 dossier was received in person.
type dossierReceivedV1 struct {
	Procedure           string        `json:"procedure"`
	Field               string        `json:"field,omitempty"`
	Online              bool          `json:"online"`
	Applicant           ApplicantKind `json:"applicant,omitempty"`
	DueAt               time.Time     `json:"due_at"`
	Components          int           `json:"components" jsonschema:"minimum=0"`
	ComponentsDigitised int           `json:"components_digitised" jsonschema:"minimum=0"`
	ComponentsReused    int           `json:"components_reused" jsonschema:"minimum=0"`
}

func (v dossierReceivedV1) upgrade() any {
	ch := ChannelInPerson
	if v.Online {
		ch = ChannelOnline
	}
	return dossierReceivedV2{
		Procedure: v.Procedure, Field: v.Field, Channel: ch, Applicant: v.Applicant, DueAt: v.DueAt,
		Components: v.Components, ComponentsDigitised: v.ComponentsDigitised, ComponentsReused: v.ComponentsReused,
	}
}

// dossierReceivedV2 is dossier.received at schema version 2, before desk: a
// dossier then was received at its agency's own desk, as far as anyone said.
type dossierReceivedV2 struct {
	Procedure           string        `json:"procedure" jsonschema_description:"Procedure code"`
	Field               string        `json:"field,omitempty" jsonschema_description:"Lĩnh vực; when absent or empty, the reports take the field the procedure catalogue gives the procedure (procedure.published, as amended), whenever that procedure is published"`
	Channel             Channel       `json:"channel"`
	Applicant           ApplicantKind `json:"applicant,omitempty"`
	DueAt               time.Time     `json:"due_at" jsonschema_description:"Appointment for the result (hẹn trả); after occurred_at"`
	Components          int           `json:"components" jsonschema:"minimum=0"`
	ComponentsDigitised int           `json:"components_digitised" jsonschema:"minimum=0"`
	ComponentsReused    int           `json:"components_reused" jsonschema:"minimum=0"`
}

func (v dossierReceivedV2) upgrade() any {
	return DossierReceived{
		Procedure: v.Procedure, Field: v.Field, Channel: v.Channel, Desk: DeskAgency, Applicant: v.Applicant, DueAt: v.DueAt,
		Components: v.Components, ComponentsDigitised: v.ComponentsDigitised, ComponentsReused: v.ComponentsReused,
	}
}

// dossierApologyIssuedV1 is dossier.apology_issued at schema version 1: the
// same fields, the reason unbounded. An upgraded reason longer than v2
// allows is cut at the bound (ending in "…"), so events the stream already
// holds stay valid.
type dossierApologyIssuedV1 struct {
	NewDueAt time.Time `json:"new_due_at" jsonschema_description:"The new appointment; after occurred_at"`
	Reason   string    `json:"reason"`
}

func (v dossierApologyIssuedV1) upgrade() any {
	r := v.Reason
	if utf8.RuneCountInString(r) > MaxApologyReasonLen {
		r = string([]rune(r)[:MaxApologyReasonLen-1]) + "…"
	}
	return DossierApologyIssued{NewDueAt: v.NewDueAt, Reason: r}
}

// procedurePublishedV1 is procedure.published at schema version 1, before
// one_stop and internal_process_issued: it upgrades with both false (not
// reported is not counted).
type procedurePublishedV1 struct {
	Name           string      `json:"name"`
	Field          string      `json:"field" jsonschema_description:"Lĩnh vực, e.g. Hộ tịch"`
	Levels         []GovLevel  `json:"levels" jsonschema:"minItems=1" jsonschema_description:"Levels of government that carry it out"`
	DecisionNo     string      `json:"decision_no" jsonschema_description:"e.g. 1234/QĐ-UBND"`
	DecisionDate   Date        `json:"decision_date"`
	StatutoryDays  float64     `json:"statutory_days" jsonschema:"minimum=0" jsonschema_description:"Statutory processing time in working days (0.5 = within the day)"`
	OnlineLevel    OnlineLevel `json:"online_level"`
	OnlineEligible bool        `json:"online_eligible,omitempty"`
	FeeVND         int64       `json:"fee_vnd,omitempty" jsonschema:"minimum=0"`
	PaperResult    bool        `json:"paper_result,omitempty" jsonschema_description:"The result must be issued on paper"`
	Internal       bool        `json:"internal,omitempty" jsonschema_description:"An internal procedure between state bodies (TTHC nội bộ)"`
}

func (v procedurePublishedV1) upgrade() any {
	return ProcedurePublished{
		Name: v.Name, Field: v.Field, Levels: v.Levels, DecisionNo: v.DecisionNo, DecisionDate: v.DecisionDate,
		StatutoryDays: v.StatutoryDays, OnlineLevel: v.OnlineLevel, OnlineEligible: v.OnlineEligible, FeeVND: v.FeeVND,
		PaperResult: v.PaperResult, Internal: v.Internal,
	}
}

// procedureAmendedV1 is procedure.amended at schema version 1: it could not
// set one_stop or internal_process_issued, and upgrades leaving them as they
// were.
type procedureAmendedV1 struct {
	DecisionNo     string      `json:"decision_no"`
	DecisionDate   Date        `json:"decision_date"`
	Name           string      `json:"name,omitempty"`
	Field          string      `json:"field,omitempty"`
	Levels         []GovLevel  `json:"levels,omitempty"`
	StatutoryDays  *float64    `json:"statutory_days,omitempty" jsonschema:"minimum=0"`
	OnlineLevel    OnlineLevel `json:"online_level,omitempty"`
	OnlineEligible *bool       `json:"online_eligible,omitempty"`
	FeeVND         *int64      `json:"fee_vnd,omitempty" jsonschema:"minimum=0"`
}

func (v procedureAmendedV1) upgrade() any {
	return ProcedureAmended{
		DecisionNo: v.DecisionNo, DecisionDate: v.DecisionDate, Name: v.Name, Field: v.Field, Levels: v.Levels,
		StatutoryDays: v.StatutoryDays, OnlineLevel: v.OnlineLevel, OnlineEligible: v.OnlineEligible, FeeVND: v.FeeVND,
	}
}

// ---- Text ----

// freeText names the fields that hold prose an official may type on several
// lines (a reason, a citizen's summary, a progress note, a proposal): they
// may keep line breaks (LF, or CRLF from Windows forms) and tabs. Every other
// string — names, titles, codes, numbers — is one line.
var freeText = map[string]bool{"reason": true, "summary": true, "note": true, "proposal": true}

// textProblem names the first control character in s: C0 (U+0000–U+001F),
// DEL and C1 (U+0080–U+009F), which no text of an event needs and which
// reports, terminals and spreadsheets would otherwise carry on raw. The
// offset counts characters from 0. It returns "" when s is clean.
func textProblem(s string, multiline bool) string {
	for i := 0; i < len(s); i++ {
		b := s[i]
		var r rune
		switch {
		case b < 0x20 || b == 0x7f:
			if multiline && (b == '\n' || b == '\t' || b == '\r' && i+1 < len(s) && s[i+1] == '\n') {
				continue
			}
			r = rune(b)
		case b == 0xc2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9f: // C1 in UTF-8
			r = rune(s[i+1])
		default:
			continue
		}
		return fmt.Sprintf("control character U+%04X at offset %d", r, utf8.RuneCountInString(s[:i]))
	}
	return ""
}
