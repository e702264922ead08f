package simulate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
)

// The plans of a year, shaped like the seeds: the reform plan (QĐ 4791 of
// 29/12/2023, 57 tasks), the plan for controlling procedures (QĐ 302 of
// 30/01/2024, about 40 tasks) and the tasks the Government and the Prime
// Minister assign (78 in 2024).
var planSpecs = []struct {
	kind       events.PlanKind
	month      time.Month
	day        int
	prevYear   bool   // issued at the end of the year before the plan's year
	series     string // number series
	known      map[int]string
	title      string // %d is the plan's year
	government bool   // issued by the Government, not the province
	tasks      int
}{
	{events.PlanReform, time.December, 29, true, "QĐ-UBND", map[int]string{2024: "4791/QĐ-UBND"},
		"Kế hoạch cải cách hành chính nhà nước năm %d", false, 57},
	{events.PlanProcedureControl, time.January, 30, false, "QĐ-UBND", map[int]string{2024: "302/QĐ-UBND"},
		"Kế hoạch thực hiện kiểm soát thủ tục hành chính và cơ chế một cửa, một cửa liên thông năm %d", false, 40},
	{events.PlanGovernmentAssigned, time.January, 5, false, "NQ-CP", map[int]string{2024: "01/NQ-CP"},
		"Nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao năm %d", true, 78},
}

// planIssueDay is the working day a plan for year y is issued.
func (g *generator) planIssueDay(i int, y int) int32 {
	s := planSpecs[i]
	if s.prevYear {
		y--
	}
	return g.cal.addWorkingDays(civilDay(y, s.month, s.day)-1, 1)
}

// plans issues the plans due on day; on the first day of the range, those
// issued earlier that are still running are recorded too.
func (g *generator) plans(day int32) {
	first := dateOfDay(g.from).Year()
	last := dateOfDay(g.to).Year() + 1
	for i := range planSpecs {
		for y := first; y <= last; y++ {
			issued := g.planIssueDay(i, y)
			switch {
			case issued == day:
				g.plan(i, y, issued, g.workTime(g.rPlan, day))
			case day == g.from && issued < g.from && g.from <= civilDay(y, time.December, 31):
				g.plan(i, y, issued, at(day, 2*minute))
			}
		}
	}
}

// plan issues plan i for year y and assigns its tasks; ts is when it is
// recorded.
func (g *generator) plan(i, year int, issued int32, ts int64) {
	s := planSpecs[i]
	number := s.known[year]
	if number == "" || !g.numbers.take(issued, number) {
		perDay := decisionsPerDay
		if s.government {
			perDay = 0.2 // resolutions of the Government
		}
		number = g.numbers.next(issued, s.series, perDay)
	}
	id := fmt.Sprintf("%s/%d", number, dateOfDay(issued).Year())
	issuer := g.dir.issuer
	if s.government {
		issuer = "Chính phủ"
	}
	prov := g.provinceCode()
	sb := g.script()
	sb.add(prov, id, ts, events.PlanIssued{Number: number, Title: fmt.Sprintf(s.title, year), IssuedOn: dateOfDay(issued),
		Issuer: issuer, Kind: s.kind, Year: year})
	g.start(sb)
	for k, t := range g.taskList(s.kind, s.tasks, year) {
		g.task(id, s.kind, year, t, ts+int64(k+1))
	}
}

// taskDraft is a task before its deadline and lifecycle are drawn.
type taskDraft struct {
	code, title, product string
	area                 events.ReformArea
}

// areaSections orders the reform plan's sections (I to VII) and names who
// usually leads them.
var areaSections = []struct {
	area  events.ReformArea
	share float64
	lead  string
}{
	{events.AreaDirection, 8, "nv"}, {events.AreaInstitutions, 8, "tp"}, {events.AreaProcedures, 10, "vp"},
	{events.AreaOrganisation, 7, "nv"}, {events.AreaCivilService, 8, "nv"}, {events.AreaPublicFinance, 6, "tc"},
	{events.AreaEGovernment, 10, "tt"},
}

var roman = []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}

var taskTitles = map[events.ReformArea][]string{
	events.AreaDirection: {"Xây dựng, ban hành Kế hoạch cải cách hành chính năm %d", "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị",
		"Tuyên truyền cải cách hành chính năm %d", "Xác định Chỉ số cải cách hành chính của các sở, ban, ngành, Ủy ban nhân dân cấp huyện",
		"Đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", "Báo cáo cải cách hành chính định kỳ quý, 6 tháng, năm",
		"Tổ chức Hội thi tìm hiểu công tác cải cách hành chính", "Sơ kết, tổng kết, đánh giá kết quả thực hiện cải cách hành chính"},
	events.AreaInstitutions: {"Xây dựng, ban hành văn bản quy phạm pháp luật theo Chương trình năm %d", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật",
		"Kiểm tra, xử lý văn bản quy phạm pháp luật", "Theo dõi tình hình thi hành pháp luật", "Phổ biến, giáo dục pháp luật",
		"Triển khai các giải pháp cải thiện Chỉ số cải thiện các quy định pháp luật", "Kiểm tra việc thực hiện văn bản quy phạm pháp luật tại cơ sở",
		"Lấy ý kiến người dân, doanh nghiệp về dự thảo văn bản quy phạm pháp luật"},
	events.AreaProcedures: {"Kiểm soát quy định thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật", "Công bố, công khai danh mục thủ tục hành chính",
		"Rà soát, đơn giản hóa thủ tục hành chính năm %d", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "Nâng cao tỷ lệ hồ sơ trực tuyến",
		"Đẩy mạnh thanh toán trực tuyến phí, lệ phí", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
		"Đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766", "Triển khai Đề án 06 về dữ liệu dân cư", "Rà soát, đánh giá thủ tục hành chính nội bộ"},
	events.AreaOrganisation: {"Rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn", "Sắp xếp, tổ chức lại đơn vị sự nghiệp công lập", "Thực hiện tinh giản biên chế",
		"Đẩy mạnh phân cấp, ủy quyền trong giải quyết thủ tục hành chính", "Áp dụng Tiêu chuẩn TCVN ISO 18091:2020 tại chính quyền địa phương",
		"Kiện toàn chức năng, nhiệm vụ các cơ quan sau sắp xếp", "Quản lý biên chế công chức, số lượng người làm việc"},
	events.AreaCivilService: {"Tuyển dụng công chức, viên chức", "Đánh giá, xếp loại cán bộ, công chức, viên chức", "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức",
		"Kiểm tra kỷ luật, kỷ cương hành chính", "Hoàn thiện vị trí việc làm", "Thực hiện chính sách thu hút người có tài năng",
		"Cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức", "Thực hiện quy tắc ứng xử của cán bộ, công chức"},
	events.AreaPublicFinance: {"Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập", "Quản lý, sử dụng tài sản công", "Công khai ngân sách nhà nước",
		"Thực hiện cơ chế khoán kinh phí quản lý hành chính", "Đẩy mạnh giải ngân vốn đầu tư công", "Triển khai giá dịch vụ sự nghiệp công"},
	events.AreaEGovernment: {"Vận hành Hệ thống thông tin giải quyết thủ tục hành chính", "Phát triển chính quyền số, kinh tế số, xã hội số",
		"Kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư", "Bảo đảm an toàn thông tin mạng", "Gửi, nhận văn bản điện tử có ký số",
		"Nâng cấp Trung tâm giám sát, điều hành thông minh", "Cung cấp dịch vụ công trực tuyến toàn trình", "Số hóa dữ liệu chuyên ngành",
		"Triển khai Hệ thống thông tin báo cáo", "Tuyên truyền sử dụng tài khoản định danh điện tử"},
}

var products = []string{"Kế hoạch được ban hành", "Báo cáo kết quả thực hiện", "Văn bản chỉ đạo, hướng dẫn", "Quyết định phê duyệt", "Cơ sở dữ liệu được cập nhật"}

// controlTasks is the structure of the plan for controlling procedures
// (seed 000): sections, and tasks per subsection.
var controlTasks = []struct {
	code  string
	title string
	area  events.ReformArea
}{
	{"I.1", "Xây dựng Kế hoạch thực hiện công tác kiểm soát thủ tục hành chính, cơ chế một cửa, một cửa liên thông", events.AreaDirection},
	{"I.2", "Rà soát, kiện toàn công chức đầu mối kiểm soát thủ tục hành chính tại các đơn vị", events.AreaDirection},
	{"I.3", "Xây dựng Kế hoạch cải cách thủ tục hành chính trọng tâm", events.AreaDirection},
	{"I.4", "Chỉ đạo, hướng dẫn, đôn đốc thực hiện công tác cải cách, kiểm soát thủ tục hành chính", events.AreaDirection},
	{"II.1.1", "Cập nhật kịp thời Quyết định công bố thủ tục hành chính của Bộ, ngành Trung ương", events.AreaProcedures},
	{"II.1.2", "Tham mưu ban hành Quyết định công bố thủ tục hành chính", events.AreaProcedures},
	{"II.1.3", "Kiểm soát chất lượng hồ sơ trình công bố danh mục thủ tục hành chính", events.AreaProcedures},
	{"II.1.4", "Công khai thủ tục hành chính tại Bộ phận Một cửa và trên Hệ thống thông tin giải quyết thủ tục hành chính", events.AreaProcedures},
	{"II.1.5", "Cập nhật thủ tục hành chính vào Cơ sở dữ liệu quốc gia về thủ tục hành chính", events.AreaProcedures},
	{"II.1.6", "Rà soát, công bố, công khai thủ tục hành chính nội bộ giữa các cơ quan nhà nước", events.AreaProcedures},
	{"II.2.1", "Đánh giá tác động quy định thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật", events.AreaInstitutions},
	{"II.2.2", "Cho ý kiến về thủ tục hành chính quy định trong dự thảo văn bản quy phạm pháp luật", events.AreaInstitutions},
	{"II.2.3", "Thẩm định quy định về thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật", events.AreaInstitutions},
	{"II.2.4", "Kiểm soát thủ tục hành chính nội bộ trong quá trình dự thảo văn bản quy phạm pháp luật", events.AreaProcedures},
	{"II.3.1", "Xây dựng Kế hoạch rà soát, đánh giá thủ tục hành chính", events.AreaProcedures},
	{"II.3.2", "Rà soát, đánh giá thủ tục hành chính; đề xuất phương án cắt giảm, đơn giản hóa", events.AreaProcedures},
	{"II.3.3", "Thẩm định, trình phê duyệt phương án đơn giản hóa thủ tục hành chính", events.AreaProcedures},
	{"II.3.4", "Rà soát, đánh giá thủ tục hành chính nội bộ đã được công bố", events.AreaProcedures},
	{"II.3.5", "Thẩm định, trình phê duyệt phương án đơn giản hóa thủ tục hành chính nội bộ", events.AreaProcedures},
	{"II.4.1", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", events.AreaProcedures},
	{"II.4.2", "Công khai kết quả xử lý phản ánh, kiến nghị", events.AreaProcedures},
	{"II.4.3", "Theo dõi, đôn đốc xử lý phản ánh, kiến nghị quá hạn", events.AreaProcedures},
	{"III.1", "Kiện toàn Bộ phận Một cửa các cấp", events.AreaOrganisation},
	{"III.2", "Xây dựng, phê duyệt quy trình nội bộ giải quyết thủ tục hành chính", events.AreaProcedures},
	{"III.3", "Thực hiện tiếp nhận, giải quyết thủ tục hành chính không phụ thuộc địa giới hành chính", events.AreaProcedures},
	{"III.4", "Xin lỗi người dân, tổ chức khi giải quyết hồ sơ quá hạn", events.AreaProcedures},
	{"III.5", "Đánh giá chất lượng giải quyết thủ tục hành chính theo Bộ chỉ số 766", events.AreaProcedures},
	{"III.6", "Thực hiện dịch vụ bưu chính công ích trong tiếp nhận, trả kết quả", events.AreaProcedures},
	{"IV.1", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", events.AreaEGovernment},
	{"IV.2", "Tái sử dụng dữ liệu đã được số hóa", events.AreaEGovernment},
	{"IV.3", "Cung cấp dịch vụ công trực tuyến toàn trình, một phần", events.AreaEGovernment},
	{"IV.4", "Thanh toán trực tuyến nghĩa vụ tài chính", events.AreaEGovernment},
	{"IV.5", "Đồng bộ trạng thái hồ sơ lên Cổng Dịch vụ công quốc gia", events.AreaEGovernment},
	{"V.1", "Kiểm tra công tác kiểm soát thủ tục hành chính tại các đơn vị", events.AreaDirection},
	{"V.2", "Kiểm tra việc thực hiện cơ chế một cửa, một cửa liên thông tại cấp xã", events.AreaDirection},
	{"V.3", "Tập huấn nghiệp vụ kiểm soát thủ tục hành chính", events.AreaCivilService},
	{"VI.1", "Báo cáo tình hình, kết quả kiểm soát thủ tục hành chính quý I, II, III", events.AreaDirection},
	{"VI.2", "Báo cáo kết quả kiểm soát thủ tục hành chính năm", events.AreaDirection},
	{"VI.3", "Tuyên truyền về công tác kiểm soát thủ tục hành chính", events.AreaDirection},
	{"VI.4", "Cập nhật báo cáo trên Hệ thống thông tin báo cáo Chính phủ", events.AreaEGovernment},
}

var governmentTasks = []string{
	"Triển khai Nghị quyết số 01/NQ-CP về nhiệm vụ, giải pháp chủ yếu thực hiện Kế hoạch phát triển kinh tế - xã hội năm %d",
	"Thực hiện Nghị quyết số 02/NQ-CP về cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh quốc gia",
	"Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử (Đề án 06)",
	"Rà soát, cắt giảm, đơn giản hóa quy định liên quan đến hoạt động kinh doanh",
	"Báo cáo tình hình thực hiện Chỉ thị của Thủ tướng Chính phủ về đẩy mạnh cải cách thủ tục hành chính",
	"Thực hiện kết luận của Thủ tướng Chính phủ tại Thông báo của Văn phòng Chính phủ",
	"Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
	"Tháo gỡ khó khăn, vướng mắc cho doanh nghiệp, dự án đầu tư",
	"Triển khai Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030",
	"Thực hiện các nhiệm vụ chuyển đổi số quốc gia",
	"Sắp xếp đơn vị hành chính cấp huyện, cấp xã",
	"Báo cáo kết quả thực hiện nhiệm vụ được giao trên Hệ thống theo dõi nhiệm vụ",
}

// taskList drafts the tasks of a plan.
func (g *generator) taskList(kind events.PlanKind, n, year int) []taskDraft {
	r := g.rPlan
	var out []taskDraft
	switch kind {
	case events.PlanProcedureControl:
		for i := range n {
			t := controlTasks[i%len(controlTasks)]
			code := t.code
			if i >= len(controlTasks) {
				code = fmt.Sprintf("%s.%d", code, i/len(controlTasks)+1)
			}
			out = append(out, taskDraft{code: code, title: t.title, area: t.area, product: products[r.IntN(len(products))]})
		}
	case events.PlanReform:
		total := 0.0
		for _, s := range areaSections {
			total += s.share
		}
		left := n
		for si, s := range areaSections {
			k := int(math.Round(float64(n) * s.share / total))
			if si == len(areaSections)-1 {
				k = left
			}
			k = min(k, left)
			left -= k
			titles := taskTitles[s.area]
			for j := range k {
				// Sections with many tasks are split into subsections: III.2.3.
				code := fmt.Sprintf("%s.%d", roman[si%len(roman)], j+1)
				if k > 5 {
					code = fmt.Sprintf("%s.%d.%d", roman[si%len(roman)], j/4+1, j%4+1)
				}
				out = append(out, taskDraft{code: code, title: withYear(titles[j%len(titles)], year), area: s.area, product: products[r.IntN(len(products))]})
			}
		}
	default:
		for i := range n {
			area := pickWeighted(r, governmentAreas)
			out = append(out, taskDraft{code: fmt.Sprint(i + 1), title: withYear(governmentTasks[r.IntN(len(governmentTasks))], year), area: area, product: "Báo cáo kết quả thực hiện"})
		}
	}
	return out
}

var governmentAreas = []weighted[events.ReformArea]{
	{events.AreaProcedures, 30}, {events.AreaEGovernment, 20}, {events.AreaInstitutions, 15}, {events.AreaOrganisation, 10},
	{events.AreaDirection, 10}, {events.AreaCivilService, 7}, {events.AreaPublicFinance, 8},
}

func withYear(title string, year int) string {
	if strings.Contains(title, "%d") {
		return fmt.Sprintf(title, year)
	}
	return title
}

// Lateness of tasks: government-assigned tasks are watched closest (none
// overdue in seed 004).
var taskLateP = map[events.PlanKind]float64{events.PlanReform: 0.08, events.PlanProcedureControl: 0.06, events.PlanGovernmentAssigned: 0.02}

// deadlineKinds are the shapes of deadlines by plan kind, as weights.
var deadlineKinds = map[events.PlanKind][]weighted[events.DeadlineKind]{
	events.PlanReform: {{events.DeadlineYear, 40}, {events.DeadlineRecurring, 25}, {events.DeadlineQuarter, 15},
		{events.DeadlineMonth, 8}, {events.DeadlineHalfYear, 7}, {events.DeadlineDate, 5}},
	events.PlanProcedureControl: {{events.DeadlineRecurring, 45}, {events.DeadlineMonth, 15}, {events.DeadlineDate, 15},
		{events.DeadlineYear, 15}, {events.DeadlineQuarter, 10}},
	events.PlanGovernmentAssigned: {{events.DeadlineDate, 35}, {events.DeadlineMonth, 20}, {events.DeadlineQuarter, 20},
		{events.DeadlineHalfYear, 10}, {events.DeadlineYear, 15}},
}

var recurrences = []weighted[events.Recurrence]{
	{events.RecurContinuous, 50}, {events.RecurMonthly, 12}, {events.RecurQuarterly, 18},
	{events.RecurHalfYearly, 8}, {events.RecurYearly, 7}, {events.RecurOnRequest, 5},
}

// deadline draws a deadline in year at least two weeks after assigned, and
// the day it falls due (the end of the year for recurring tasks).
func deadline(r *rand.Rand, kind events.PlanKind, year int, assigned int32) (events.Deadline, int32) {
	earliest := assigned + 14
	yearEnd := civilDay(year, time.December, 31)
	// candidates draws a period among those ending after earliest.
	candidates := func(n int, end func(int) int32) (int, int32, bool) {
		var ok []int
		for i := 1; i <= n; i++ {
			if end(i) >= earliest {
				ok = append(ok, i)
			}
		}
		if len(ok) == 0 {
			return 0, 0, false
		}
		i := ok[r.IntN(len(ok))]
		return i, end(i), true
	}
	monthEnd := func(m int) int32 { return civilDay(year, time.Month(m)+1, 1) - 1 }
	switch pickWeighted(r, deadlineKinds[kind]) {
	case events.DeadlineDate:
		if earliest < yearEnd {
			d := earliest + int32(r.IntN(int(yearEnd-earliest)))
			date := dateOfDay(d)
			return events.Deadline{Kind: events.DeadlineDate, Date: &date}, d
		}
	case events.DeadlineMonth:
		if m, end, ok := candidates(12, monthEnd); ok {
			return events.Deadline{Kind: events.DeadlineMonth, Year: year, Month: m}, end
		}
	case events.DeadlineQuarter:
		if q, end, ok := candidates(4, func(q int) int32 { return monthEnd(3 * q) }); ok {
			return events.Deadline{Kind: events.DeadlineQuarter, Year: year, Quarter: q}, end
		}
	case events.DeadlineHalfYear:
		if h, end, ok := candidates(2, func(h int) int32 { return monthEnd(6 * h) }); ok {
			return events.Deadline{Kind: events.DeadlineHalfYear, Year: year, Half: h}, end
		}
	case events.DeadlineYear:
		if yearEnd >= earliest {
			return events.Deadline{Kind: events.DeadlineYear, Year: year}, yearEnd
		}
	}
	// Recurring, or no period of the chosen shape is left in the year.
	return events.Deadline{Kind: events.DeadlineRecurring, Recurrence: pickWeighted(r, recurrences)}, max(yearEnd, earliest)
}

var progressNotes = []string{
	"Đang triển khai thực hiện theo kế hoạch", "Đã ban hành văn bản hướng dẫn, đôn đốc", "Đang tổng hợp báo cáo kết quả",
	"Đã tổ chức hội nghị triển khai", "Đang lấy ý kiến các cơ quan liên quan",
}

// task assigns one task of plan id and draws its life: monthly progress
// reports, completion (on time or late), now and then a new deadline or a
// cancellation.
func (g *generator) task(planID string, kind events.PlanKind, year int, t taskDraft, ts int64) {
	r := g.rPlan
	dir := g.dir
	cal := g.cal
	lead := -1
	for _, s := range areaSections {
		if s.area == t.area {
			if i, ok := dir.department(s.lead); ok && dir.units[i].active() && r.Float64() < 0.8 {
				lead = i
			}
		}
	}
	if kind == events.PlanProcedureControl && r.Float64() < 0.7 {
		if i, ok := dir.department("vp"); ok && dir.units[i].active() {
			lead = i
		}
	}
	if lead < 0 {
		lead = province
		if len(dir.departments) > 0 {
			lead = dir.departments[r.IntN(len(dir.departments))]
		}
	}
	var coordinating []string
	for range r.IntN(4) {
		c := province
		if len(dir.departments) > 0 {
			c = dir.departments[r.IntN(len(dir.departments))]
		}
		if !dir.districts.empty() && r.Float64() < 0.25 {
			c = dir.districts.pick(r)
		}
		if code := dir.units[c].code; c != lead && !containsString(coordinating, code) {
			coordinating = append(coordinating, code)
		}
	}
	assigned := dayOf(ts)
	dl, due := deadline(r, kind, year, assigned)
	id := planID + "#" + t.code
	prov := g.provinceCode()
	leadCode := dir.units[lead].code
	sb := g.script()
	sb.add(prov, id, ts, events.TaskAssigned{Plan: planID, Code: t.code, Title: t.title, Lead: leadCode, Coordinating: coordinating,
		Deadline: dl, ExpectedProduct: t.product, Area: t.area})

	recurring := dl.Kind == events.DeadlineRecurring
	var done int32 // the completion day; 0 if never
	cancelled := false
	switch u := r.Float64(); {
	case u < 0.02:
		cancelled = true
		done = assigned + 30 + int32(r.IntN(int(max(due-assigned-30, 1))))
	case recurring:
		if u < 0.85 {
			done = civilDay(year, time.December, 15) + int32(r.IntN(14))
		}
	default:
		if u < 0.07 {
			// The deadline is moved before it falls due.
			changed := assigned + 14 + int32(r.IntN(int(max(due-assigned-17, 1))))
			due += 30 + int32(r.IntN(60))
			date := dateOfDay(due)
			sb.add(prov, id, g.workTime(r, cal.addWorkingDays(changed, 0)), events.TaskDeadlineChanged{
				Deadline: events.Deadline{Kind: events.DeadlineDate, Date: &date}, Reason: "Điều chỉnh theo đề nghị của cơ quan chủ trì"})
		}
		if r.Float64() < taskLateP[kind] {
			done = due + 3 + int32(r.IntN(43))
		} else {
			// On time, mostly close to the deadline.
			span := float64(due - assigned)
			done = due - int32(span*0.6*math.Pow(r.Float64(), 2))
		}
	}
	end := done
	if end == 0 {
		end = civilDay(year+1, time.February, 1)
	}
	// Progress reports before the 15th, the cut-off of monthly reports,
	// until a few days before the task ends.
	first := dateOfDay(assigned)
	for m := 1; ; m++ {
		d := civilDay(first.Year(), first.Month()+time.Month(m), 8+r.IntN(6))
		if d >= end-3 {
			break
		}
		frac := float64(d-assigned) / float64(max(end-assigned, 1))
		pct := min(95, max(5, int(math.Round(100*frac/5))*5))
		sb.add(leadCode, id, g.workTime(r, cal.addWorkingDays(d, 0)), events.TaskProgressReported{Percent: pct, Note: progressNotes[r.IntN(len(progressNotes))]})
	}
	switch {
	case cancelled:
		sb.add(prov, id, g.workTime(r, cal.addWorkingDays(done, 0)), events.TaskCancelled{Reason: "Nhiệm vụ không còn phù hợp, đã được lồng ghép vào nhiệm vụ khác"})
	case done > 0:
		sb.add(leadCode, id, g.workTime(r, cal.addWorkingDays(done, 0)), events.TaskCompleted{Product: taskProduct(r, dir.units[lead].key, done)})
	}
	g.start(sb)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// abbreviations of the departments in document numbers.
var abbreviations = map[string]string{
	"vp": "VP", "tp": "STP", "kh": "SKHĐT", "tc": "STC", "xd": "SXD", "tn": "STNMT", "gt": "SGTVT", "ct": "SCT", "nn": "SNNPTNT",
	"ld": "SLĐTBXH", "gd": "SGDĐT", "yt": "SYT", "vh": "SVHTT", "dl": "SDL", "tt": "STTTT", "kc": "SKHCN", "nv": "SNV", "ng": "SNgV",
	"ti": "TTr", "kt": "BQLKKT",
}

func taskProduct(r *rand.Rand, key string, done int32) string {
	abbr := abbreviations[key]
	if abbr == "" {
		abbr = "UBND"
	}
	return fmt.Sprintf("Báo cáo số %d/BC-%s ngày %s", 1+dateOfDay(done).YearDay()*2/3+r.IntN(20), abbr, dateOfDay(done).Format("02/01/2006"))
}

// indicators reports the figures that come from outside the event flow:
// the PAR Index and SIPAS of the previous year in April, the monthly counts
// of press items and legal documents on the last working day of the month.
func (g *generator) indicators(day int32) {
	date := dateOfDay(day)
	prov := g.provinceCode()
	sb := g.script()
	if day == g.cal.addWorkingDays(civilDay(date.Year(), time.April, 9), 1) {
		y := date.Year() - 1
		par, parRank, sipas, sipasRank := yearlyIndices(g.cfg.Seed, y)
		rankOf := 63
		if y >= 2025 {
			rankOf = 34 // provinces after the 2025 mergers
		}
		from, to := events.NewDate(y, time.January, 1), events.NewDate(y, time.December, 31)
		ts := at(day, 10*hour)
		source := fmt.Sprintf("Báo cáo kết quả Chỉ số cải cách hành chính năm %d của Bộ Nội vụ", y)
		sb.add(prov, fmt.Sprintf("par_index/%d", y), ts, events.IndicatorReported{Indicator: events.IndicatorPARIndex, PeriodFrom: from, PeriodTo: to,
			Value: par, Unit: "điểm", Rank: parRank, RankOf: rankOf, Source: source})
		sb.add(prov, fmt.Sprintf("sipas/%d", y), ts+1, events.IndicatorReported{Indicator: events.IndicatorSIPAS, PeriodFrom: from, PeriodTo: to,
			Value: sipas, Unit: "%", Rank: sipasRank, RankOf: rankOf, Source: source})
	}
	monthEnd := civilDay(date.Year(), date.Month()+1, 1) - 1
	if day == g.cal.prevWorkingDay(monthEnd+1) {
		r := g.rPlan
		from, to := events.NewDate(date.Year(), date.Month(), 1), dateOfDay(monthEnd)
		key := date.Format("2006-01")
		ts := at(day, 16*hour)
		sb.add(prov, "press_items/"+key, ts, events.IndicatorReported{Indicator: events.IndicatorPressItems, PeriodFrom: from, PeriodTo: to,
			Value: math.Round(1150.0 / 6 * lognormal(r, 0.15)), Unit: "tin, bài", Source: "Sở Thông tin và Truyền thông"})
		sb.add(prov, "legal_documents/"+key, ts+1, events.IndicatorReported{Indicator: events.IndicatorLegalDocuments, PeriodFrom: from, PeriodTo: to,
			Value: float64(poisson(r, 17.0/6)), Unit: "văn bản", Source: "Sở Tư pháp"})
	}
	g.start(sb)
}

// yearlyIndices are the PAR Index and SIPAS of year y with their ranks:
// the published figures for 2022 and 2023, a seeded drift for other years
// that does not depend on the simulated range.
func yearlyIndices(seed int64, y int) (par float64, parRank int, sipas float64, sipasRank int) {
	switch y {
	case 2023:
		return 91.87, 2, 88.90, 5
	case 2022:
		return 90.09, 2, 83.88, 9
	}
	r := rand.New(rand.NewPCG(uint64(seed), uint64(y)))
	par = 91.87 + float64(y-2023)*(0.4+r.Float64())
	sipas = 88.90 + float64(y-2023)*(0.5+1.5*r.Float64())
	round2 := func(x float64) float64 { return math.Round(min(max(x, 60), 98.5)*100) / 100 }
	return round2(par), 1 + r.IntN(5), round2(sipas), 1 + r.IntN(10)
}
