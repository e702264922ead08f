package events

import (
	"reflect"
	"slices"
)

// Every event type of the contract.
const (
	TypeAgencyCreated      Type = "agency.created"
	TypeAgencyRenamed      Type = "agency.renamed"
	TypeAgencyMerged       Type = "agency.merged"
	TypeAgencyLevelChanged Type = "agency.level_changed"
	TypeAgencyOnboarded    Type = "agency.onboarded"

	TypeProcedurePublished              Type = "procedure.published"
	TypeProcedureAmended                Type = "procedure.amended"
	TypeProcedureRepealed               Type = "procedure.repealed"
	TypeProcedureDelegated              Type = "procedure.delegated"
	TypeProcedureReviewPlanned          Type = "procedure.review_planned"
	TypeProcedureReviewed               Type = "procedure.reviewed"
	TypeProcedureSimplificationProposed Type = "procedure.simplification_proposed"

	TypeDossierReceived            Type = "dossier.received"
	TypeDossierRejected            Type = "dossier.rejected"
	TypeDossierForwarded           Type = "dossier.forwarded"
	TypeDossierSupplementRequested Type = "dossier.supplement_requested"
	TypeDossierSupplementSupplied  Type = "dossier.supplement_supplied"
	TypeDossierFeeRequested        Type = "dossier.fee_requested"
	TypeDossierFeePaid             Type = "dossier.fee_paid"
	TypeDossierStopped             Type = "dossier.stopped"
	TypeDossierWithdrawn           Type = "dossier.withdrawn"
	TypeDossierApologyIssued       Type = "dossier.apology_issued"
	TypeDossierResultIssued        Type = "dossier.result_issued"
	TypeDossierResultReturned      Type = "dossier.result_returned"
	TypeDossierSynced              Type = "dossier.synced"
	TypeDossierRated               Type = "dossier.rated"

	TypeFeedbackReceived   Type = "feedback.received"
	TypeFeedbackClassified Type = "feedback.classified"
	TypeFeedbackAnswered   Type = "feedback.answered"
	TypeFeedbackPublished  Type = "feedback.published"
	TypeFeedbackRejected   Type = "feedback.rejected"
	TypeFeedbackRated      Type = "feedback.rated"

	TypePlanIssued           Type = "plan.issued"
	TypeTaskAssigned         Type = "task.assigned"
	TypeTaskProgressReported Type = "task.progress_reported"
	TypeTaskCompleted        Type = "task.completed"
	TypeTaskDeadlineChanged  Type = "task.deadline_changed"
	TypeTaskCancelled        Type = "task.cancelled"

	TypeIndicatorReported Type = "indicator.reported"

	TypeReportGenerated Type = "report.generated"

	TypeContributionSubmitted Type = "contribution.submitted"
	TypeContributionWithdrawn Type = "contribution.withdrawn"
)

// typeSpec describes one event type: its payload at the current version and
// the payloads of older versions the decoder still accepts.
type typeSpec struct {
	typ     Type
	version int // current schema version
	payload reflect.Type
	// legacy maps an older version to its payload type, which implements
	// upgrader to produce the next version.
	legacy map[int]reflect.Type
}

// upgrader is implemented by payloads of superseded schema versions.
type upgrader interface {
	upgrade() any // the payload at the next version
}

var specs = buildSpecs(
	spec(AgencyCreated{}), spec(AgencyRenamed{}), spec(AgencyMerged{}), spec(AgencyLevelChanged{}), spec(AgencyOnboarded{}),
	spec(ProcedurePublished{}, procedurePublishedV1{}), spec(ProcedureAmended{}, procedureAmendedV1{}), spec(ProcedureRepealed{}), spec(ProcedureDelegated{}),
	spec(ProcedureReviewPlanned{}), spec(ProcedureReviewed{}), spec(ProcedureSimplificationProposed{}),
	spec(DossierReceived{}, dossierReceivedV1{}, dossierReceivedV2{}),
	spec(DossierRejected{}), spec(DossierForwarded{}), spec(DossierSupplementRequested{}), spec(DossierSupplementSupplied{}),
	spec(DossierFeeRequested{}), spec(DossierFeePaid{}), spec(DossierStopped{}), spec(DossierWithdrawn{}),
	spec(DossierApologyIssued{}, dossierApologyIssuedV1{}), spec(DossierResultIssued{}), spec(DossierResultReturned{}), spec(DossierSynced{}), spec(DossierRated{}),
	spec(FeedbackReceived{}), spec(FeedbackClassified{}), spec(FeedbackAnswered{}), spec(FeedbackPublished{}),
	spec(FeedbackRejected{}), spec(FeedbackRated{}),
	spec(PlanIssued{}), spec(TaskAssigned{}), spec(TaskProgressReported{}), spec(TaskCompleted{}),
	spec(TaskDeadlineChanged{}), spec(TaskCancelled{}),
	spec(IndicatorReported{}),
	spec(ReportGenerated{}, reportGeneratedV1{}),
	spec(ContributionSubmitted{}), spec(ContributionWithdrawn{}),
)

// spec registers a payload type; legacy payloads are listed oldest first and
// take versions 1, 2, …, so the current version is len(legacy)+1.
func spec(current Payload, legacy ...upgrader) typeSpec {
	s := typeSpec{typ: current.EventType(), version: len(legacy) + 1, payload: reflect.TypeOf(current), legacy: map[int]reflect.Type{}}
	for i, l := range legacy {
		s.legacy[i+1] = reflect.TypeOf(l)
	}
	return s
}

func buildSpecs(list ...typeSpec) map[Type]typeSpec {
	m := make(map[Type]typeSpec, len(list))
	for _, s := range list {
		if _, dup := m[s.typ]; dup {
			panic("events: type registered twice: " + string(s.typ))
		}
		m[s.typ] = s
	}
	return m
}

// Types lists every event type, sorted.
func Types() []Type {
	out := make([]Type, 0, len(specs))
	for t := range specs {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Known reports whether t is an event type of the contract.
func Known(t Type) bool { _, ok := specs[t]; return ok }

// CurrentVersion is the schema version new events of type t carry (0 for an
// unknown type).
func CurrentVersion(t Type) int { return specs[t].version }

// Versions lists the schema versions of t the decoder accepts, oldest first.
func Versions(t Type) []int {
	s, ok := specs[t]
	if !ok {
		return nil
	}
	out := make([]int, 0, s.version)
	for v := 1; v <= s.version; v++ {
		out = append(out, v)
	}
	return out
}

// payloadType returns the Go type of t's payload at version v.
func payloadType(t Type, v int) (reflect.Type, bool) {
	s, ok := specs[t]
	switch {
	case !ok:
		return nil, false
	case v == s.version:
		return s.payload, true
	}
	l, ok := s.legacy[v]
	return l, ok
}

func (AgencyCreated) EventType() Type                   { return TypeAgencyCreated }
func (AgencyRenamed) EventType() Type                   { return TypeAgencyRenamed }
func (AgencyMerged) EventType() Type                    { return TypeAgencyMerged }
func (AgencyLevelChanged) EventType() Type              { return TypeAgencyLevelChanged }
func (AgencyOnboarded) EventType() Type                 { return TypeAgencyOnboarded }
func (ProcedurePublished) EventType() Type              { return TypeProcedurePublished }
func (ProcedureAmended) EventType() Type                { return TypeProcedureAmended }
func (ProcedureRepealed) EventType() Type               { return TypeProcedureRepealed }
func (ProcedureDelegated) EventType() Type              { return TypeProcedureDelegated }
func (ProcedureReviewPlanned) EventType() Type          { return TypeProcedureReviewPlanned }
func (ProcedureReviewed) EventType() Type               { return TypeProcedureReviewed }
func (ProcedureSimplificationProposed) EventType() Type { return TypeProcedureSimplificationProposed }
func (DossierReceived) EventType() Type                 { return TypeDossierReceived }
func (DossierRejected) EventType() Type                 { return TypeDossierRejected }
func (DossierForwarded) EventType() Type                { return TypeDossierForwarded }
func (DossierSupplementRequested) EventType() Type      { return TypeDossierSupplementRequested }
func (DossierSupplementSupplied) EventType() Type       { return TypeDossierSupplementSupplied }
func (DossierFeeRequested) EventType() Type             { return TypeDossierFeeRequested }
func (DossierFeePaid) EventType() Type                  { return TypeDossierFeePaid }
func (DossierStopped) EventType() Type                  { return TypeDossierStopped }
func (DossierWithdrawn) EventType() Type                { return TypeDossierWithdrawn }
func (DossierApologyIssued) EventType() Type            { return TypeDossierApologyIssued }
func (DossierResultIssued) EventType() Type             { return TypeDossierResultIssued }
func (DossierResultReturned) EventType() Type           { return TypeDossierResultReturned }
func (DossierSynced) EventType() Type                   { return TypeDossierSynced }
func (DossierRated) EventType() Type                    { return TypeDossierRated }
func (FeedbackReceived) EventType() Type                { return TypeFeedbackReceived }
func (FeedbackClassified) EventType() Type              { return TypeFeedbackClassified }
func (FeedbackAnswered) EventType() Type                { return TypeFeedbackAnswered }
func (FeedbackPublished) EventType() Type               { return TypeFeedbackPublished }
func (FeedbackRejected) EventType() Type                { return TypeFeedbackRejected }
func (FeedbackRated) EventType() Type                   { return TypeFeedbackRated }
func (PlanIssued) EventType() Type                      { return TypePlanIssued }
func (TaskAssigned) EventType() Type                    { return TypeTaskAssigned }
func (TaskProgressReported) EventType() Type            { return TypeTaskProgressReported }
func (TaskCompleted) EventType() Type                   { return TypeTaskCompleted }
func (TaskDeadlineChanged) EventType() Type             { return TypeTaskDeadlineChanged }
func (TaskCancelled) EventType() Type                   { return TypeTaskCancelled }
func (IndicatorReported) EventType() Type               { return TypeIndicatorReported }
func (ReportGenerated) EventType() Type                 { return TypeReportGenerated }
