package events

import "github.com/invopop/jsonschema"

// Enumerations of the contract. Each is a string type whose Values method
// lists the accepted values: the decoder rejects any other value, naming the
// field and the accepted set, and the JSON Schema lists them as an enum.

// enum is implemented by every enumeration type.
type enum interface{ Values() []string }

func enumSchema(e enum) *jsonschema.Schema {
	s := &jsonschema.Schema{Type: "string"}
	for _, v := range e.Values() {
		s.Enum = append(s.Enum, v)
	}
	return s
}

// AgencyLevel is an agency's place in the administrative hierarchy.
type AgencyLevel string

const (
	LevelProvince   AgencyLevel = "province"   // UBND tỉnh/thành phố
	LevelDepartment AgencyLevel = "department" // sở, ban, ngành cấp tỉnh
	LevelDistrict   AgencyLevel = "district"   // UBND cấp huyện (until 30/6/2025)
	LevelCommune    AgencyLevel = "commune"    // UBND cấp xã
)

func (AgencyLevel) Values() []string {
	return []string{"province", "department", "district", "commune"}
}
func (e AgencyLevel) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// GovLevel is the level of government that carries out a procedure.
type GovLevel string

const (
	GovProvince GovLevel = "province"
	GovDistrict GovLevel = "district"
	GovCommune  GovLevel = "commune"
)

func (GovLevel) Values() []string                 { return []string{"province", "district", "commune"} }
func (e GovLevel) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// OnlineLevel is how far a procedure can be done online.
type OnlineLevel string

const (
	OnlineNone    OnlineLevel = "none"
	OnlinePartial OnlineLevel = "partial" // dịch vụ công trực tuyến một phần
	OnlineFull    OnlineLevel = "full"    // dịch vụ công trực tuyến toàn trình
)

func (OnlineLevel) Values() []string                 { return []string{"none", "partial", "full"} }
func (e OnlineLevel) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Channel is how a dossier reached the one-stop desk or how a result left it.
type Channel string

const (
	ChannelOnline   Channel = "online"    // trực tuyến
	ChannelInPerson Channel = "in_person" // trực tiếp
	ChannelPostal   Channel = "postal"    // bưu chính công ích
)

func (Channel) Values() []string                 { return []string{"online", "in_person", "postal"} }
func (e Channel) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// ApplicantKind is who filed a dossier.
type ApplicantKind string

const (
	ApplicantCitizen      ApplicantKind = "citizen"
	ApplicantOrganisation ApplicantKind = "organisation"
)

func (ApplicantKind) Values() []string                 { return []string{"citizen", "organisation"} }
func (e ApplicantKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Desk is where a dossier was received: the province's public administration
// service centre (Trung tâm Phục vụ hành chính công), or the agency's own
// one-stop desk (bộ phận một cửa of a department, district or commune). Form
// II.06a counts the centre's dossiers.
type Desk string

const (
	DeskCentre Desk = "centre"
	DeskAgency Desk = "agency"
)

func (Desk) Values() []string                 { return []string{"centre", "agency"} }
func (e Desk) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// ResultOutcome is whether a dossier's result grants what was asked.
type ResultOutcome string

const (
	OutcomeApproved ResultOutcome = "approved"
	OutcomeRefused  ResultOutcome = "refused" // a reasoned refusal is also a result
)

func (ResultOutcome) Values() []string                 { return []string{"approved", "refused"} }
func (e ResultOutcome) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Portal is where a dossier's status is synchronised.
type Portal string

const (
	PortalNational Portal = "national" // Cổng Dịch vụ công quốc gia
	PortalProvince Portal = "province" // the province's own portal
)

func (Portal) Values() []string                 { return []string{"national", "province"} }
func (e Portal) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// ReviewOutcome is what a procedure review concluded.
type ReviewOutcome string

const (
	ReviewKeep     ReviewOutcome = "keep"
	ReviewSimplify ReviewOutcome = "simplify"
	ReviewAmend    ReviewOutcome = "amend"
	ReviewRepeal   ReviewOutcome = "repeal"
)

func (ReviewOutcome) Values() []string                 { return []string{"keep", "simplify", "amend", "repeal"} }
func (e ReviewOutcome) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// DelegationKind distinguishes delegation (ủy quyền) from decentralisation (phân cấp).
type DelegationKind string

const (
	DelegationAuthorise    DelegationKind = "authorise"    // ủy quyền
	DelegationDecentralise DelegationKind = "decentralise" // phân cấp
)

func (DelegationKind) Values() []string                 { return []string{"authorise", "decentralise"} }
func (e DelegationKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// FeedbackChannel is how a citizen's feedback (PAKN) arrived.
type FeedbackChannel string

const (
	FeedbackNationalPortal FeedbackChannel = "national_portal" // Cổng Dịch vụ công quốc gia
	FeedbackProvincePortal FeedbackChannel = "province_portal"
	FeedbackHotline        FeedbackChannel = "hotline"
	FeedbackEmail          FeedbackChannel = "email"
	FeedbackInPerson       FeedbackChannel = "in_person"
	FeedbackPost           FeedbackChannel = "post"
)

func (FeedbackChannel) Values() []string {
	return []string{"national_portal", "province_portal", "hotline", "email", "in_person", "post"}
}
func (e FeedbackChannel) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// FeedbackTopic is what a piece of feedback is about.
type FeedbackTopic string

const (
	TopicRegulation FeedbackTopic = "regulation" // quy định hành chính
	TopicProcedure  FeedbackTopic = "procedure"  // thủ tục hành chính
	TopicConduct    FeedbackTopic = "conduct"    // hành vi của cán bộ, công chức
	TopicOther      FeedbackTopic = "other"
)

func (FeedbackTopic) Values() []string {
	return []string{"regulation", "procedure", "conduct", "other"} // quy định / TTHC / hành vi / khác
}
func (e FeedbackTopic) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// PlanKind is the kind of plan tasks belong to.
type PlanKind string

const (
	PlanReform             PlanKind = "reform"              // kế hoạch cải cách hành chính
	PlanProcedureControl   PlanKind = "procedure_control"   // kế hoạch kiểm soát TTHC
	PlanGovernmentAssigned PlanKind = "government_assigned" // nhiệm vụ Chính phủ, Thủ tướng giao
	PlanDigitalGovernment  PlanKind = "digital_government"  // kế hoạch chính quyền điện tử, chính quyền số, chuyển đổi số
	PlanOther              PlanKind = "other"
)

func (PlanKind) Values() []string {
	return []string{"reform", "procedure_control", "government_assigned", "digital_government", "other"}
}
func (e PlanKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// ReformArea is the administrative-reform (CCHC) area of a task.
type ReformArea string

const (
	AreaDirection     ReformArea = "direction"      // chỉ đạo, điều hành
	AreaInstitutions  ReformArea = "institutions"   // cải cách thể chế
	AreaProcedures    ReformArea = "procedures"     // cải cách TTHC
	AreaOrganisation  ReformArea = "organisation"   // tổ chức bộ máy
	AreaCivilService  ReformArea = "civil_service"  // công chức, công vụ
	AreaPublicFinance ReformArea = "public_finance" // tài chính công
	AreaEGovernment   ReformArea = "e_government"   // chính phủ điện tử, chính phủ số
)

func (ReformArea) Values() []string {
	return []string{"direction", "institutions", "procedures", "organisation", "civil_service", "public_finance", "e_government"}
}
func (e ReformArea) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// DeadlineKind is the shape of a task deadline in the seeds' plans: a date, a
// month, a quarter, a half-year, a year, or recurring ("thường xuyên",
// "định kỳ").
type DeadlineKind string

const (
	DeadlineDate      DeadlineKind = "date"
	DeadlineMonth     DeadlineKind = "month"
	DeadlineQuarter   DeadlineKind = "quarter"
	DeadlineHalfYear  DeadlineKind = "half_year"
	DeadlineYear      DeadlineKind = "year"
	DeadlineRecurring DeadlineKind = "recurring"
)

func (DeadlineKind) Values() []string {
	return []string{"date", "month", "quarter", "half_year", "year", "recurring"}
}
func (e DeadlineKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Recurrence is the rhythm of a recurring task.
type Recurrence string

const (
	RecurContinuous Recurrence = "continuous" // thường xuyên
	RecurMonthly    Recurrence = "monthly"    // định kỳ hằng tháng
	RecurQuarterly  Recurrence = "quarterly"
	RecurHalfYearly Recurrence = "half_yearly"
	RecurYearly     Recurrence = "yearly"
	RecurOnRequest  Recurrence = "on_request" // theo yêu cầu
)

func (Recurrence) Values() []string {
	return []string{"continuous", "monthly", "quarterly", "half_yearly", "yearly", "on_request"}
}
func (e Recurrence) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Indicator names a figure reported from outside the event flow.
type Indicator string

const (
	IndicatorPARIndex       Indicator = "par_index"       // Chỉ số cải cách hành chính
	IndicatorSIPAS          Indicator = "sipas"           // Chỉ số hài lòng
	IndicatorPressItems     Indicator = "press_items"     // tin, bài tuyên truyền
	IndicatorLegalDocuments Indicator = "legal_documents" // văn bản quy phạm pháp luật ban hành
	IndicatorOther          Indicator = "other"
)

func (Indicator) Values() []string {
	return []string{"par_index", "sipas", "press_items", "legal_documents", "other"}
}
func (e Indicator) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// ReportKind is which periodic report baocao's scheduler wrote.
type ReportKind string

const (
	ReportProcedureControl ReportKind = "procedure_control" // báo cáo kiểm soát TTHC (hằng quý)
	ReportReform           ReportKind = "reform"            // báo cáo cải cách hành chính (6 tháng, năm)
	ReportDossierForm      ReportKind = "dossier_form"      // biểu mẫu tình hình giải quyết TTHC (Thông tư 01/2020/TT-VPCP)
)

func (ReportKind) Values() []string                 { return []string{"procedure_control", "reform", "dossier_form"} }
func (e ReportKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// PeriodKind is the length of a reporting period, named as in the periods view.
type PeriodKind string

const (
	PeriodMonth      PeriodKind = "month"       // tháng
	PeriodQuarter    PeriodKind = "quarter"     // quý
	PeriodHalfYear   PeriodKind = "half_year"   // 6 tháng
	PeriodNineMonths PeriodKind = "nine_months" // 9 tháng
	PeriodYear       PeriodKind = "year"        // năm
)

func (PeriodKind) Values() []string {
	return []string{"month", "quarter", "half_year", "nine_months", "year"}
}
func (e PeriodKind) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// Cutoff is where a reporting period's days begin and end.
type Cutoff string

const (
	CutoffCalendar Cutoff = "calendar" // theo tháng dương lịch
	CutoffOfficial Cutoff = "official" // thời gian chốt số liệu: từ ngày 15 tháng trước đến ngày 14 (Nghị định 09/2019/NĐ-CP)
)

func (Cutoff) Values() []string                 { return []string{"calendar", "official"} }
func (e Cutoff) JSONSchema() *jsonschema.Schema { return enumSchema(e) }

// FileFormat is the format of one file of a generated report.
type FileFormat string

const (
	FormatMarkdown FileFormat = "md"
	FormatHTML     FileFormat = "html"
	FormatXLSX     FileFormat = "xlsx" // biểu mẫu Excel gửi cơ quan cấp trên
)

func (FileFormat) Values() []string                 { return []string{"md", "html", "xlsx"} }
func (e FileFormat) JSONSchema() *jsonschema.Schema { return enumSchema(e) }
