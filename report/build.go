package report

import (
	"cmp"
	"fmt"
	"math"
	"strings"
)

// Kind is a kind of report.
type Kind string

const (
	// ProcedureControl is the report on controlling administrative
	// procedures, the one-stop mechanism and online procedures (Thông tư
	// 01/2020/TT-VPCP), due every quarter and year, and every month under
	// the Government Office's letter 5633/VPCP-KSTT (seed 000).
	ProcedureControl Kind = "procedure_control"
	// Reform is the administrative-reform report to the Ministry of Home
	// Affairs (six months and year), shaped like seed 004.
	Reform Kind = "reform"
)

// Kinds lists the report kinds with the periods each is made for.
var Kinds = map[Kind][]string{
	ProcedureControl: {Month, Quarter, Year},
	Reform:           {HalfYear, Year},
}

// ParseKind checks a report kind's name.
func ParseKind(s string) (Kind, error) {
	if _, ok := Kinds[Kind(s)]; ok {
		return Kind(s), nil
	}
	return "", fmt.Errorf("report kind %q: want %s or %s", s, ProcedureControl, Reform)
}

// Title is the kind's name for people: "Báo cáo cải cách hành chính".
func (k Kind) Title() string {
	switch k {
	case Reform:
		return "Báo cáo kết quả cải cách hành chính"
	case ProcedureControl:
		return "Báo cáo kiểm soát thủ tục hành chính (Thông tư 01/2020/TT-VPCP)"
	}
	return string(k)
}

// provinceName turns the province agency's name into the province's:
// "Ủy ban nhân dân thành phố Hải Phòng" → "thành phố Hải Phòng".
func provinceName(agency string) string {
	for _, p := range []string{"Ủy ban nhân dân ", "UBND "} {
		if strings.HasPrefix(agency, p) {
			return strings.TrimPrefix(agency, p)
		}
	}
	if agency == "" {
		return "tỉnh"
	}
	return agency
}

// placeName is the place line's name: "Thành phố Hải Phòng" → "Hải Phòng".
func placeName(province string) string {
	for _, p := range []string{"Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "} {
		if strings.HasPrefix(province, p) {
			return strings.TrimPrefix(province, p)
		}
	}
	return province
}

func indexBlocks(d *Data) []Block {
	var items []string
	if p := d.PAR; p != nil {
		items = append(items, fmt.Sprintf("Chỉ số cải cách hành chính (PAR Index) năm %d của %s xếp hạng vị trí thứ %d/%d tỉnh, thành phố với kết quả đạt %s điểm%s",
			p.To.Year(), d.Province, p.Rank, p.RankOf, Decimal(p.Value, 2), yearChange(p, " điểm")))
	}
	if s := d.SIPAS; s != nil {
		items = append(items, fmt.Sprintf("Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) năm %d xếp hạng vị trí thứ %d/%d tỉnh, thành phố với kết quả đạt %s%%%s",
			s.To.Year(), s.Rank, s.RankOf, Decimal(s.Value, 2), yearChange(s, "%")))
	}
	if len(items) == 0 {
		return []Block{Paragraph("Chưa có kết quả Chỉ số cải cách hành chính và Chỉ số hài lòng được công bố trong kỳ.")}
	}
	return []Block{Paragraph("Kết quả: " + strings.Join(items, "; ") + ".")}
}

func yearChange(ind *Indicator, unit string) string {
	if ind.Change == nil {
		return ""
	}
	return fmt.Sprintf(" (%s so với năm %d)", change(*ind.Change, 0, 2, unit), ind.To.Year()-1)
}

func plansOf(d *Data, kind string) []Tasks {
	var out []Tasks
	for _, t := range d.Tasks {
		if t.PlanKind == kind {
			out = append(out, t)
		}
	}
	return out
}

func planBlocks(d *Data, kind string) []Block {
	plans := plansOf(d, kind)
	if len(plans) == 0 {
		return []Block{Paragraph("Trong kỳ không có kế hoạch được theo dõi trên hệ thống.")}
	}
	var out []Block
	for _, t := range plans {
		s := fmt.Sprintf("Tính đến ngày %s, đã thực hiện hoàn thành %s/%s nhiệm vụ đề ra tại Kế hoạch số %s", ShortDate(d.Period.End()), Count(t.Completed), Count(t.Assigned), t.PlanNumber)
		if t.PlanTitle != "" {
			s += " (" + t.PlanTitle + ")"
		}
		s += fmt.Sprintf(", trong đó %s nhiệm vụ đúng hạn", Count(t.OnTime))
		if t.Late > 0 {
			s += fmt.Sprintf(", %s nhiệm vụ quá hạn", Count(t.Late))
		}
		s += fmt.Sprintf("; %s nhiệm vụ đang triển khai thực hiện", Count(t.InProgress))
		if t.Recurring > 0 {
			s += fmt.Sprintf(" (có %s nhiệm vụ thường xuyên, định kỳ)", Count(t.Recurring))
		}
		if t.Overdue > 0 {
			s += fmt.Sprintf(", trong đó %s nhiệm vụ đã quá hạn", Count(t.Overdue))
		} else {
			s += ", không có nhiệm vụ quá hạn"
		}
		out = append(out, Paragraph(s+"."))
	}
	return out
}

func pressBlocks(d *Data) []Block {
	if d.PressItems == nil {
		return []Block{Paragraph("Trong kỳ chưa có số liệu về tin, bài tuyên truyền cải cách hành chính.")}
	}
	return []Block{fmtf("%s, các cơ quan báo chí đã đăng tải khoảng %s %s tuyên truyền về công tác cải cách hành chính.",
		capitalise(LowerFirst(d.Period.Label())), Int(int64(math.Round(d.PressItems.Value))), d.PressItems.Unit)}
}

func governmentTaskBlocks(d *Data) []Block {
	plans := plansOf(d, "government_assigned")
	if len(plans) == 0 {
		return []Block{Paragraph("Trong kỳ không có nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao được theo dõi trên hệ thống.")}
	}
	var t Tasks
	for _, p := range plans {
		t.Assigned += p.Assigned
		t.OnTime += p.OnTime
		t.Late += p.Late
		t.WithinDeadline += p.WithinDeadline
		t.Overdue += p.Overdue
	}
	items := []string{fmt.Sprintf("Hoàn thành %s nhiệm vụ đúng hạn;", Count(t.OnTime))}
	if t.Late > 0 {
		items = append(items, fmt.Sprintf("Hoàn thành %s nhiệm vụ quá hạn;", Count(t.Late)))
	}
	items = append(items, fmt.Sprintf("Đang thực hiện %s nhiệm vụ trong hạn;", Count(t.WithinDeadline)))
	if t.Overdue > 0 {
		items = append(items, fmt.Sprintf("Có %s nhiệm vụ quá hạn.", Count(t.Overdue)))
	} else {
		items = append(items, "Không có nhiệm vụ quá hạn.")
	}
	return []Block{
		fmtf("Ủy ban nhân dân %s được Chính phủ, Thủ tướng Chính phủ giao %s nhiệm vụ, kết quả thực hiện:", d.Province, Count(t.Assigned)),
		Bullets(items),
	}
}

func institutionBlocks(d *Data) []Block {
	if d.LegalDocuments == nil {
		return []Block{Paragraph("Trong kỳ chưa có số liệu về văn bản quy phạm pháp luật được ban hành.")}
	}
	return []Block{fmtf("%s, Ủy ban nhân dân %s đã ban hành %s văn bản quy phạm pháp luật.",
		capitalise(LowerFirst(d.Period.Label())), d.Province, Count(int64(math.Round(d.LegalDocuments.Value))))}
}

func catalogueBlocks(d *Data) []Block {
	c := d.Catalogue
	return []Block{
		fmtf("%s, Chủ tịch Ủy ban nhân dân %s đã ban hành %s Quyết định công bố danh mục TTHC (cùng kỳ năm trước: %s), công bố mới %s TTHC. Sau khi được công bố, các TTHC đều được công khai trên Cơ sở dữ liệu quốc gia về TTHC và đồng bộ với Hệ thống thông tin giải quyết TTHC.",
			capitalise(LowerFirst(d.Period.Label())), d.Province, Count(c.Decisions), Count(d.PrevCatalogue.Decisions), Count(c.Published)),
		fmtf("Tính đến ngày %s, có %s TTHC đang có hiệu lực (cấp tỉnh: %s; cấp huyện: %s; cấp xã: %s).",
			ShortDate(d.Period.End()), Int(c.InForce), Int(c.AtProvince), Int(c.AtDistrict), Int(c.AtCommune)),
	}
}

func reviewBlocks(d *Data) []Block {
	c := d.Catalogue
	items := []string{
		fmt.Sprintf("Các sở, ban, ngành và Ủy ban nhân dân các cấp đã xây dựng kế hoạch rà soát đối với %s TTHC; đã hoàn thành rà soát %s TTHC.", Count(c.ReviewPlanned), Count(c.Reviewed)),
	}
	if c.Delegated > 0 {
		items = append(items, fmt.Sprintf("Từ ngày %s đến ngày %s, Ủy ban nhân dân %s đã đồng ý ủy quyền, phân cấp %s TTHC.", ShortDate(d.Period.Start()), ShortDate(d.Period.End()), d.Province, Count(c.Delegated)))
	}
	if c.Internal > 0 {
		items = append(items, fmt.Sprintf("Về thực thi phương án cắt giảm, đơn giản hóa TTHC nội bộ: các sở, ngành, địa phương đã rà soát và đề xuất phương án đơn giản hóa đối với %s/%s thủ tục hành chính nội bộ đã được công bố, đạt tỷ lệ %s.",
			Count(c.InternalSimplified), Count(c.Internal), PercentOf(c.InternalSimplified, c.Internal)))
	}
	return []Block{Bullets(items)}
}

func feedbackBlocks(d *Data) []Block {
	f := d.Feedback
	return []Block{
		// plain numbers, as the national portal's statistics and seed 004 write them
		fmtf("Tổng số phản ánh, kiến nghị tiếp nhận mới: %s%s, số phản ánh, kiến nghị kỳ trước chuyển sang: %s, số phản ánh, kiến nghị đã hoàn thành: %s, số phản ánh, kiến nghị đang xử lý: %s (trong hạn: %s, quá hạn: %s).",
			Int(f.New), parenthesised(changePercent(f.New, d.PrevFeedback.New)), Int(f.CarriedOver), Int(f.Completed), Int(f.InProgress), Int(f.WithinDue), Int(f.Overdue)),
	}
}

func dossierBlocks(d *Data) []Block {
	t := d.Total
	onTime := Ratio(t.ResolvedEarly+t.ResolvedOnTime, t.ResolvedTotal)
	out := []Block{
		fmtf("Tổng số hồ sơ tiếp nhận giải quyết: %s hồ sơ (trực tuyến: %s; trực tiếp và qua dịch vụ bưu chính công ích: %s; kỳ trước chuyển qua: %s)%s.",
			Int(t.ReceivedTotal), Int(t.ReceivedOnline), Int(t.ReceivedOffline), Int(t.CarriedOver),
			comparison("số hồ sơ mới tiếp nhận", t.ReceivedOnline+t.ReceivedOffline, d.PrevTotal.ReceivedOnline+d.PrevTotal.ReceivedOffline)),
		fmtf("Số hồ sơ đã giải quyết: %s hồ sơ (trước hạn: %s; đúng hạn: %s; quá hạn: %s), tỷ lệ giải quyết trước và đúng hạn đạt %s; số hồ sơ đang giải quyết: %s hồ sơ (trong hạn: %s; quá hạn: %s).",
			Int(t.ResolvedTotal), Int(t.ResolvedEarly), Int(t.ResolvedOnTime), Int(t.ResolvedLate), percentOrDash(onTime),
			Int(t.InProgressTotal), Int(t.InProgressWithinDue), Int(t.InProgressOverdue)),
		formTable("Tình hình, kết quả giải quyết TTHC theo cấp", "Theo cấp", levelRows(d)),
		levelChart(d),
	}
	return out
}

// targetPercent writes a target as the plans do: 80%, 100%, 92,5%.
func targetPercent(x float64) string {
	if x == math.Trunc(x) {
		return Int(int64(x)) + "%"
	}
	return Percent(x)
}

func percentOrDash(x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	return Percent(x)
}

func levelChart(d *Data) *Chart {
	c := &Chart{Title: "Hồ sơ tiếp nhận, đã giải quyết và đang giải quyết theo cấp", Series: []Series{{Name: "Tiếp nhận"}, {Name: "Đã giải quyết"}, {Name: "Đang giải quyết"}}}
	for _, l := range LevelGroups {
		f := d.ByLevel[l.Key]
		c.Categories = append(c.Categories, l.Name)
		c.Series[0].Values = append(c.Series[0].Values, float64(f.ReceivedTotal))
		c.Series[1].Values = append(c.Series[1].Values, float64(f.ResolvedTotal))
		c.Series[2].Values = append(c.Series[2].Values, float64(f.InProgressTotal))
	}
	return c
}

func rateBlocks(d *Data) []Block {
	t := &Table{Name: "Chỉ tiêu", Caption: "Kết quả thực hiện các chỉ tiêu",
		Header: [][]Cell{{bold("STT"), bold("Chỉ tiêu"), bold("Kết quả"), bold("Chỉ tiêu kế hoạch"), bold("Đánh giá"), bold("Cùng kỳ năm trước"), bold("Điểm (Bộ chỉ số 766)")}}}
	chart := &Chart{Title: "Kết quả các chỉ tiêu so với kế hoạch", Unit: "%", Series: []Series{{Name: "Kết quả"}}}
	for i, r := range d.Rates {
		points := text("")
		if r.MaxPoints > 0 {
			p := r.Points()
			points = Cell{Number: &p, Decimals: 2, OutOf: r.MaxPoints}
		}
		target := r.Target
		t.Rows = append(t.Rows, []Cell{text(fmt.Sprint(i + 1)), text(r.Label), pct(r.Percent()), {Number: &target, Percent: true}, text(verdict(r)), pct(d.PrevRates[i].Percent()), points})
		chart.Categories = append(chart.Categories, r.Label)
		chart.Series[0].Values = append(chart.Series[0].Values, nanToZero(r.Percent()))
		chart.Targets = append(chart.Targets, r.Target)
	}
	out := []Block{t, chart}
	if len(d.Scores) > 0 {
		var sum, max float64
		for _, s := range d.Scores {
			sum += s.Points
			max = math.Max(max, s.MaxPoints)
		}
		best, worst := d.Scores[0], d.Scores[len(d.Scores)-1]
		out = append(out, fmtf("Đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766 đối với %s cơ quan, đơn vị: điểm bình quân đạt %s/%s điểm; cao nhất là %s (%s điểm), thấp nhất là %s (%s điểm).",
			Count(int64(len(d.Scores))), Decimal(sum/float64(len(d.Scores)), 2), Decimal(max, 0),
			cmp.Or(best.AgencyName, best.Agency), Decimal(best.Points, 2), cmp.Or(worst.AgencyName, worst.Agency), Decimal(worst.Points, 2)))
	}
	return out
}

func nanToZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

func egovBlocks(d *Data) []Block {
	upper := addCoverage(d.Coverage["department"], d.Coverage["district"])
	communes := d.Coverage["commune"]
	return append(digitalPlanBlocks(d), fmtf("Hệ thống thông tin giải quyết thủ tục hành chính được triển khai tập trung, thống nhất cho %s/%s sở, ban, ngành, quận, huyện, %s/%s xã, phường, thị trấn; cung cấp %s dịch vụ công trực tuyến toàn trình và %s dịch vụ công trực tuyến một phần.",
		Count(upper.Onboarded), Count(upper.Agencies), Count(communes.Onboarded), Count(communes.Agencies),
		Int(d.Catalogue.FullOnline), Int(d.Catalogue.PartialOnline)))
}

// digitalPlanBlocks states the digital-government plans: their tasks, the
// recurring ones ("14 nhiệm vụ triển khai thường xuyên") and their progress.
func digitalPlanBlocks(d *Data) []Block {
	var out []Block
	for _, t := range plansOf(d, "digital_government") {
		s := "Triển khai Kế hoạch số " + t.PlanNumber
		if t.PlanTitle != "" {
			s += " (" + t.PlanTitle + ")"
		}
		s += fmt.Sprintf(" với %s nhiệm vụ", Count(t.Assigned))
		if t.Recurring > 0 {
			s += fmt.Sprintf(", trong đó %s nhiệm vụ thường xuyên", Count(t.Recurring))
		}
		if t.Completed > 0 {
			s += fmt.Sprintf("; tính đến ngày %s đã hoàn thành %s/%s nhiệm vụ", ShortDate(d.Period.End()), Count(t.Completed), Count(t.Assigned))
		} else {
			s += fmt.Sprintf("; tính đến ngày %s chưa có nhiệm vụ hoàn thành", ShortDate(d.Period.End()))
		}
		if t.Overdue > 0 {
			s += fmt.Sprintf(", %s nhiệm vụ đã quá hạn", Count(t.Overdue))
		}
		out = append(out, Paragraph(s+"."))
	}
	return out
}

func addCoverage(a, b Coverage) Coverage {
	return Coverage{Agencies: a.Agencies + b.Agencies, Onboarded: a.Onboarded + b.Onboarded}
}

// assessment sorts the rates into those that met their targets and those
// that did not, with the overdue work a report must own up to.
func assessment(d *Data) (good, bad Paragraph) {
	var met, missed []string
	for _, r := range d.Rates {
		if r.Denominator == 0 {
			continue
		}
		s := fmt.Sprintf("%s đạt %s (chỉ tiêu %s)", LowerFirst(r.Label), Percent(r.Percent()), targetPercent(r.Target))
		if r.Met() {
			met = append(met, s)
		} else {
			missed = append(missed, s)
		}
	}
	if len(met) > 0 {
		good = Paragraph("Công tác cải cách hành chính được triển khai đồng bộ; các chỉ tiêu đạt kế hoạch: " + sentenceList(met) + ".")
	} else {
		good = Paragraph("Công tác cải cách hành chính tiếp tục được triển khai theo kế hoạch.")
	}
	var issues []string
	if len(missed) > 0 {
		issues = append(issues, "một số chỉ tiêu chưa đạt kế hoạch: "+sentenceList(missed))
	}
	if n := d.Total.InProgressOverdue + d.Total.ResolvedLate; n > 0 {
		issues = append(issues, fmt.Sprintf("còn %s hồ sơ giải quyết quá hạn hoặc đang quá hạn", Int(n)))
	}
	if d.Feedback.Overdue > 0 {
		issues = append(issues, fmt.Sprintf("còn %s phản ánh, kiến nghị quá hạn xử lý", Count(d.Feedback.Overdue)))
	}
	var overdueTasks int64
	for _, t := range d.Tasks {
		overdueTasks += t.Overdue
	}
	if overdueTasks > 0 {
		issues = append(issues, fmt.Sprintf("còn %s nhiệm vụ quá hạn", Count(overdueTasks)))
	}
	if len(issues) == 0 {
		return good, Paragraph("Không có chỉ tiêu chưa đạt, hồ sơ, phản ánh, kiến nghị hay nhiệm vụ quá hạn trong kỳ.")
	}
	return good, Paragraph(capitalise(strings.Join(issues, "; ")) + ".")
}

func directionBlocks(d *Data) []Block {
	items := []string{}
	for _, t := range d.Tasks {
		switch {
		case t.InProgress == 0:
		case t.PlanKind == "government_assigned":
			items = append(items, fmt.Sprintf("Tiếp tục thực hiện %s nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao, bảo đảm tiến độ đề ra.", Count(t.InProgress)))
		default:
			items = append(items, fmt.Sprintf("Tiếp tục triển khai %s nhiệm vụ còn lại của Kế hoạch số %s, bảo đảm tiến độ đề ra.", Count(t.InProgress), t.PlanNumber))
		}
	}
	for _, r := range d.Rates {
		if r.Denominator > 0 && !r.Met() {
			items = append(items, fmt.Sprintf("Tập trung nâng %s từ %s lên tối thiểu %s.", LowerFirst(r.Label), Percent(r.Percent()), targetPercent(r.Target)))
		}
	}
	if d.Total.InProgressOverdue > 0 {
		items = append(items, fmt.Sprintf("Khẩn trương giải quyết %s hồ sơ đang quá hạn, thực hiện xin lỗi người dân, tổ chức theo quy định.", Int(d.Total.InProgressOverdue)))
	}
	items = append(items, "Tiếp tục rà soát, đơn giản hóa TTHC; đẩy mạnh số hóa hồ sơ, kết quả giải quyết TTHC và cung cấp dịch vụ công trực tuyến toàn trình.")
	return []Block{Bullets(items)}
}

// nextPeriod is the period after p of the same kind and cut-off.
func nextPeriod(p Period) Period {
	_, n := p.months()
	switch p.Kind {
	case Year, NineMonths:
		if p.Kind == NineMonths {
			return Period{Kind: Quarter, Cutoff: p.Cutoff, Year: p.Year, Number: 4}
		}
		p.Year++
		return p
	}
	if p.Number*n >= 12 {
		p.Year++
		p.Number = 1
		return p
	}
	p.Number++
	return p
}
