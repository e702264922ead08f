package events

import "time"

// Payloads of every event type. Field rules, read by both the decoder and the
// JSON Schema generator:
//   - a field without omitempty is required (present and not null); a required
//     string must not be empty;
//   - `jsonschema:"minimum=…,maximum=…"` bounds a number;
//   - an enumeration type accepts only its Values;
//   - the check method holds rules between fields.
// The occurred_at of the envelope is the moment the event describes (receipt,
// result, answer…); payloads carry only the other facts.

// ---- Agency directory (subject_id: the agency's code) ----

// AgencyCreated: an agency appears in the directory.
type AgencyCreated struct {
	Name          string      `json:"name" jsonschema_description:"Full Vietnamese name, e.g. Sở Tư pháp"`
	Level         AgencyLevel `json:"level"`
	Parent        string      `json:"parent,omitempty" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$" jsonschema_description:"Code of the parent agency; empty only for a province"`
	EffectiveFrom Date        `json:"effective_from"`
}

// AgencyRenamed: the agency keeps its code under a new name.
type AgencyRenamed struct {
	Name          string `json:"name"`
	EffectiveFrom Date   `json:"effective_from"`
}

// AgencyMerged: the agency is merged into another and stops existing on its own.
type AgencyMerged struct {
	Into          string `json:"into" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$" jsonschema_description:"Code of the agency that absorbs this one"`
	EffectiveFrom Date   `json:"effective_from"`
}

// AgencyLevelChanged: the agency moves in the hierarchy (e.g. a commune placed
// directly under the province when districts were abolished on 1/7/2025).
type AgencyLevelChanged struct {
	Level         AgencyLevel `json:"level"`
	Parent        string      `json:"parent,omitempty" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$"`
	EffectiveFrom Date        `json:"effective_from"`
}

// AgencyOnboarded: the agency starts receiving dossiers on the one-stop
// information system ("35/35 sở, ngành… 217/217 xã").
type AgencyOnboarded struct {
	System        string `json:"system" jsonschema_description:"Name of the one-stop information system"`
	EffectiveFrom Date   `json:"effective_from"`
}

// ---- Procedure catalogue (subject_id: the procedure code, e.g. 1.001234) ----

// ProcedurePublished: a decision publishes (công bố) a procedure.
type ProcedurePublished struct {
	Name          string      `json:"name"`
	Field         string      `json:"field" jsonschema_description:"Lĩnh vực, e.g. Hộ tịch"`
	Levels        []GovLevel  `json:"levels" jsonschema:"minItems=1" jsonschema_description:"Levels of government that carry it out"`
	DecisionNo    string      `json:"decision_no" jsonschema_description:"e.g. 1234/QĐ-UBND"`
	DecisionDate  Date        `json:"decision_date"`
	StatutoryDays float64     `json:"statutory_days" jsonschema:"minimum=0" jsonschema_description:"Statutory processing time in working days (0.5 = within the day)"`
	OnlineLevel   OnlineLevel `json:"online_level"`
	// OnlineEligible marks procedures that qualify for full online service:
	// the denominator of the "full-online services among eligible" target.
	OnlineEligible bool  `json:"online_eligible,omitempty"`
	FeeVND         int64 `json:"fee_vnd,omitempty" jsonschema:"minimum=0"`
	PaperResult    bool  `json:"paper_result,omitempty" jsonschema_description:"The result must be issued on paper"`
	Internal       bool  `json:"internal,omitempty" jsonschema_description:"An internal procedure between state bodies (TTHC nội bộ)"`
	// OneStop and InternalProcessIssued (version 2) are what form II.07b
	// counts; version 1 procedures upgrade with both false.
	OneStop               bool `json:"one_stop,omitempty" jsonschema_description:"Carried out under the one-stop or inter-linked one-stop mechanism (cơ chế một cửa, một cửa liên thông) at the one-stop desk of each level in levels; absent means false"`
	InternalProcessIssued bool `json:"internal_process_issued,omitempty" jsonschema_description:"The internal process for resolving it (quy trình nội bộ giải quyết TTHC) has been issued, by this decision (decision_date is when, for the reports); absent means false. A process issued later is a procedure.amended setting it"`
}

// ProcedureAmended: a decision changes a published procedure. Only the fields
// present change.
type ProcedureAmended struct {
	DecisionNo     string      `json:"decision_no"`
	DecisionDate   Date        `json:"decision_date"`
	Name           string      `json:"name,omitempty"`
	Field          string      `json:"field,omitempty"`
	Levels         []GovLevel  `json:"levels,omitempty"`
	StatutoryDays  *float64    `json:"statutory_days,omitempty" jsonschema:"minimum=0"`
	OnlineLevel    OnlineLevel `json:"online_level,omitempty"`
	OnlineEligible *bool       `json:"online_eligible,omitempty"`
	FeeVND         *int64      `json:"fee_vnd,omitempty" jsonschema:"minimum=0"`
	// Version 2: the attributes procedure.published v2 added.
	OneStop               *bool `json:"one_stop,omitempty"`
	InternalProcessIssued *bool `json:"internal_process_issued,omitempty" jsonschema_description:"true: the internal process was issued by this decision (decision_date is when)"`
}

// ProcedureRepealed: a decision abolishes a procedure.
type ProcedureRepealed struct {
	DecisionNo   string `json:"decision_no"`
	DecisionDate Date   `json:"decision_date"`
}

// ProcedureDelegated: a procedure is delegated (ủy quyền) or decentralised
// (phân cấp) to another agency.
type ProcedureDelegated struct {
	Kind         DelegationKind `json:"kind"`
	ToAgency     string         `json:"to_agency" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$"`
	DecisionNo   string         `json:"decision_no"`
	DecisionDate Date           `json:"decision_date"`
}

// ProcedureReviewPlanned: the procedure is listed in a review plan.
type ProcedureReviewPlanned struct {
	Plan     string `json:"plan" jsonschema_description:"The review plan, e.g. 52/KH-UBND"`
	Internal bool   `json:"internal,omitempty"`
}

// ProcedureReviewed: the review of a procedure concluded.
type ProcedureReviewed struct {
	Plan     string        `json:"plan"`
	Internal bool          `json:"internal,omitempty"`
	Outcome  ReviewOutcome `json:"outcome"`
}

// ProcedureSimplificationProposed: a simplification plan (phương án đơn giản
// hóa) is proposed for the procedure.
type ProcedureSimplificationProposed struct {
	Internal bool   `json:"internal,omitempty"`
	Proposal string `json:"proposal"`
	// CostSavingVND is the estimated yearly compliance-cost saving.
	CostSavingVND int64 `json:"cost_saving_vnd,omitempty" jsonschema:"minimum=0"`
}

// ---- Dossier lifecycle (subject_id: the dossier code) ----

// DossierReceived: the one-stop desk accepts a dossier (occurred_at is the
// receipt time). Version 2 replaced v1's boolean "online" with channel, adding
// public postal service; version 3 added desk, where it was received (v1 and
// v2 dossiers upgrade as received at the agency's own desk).
type DossierReceived struct {
	Procedure string        `json:"procedure" jsonschema_description:"Procedure code"`
	Field     string        `json:"field,omitempty" jsonschema_description:"Lĩnh vực; when absent or empty, the reports take the field the procedure catalogue gives the procedure (procedure.published, as amended), whenever that procedure is published"`
	Channel   Channel       `json:"channel"`
	Desk      Desk          `json:"desk,omitempty" jsonschema_description:"Where the dossier was received: centre, the province's public administration service centre (Trung tâm Phục vụ hành chính công), or agency, the agency's own one-stop desk; absent means agency"`
	Applicant ApplicantKind `json:"applicant,omitempty"`
	DueAt     time.Time     `json:"due_at" jsonschema_description:"Appointment for the result (hẹn trả); after occurred_at"`
	// Components are the documents in the dossier; those digitised at the desk
	// (số hóa) and those taken from already-digitised data (tái sử dụng).
	Components          int `json:"components" jsonschema:"minimum=0"`
	ComponentsDigitised int `json:"components_digitised" jsonschema:"minimum=0"`
	ComponentsReused    int `json:"components_reused" jsonschema:"minimum=0"`
}

// DossierRejected: the desk refuses the dossier at intake; it never counts as received.
type DossierRejected struct {
	Procedure string  `json:"procedure"`
	Channel   Channel `json:"channel"`
	Reason    string  `json:"reason"`
}

// DossierForwarded: the dossier moves to another agency (liên thông).
type DossierForwarded struct {
	ToAgency string `json:"to_agency" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$"`
	Reason   string `json:"reason,omitempty"`
}

// DossierSupplementRequested: the applicant is asked for more documents; the
// processing clock stops.
type DossierSupplementRequested struct {
	Reason string `json:"reason"`
}

// DossierSupplementSupplied: the applicant supplied them; the clock resumes.
type DossierSupplementSupplied struct {
	// NewDueAt is the appointment after the pause, when the agency set one.
	NewDueAt *time.Time `json:"new_due_at,omitempty"`
}

// DossierFeeRequested: a financial obligation (fee, charge, tax) is notified.
type DossierFeeRequested struct {
	AmountVND int64 `json:"amount_vnd" jsonschema:"minimum=0"`
}

// DossierFeePaid: the obligation is paid.
type DossierFeePaid struct {
	AmountVND int64 `json:"amount_vnd" jsonschema:"minimum=0"`
	Online    bool  `json:"online" jsonschema_description:"Paid through online payment (thanh toán trực tuyến)"`
}

// DossierStopped: processing is stopped (dừng xử lý) without a result.
type DossierStopped struct {
	Reason string `json:"reason"`
}

// DossierWithdrawn: the applicant withdraws the dossier.
type DossierWithdrawn struct {
	Reason string `json:"reason,omitempty"`
}

// DossierApologyIssued: the agency apologises in writing for a late result and
// sets a new appointment. Version 2 bounds the reason, the cause of the
// lateness the reports list (late_causes), to MaxApologyReasonLen characters.
type DossierApologyIssued struct {
	NewDueAt time.Time `json:"new_due_at" jsonschema_description:"The new appointment; after occurred_at"`
	Reason   string    `json:"reason" jsonschema:"maxLength=300" jsonschema_description:"The cause of the lateness, as the apology letter states it (nguyên nhân quá hạn), e.g. Hồ sơ phải lấy ý kiến của nhiều cơ quan; the reports count dossiers by this text, so use the same words for the same cause"`
}

// MaxApologyReasonLen bounds an apology's reason (characters): a cause, not
// the letter.
const MaxApologyReasonLen = 300

// DossierResultIssued: the result is decided and signed (occurred_at is the
// resolution time compared with the due date).
type DossierResultIssued struct {
	Outcome    ResultOutcome `json:"outcome"`
	Electronic bool          `json:"electronic" jsonschema_description:"A digitally signed electronic result (kết quả điện tử)"`
}

// DossierResultReturned: the result is handed to the applicant.
type DossierResultReturned struct {
	Channel Channel `json:"channel"`
}

// DossierSynced: the dossier's status is synchronised to a portal.
type DossierSynced struct {
	Portal Portal `json:"portal"`
}

// DossierRated: the applicant rates the service.
type DossierRated struct {
	Satisfied bool `json:"satisfied"`
	Score     int  `json:"score,omitempty" jsonschema:"minimum=1,maximum=5"`
}

// ---- Feedback, PAKN (subject_id: the feedback id) ----

// FeedbackReceived: a citizen's feedback or petition arrives.
type FeedbackReceived struct {
	Channel   FeedbackChannel `json:"channel"`
	Topic     FeedbackTopic   `json:"topic"`
	Procedure string          `json:"procedure,omitempty"`
	DueAt     time.Time       `json:"due_at" jsonschema_description:"Deadline to answer; after occurred_at"`
	Summary   string          `json:"summary,omitempty"`
}

// FeedbackClassified: the feedback is assigned to the agency that must answer.
type FeedbackClassified struct {
	Topic   FeedbackTopic `json:"topic"`
	Handler string        `json:"handler" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$" jsonschema_description:"Code of the agency that must answer"`
}

// FeedbackAnswered: an answer is sent; the item is completed.
type FeedbackAnswered struct {
	Summary string `json:"summary,omitempty"`
}

// FeedbackPublished: the answer is made public.
type FeedbackPublished struct {
	URL string `json:"url,omitempty"`
}

// FeedbackRejected: the feedback is not handled (out of scope, duplicate…); the
// item is completed.
type FeedbackRejected struct {
	Reason string `json:"reason"`
}

// FeedbackRated: the citizen rates the answer.
type FeedbackRated struct {
	Satisfied bool `json:"satisfied"`
}

// ---- Plans and tasks (subject_id: the plan id / the task id) ----

// PlanIssued: a plan or a list of assigned tasks is issued.
type PlanIssued struct {
	Number   string   `json:"number" jsonschema_description:"e.g. 302/QĐ-UBND"`
	Title    string   `json:"title"`
	IssuedOn Date     `json:"issued_on"`
	Issuer   string   `json:"issuer" jsonschema_description:"Who issued it, e.g. UBND thành phố Hải Phòng"`
	Kind     PlanKind `json:"kind"`
	Year     int      `json:"year" jsonschema:"minimum=2000,maximum=2100"`
}

// Deadline is a task deadline in one of the shapes plans use.
//   - date: Date;  month: Year and Month;  quarter: Year and Quarter;
//     half_year: Year and Half;  year: Year;
//   - recurring: Recurrence (thường xuyên = continuous, định kỳ = a period).
type Deadline struct {
	Kind       DeadlineKind `json:"kind"`
	Date       *Date        `json:"date,omitempty"`
	Year       int          `json:"year,omitempty" jsonschema:"minimum=2000,maximum=2100"`
	Month      int          `json:"month,omitempty" jsonschema:"minimum=1,maximum=12"`
	Quarter    int          `json:"quarter,omitempty" jsonschema:"minimum=1,maximum=4"`
	Half       int          `json:"half,omitempty" jsonschema:"minimum=1,maximum=2"`
	Recurrence Recurrence   `json:"recurrence,omitempty"`
}

// TaskAssigned: a plan assigns a task to a lead agency.
type TaskAssigned struct {
	Plan            string     `json:"plan" jsonschema_description:"subject_id of the plan.issued event"`
	Code            string     `json:"code" jsonschema_description:"Number in the plan, e.g. II.1.3"`
	Title           string     `json:"title"`
	Lead            string     `json:"lead" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$" jsonschema_description:"Code of the lead agency (chủ trì)"`
	Coordinating    []string   `json:"coordinating,omitempty" jsonschema:"pattern=^[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*$" jsonschema_description:"Codes of coordinating agencies (phối hợp)"`
	Deadline        Deadline   `json:"deadline"`
	ExpectedProduct string     `json:"expected_product,omitempty"`
	Area            ReformArea `json:"area"`
}

// TaskProgressReported: the lead agency reports progress.
type TaskProgressReported struct {
	Percent int    `json:"percent" jsonschema:"minimum=0,maximum=100"`
	Note    string `json:"note,omitempty"`
}

// TaskCompleted: the task is done (occurred_at is the completion time).
type TaskCompleted struct {
	Product string `json:"product,omitempty" jsonschema_description:"Reference of the product, e.g. the report or decision number"`
}

// TaskDeadlineChanged: the deadline is moved.
type TaskDeadlineChanged struct {
	Deadline Deadline `json:"deadline"`
	Reason   string   `json:"reason,omitempty"`
}

// TaskCancelled: the task is withdrawn from the plan.
type TaskCancelled struct {
	Reason string `json:"reason"`
}

// ---- Indicators reported from outside the event flow (subject_id: a key such as par_index/2023) ----

// IndicatorReported: a figure such as the PAR Index, SIPAS or a press count.
type IndicatorReported struct {
	Indicator  Indicator `json:"indicator"`
	Name       string    `json:"name,omitempty" jsonschema_description:"Required for indicator=other"`
	PeriodFrom Date      `json:"period_from"`
	PeriodTo   Date      `json:"period_to"`
	Value      float64   `json:"value"`
	Unit       string    `json:"unit" jsonschema_description:"e.g. điểm, %, tin bài"`
	Rank       int       `json:"rank,omitempty" jsonschema:"minimum=1"`
	RankOf     int       `json:"rank_of,omitempty" jsonschema:"minimum=1"`
	Source     string    `json:"source,omitempty" jsonschema_description:"Document the figure comes from"`
}

// ---- Reports baocao generated (subject_id: the report key, e.g. reform/half_year/official/2024-1) ----

// ReportGenerated: baocao's report scheduler has written a periodic report
// (occurred_at is when it finished), so other systems can pick the files up
// and the stream keeps the history of reports. The agency is the reporting
// agency, e.g. the province office.
type ReportGenerated struct {
	Report      ReportKind   `json:"report"`
	PeriodKind  PeriodKind   `json:"period_kind"`
	Cutoff      Cutoff       `json:"cutoff"`
	Year        int          `json:"year" jsonschema:"minimum=2000,maximum=2100"`
	Number      int          `json:"number" jsonschema:"minimum=1,maximum=12" jsonschema_description:"The month, quarter or half of the year; 1 for nine_months and year"`
	PeriodStart Date         `json:"period_start" jsonschema_description:"First day of the period"`
	PeriodEnd   Date         `json:"period_end" jsonschema_description:"Last day of the period (inclusive)"`
	Label       string       `json:"label" jsonschema_description:"e.g. 6 tháng đầu năm 2024"`
	Files       []ReportFile `json:"files" jsonschema:"minItems=1"`
	AsOfSeq     int64        `json:"as_of_seq,omitempty" jsonschema:"minimum=1" jsonschema_description:"Sequence of the events stream up to which every event was in the projections when the figures were read; the files' metadata name it too. Absent only in events upgraded from version 1, which did not say"`
}

// reportGeneratedV1 is report.generated at schema version 1, before reports
// named the stream sequence their figures are complete up to. A v1 event
// upgrades without as_of_seq: unknown, as it was.
type reportGeneratedV1 struct {
	Report      ReportKind   `json:"report"`
	PeriodKind  PeriodKind   `json:"period_kind"`
	Cutoff      Cutoff       `json:"cutoff"`
	Year        int          `json:"year" jsonschema:"minimum=2000,maximum=2100"`
	Number      int          `json:"number" jsonschema:"minimum=1,maximum=12" jsonschema_description:"The month, quarter or half of the year; 1 for nine_months and year"`
	PeriodStart Date         `json:"period_start" jsonschema_description:"First day of the period"`
	PeriodEnd   Date         `json:"period_end" jsonschema_description:"Last day of the period (inclusive)"`
	Label       string       `json:"label" jsonschema_description:"e.g. 6 tháng đầu năm 2024"`
	Files       []ReportFile `json:"files" jsonschema:"minItems=1"`
}

// ReportFile is one file of a generated report; its size and digest let a
// consumer tell that the copy it picked up is complete.
type ReportFile struct {
	Format FileFormat `json:"format"`
	Path   string     `json:"path" jsonschema_description:"Relative to the report output folder, with / separators"`
	Bytes  int64      `json:"bytes" jsonschema:"minimum=0"`
	SHA256 string     `json:"sha256" jsonschema:"pattern=^[0-9a-f]{64}$" jsonschema_description:"SHA-256 of the file, lowercase hex"`
}

func (v reportGeneratedV1) upgrade() any {
	return ReportGenerated{
		Report: v.Report, PeriodKind: v.PeriodKind, Cutoff: v.Cutoff, Year: v.Year, Number: v.Number,
		PeriodStart: v.PeriodStart, PeriodEnd: v.PeriodEnd, Label: v.Label, Files: v.Files,
	}
}
