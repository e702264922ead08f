package reporttest

import (
	"cmp"
	"encoding/binary"
	"slices"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/events"
)

// Seed004Contributions are the agencies' parts of the six-month 2024 reform
// report (report reform, period half_year/official/2024-1): for every
// section seed 004 fills, the text and figures the city's departments and
// the city UBND would send the province office. They carry seed 004's facts
// and figures, in words written for the fixture, each figure written as the
// seed writes it (1.317; 4.048,546 tỷ đồng; 118,5 %; 01- 02 lượt/tuần).
// Figures the events carry (PAR Index, plan tasks, procedures, feedback,
// agencies on the one-stop system) are left to the computed blocks; those
// they do not (the split of legal documents by task year, the plans of the
// departments, a task's deadline, tasks carried over) are the agencies'.
//
// The round is not clean: Sở Nội vụ's inspection part and Sở Kế hoạch và
// Đầu tư's public-investment part are sent twice, the second replacing the
// first; Sở Tài chính withdraws a part sent to the wrong section, and
// withdraws and sends again its budget-revenue part. Seed004Superseded lists
// text that must not reach the report.
//
// Same events on every call: ksuids of the recorded time and a counter,
// times fixed in events.Vietnam, all before Now.
func Seed004Contributions() []events.Event {
	c := &contributionFeed{}
	c.province()
	c.homeAffairs()
	c.justice()
	c.office()
	c.finance()
	c.planning()
	c.information()
	c.science()
	slices.SortStableFunc(c.evs, func(a, b events.Event) int {
		return cmp.Or(a.RecordedAt.Compare(b.RecordedAt), cmp.Compare(a.ID, b.ID))
	})
	return c.evs
}

// Seed004Superseded are phrases of the submissions that were replaced or
// withdrawn: a report that states one of them read a stale part.
var Seed004Superseded = []string{
	"08 sở, ngành và 08 quận, huyện",      // Sở Nội vụ's first inspection part
	"30/4/2024",                           // Sở KH&ĐT's first public-investment part
	"2.870,112 tỷ đồng",                   // idem
	"Sở Tài chính tham mưu nghị quyết",    // Sở Tài chính's part sent to II.1.d, withdrawn
	"52.100 tỷ đồng",                      // Sở Tài chính's first revenue part, withdrawn then sent again
	"Bản tổng hợp sơ bộ của Sở Tài chính", // idem
}

// The period of Seed004Contributions' slots: the first half of 2024.
const (
	contributionYear   = 2024
	contributionNumber = 1
)

type contributionFeed struct {
	evs []events.Event
	n   uint64
}

// Agencies that contribute, by their codes in Seed004's directory.
var (
	homeAffairsCode = deptCode("nv") // Sở Nội vụ
	officeCode      = deptCode("vp") // Văn phòng Ủy ban nhân dân thành phố
	financeCode     = deptCode("tc") // Sở Tài chính
	planningCode    = deptCode("kh") // Sở Kế hoạch và Đầu tư
	informationCode = deptCode("tt") // Sở Thông tin và Truyền thông
	scienceCode     = deptCode("kc") // Sở Khoa học và Công nghệ
)

func (c *contributionFeed) add(agency, slot string, at time.Time, p events.Payload) {
	c.n++
	rec := at.Add(time.Duration(3+c.n%7) * time.Second)
	var b [16]byte
	copy(b[:8], "seed004c")
	binary.BigEndian.PutUint64(b[8:], c.n)
	id, err := ksuid.FromParts(rec, b[:])
	if err != nil {
		panic(err)
	}
	c.evs = append(c.evs, events.Event{
		ID: id.String(), Type: p.EventType(), SchemaVersion: events.CurrentVersion(p.EventType()),
		Agency: agency, SubjectID: slot, OccurredAt: at, RecordedAt: rec, Payload: p,
	})
}

// submit records agency's part of section, sent on day (June 2024) at hh:mm.
func (c *contributionFeed) submit(agency, section string, day, hh, mm int, paragraphs []string, figures ...events.Figure) {
	p := events.ContributionSubmitted{Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
		Year: contributionYear, Number: contributionNumber, Section: section, Paragraphs: paragraphs, Figures: figures}
	c.add(agency, p.Slot(), time.Date(2024, time.June, day, hh, mm, 0, 0, vn), p)
}

func (c *contributionFeed) withdraw(agency, section string, day, hh, mm int, reason string) {
	p := events.ContributionWithdrawn{Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
		Year: contributionYear, Number: contributionNumber, Section: section, Reason: reason}
	c.add(agency, p.Slot(), time.Date(2024, time.June, day, hh, mm, 0, 0, vn), p)
}

func figure(name string, value float64, unit string) events.Figure {
	return events.Figure{Name: name, Value: value, Unit: unit}
}

func compared(f events.Figure, label string, value float64) events.Figure {
	f.Compare = &events.FigureComparison{Label: label, Value: value}
	return f
}

// province: the city UBND's own parts (the office drafts them for the
// Chairman): the directing documents, the initiatives of QĐ 451, the
// difficulties and the second half's direction and tasks.
func (c *contributionFeed) province() {
	c.submit(ProvinceCode, secDocuments, 17, 9, 0, []string{
		"Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 (Nghị quyết số 76/NQ-CP) và Chỉ thị số 23/CT-TTg, Ủy ban nhân dân thành phố đã ban hành các kế hoạch năm 2024:",
		"- Kế hoạch cải cách hành chính nhà nước năm 2024 (Quyết định số 4791/QĐ-UBND ngày 29/12/2023);",
		"- Kế hoạch kiểm soát thủ tục hành chính và thực hiện cơ chế một cửa, một cửa liên thông năm 2024 (Quyết định số 302/QĐ-UBND ngày 30/01/2024);",
		"- Kế hoạch rà soát (số 328/KH-UBND) và Kế hoạch kiểm tra văn bản quy phạm pháp luật năm 2024 (số 329/KH-UBND), cùng ngày 21/12/2023;",
		"- Kế hoạch tuyên truyền cải cách hành chính (số 60/KH-UBND), Kế hoạch cải cách thủ tục hành chính trọng tâm (số 52/KH-UBND) và Kế hoạch kiểm tra công tác cải cách hành chính năm 2024 (số 97/KH-UBND).",
		"Ban Chỉ đạo cải cách hành chính thành phố có Văn bản số 26/UBND-BCĐCCHC ngày 15/3/2024 đôn đốc đẩy mạnh cải cách hành chính năm 2024. Ngày 19/01/2024, thành phố gửi Bộ Nội vụ Báo cáo số 10/BC-UBND tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2023 kèm tài liệu kiểm chứng; Bưu điện thành phố phối hợp điều tra xã hội học đo lường sự hài lòng.",
	})
	c.submit(ProvinceCode, secInitiatives, 17, 9, 20, []string{
		"Quyết định số 451/QĐ-UBND ngày 07/02/2024 công nhận các sáng kiến năm 2023 có hiệu quả áp dụng và phạm vi ảnh hưởng cấp thành phố; trong đó, các sáng kiến về cải cách hành chính gồm:",
		"- (1) Sở Khoa học và Công nghệ: áp dụng công cụ tự đánh giá quản lý chất lượng tổng thể theo TCVN ISO 18091:2020 cho 12 Ủy ban nhân dân quận, huyện, phường, xã, nâng cao hiệu quả quản trị chính quyền địa phương;",
		"- (2) Ủy ban nhân dân quận Ngô Quyền: quản lý doanh nghiệp, hộ kinh doanh trên bản đồ số;",
		"- (3) Huyện An Dương: hệ thống tổng hợp thông tin, quản lý, chia sẻ dữ liệu và hỗ trợ ra quyết định;",
		"- (4) Quận Dương Kinh: các giải pháp nâng cao chỉ số năng lực cạnh tranh cấp sở, ngành, địa phương (DDCI);",
		"- (5) Sở Nội vụ: tham mưu quy định mức phụ cấp cho người hoạt động không chuyên trách ở cấp xã, ở thôn, tổ dân phố;",
		"- (6) Quận Hồng Bàng: cơ sở dữ liệu kinh tế - xã hội phục vụ Trung tâm điều hành thông minh (IOC);",
		"- (7) Ủy ban nhân dân quận Kiến An: nâng cao chỉ số phục vụ người dân, doanh nghiệp khi thực hiện thủ tục hành chính, dịch vụ công;",
		"- (8) Quận Hải An: rút ngắn thời gian đăng ký kết hôn có yếu tố nước ngoài;",
		"- (9) Sở Tài chính: nghị quyết về phân cấp quản lý tài sản công của thành phố;",
		"- (10) Sở Giao thông vận tải: kênh Youtube hướng dẫn nộp hồ sơ trực tuyến trên các cổng dịch vụ công;",
		"- (11) Quận Đồ Sơn: tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ;",
		"- (12) Ban Quản lý Khu kinh tế Hải Phòng: nâng tỷ lệ hồ sơ thủ tục hành chính trực tuyến;",
		"- (13) Sở Tài chính: nâng cao chất lượng giải quyết thủ tục hành chính bằng dịch vụ công toàn trình;",
		"- (14) Sở Kế hoạch và Đầu tư: bản đồ số thực tế ảo 360 Khu đô thị Bắc Sông Cấm phục vụ xúc tiến đầu tư;",
		"- (15) Huyện An Lão: chuyển đổi số tại Bộ phận Một cửa của huyện, xã, thị trấn;",
		"- (16) Huyện Kiến Thụy: chuyển đổi số tại Bộ phận Tiếp nhận và trả kết quả của huyện.",
		"Danh sách trên chưa đầy đủ các sáng kiến được công nhận.",
	})
	c.submit(ProvinceCode, secDifficulties, 18, 15, 0, []string{
		"- Một số người đứng đầu cơ quan, đơn vị chưa thật sự quyết liệt, sâu sát trong chỉ đạo cải cách hành chính, chưa dành đủ thời gian cho nhiệm vụ này.",
		"- Quy định pháp luật chưa được sửa đổi kịp thời theo yêu cầu chuyển đổi số của Đề án 06; việc giải quyết thủ tục hộ tịch, quốc tịch, chứng thực trên môi trường điện tử còn vướng.",
		"- Các hệ thống và cơ sở dữ liệu (Cổng Dịch vụ công quốc gia, Hệ thống thông tin giải quyết thủ tục hành chính thành phố, Cơ sở dữ liệu quốc gia về dân cư, hộ tịch điện tử, người có công) còn đang hoàn thiện; hạ tầng chưa bảo đảm hiệu năng, dữ liệu công dân chưa đồng bộ nên việc kết nối, chia sẻ còn hạn chế.",
	})
	c.submit(ProvinceCode, secOutlook, 18, 15, 10, []string{
		"Tập trung chỉ đạo, đôn đốc các cơ quan, đơn vị hoàn thành các mục tiêu, nhiệm vụ, giải pháp của Kế hoạch cải cách hành chính nhà nước năm 2024 của thành phố.",
	})
	c.submit(ProvinceCode, secOutlookTasks, 18, 15, 20, []string{
		"- Tổ chức kiểm tra công tác cải cách hành chính năm 2024 và kiểm tra việc áp dụng, duy trì Hệ thống quản lý chất lượng TCVN ISO 9001:2015 tại các cơ quan hành chính.",
		"- Ban hành các kế hoạch xác định Chỉ số cải cách hành chính, đo lường sự hài lòng năm 2024 và Hội thi trực tuyến tìm hiểu cải cách hành chính.",
		"- Tiếp tục thực hiện Nghị định số 107/2021/NĐ-CP về cơ chế một cửa, một cửa liên thông, Đề án 06 và Đề án đổi mới cơ chế một cửa (Quyết định số 468/QĐ-TTg).",
		"- Xây dựng đề án chính quyền đô thị; đề án thành lập thành phố thuộc thành phố tại huyện Thủy Nguyên và chuyển huyện An Dương thành quận.",
		"- Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính và thanh toán trực tuyến; tăng cường tuyên truyền cải cách hành chính trên Đài Phát thanh và Truyền hình, Báo Hải Phòng và Cổng Thông tin điện tử thành phố.",
	})
}

// homeAffairs: Sở Nội vụ, the standing body of the reform: the plan's
// progress, inspections, organisation and civil servants. Its inspection
// part is sent twice; the first had the counts of the plan's draft.
func (c *contributionFeed) homeAffairs() {
	c.submit(homeAffairsCode, secPlan, 17, 10, 0, []string{
		"Sở Nội vụ theo dõi, đôn đốc các sở, ngành thực hiện nhiệm vụ theo lĩnh vực phụ trách; số liệu tiến độ Kế hoạch cải cách hành chính năm 2024 được cập nhật tính đến 15/6/2024. Các nhiệm vụ chưa hoàn thành đang được triển khai theo tiến độ trong năm.",
	})
	c.submit(homeAffairsCode, secInspection, 17, 10, 30, []string{
		"Theo Kế hoạch số 97/KH-UBND, Đoàn kiểm tra sẽ kiểm tra tại 08 sở, ngành và 08 quận, huyện trong năm 2024.",
	})
	c.submit(homeAffairsCode, secInspection, 18, 14, 0, []string{
		"- *Kiểm tra cải cách hành chính:* Kế hoạch số 97/KH-UBND ngày 16/4/2024 và Quyết định số 1259/QĐ-UBND thành lập Đoàn kiểm tra do Phó Chủ tịch Ủy ban nhân dân thành phố làm Trưởng đoàn; từ tháng 7 đến tháng 11/2024, Đoàn kiểm tra tại 06 sở, ngành và 06 quận, huyện, bảo đảm kiểm tra tối thiểu 30% số cơ quan, đơn vị trong năm.",
		"- *Kiểm tra kỷ luật, kỷ cương công vụ:* trong tháng 02/2024, 04 đoàn công tác do lãnh đạo Ủy ban nhân dân thành phố làm Trưởng đoàn đã kiểm tra đột xuất tại 05 sở, ban, ngành (Tài nguyên và Môi trường, Xây dựng, Giáo dục và Đào tạo, Thông tin và Truyền thông, Nội vụ), 04 quận, huyện (Lê Chân, Hải An, An Lão, An Dương) và 10 xã, phường, thị trấn. Các cơ quan được kiểm tra cơ bản chấp hành nghiêm chỉ đạo của Chủ tịch Ủy ban nhân dân thành phố, bố trí công chức tại Bộ phận Một cửa để tiếp nhận và trả kết quả thủ tục hành chính.",
	})
	c.submit(homeAffairsCode, secOrganisation, 18, 14, 30, []string{
		"Thực hiện Kế hoạch số 57/KH-UBND ngày 11/3/2022 về sắp xếp tổ chức bộ máy theo các Nghị định số 107/2020/NĐ-CP, 108/2020/NĐ-CP và 120/2020/NĐ-CP, trong 6 tháng đầu năm 2024 thành phố đã sắp xếp, giảm 04 đơn vị trực thuộc các sở, ngành, quận, huyện: Phòng công chứng số 5 thuộc Sở Tư pháp chuyển thành Văn phòng công chứng ngoài công lập và 03 đơn vị thuộc quận, huyện (sắp xếp trường mầm non, tiểu học, trung học cơ sở).",
		"- Trình Thủ tướng Chính phủ hồ sơ tổ chức lại Ban Quản lý dự án phát triển đô thị và đầu tư xây dựng công trình dân dụng; ban hành kế hoạch thực hiện Kết luận số 50-KL/TW và Kết luận số 62-KL/TW của Bộ Chính trị.",
		"- Tinh giản biên chế: Ủy ban nhân dân thành phố phê duyệt 44 trường hợp cán bộ, công chức, viên chức, gồm 38 trường hợp nghỉ hưu trước tuổi và 06 trường hợp thôi việc.",
		"- Vị trí việc làm: hoàn thành 100% đề án vị trí việc làm và việc phê duyệt, đúng tiến độ Bộ Nội vụ giao, cho 36 cơ quan hành chính (15 quận, huyện và 21 sở, ban, ngành và tương đương) và 810 đơn vị sự nghiệp công lập.",
		"- Công tác cán bộ: điều động, bổ nhiệm 14 trường hợp; bổ nhiệm lại, kéo dài thời gian giữ chức vụ 16 trường hợp; giao quyền, giao phụ trách 02 trường hợp; nghỉ hưu 06 trường hợp; cho thôi việc Trưởng phòng Phòng công chứng số 5.",
		"- Điều động, bổ nhiệm: Giám đốc Sở Kế hoạch và Đầu tư; Phó Giám đốc Sở Tài chính; Chánh Văn phòng Ủy ban nhân dân thành phố; Giám đốc Sở Tư pháp; Chánh Thanh tra thành phố; Giám đốc Sở Lao động - Thương binh và Xã hội; Phó Giám đốc Sở Văn hóa và Thể thao; Viện trưởng Viện Quy hoạch; Giám đốc và 02 Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng; Phó Giám đốc Sở Tư pháp; Phó Trưởng ban Ban Quản lý Khu kinh tế Hải Phòng; Phó Giám đốc Đài Phát thanh và Truyền hình Hải Phòng.",
		"- Bổ nhiệm lại, kéo dài: Trưởng ban Ban Tôn giáo (Sở Nội vụ); Giám đốc Ban Quản lý cảng cá, bến cá; 02 Phó Giám đốc Sở Kế hoạch và Đầu tư; Giám đốc Bệnh viện Tâm thần; Chi cục trưởng Chi cục Dân số và Kế hoạch hóa gia đình; 02 Phó Giám đốc Sở Tài nguyên và Môi trường; Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng; Tổng Giám đốc và Phó Tổng Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình giao thông; 02 Phó Giám đốc Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn; Phó Giám đốc các Sở Nông nghiệp và Phát triển nông thôn, Du lịch, Lao động - Thương binh và Xã hội.",
		"- Giao quyền Giám đốc Trung tâm Giáo dục nghề nghiệp Giao thông vận tải Hải Phòng; giao phụ trách Bệnh viện Y học cổ truyền. Nghỉ hưu: Giám đốc Bệnh viện Y học cổ truyền, Chi cục trưởng Chi cục Kiểm lâm, Giám đốc Trung tâm Nuôi dưỡng Bảo trợ xã hội, Quyền Giám đốc Văn phòng Đăng ký đất đai, Phó Giám đốc Sở Giáo dục và Đào tạo, Chủ tịch Công ty khai thác công trình thủy lợi Thủy Nguyên.",
	}, figure("Cán bộ, công chức, viên chức được phê duyệt tinh giản biên chế", 44, "người"))
	c.submit(homeAffairsCode, secCivilService, 18, 15, 0, []string{
		"Quyết định số 130/QĐ-UBND ngày 16/01/2024 giao cho năm 2024 tổng số 2.846 biên chế công chức trong các cơ quan, tổ chức hành chính và 32.584 người làm việc hưởng lương từ ngân sách nhà nước trong các đơn vị sự nghiệp công lập; Sở Nội vụ đã thông báo số biên chế, người làm việc sử dụng kỳ I và kỳ II năm 2024.",
		"- Kiện toàn Ban Chỉ đạo và Tổ giúp việc sắp xếp đơn vị hành chính cấp huyện, cấp xã giai đoạn 2023 - 2025.",
		"- Ban hành Kế hoạch số 91/KH-UBND ngày 12/4/2024 tuyển dụng công chức, người làm việc năm 2024; chuẩn bị kỳ thi nâng ngạch lên chuyên viên chính.",
		"- 100% sở, ban, ngành, Ủy ban nhân dân quận, huyện đã đánh giá, phân loại công chức, viên chức năm 2023 và tổ chức ký cam kết không gây phiền hà, sách nhiễu.",
	}, figure("Biên chế công chức giao năm 2024", 2846, "biên chế"),
		figure("Số người làm việc trong đơn vị sự nghiệp công lập năm 2024", 32584, "người"))
}

// justice: Sở Tư pháp, for the institutions (II.1 a–d).
func (c *contributionFeed) justice() {
	c.submit(JusticeCode, secDrafting, 17, 11, 0, []string{
		"- Quyết định số 951/QĐ-UBND ngày 29/3/2024 phê duyệt danh mục văn bản quy phạm pháp luật của Ủy ban nhân dân thành phố quy định chi tiết luật, nghị quyết của Quốc hội, pháp lệnh và nghị định, gồm 05 văn bản.",
		"- Ủy ban nhân dân thành phố có các Công văn số 494/UBND-NCKTGS, 721/UBND-NCKTGS và 1232/UBND-NCKTGS về tăng cường xây dựng pháp luật, thực hiện Nghị quyết số 27-NQ/TW và cải thiện Chỉ số các quy định pháp luật năm 2024.",
		"- Chủ tịch Ủy ban nhân dân thành phố phê duyệt 12 đề nghị xây dựng Quyết định của Ủy ban nhân dân thành phố. Trong số văn bản quy phạm pháp luật ban hành trong kỳ có 06 văn bản thuộc nhiệm vụ năm 2024 và 11 văn bản thuộc nhiệm vụ năm 2023.",
	})
	c.submit(JusticeCode, secLawReview, 17, 11, 10, []string{
		"Triển khai Kế hoạch số 328/KH-UBND về rà soát văn bản năm 2024. Quyết định số 321/QĐ-UBND ngày 31/01/2024 công bố 87 văn bản hết hiệu lực trong năm 2023: **66 văn bản hết hiệu lực toàn bộ**, 01 văn bản ngưng hiệu lực toàn bộ và 20 văn bản hết hiệu lực một phần. Quyết định số 561/QĐ-UBND ngày 29/02/2024 công bố kết quả hệ thống hóa văn bản kỳ 2019 - 2023; kết quả đã được báo cáo Bộ Tư pháp.",
	}, figure("Văn bản hết hiệu lực trong năm 2023", 87, "văn bản"))
	c.submit(JusticeCode, secLawInspection, 17, 11, 20, []string{
		"Theo Kế hoạch số 329/KH-UBND, các cơ quan đã tự kiểm tra 17 văn bản quy phạm pháp luật của thành phố.",
	})
	c.submit(JusticeCode, secEnforcement, 17, 11, 30, []string{
		"- Triển khai Kế hoạch theo dõi tình hình thi hành pháp luật năm 2024 (Quyết định số 294/QĐ-UBND ngày 29/01/2024) và danh mục văn bản trong lĩnh vực trọng tâm, liên ngành (Văn bản số 1325/UBND-NCKTGS ngày 10/6/2024).",
		"- Tiếp tục quản lý xử lý vi phạm hành chính, phấn đấu nâng hạng Chỉ số B1 của thành phố.",
		"- Sở Tư pháp hướng dẫn các sở, ngành, quận, huyện áp dụng pháp luật trong các vụ việc khó về thu hồi đất, bồi thường, giải phóng mặt bằng, giấy phép khai thác khoáng sản, chuyển mục đích sử dụng rừng và chấm dứt dự án, bảo đảm môi trường kinh doanh bình đẳng.",
	})
	c.submit(JusticeCode, secReview, 17, 11, 40, []string{
		"Sở Tư pháp đề nghị Ủy ban nhân dân thành phố ủy quyền giải quyết các TTHC trong lĩnh vực hành chính tư pháp để rút ngắn thời gian cho người dân.",
	})
	c.submit(JusticeCode, secDifficulties, 18, 9, 0, []string{
		"Việc giải quyết TTHC hộ tịch, quốc tịch, chứng thực trên môi trường điện tử gặp khó khăn do quy định chưa được sửa đổi đồng bộ với Đề án 06.",
	})
}

// office: Văn phòng Ủy ban nhân dân thành phố, which controls procedures.
func (c *contributionFeed) office() {
	c.submit(officeCode, secGovTasks, 17, 14, 0, []string{
		"Văn phòng Ủy ban nhân dân thành phố theo dõi các nhiệm vụ được giao trên Hệ thống theo dõi nhiệm vụ của Chính phủ và đôn đốc cơ quan chủ trì thực hiện đúng thời hạn.",
	})
	c.submit(officeCode, secProcedures, 17, 14, 10, []string{
		"- 100% sở, ban, ngành, Ủy ban nhân dân quận, huyện đã ban hành Kế hoạch kiểm soát thủ tục hành chính năm 2024 của mình và tổ chức thực hiện.",
		"- Các cơ quan tiếp tục số hóa kết quả giải quyết TTHC theo Nghị định số 107/2021/NĐ-CP và Thông tư số 01/2023/TT-VPCP; thực hiện Nghị quyết số 13/2023/NQ-HĐND miễn, giảm phí, lệ phí khi nộp hồ sơ trực tuyến.",
		"- Quyết định số 1645/QĐ-UBND ngày 16/5/2024 thành lập Tổ công tác đặc biệt tháo gỡ khó khăn cho doanh nghiệp, nhà đầu tư, dự án đầu tư.",
	})
	c.submit(officeCode, secCatalogue, 17, 14, 20, []string{
		"Các TTHC sau khi công bố được địa phương hóa nội dung, công khai và đồng bộ tại chuyên mục **Thủ tục hành chính** của Hệ thống thông tin giải quyết TTHC thành phố, thuận tiện cho người dân, doanh nghiệp tra cứu.",
	})
	c.submit(officeCode, secReview, 17, 14, 30, []string{
		"Các đơn vị hoàn thành báo cáo kết quả rà soát trước ngày 30/7/2024 để trình Chủ tịch Ủy ban nhân dân thành phố phê duyệt phương án đơn giản hóa TTHC năm 2024; đồng thời chủ động rà soát các TTHC khác thuộc thẩm quyền. Các phương án đơn giản hóa TTHC nội bộ sau khi được phê duyệt được giao cơ quan liên quan triển khai.",
	})
	c.submit(officeCode, secFeedback, 17, 14, 40, []string{
		"Phản ánh, kiến nghị về quy định hành chính được tiếp nhận, chuyển xử lý và công khai kết quả trên Cổng Dịch vụ công quốc gia.",
	})
	c.submit(officeCode, secDossiers, 17, 14, 50, []string{
		"Bộ phận Một cửa các cấp tiếp tục số hóa hồ sơ, kết quả giải quyết TTHC và hướng dẫn người dân nộp hồ sơ, thanh toán trực tuyến.",
	})
	c.submit(officeCode, secServiceQuality, 17, 15, 0, []string{
		"Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766 của các sở, ban, ngành, Ủy ban nhân dân quận, huyện, xã, phường, thị trấn được công bố, công khai.",
	})
}

// finance: Sở Tài chính: public finance and the budget revenue. A part sent
// to II.1.d by mistake is withdrawn; the revenue part is withdrawn (its
// estimate was preliminary) and sent again with the figures of five months.
func (c *contributionFeed) finance() {
	c.submit(financeCode, secEnforcement, 17, 16, 0, []string{
		"Sở Tài chính tham mưu nghị quyết về phân cấp quản lý tài sản công thuộc phạm vi quản lý của thành phố.",
	})
	c.withdraw(financeCode, secEnforcement, 18, 8, 30, "Gửi nhầm mục; nội dung thuộc mục sáng kiến")
	c.submit(financeCode, secPublicFinance, 17, 16, 10, []string{
		"- Quyết định số 4288/QĐ-UBND ngày 12/12/2023 giao dự toán thu, chi ngân sách năm 2024 cho các cấp, các ngành, các đơn vị.",
		"- Các đơn vị sự nghiệp công lập tiếp tục chuyển đổi cơ chế tài chính theo Quyết định số 1036/QĐ-UBND, đẩy mạnh tự chủ, xã hội hóa trong giáo dục, y tế, khoa học và công nghệ; Sở Tài chính có Công văn số 32/STC-TCHCSN và 1681/STC-TCHCSN hướng dẫn xây dựng phương án tự chủ theo Nghị định số 60/2021/NĐ-CP.",
		"- Tăng cường kỷ cương thu, chi ngân sách, bảo đảm chỉ tiêu thu ngân sách năm 2024 Trung ương giao.",
	})
	c.submit(financeCode, secStrengths, 17, 16, 20, []string{
		"Bản tổng hợp sơ bộ của Sở Tài chính: thu ngân sách ước đạt 52.100 tỷ đồng.",
	})
	c.withdraw(financeCode, secStrengths, 18, 8, 40, "Số liệu sơ bộ, sẽ gửi lại")
	c.submit(financeCode, secStrengths, 19, 9, 0, []string{
		"Kinh tế - xã hội thành phố tiếp tục đạt kết quả tích cực trên nhiều lĩnh vực. Thu ngân sách nhà nước trên địa bàn 5 tháng đầu năm ước đạt 53.244 tỷ đồng, tăng 39,66% so với cùng kỳ, bằng 54,41% dự toán Trung ương giao và 49,87% dự toán Hội đồng nhân dân thành phố giao:",
		"- thu nội địa 27.389,3 tỷ đồng, tăng 118,5 %, bằng 72,88% dự toán Trung ương giao và 60,87% dự toán Hội đồng nhân dân thành phố giao;",
		"- thu từ hoạt động xuất nhập khẩu 24.910,9 tỷ đồng, tăng 2,58% so với cùng kỳ, bằng 42,37% dự toán Trung ương giao và 41,52% dự toán Hội đồng nhân dân thành phố giao.",
	}, compared(figure("Thu ngân sách nhà nước trên địa bàn (5 tháng)", 53244, "tỷ đồng"), "5 tháng đầu năm 2023", 38123.3),
		compared(figure("Thu từ hoạt động xuất nhập khẩu (5 tháng)", 24910.9, "tỷ đồng"), "5 tháng đầu năm 2023", 24284.4))
}

// planning: Sở Kế hoạch và Đầu tư, public investment. Its first part had
// the figures to 30/4; the second, to 31/5, replaces it.
func (c *contributionFeed) planning() {
	c.submit(planningCode, secPublicFinance, 17, 16, 30, []string{
		"Tính đến hết ngày 30/4/2024, giải ngân vốn đầu tư công đạt 2.870,112 tỷ đồng.",
	})
	c.submit(planningCode, secPublicFinance, 18, 16, 0, []string{
		"Giải ngân vốn đầu tư công: tính đến hết ngày 31/5/2024, thành phố đã giải ngân **4.048,546 tỷ đồng** kế hoạch năm 2024, bằng 23,79% kế hoạch Thủ tướng Chính phủ giao (17.019,198 tỷ đồng) và 20,27% kế hoạch thành phố giao (19.972,741 tỷ đồng).",
		"- Vốn cân đối ngân sách trung ương: giải ngân 133,370 tỷ đồng, đạt 17,65%.",
		"- Vốn cân đối ngân sách địa phương: giải ngân 3.915,176 tỷ đồng, đạt 20,37% kế hoạch thành phố giao.",
	}, figure("Vốn đầu tư công năm 2024 đã giải ngân đến 31/5/2024", 4048.546, "tỷ đồng"))
}

// information: Sở Thông tin và Truyền thông: communication and e-government.
func (c *contributionFeed) information() {
	c.submit(informationCode, secCommunication, 17, 9, 40, []string{
		"Thực hiện Kế hoạch số 60/KH-UBND ngày 08/3/2024, báo chí thành phố tuyên truyền chủ trương của Đảng, chính sách pháp luật về cải cách hành chính, các chỉ tiêu cải cách hành chính năm 2024, chuyển đổi số, quy tắc ứng xử của cán bộ, công chức và việc đăng ký, sử dụng tài khoản trên Cổng Dịch vụ công quốc gia.",
		"- Đài Phát thanh và Truyền hình Hải Phòng duy trì các chuyên mục *Cải cách hành chính*, *Vì một nền hành chính hiện đại*, *Chuyển đổi số*; Báo Hải Phòng duy trì chuyên mục *Cải cách hành chính*, *Tăng tốc chuyển đổi số*.",
		"- Hệ thống thông tin cơ sở phát tin về Hệ thống thông tin giải quyết TTHC thành phố với tần suất trung bình 01- 02 lượt/tuần.",
	})
	c.submit(informationCode, secDigital, 17, 10, 40, []string{
		"- Mạng truyền số liệu chuyên dùng cấp II đã kết nối tới 100% xã, phường, thị trấn, làm nền cho các ứng dụng dùng chung.",
		"- Các cơ quan tiếp tục thực hiện Chương trình hành động chuyển đổi số (Quyết định số 284/QĐ-UBND), các Kế hoạch số 58/KH-UBND, 66/KH-UBND, 72/KH-UBND, 81/KH-UBND năm 2022 và Dự án xây dựng Chính quyền số giai đoạn 2021-2025.",
		"- Trong các nhiệm vụ của Kế hoạch số 325/KH-UBND ngày 19/12/2023 có 39 nhiệm vụ chuyển tiếp từ năm 2023, chưa hoàn thành trong năm 2023 và được giao tiếp trong năm 2024.",
		"- Hệ thống thông tin giải quyết TTHC thành phố đã kết nối với Cơ sở dữ liệu quốc gia về dân cư.",
	}, figure("Nhiệm vụ của Kế hoạch 325/KH-UBND chuyển tiếp từ năm 2023", 39, "nhiệm vụ"))
}

// science: Sở Khoa học và Công nghệ: ISO standards, KPI, initiatives.
func (c *contributionFeed) science() {
	c.submit(scienceCode, secOrganisation, 17, 13, 0, []string{
		"Kế hoạch số 124/KH-UBND ngày 30/5/2024 duy trì và mở rộng thí điểm TCVN ISO 18091:2020 tại chính quyền địa phương: trong năm 2024-2025 mở rộng tới 09 quận, huyện còn lại.",
	})
	c.submit(scienceCode, secDigital, 17, 13, 10, []string{
		"- Quyết định số 1687/QĐ-UBND ngày 29/5/2024 phê duyệt kế hoạch kiểm tra việc áp dụng Hệ thống quản lý chất lượng TCVN ISO 9001:2015 năm 2024 tại 78 đơn vị thuộc hệ thống hành chính nhà nước thành phố.",
		"- Sau hai năm đánh giá công chức, viên chức, người lao động bằng Bộ chỉ số KPI, Sở Khoa học và Công nghệ đang hoàn thiện phần mềm đánh giá để nhân rộng; Kế hoạch số 44/KH-SKH-CN áp dụng TCVN ISO 37001:2018 về chống hối lộ đã xong khâu đánh giá thực trạng, đào tạo và đang xây dựng hệ thống tài liệu.",
		"- Chi cục Tiêu chuẩn Đo lường Chất lượng tổ chức các khóa đào tạo TCVN ISO 9001:2015 cho cơ quan hành chính năm 2024 (Kế hoạch số 21/KH-CCTĐC).",
	}, figure("Đơn vị được kiểm tra áp dụng TCVN ISO 9001:2015 năm 2024", 78, "đơn vị"))
}
