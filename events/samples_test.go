package events

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/segmentio/ksuid"
)

// testNow is the reference clock of the tests: samples happen before it.
var testNow = time.Date(2024, 6, 20, 12, 0, 0, 0, Vietnam)

var at = time.Date(2024, 3, 5, 9, 15, 0, 0, Vietnam)

func ptr[T any](v T) *T { return &v }

// samples returns one valid event of every type, with ids fixed so that the
// encoded forms are stable.
func samples() []Event {
	d := NewDate
	payloads := []struct {
		agency, subject string
		p               Payload
	}{
		{"000.00.00.H23", "000.00.31.H23", AgencyCreated{Name: "Sở Tư pháp", Level: LevelDepartment, Parent: "000.00.00.H23", EffectiveFrom: d(2008, 4, 1)}},
		{"000.00.00.H23", "000.00.31.H23", AgencyRenamed{Name: "Sở Tư pháp thành phố Hải Phòng", EffectiveFrom: d(2024, 3, 1)}},
		{"000.00.00.H23", "000.07.41.H23", AgencyMerged{Into: "000.08.41.H23", EffectiveFrom: d(2025, 7, 1)}},
		{"000.00.00.H23", "000.08.41.H23", AgencyLevelChanged{Level: LevelCommune, Parent: "000.00.00.H23", EffectiveFrom: d(2025, 7, 1)}},
		{"000.00.00.H23", "000.00.31.H23", AgencyOnboarded{System: "Hệ thống thông tin giải quyết TTHC thành phố", EffectiveFrom: d(2022, 1, 1)}},
		{"000.00.00.H23", "1.001234", ProcedurePublished{Name: "Đăng ký khai sinh", Field: "Hộ tịch", Levels: []GovLevel{GovCommune},
			DecisionNo: "1234/QĐ-UBND", DecisionDate: d(2024, 3, 1), StatutoryDays: 0.5, OnlineLevel: OnlineFull, OnlineEligible: true, PaperResult: true, OneStop: true}},
		{"000.00.00.H23", "1.001234", ProcedureAmended{DecisionNo: "1500/QĐ-UBND", DecisionDate: d(2024, 3, 4), StatutoryDays: ptr(1.0), FeeVND: ptr(int64(0)), InternalProcessIssued: ptr(true)}},
		{"000.00.00.H23", "1.001234", ProcedureRepealed{DecisionNo: "1600/QĐ-UBND", DecisionDate: d(2024, 3, 5)}},
		{"000.00.00.H23", "2.000488", ProcedureDelegated{Kind: DelegationAuthorise, ToAgency: "000.00.31.H23", DecisionNo: "1700/QĐ-UBND", DecisionDate: d(2024, 3, 5)}},
		{"000.00.00.H23", "2.000488", ProcedureReviewPlanned{Plan: "52/KH-UBND", Internal: true}},
		{"000.00.00.H23", "2.000488", ProcedureReviewed{Plan: "52/KH-UBND", Internal: true, Outcome: ReviewSimplify}},
		{"000.00.00.H23", "2.000488", ProcedureSimplificationProposed{Internal: true, Proposal: "Bỏ thành phần hồ sơ bản sao giấy phép", CostSavingVND: 1_200_000}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierReceived{Procedure: "1.001234", Channel: ChannelPostal, Desk: DeskCentre, Applicant: ApplicantCitizen,
			DueAt: at.Add(72 * time.Hour), Components: 4, ComponentsDigitised: 3, ComponentsReused: 1}},
		{"000.00.31.H23", "H23.31-240305-0002", DossierRejected{Procedure: "1.001234", Channel: ChannelOnline, Reason: "Thiếu tờ khai"}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierForwarded{ToAgency: "000.00.32.H23", Reason: "Liên thông"}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierSupplementRequested{Reason: "Bổ sung bản sao CCCD"}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierSupplementSupplied{NewDueAt: ptr(at.Add(96 * time.Hour))}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierFeeRequested{AmountVND: 50_000}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierFeePaid{AmountVND: 50_000, Online: true}},
		{"000.00.31.H23", "H23.31-240305-0003", DossierStopped{Reason: "Không đủ điều kiện"}},
		{"000.00.31.H23", "H23.31-240305-0004", DossierWithdrawn{}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierApologyIssued{NewDueAt: at.Add(120 * time.Hour), Reason: "Cần xác minh"}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierResultIssued{Outcome: OutcomeApproved, Electronic: true}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierResultReturned{Channel: ChannelOnline}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierSynced{Portal: PortalNational}},
		{"000.00.31.H23", "H23.31-240305-0001", DossierRated{Satisfied: true, Score: 5}},
		{"000.00.00.H23", "PAKN-2024-0001", FeedbackReceived{Channel: "national_portal", Topic: "regulation", DueAt: at.Add(240 * time.Hour)}},
		{"000.00.00.H23", "PAKN-2024-0001", FeedbackClassified{Topic: "procedure", Handler: "000.00.31.H23"}},
		{"000.00.31.H23", "PAKN-2024-0001", FeedbackAnswered{Summary: "Đã hướng dẫn"}},
		{"000.00.31.H23", "PAKN-2024-0001", FeedbackPublished{URL: "https://dichvucong.gov.vn/pakn/1"}},
		{"000.00.31.H23", "PAKN-2024-0002", FeedbackRejected{Reason: "Không thuộc phạm vi"}},
		{"000.00.31.H23", "PAKN-2024-0001", FeedbackRated{Satisfied: true}},
		{"000.00.00.H23", "302/QĐ-UBND", PlanIssued{Number: "302/QĐ-UBND", Title: "Kế hoạch kiểm soát TTHC năm 2024", IssuedOn: d(2024, 1, 30),
			Issuer: "UBND thành phố Hải Phòng", Kind: PlanProcedureControl, Year: 2024}},
		{"000.00.00.H23", "302/QĐ-UBND#II.1.3", TaskAssigned{Plan: "302/QĐ-UBND", Code: "II.1.3", Title: "Rà soát, đơn giản hóa TTHC",
			Lead: "000.00.31.H23", Coordinating: []string{"000.00.32.H23"}, Deadline: Deadline{Kind: DeadlineQuarter, Year: 2024, Quarter: 2},
			ExpectedProduct: "Báo cáo", Area: AreaProcedures}},
		{"000.00.31.H23", "302/QĐ-UBND#II.1.3", TaskProgressReported{Percent: 60, Note: "Đang rà soát"}},
		{"000.00.31.H23", "302/QĐ-UBND#II.1.3", TaskCompleted{Product: "Báo cáo số 12/BC-STP"}},
		{"000.00.00.H23", "302/QĐ-UBND#II.1.3", TaskDeadlineChanged{Deadline: Deadline{Kind: DeadlineRecurring, Recurrence: RecurContinuous}}},
		{"000.00.00.H23", "302/QĐ-UBND#II.1.4", TaskCancelled{Reason: "Đã lồng ghép vào nhiệm vụ II.1.3"}},
		{"000.00.00.H23", "par_index/2023", IndicatorReported{Indicator: IndicatorPARIndex, PeriodFrom: d(2023, 1, 1), PeriodTo: d(2023, 12, 31),
			Value: 91.87, Unit: "điểm", Rank: 2, RankOf: 63, Source: "Quyết định 264/QĐ-BNV"}},
		{"000.00.00.H23", "procedure_control/quarter/official/2023-4", ReportGenerated{Report: ReportProcedureControl, PeriodKind: PeriodQuarter,
			Cutoff: CutoffOfficial, Year: 2023, Number: 4, PeriodStart: d(2023, 9, 15), PeriodEnd: d(2023, 12, 14), Label: "Quý IV/2023",
			Files: []ReportFile{
				{Format: FormatMarkdown, Path: "2023/procedure_control-quarter-official-2023-4.md", Bytes: 18342, SHA256: "21262a3cb5337627b0fad9d891c16adb40706bd3e57534416dd02bbe5917d184"},
				{Format: FormatXLSX, Path: "2023/procedure_control-quarter-official-2023-4.xlsx", Bytes: 40960, SHA256: "1c980b22bca31941462855e560db3053e7772efb4b8bc7c4d5d8bb799a1abc6c"},
			}, AsOfSeq: 1234}},
		{"000.00.31.H23", "reform/half_year/official/2024-1/results.institutions", ContributionSubmitted{Report: ReportReform, PeriodKind: PeriodHalfYear,
			Cutoff: CutoffOfficial, Year: 2024, Number: 1, Section: "results.institutions",
			Paragraphs: []string{"Sở Tư pháp đã thẩm định **25** dự thảo văn bản quy phạm pháp luật.", "- Rà soát *1.234* văn bản, kiến nghị sửa đổi 12 văn bản."},
			Figures: []Figure{{Name: "Văn bản QPPL được thẩm định", Value: 25, Unit: "văn bản", Compare: &FigureComparison{Label: "6 tháng đầu năm 2023", Value: 20}},
				{Name: "Tỷ lệ văn bản đúng hạn", Value: 98.5, Unit: "%"}}}},
		{"000.00.31.H23", "reform/half_year/official/2024-1/results.institutions", ContributionWithdrawn{Report: ReportReform, PeriodKind: PeriodHalfYear,
			Cutoff: CutoffOfficial, Year: 2024, Number: 1, Section: "results.institutions", Reason: "Gửi nhầm kỳ"}},
	}
	out := make([]Event, len(payloads))
	for i, s := range payloads {
		e := Event{
			Type: s.p.EventType(), SchemaVersion: CurrentVersion(s.p.EventType()), Agency: s.agency, SubjectID: s.subject,
			OccurredAt: at, RecordedAt: at.Add(time.Minute), Payload: s.p,
		}
		e.ID = NewIDFrom(at, byte(i))
		out[i] = e
	}
	return out
}

// NewIDFrom is a deterministic id for tests.
func NewIDFrom(t time.Time, n byte) string {
	id, err := ksuid.FromParts(t, append(make([]byte, 15), n))
	if err != nil {
		panic(err)
	}
	return id.String()
}

func encode(t testing.TB, e Event) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// patch decodes an encoded event into a generic map, applies f, re-encodes.
func patch(t testing.TB, e Event, f func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(encode(t, e), &m); err != nil {
		t.Fatal(err)
	}
	f(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
