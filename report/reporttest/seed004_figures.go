package reporttest

// Seed004Figure is one numbered figure of seed 004 (../shared/SEED004-FIGURES.md):
// the section of the reform outline that states it, the figure exactly as
// the seed writes it, and the phrases around it that must stand in that
// section's text (each contains the figure; a bare "06" would be found
// anywhere). Family says where it comes from: an event family ("indicator",
// "task", "procedure", "feedback", "agency", "period") or "contribution";
// From says which way the generated report gets it: "computed" (a block
// computed from the events) or "contribution" (an agency's part in
// Seed004Contributions).
type Seed004Figure struct {
	N       int
	Section string
	Figure  string
	Phrases []string
	Family  string
	From    string
}

func fig(n int, section, figure, family, from string, phrases ...string) Seed004Figure {
	if len(phrases) == 0 {
		phrases = []string{figure}
	}
	return Seed004Figure{N: n, Section: section, Figure: figure, Phrases: phrases, Family: family, From: from}
}

// Section keys of the reform outline (report/outlines/reform.yaml).
const (
	secDocuments      = "direction.documents"
	secPlan           = "direction.plan"
	secInspection     = "direction.inspection"
	secCommunication  = "direction.communication"
	secGovTasks       = "direction.government_tasks"
	secInitiatives    = "direction.initiatives"
	secDrafting       = "results.institutions.drafting"
	secLawReview      = "results.institutions.review"
	secLawInspection  = "results.institutions.inspection"
	secEnforcement    = "results.institutions.enforcement"
	secProcedures     = "results.procedures"
	secCatalogue      = "results.procedures.catalogue"
	secReview         = "results.procedures.review"
	secFeedback       = "results.procedures.feedback"
	secDossiers       = "results.procedures.dossiers"
	secServiceQuality = "results.procedures.service_quality"
	secOrganisation   = "results.organisation"
	secCivilService   = "results.civil_service"
	secPublicFinance  = "results.public_finance"
	secDigital        = "results.digital_government"
	secStrengths      = "assessment.strengths"
	secDifficulties   = "assessment.difficulties"
	secOutlook        = "outlook.direction"
	secOutlookTasks   = "outlook.tasks"
)

const (
	computed = "computed"
	contrib  = "contribution"
)

// Seed004Figures are the 103 figures, in the numbering of SEED004-FIGURES.md.
var Seed004Figures = []Seed004Figure{
	// I.1
	fig(1, secDocuments, "thứ 2/63", "indicator", computed),
	fig(2, secDocuments, "91,87", "indicator", computed, "91,87 điểm"),
	fig(3, secDocuments, "1,78", "indicator", computed, "tăng 1,78 điểm so với năm 2022"),
	fig(4, secDocuments, "thứ 5/63", "indicator", computed),
	fig(5, secDocuments, "88,90%", "indicator", computed),
	fig(6, secDocuments, "5,02%", "indicator", computed, "tăng 5,02% so với năm 2022"),
	// I.2
	fig(7, secPlan, "15/6/2024", "period", contrib, "tính đến 15/6/2024"),
	fig(8, secPlan, "08/57", "task", computed, "hoàn thành 08/57 nhiệm vụ"),
	// I.3
	fig(9, secInspection, "từ tháng 7 đến tháng 11/2024", contrib, contrib),
	fig(10, secInspection, "06", contrib, contrib, "06 sở, ngành"),
	fig(11, secInspection, "06", contrib, contrib, "06 quận, huyện"),
	fig(12, secInspection, "30%", contrib, contrib, "tối thiểu 30%"),
	fig(13, secInspection, "tháng 02/2024", contrib, contrib),
	fig(14, secInspection, "04", contrib, contrib, "04 đoàn công tác"),
	fig(15, secInspection, "05", contrib, contrib, "05 sở, ban, ngành"),
	fig(16, secInspection, "04", contrib, contrib, "04 quận, huyện"),
	fig(17, secInspection, "10", contrib, contrib, "10 xã, phường, thị trấn"),
	// I.4
	fig(18, secCommunication, "khoảng 1.150", "indicator", computed, "khoảng 1.150 tin, bài"),
	fig(19, secCommunication, "01- 02 lượt/tuần", contrib, contrib),
	// I.5
	fig(20, secGovTasks, "78", "task", computed, "giao 78 nhiệm vụ"),
	fig(21, secGovTasks, "37", "task", computed, "Hoàn thành 37 nhiệm vụ đúng hạn"),
	fig(22, secGovTasks, "41", "task", computed, "Đang thực hiện 41 nhiệm vụ trong hạn"),
	fig(23, secGovTasks, "Không có", "task", computed, "Không có nhiệm vụ quá hạn"),
	// I.6
	fig(24, secInitiatives, "(1)…(16)", contrib, contrib, "(1) ", "(2) ", "(3) ", "(4) ", "(5) ", "(6) ", "(7) ", "(8) ",
		"(9) ", "(10) ", "(11) ", "(12) ", "(13) ", "(14) ", "(15) ", "(16) "),
	fig(25, secInitiatives, "12", contrib, contrib, "12 Ủy ban nhân dân quận, huyện, phường, xã"),
	// II.1.a
	fig(26, secDrafting, "05", contrib, contrib, "gồm 05 văn bản"),
	fig(27, secDrafting, "12", contrib, contrib, "12 đề nghị xây dựng Quyết định"),
	fig(28, secDrafting, "17", "indicator", computed, "17 văn bản quy phạm pháp luật"),
	fig(29, secDrafting, "06", "indicator", contrib, "06 văn bản thuộc nhiệm vụ năm 2024"),
	fig(30, secDrafting, "11", "indicator", contrib, "11 văn bản thuộc nhiệm vụ năm 2023"),
	// II.1.b
	fig(31, secLawReview, "87", contrib, contrib, "87 văn bản"),
	fig(32, secLawReview, "66", contrib, contrib, "66 văn bản hết hiệu lực toàn bộ"),
	fig(33, secLawReview, "01", contrib, contrib, "01 văn bản ngưng hiệu lực toàn bộ"),
	fig(34, secLawReview, "20", contrib, contrib, "20 văn bản hết hiệu lực một phần"),
	// II.1.c
	fig(35, secLawInspection, "17", contrib, contrib, "tự kiểm tra 17 văn bản"),
	// II.2
	fig(36, secProcedures, "100%", "task", contrib, "100% sở, ban, ngành, Ủy ban nhân dân quận, huyện"),
	fig(37, secCatalogue, "55", "procedure", computed, "55 Quyết định công bố danh mục TTHC"),
	fig(38, secReview, "63", "procedure", computed, "63 TTHC"),
	fig(39, secReview, "30/7/2024", "task", contrib, "trước ngày 30/7/2024"),
	fig(40, secReview, "15/12/2023 đến ngày 14/6/2024", "period", computed),
	fig(41, secReview, "04", "procedure", computed, "04 TTHC"),
	fig(42, secReview, "11/43", "procedure", computed),
	fig(43, secReview, "25,6%", "procedure", computed),
	fig(44, secFeedback, "192", "feedback", computed, "tiếp nhận mới: 192"),
	fig(45, secFeedback, "12", "feedback", computed, "kỳ trước chuyển sang: 12"),
	fig(46, secFeedback, "138", "feedback", computed, "đã hoàn thành: 138"),
	fig(47, secFeedback, "66", "feedback", computed, "đang xử lý: 66"),
	fig(48, secFeedback, "62", "feedback", computed, "trong hạn: 62"),
	fig(49, secFeedback, "4", "feedback", computed, "quá hạn: 4"),
	// II.3
	fig(50, secOrganisation, "04", contrib, contrib, "giảm 04 đơn vị"),
	fig(51, secOrganisation, "03", contrib, contrib, "03 đơn vị thuộc quận, huyện"),
	fig(52, secOrganisation, "09", contrib, contrib, "09 quận, huyện còn lại"),
	fig(53, secOrganisation, "44", contrib, contrib, "44 trường hợp"),
	fig(54, secOrganisation, "38", contrib, contrib, "38 trường hợp nghỉ hưu trước tuổi"),
	fig(55, secOrganisation, "06", contrib, contrib, "06 trường hợp thôi việc"),
	fig(56, secOrganisation, "100%", contrib, contrib, "100% đề án vị trí việc làm"),
	fig(57, secOrganisation, "36", contrib, contrib, "36 cơ quan hành chính"),
	fig(58, secOrganisation, "15", contrib, contrib, "15 quận, huyện"),
	fig(59, secOrganisation, "21", contrib, contrib, "21 sở, ban, ngành"),
	fig(60, secOrganisation, "810", contrib, contrib, "810 đơn vị sự nghiệp công lập"),
	fig(61, secOrganisation, "14", contrib, contrib, "điều động, bổ nhiệm 14 trường hợp"),
	fig(62, secOrganisation, "16", contrib, contrib, "bổ nhiệm lại, kéo dài thời gian giữ chức vụ 16 trường hợp"),
	fig(63, secOrganisation, "02", contrib, contrib, "giao quyền, giao phụ trách 02 trường hợp"),
	fig(64, secOrganisation, "06", contrib, contrib, "nghỉ hưu 06 trường hợp"),
	fig(65, secOrganisation, "02", contrib, contrib, "Giám đốc và 02 Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng"),
	fig(66, secOrganisation, "02", contrib, contrib, "02 Phó Giám đốc Sở Kế hoạch và Đầu tư"),
	fig(67, secOrganisation, "02", contrib, contrib, "02 Phó Giám đốc Sở Tài nguyên và Môi trường"),
	fig(68, secOrganisation, "02", contrib, contrib, "02 Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn"),
	// II.4
	fig(69, secCivilService, "2.846", contrib, contrib, "2.846 biên chế công chức"),
	fig(70, secCivilService, "32.584", contrib, contrib, "32.584 người làm việc"),
	fig(71, secCivilService, "100%", contrib, contrib, "100% sở, ban, ngành, Ủy ban nhân dân quận, huyện"),
	// II.5
	fig(72, secPublicFinance, "31/5/2024", contrib, contrib, "hết ngày 31/5/2024"),
	fig(73, secPublicFinance, "4.048,546 tỷ đồng", contrib, contrib),
	fig(74, secPublicFinance, "23,79%", contrib, contrib),
	fig(75, secPublicFinance, "17.019,198 tỷ đồng", contrib, contrib),
	fig(76, secPublicFinance, "20,27%", contrib, contrib),
	fig(77, secPublicFinance, "19.972,741 tỷ đồng", contrib, contrib),
	fig(78, secPublicFinance, "133,370 tỷ đồng", contrib, contrib),
	fig(79, secPublicFinance, "17,65%", contrib, contrib),
	fig(80, secPublicFinance, "3.915,176 tỷ đồng", contrib, contrib),
	fig(81, secPublicFinance, "20,37%", contrib, contrib),
	// II.6
	fig(82, secDigital, "100%", contrib, contrib, "100% xã, phường, thị trấn"),
	fig(83, secDigital, "14", "task", computed, "14 nhiệm vụ thường xuyên"),
	fig(84, secDigital, "39", "task", contrib, "39 nhiệm vụ chuyển tiếp"),
	fig(85, secDigital, "35/35", "agency", computed, "35/35 sở, ban, ngành, quận, huyện"),
	fig(86, secDigital, "217/217", "agency", computed, "217/217 xã, phường, thị trấn"),
	fig(87, secDigital, "1.317", "procedure", computed, "1.317 dịch vụ công trực tuyến toàn trình"),
	fig(88, secDigital, "386", "procedure", computed, "386 dịch vụ công trực tuyến một phần"),
	fig(89, secDigital, "78", contrib, contrib, "78 đơn vị"),
	fig(90, secDigital, "hai năm", contrib, contrib),
	// III.1
	fig(91, secStrengths, "5 tháng đầu năm", contrib, contrib),
	fig(92, secStrengths, "53.244 tỷ đồng", contrib, contrib),
	fig(93, secStrengths, "39,66%", contrib, contrib),
	fig(94, secStrengths, "54,41%", contrib, contrib),
	fig(95, secStrengths, "49,87%", contrib, contrib),
	fig(96, secStrengths, "27.389,3 tỷ đồng", contrib, contrib),
	fig(97, secStrengths, "118,5 %", contrib, contrib),
	fig(98, secStrengths, "72,88%", contrib, contrib),
	fig(99, secStrengths, "60,87%", contrib, contrib),
	fig(100, secStrengths, "24.910,9 tỷ đồng", contrib, contrib),
	fig(101, secStrengths, "2,58%", contrib, contrib),
	fig(102, secStrengths, "42,37%", contrib, contrib),
	fig(103, secStrengths, "41,52%", contrib, contrib),
}
