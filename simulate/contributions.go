package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/baocao/baocao/events"
)

// The parts of the periodic reports that agencies write themselves and send
// to the province office after a period closes (the collection round): which
// section of which report, and who writes it. A writer is a department key
// (departmentSpecs), "province" for the province office's own part,
// "districts" for every district's, or "departments" for every department
// not already writing another part of the report: each sends its part, as
// the round asks every department and district.
type part struct {
	section string
	writers []string
	text    func(r *rand.Rand, label string) ([]string, []events.Figure)
}

var reformParts = []part{
	{"direction.documents", []string{"vp", "departments"}, textDirectionDocuments},
	{"direction.inspection", []string{"nv"}, textInspection},
	{"direction.communication", []string{"tt"}, textCommunication},
	{"direction.initiatives", []string{"nv", "kc"}, textInitiatives},
	{"results.institutions.drafting", []string{"tp"}, textDrafting},
	{"results.institutions.review", []string{"tp"}, textLegalReview},
	{"results.institutions.inspection", []string{"tp"}, textLegalInspection},
	{"results.institutions.enforcement", []string{"tp"}, textEnforcement},
	{"results.organisation", []string{"nv"}, textOrganisation},
	{"results.civil_service", []string{"nv"}, textCivilService},
	{"results.public_finance", []string{"tc", "kh"}, textPublicFinance},
	{"results.digital_government", []string{"tt"}, textDigitalGovernment},
	{"assessment.strengths", []string{"province"}, textStrengths},
	{"assessment.difficulties", []string{"province", "districts"}, textDifficulties},
	{"outlook.direction", []string{"province"}, textOutlookDirection},
	{"outlook.tasks", []string{"province"}, textOutlookTasks},
}

var procedureControlParts = []part{
	{"results.direction", []string{"vp", "departments"}, textDirectionDocuments},
	{"results.draft_control", []string{"tp"}, textDraftControl},
	{"results.communication", []string{"vp"}, textCommunication},
	{"results.initiatives", []string{"vp", "districts"}, textInitiatives},
	{"assessment", []string{"province"}, textControlStrengths},
	{"outlook", []string{"province"}, textOutlookTasks},
	{"proposals", []string{"districts"}, textDifficulties},
}

// monthlyParts are the monthly TTHC report's (letter 5633/VPCP-KSTT): the
// departments and districts each send a short part, as seed 000 asks.
var monthlyParts = []part{
	{"results.direction", []string{"vp", "departments"}, textDirectionDocuments},
	{"proposals", []string{"districts"}, textDifficulties},
}

// Shares of the parts: sent after the deadline (the round's default is the
// 4th day after the period, two working days or so), revised once,
// withdrawn and sent again.
const (
	lateShare     = 0.08
	revisedShare  = 0.15
	withdrawShare = 0.03
)

// contributions starts the collection rounds of the periods that close on
// day: the reform report each half-year and year, the report on controlling
// procedures each month, quarter and year, all at the official cut-off (the
// 14th of the period's last month, report.Period's End).
func (g *generator) contributions(day int32) {
	date := dateOfDay(day)
	if date.Day() != 14 {
		return
	}
	y, m := date.Year(), int(date.Month())
	type round struct {
		report events.ReportKind
		kind   events.PeriodKind
		number int
		label  string
		parts  []part
	}
	rounds := []round{{events.ReportProcedureControl, events.PeriodMonth, m, fmt.Sprintf("tháng %d năm %d", m, y), monthlyParts}}
	if m%3 == 0 {
		rounds = append(rounds, round{events.ReportProcedureControl, events.PeriodQuarter, m / 3, fmt.Sprintf("quý %s năm %d", roman[m/3-1], y), procedureControlParts})
	}
	if m%6 == 0 {
		rounds = append(rounds, round{events.ReportReform, events.PeriodHalfYear, m / 6, fmt.Sprintf("6 tháng %s năm %d", map[int]string{6: "đầu", 12: "cuối"}[m], y), reformParts})
	}
	if m == 12 {
		rounds = append(rounds, round{events.ReportReform, events.PeriodYear, 1, fmt.Sprintf("năm %d", y), reformParts},
			round{events.ReportProcedureControl, events.PeriodYear, 1, fmt.Sprintf("năm %d", y), procedureControlParts})
	}
	r := g.rContrib
	for _, rd := range rounds {
		named := map[string]bool{}
		for _, p := range rd.parts {
			for _, k := range p.writers {
				named[k] = true
			}
		}
		for _, p := range rd.parts {
			for _, agency := range g.writers(p.writers, named) {
				paras, figs := p.text(r, rd.label)
				c := events.ContributionSubmitted{Report: rd.report, PeriodKind: rd.kind, Cutoff: events.CutoffOfficial, Year: y, Number: rd.number,
					Section: p.section, Paragraphs: paras, Figures: figs}
				g.submit(r, agency, day, c, rd.label, p)
			}
		}
	}
}

// writers are the agency codes of a part's writers, as the directory stands;
// named are the department keys writing some part of the report.
func (g *generator) writers(keys []string, named map[string]bool) []string {
	var out []string
	for _, k := range keys {
		switch k {
		case "province":
			out = append(out, g.provinceCode())
		case "districts":
			for _, u := range g.dir.units {
				if u.level == events.LevelDistrict && u.active() {
					out = append(out, u.code)
				}
			}
		case "departments":
			for _, u := range g.dir.units {
				if u.level == events.LevelDepartment && u.active() && !named[u.key] {
					out = append(out, u.code)
				}
			}
		default:
			if i, ok := g.dir.department(k); ok {
				out = append(out, g.dir.units[g.dir.current(i)].code)
			}
		}
	}
	return out
}

// submit schedules an agency's part: sent some working days after the period
// closed, sometimes late, sometimes revised or withdrawn and sent again.
func (g *generator) submit(r *rand.Rand, agency string, closed int32, c events.ContributionSubmitted, label string, p part) {
	days := 1 + r.IntN(2)
	if r.Float64() < lateShare {
		days = 3 + r.IntN(8)
	}
	day := g.cal.addWorkingDays(closed, days)
	ts := g.workTime(r, day)
	sb := g.script()
	slot := c.Slot()
	sb.add(agency, slot, ts, c)
	switch x := r.Float64(); {
	case x < withdrawShare:
		ts = g.cal.addWork(ts, int64(1+r.IntN(4))*hour)
		sb.add(agency, slot, ts, events.ContributionWithdrawn{Report: c.Report, PeriodKind: c.PeriodKind, Cutoff: c.Cutoff, Year: c.Year, Number: c.Number,
			Section: c.Section, Reason: "Gửi nhầm số liệu, sẽ gửi lại"})
		fallthrough
	case x < withdrawShare+revisedShare:
		again := c
		again.Paragraphs, again.Figures = p.text(r, label)
		sb.add(agency, slot, g.cal.addWork(ts, int64(2+r.IntN(16))*hour), again)
	}
	g.start(sb)
}

// drawCount draws a count around mean.
func drawCount(r *rand.Rand, mean float64) int {
	return max(1, int(math.Round(mean*lognormal(r, 0.3))))
}

func drawRate(r *rand.Rand, lo, hi float64) float64 {
	return math.Round((lo+(hi-lo)*r.Float64())*100) / 100
}

func textDirectionDocuments(r *rand.Rand, label string) ([]string, []events.Figure) {
	n := drawCount(r, 12)
	return []string{
		fmt.Sprintf("Trong %s, Ủy ban nhân dân đã ban hành %02d văn bản chỉ đạo, điều hành công tác cải cách hành chính, kiểm soát thủ tục hành chính.", label, n),
		"- Chỉ đạo các cơ quan, đơn vị **thực hiện nghiêm** kỷ luật, kỷ cương hành chính;",
		"- Đôn đốc giải quyết hồ sơ quá hạn và *công khai xin lỗi* người dân, tổ chức.",
	}, []events.Figure{{Name: "Văn bản chỉ đạo, điều hành ban hành", Value: float64(n), Unit: "văn bản"}}
}

func textInspection(r *rand.Rand, label string) ([]string, []events.Figure) {
	teams, depts, districts, communes := drawCount(r, 4), drawCount(r, 5), drawCount(r, 4), drawCount(r, 10)
	return []string{
		fmt.Sprintf("Trong %s, đã thành lập %02d đoàn kiểm tra công tác cải cách hành chính và kỷ luật, kỷ cương công vụ tại %02d sở, ban, ngành, %02d quận, huyện và %02d xã, phường, thị trấn.", label, teams, depts, districts, communes),
		"Qua kiểm tra, các đơn vị cơ bản thực hiện đúng quy định; một số nơi còn chậm cập nhật hồ sơ trên Hệ thống thông tin giải quyết thủ tục hành chính.",
	}, []events.Figure{{Name: "Đoàn kiểm tra", Value: float64(teams), Unit: "đoàn"}, {Name: "Đơn vị được kiểm tra", Value: float64(depts + districts + communes), Unit: "đơn vị"}}
}

func textCommunication(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{
		fmt.Sprintf("Công tác thông tin, tuyên truyền được đẩy mạnh trong %s: chuyên mục cải cách hành chính trên Cổng thông tin điện tử, hệ thống thông tin cơ sở phát sóng trung bình %02d lượt/tuần.", label, 1+r.IntN(3)),
	}, nil
}

func textInitiatives(r *rand.Rand, label string) ([]string, []events.Figure) {
	n := drawCount(r, 3)
	return []string{
		fmt.Sprintf("Có %02d sáng kiến, giải pháp mới trong cải cách hành chính được áp dụng trong %s, trong đó:", n, label),
		"- Ứng dụng trợ lý ảo hướng dẫn thủ tục hành chính tại Bộ phận Một cửa;",
		"- Số hóa kết quả giải quyết thủ tục hành chính **ngay khi trả kết quả**.",
	}, []events.Figure{{Name: "Sáng kiến, giải pháp mới", Value: float64(n), Unit: "sáng kiến"}}
}

func textDrafting(r *rand.Rand, label string) ([]string, []events.Figure) {
	n, before := drawCount(r, 17), drawCount(r, 15)
	return []string{
		fmt.Sprintf("Trong %s, đã tham mưu ban hành %02d văn bản quy phạm pháp luật, bảo đảm đúng trình tự, thủ tục theo Luật Ban hành văn bản quy phạm pháp luật.", label, n),
	}, []events.Figure{{Name: "Văn bản quy phạm pháp luật ban hành", Value: float64(n), Unit: "văn bản", Compare: &events.FigureComparison{Label: "cùng kỳ năm trước", Value: float64(before)}}}
}

func textLegalReview(r *rand.Rand, label string) ([]string, []events.Figure) {
	whole, part := drawCount(r, 60), drawCount(r, 20)
	return []string{
		fmt.Sprintf("Kết quả rà soát, hệ thống hóa văn bản trong %s: %02d văn bản hết hiệu lực toàn bộ, %02d văn bản hết hiệu lực một phần.", label, whole, part),
	}, []events.Figure{{Name: "Văn bản hết hiệu lực toàn bộ", Value: float64(whole), Unit: "văn bản"}, {Name: "Văn bản hết hiệu lực một phần", Value: float64(part), Unit: "văn bản"}}
}

func textLegalInspection(r *rand.Rand, label string) ([]string, []events.Figure) {
	n := drawCount(r, 17)
	return []string{fmt.Sprintf("Tự kiểm tra %02d văn bản quy phạm pháp luật do Ủy ban nhân dân ban hành trong %s; chưa phát hiện văn bản trái pháp luật.", n, label)},
		[]events.Figure{{Name: "Văn bản tự kiểm tra", Value: float64(n), Unit: "văn bản"}}
}

func textEnforcement(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{fmt.Sprintf("Triển khai Kế hoạch theo dõi tình hình thi hành pháp luật %s trong các lĩnh vực trọng tâm: đất đai, xây dựng, bảo vệ môi trường.", label)}, nil
}

func textDraftControl(r *rand.Rand, label string) ([]string, []events.Figure) {
	n := drawCount(r, 8)
	return []string{fmt.Sprintf("Trong %s, đã thẩm định, cho ý kiến về quy định thủ tục hành chính tại %02d dự thảo văn bản quy phạm pháp luật.", label, n)},
		[]events.Figure{{Name: "Dự thảo được thẩm định, cho ý kiến", Value: float64(n), Unit: "dự thảo"}}
}

func textOrganisation(r *rand.Rand, label string) ([]string, []events.Figure) {
	units, cut := drawCount(r, 4), drawCount(r, 44)
	return []string{
		fmt.Sprintf("Tiếp tục sắp xếp tổ chức bộ máy: giảm %02d đơn vị sự nghiệp công lập trong %s.", units, label),
		fmt.Sprintf("Phê duyệt tinh giản biên chế đối với %02d trường hợp.", cut),
	}, []events.Figure{{Name: "Đơn vị giảm do sắp xếp", Value: float64(units), Unit: "đơn vị"}, {Name: "Tinh giản biên chế", Value: float64(cut), Unit: "người"}}
}

func textCivilService(r *rand.Rand, label string) ([]string, []events.Figure) {
	trained := drawCount(r, 1200)
	return []string{
		fmt.Sprintf("Tổ chức đào tạo, bồi dưỡng cho %s lượt cán bộ, công chức, viên chức trong %s.", groupThousands(trained), label),
		"100% cơ quan, đơn vị hoàn thành đánh giá, xếp loại cán bộ, công chức, viên chức năm trước.",
	}, []events.Figure{{Name: "Lượt cán bộ, công chức, viên chức được đào tạo, bồi dưỡng", Value: float64(trained), Unit: "lượt"}}
}

func textPublicFinance(r *rand.Rand, label string) ([]string, []events.Figure) {
	rate := drawRate(r, 15, 45)
	return []string{
		fmt.Sprintf("Giải ngân vốn đầu tư công đến hết %s đạt %s%% kế hoạch giao.", label, decimalComma(rate)),
		"Tiếp tục giao quyền tự chủ tài chính cho các đơn vị sự nghiệp công lập.",
	}, []events.Figure{{Name: "Tỷ lệ giải ngân vốn đầu tư công", Value: rate, Unit: "%", Compare: &events.FigureComparison{Label: "cùng kỳ năm trước", Value: drawRate(r, 15, 45)}}}
}

func textDigitalGovernment(r *rand.Rand, label string) ([]string, []events.Figure) {
	rate := drawRate(r, 60, 99)
	return []string{
		fmt.Sprintf("Tỷ lệ văn bản điện tử có ký số được gửi, nhận trên môi trường mạng trong %s đạt %s%%.", label, decimalComma(rate)),
		"- Mạng truyền số liệu chuyên dùng cấp II kết nối 100% xã, phường, thị trấn;",
		"- Bảo đảm an toàn thông tin mạng cho các hệ thống dùng chung.",
	}, []events.Figure{{Name: "Văn bản điện tử có ký số", Value: rate, Unit: "%"}}
}

func textStrengths(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{fmt.Sprintf("Công tác cải cách hành chính %s được triển khai đồng bộ; chất lượng giải quyết thủ tục hành chính được nâng lên, được người dân, doanh nghiệp ghi nhận.", label)}, nil
}

// textControlStrengths is the province's assessment in a KSTTHC report:
// it speaks of controlling procedures, not of the reform programme.
func textControlStrengths(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{fmt.Sprintf("Công tác kiểm soát thủ tục hành chính %s được triển khai đồng bộ; việc giải quyết thủ tục hành chính theo cơ chế một cửa, một cửa liên thông được người dân, doanh nghiệp ghi nhận.", label)}, nil
}

func textDifficulties(r *rand.Rand, label string) ([]string, []events.Figure) {
	all := []string{
		"- Hạ tầng công nghệ thông tin ở một số đơn vị cấp xã còn hạn chế;",
		"- Tỷ lệ hồ sơ trực tuyến toàn trình ở một số lĩnh vực còn thấp;",
		"- Việc kết nối, chia sẻ dữ liệu giữa các hệ thống còn chậm;",
		"- Một số hồ sơ còn giải quyết quá hạn do phải lấy ý kiến nhiều cơ quan.",
	}
	i := r.IntN(len(all))
	return []string{"Khó khăn, vướng mắc " + label + ":", all[i], all[(i+1)%len(all)]}, nil
}

func textOutlookDirection(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{"Tiếp tục thực hiện đồng bộ, hiệu quả Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030, lấy người dân, doanh nghiệp làm trung tâm."}, nil
}

func textOutlookTasks(r *rand.Rand, label string) ([]string, []events.Figure) {
	return []string{
		"- Hoàn thành các nhiệm vụ còn lại của Kế hoạch cải cách hành chính năm;",
		"- Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình và thanh toán trực tuyến;",
		"- Tăng cường kiểm tra kỷ luật, kỷ cương hành chính.",
	}, nil
}

// decimalComma writes x with a decimal comma, as Vietnamese text does.
func decimalComma(x float64) string {
	s := fmt.Sprintf("%.2f", x)
	for i := range s {
		if s[i] == '.' {
			return s[:i] + "," + s[i+1:]
		}
	}
	return s
}

// groupThousands writes n with dots between thousands (1.200).
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
