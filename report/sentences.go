package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
)

// The computed sentences. Every figure a sentence prints goes through the
// Data's state helpers (count, plain, percent…), which name it, so a test
// can hold each against the tables and the views (Document.Stated). A count
// that is zero is never printed as "0 …": the sentence says there is none.

func indexBlocks(d *Data) []Block {
	var items []string
	if p := d.PAR; p != nil {
		items = append(items, fmt.Sprintf("Chỉ số cải cách hành chính (PAR Index) năm %d của %s xếp hạng vị trí thứ %s/%s tỉnh, thành phố với kết quả đạt %s điểm%s",
			p.To.Year(), d.Province, d.plain("par.rank", int64(p.Rank)), d.plain("par.rank_of", int64(p.RankOf)), d.decimal("par.value", p.Value, 2), yearChange(d, "par", p, " điểm")))
	}
	if s := d.SIPAS; s != nil {
		items = append(items, fmt.Sprintf("Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước (SIPAS) năm %d xếp hạng vị trí thứ %s/%s tỉnh, thành phố với kết quả đạt %s%%%s",
			s.To.Year(), d.plain("sipas.rank", int64(s.Rank)), d.plain("sipas.rank_of", int64(s.RankOf)), d.decimal("sipas.value", s.Value, 2), yearChange(d, "sipas", s, "%")))
	}
	if len(items) == 0 {
		return []Block{Paragraph("Chưa có kết quả Chỉ số cải cách hành chính và Chỉ số hài lòng được công bố trong kỳ.")}
	}
	return []Block{Paragraph("Kết quả: " + strings.Join(items, "; ") + ".")}
}

func yearChange(d *Data, name string, ind *Indicator, unit string) string {
	if ind.Change == nil {
		return ""
	}
	return fmt.Sprintf(" (%s so với năm %d)", d.change(name+".change", *ind.Change, 0, 2, unit), ind.To.Year()-1)
}

// change writes the change from before to now as the seeds do ("tăng 1,78
// điểm", "giảm 3,2%", "không thay đổi"), stating its size as name.
func (d *Data) change(name string, now, before float64, decimals int, unit string) string {
	diff := now - before
	switch {
	case math.Abs(diff) < math.Pow10(-decimals)/2:
		return "không thay đổi"
	case diff > 0:
		return "tăng " + d.decimal(name, diff, decimals) + unit
	}
	return "giảm " + d.decimal(name, -diff, decimals) + unit
}

// changePercent compares two counts in percent of the earlier one, stated
// as name; "" when there is nothing to compare with.
func (d *Data) changePercent(name string, now, before int64) string {
	if before == 0 {
		return ""
	}
	return d.change(name, Ratio(now, before), 100, 1, "%") + " so với cùng kỳ năm trước"
}

// plansOf are the plans of kind a report states, the one of the report's
// year first: a plan of the report's year or later, and an earlier one
// only while tasks of it are still in progress (a plan all done belongs to
// the reports of its own year). Then by year, latest first, and number.
func plansOf(d *Data, kind string) []Tasks {
	var out []Tasks
	for _, t := range d.Tasks {
		// the Government's tasks are followed as one list, whatever the year
		if t.PlanKind == kind && (t.PlanYear >= d.Period.Year || t.InProgress > 0 || kind == "government_assigned") {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Tasks) int {
		if (a.PlanYear == d.Period.Year) != (b.PlanYear == d.Period.Year) {
			if a.PlanYear == d.Period.Year {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.PlanYear, a.PlanYear), strings.Compare(a.PlanNumber, b.PlanNumber))
	})
	return out
}

// planName is "Kế hoạch số 4791/QĐ-UBND (title)".
func planName(t Tasks) string {
	s := "Kế hoạch số " + t.PlanNumber
	if t.PlanTitle != "" {
		s += " (" + t.PlanTitle + ")"
	}
	return s
}

func planBlocks(d *Data, kind string) []Block {
	plans := plansOf(d, kind)
	if len(plans) == 0 {
		return []Block{Paragraph("Trong kỳ không có kế hoạch được theo dõi trên hệ thống.")}
	}
	var out []Block
	for _, t := range plans {
		out = append(out, Paragraph(planSentence(d, t)))
	}
	return out
}

// planSentence states a plan's progress at the period's end: the tasks
// completed (on time, and late: completed after their deadline), those
// still in progress and, of these, the overdue ones — two different "quá
// hạn" the sentence keeps apart.
func planSentence(d *Data, t Tasks) string {
	p := "plan." + t.PlanNumber + "."
	s := fmt.Sprintf("Tính đến ngày %s, ", ShortDate(d.Period.End()))
	if t.PlanYear < d.Period.Year {
		s += fmt.Sprintf("đối với %s chuyển tiếp từ năm %d, ", planName(t), t.PlanYear)
		if t.Completed > 0 {
			s += fmt.Sprintf("đã hoàn thành %s/%s nhiệm vụ", d.count(p+"completed", t.Completed), d.count(p+"assigned", t.Assigned))
		} else {
			s += fmt.Sprintf("chưa có nhiệm vụ hoàn thành trong tổng số %s nhiệm vụ", d.count(p+"assigned", t.Assigned))
		}
	} else if t.Completed > 0 {
		s += fmt.Sprintf("đã thực hiện hoàn thành %s/%s nhiệm vụ đề ra tại %s", d.count(p+"completed", t.Completed), d.count(p+"assigned", t.Assigned), planName(t))
	} else {
		s += fmt.Sprintf("chưa có nhiệm vụ hoàn thành trong tổng số %s nhiệm vụ đề ra tại %s", d.count(p+"assigned", t.Assigned), planName(t))
	}
	if t.Completed > 0 {
		switch {
		case t.Late == 0:
			s += fmt.Sprintf(", trong đó %s nhiệm vụ hoàn thành đúng hạn", d.count(p+"on_time", t.OnTime))
		case t.OnTime == 0:
			s += fmt.Sprintf(", trong đó %s nhiệm vụ hoàn thành sau thời hạn", d.count(p+"late", t.Late))
		default:
			s += fmt.Sprintf(", trong đó %s nhiệm vụ hoàn thành đúng hạn, %s nhiệm vụ hoàn thành sau thời hạn", d.count(p+"on_time", t.OnTime), d.count(p+"late", t.Late))
		}
	}
	switch {
	case t.InProgress == 0:
		s += "; không còn nhiệm vụ đang triển khai"
	case t.Overdue == 0:
		s += fmt.Sprintf("; %s nhiệm vụ đang triển khai thực hiện, không có nhiệm vụ chậm so với thời hạn", d.count(p+"in_progress", t.InProgress))
	case t.Overdue == t.InProgress:
		s += fmt.Sprintf("; %s nhiệm vụ đang triển khai thực hiện, đều đã quá thời hạn", d.count(p+"in_progress", t.InProgress))
	default:
		s += fmt.Sprintf("; %s nhiệm vụ đang triển khai thực hiện, trong đó %s nhiệm vụ đã quá thời hạn", d.count(p+"in_progress", t.InProgress), d.count(p+"overdue", t.Overdue))
	}
	if t.Recurring > 0 {
		s += fmt.Sprintf(". Kế hoạch có %s nhiệm vụ thường xuyên, định kỳ", d.count(p+"recurring", t.Recurring))
	}
	return s + "."
}

func pressBlocks(d *Data) []Block {
	if d.PressItems == nil {
		return []Block{Paragraph("Trong kỳ chưa có số liệu về tin, bài tuyên truyền cải cách hành chính.")}
	}
	n := int64(math.Round(d.PressItems.Value))
	if n == 0 {
		return []Block{fmtf("%s, chưa ghi nhận tin, bài tuyên truyền về công tác cải cách hành chính trên các cơ quan báo chí.", capitalise(LowerFirst(d.Period.Label())))}
	}
	return []Block{fmtf("%s, các cơ quan báo chí đã đăng tải khoảng %s %s tuyên truyền về công tác cải cách hành chính.",
		capitalise(LowerFirst(d.Period.Label())), d.plain("press.items", n), d.PressItems.Unit)}
}

func governmentTaskBlocks(d *Data) []Block {
	plans := plansOf(d, "government_assigned")
	if len(plans) == 0 {
		return []Block{Paragraph("Trong kỳ không có nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao được theo dõi trên hệ thống.")}
	}
	t := sumTasks(plans)
	var items []string
	switch {
	case t.OnTime > 0:
		items = append(items, fmt.Sprintf("Hoàn thành %s nhiệm vụ đúng hạn;", d.count("government.on_time", t.OnTime)))
	case t.Late == 0:
		items = append(items, "Chưa có nhiệm vụ hoàn thành;")
	}
	if t.Late > 0 {
		items = append(items, fmt.Sprintf("Hoàn thành %s nhiệm vụ sau thời hạn;", d.count("government.late", t.Late)))
	}
	if t.WithinDeadline > 0 {
		items = append(items, fmt.Sprintf("Đang thực hiện %s nhiệm vụ trong hạn;", d.count("government.within_deadline", t.WithinDeadline)))
	} else {
		items = append(items, "Không có nhiệm vụ đang thực hiện trong hạn;")
	}
	if t.Overdue > 0 {
		items = append(items, fmt.Sprintf("Có %s nhiệm vụ đang thực hiện đã quá hạn.", d.count("government.overdue", t.Overdue)))
	} else {
		items = append(items, "Không có nhiệm vụ quá hạn.")
	}
	return []Block{
		fmtf("Ủy ban nhân dân %s được Chính phủ, Thủ tướng Chính phủ giao %s nhiệm vụ, kết quả thực hiện:", d.Province, d.count("government.assigned", t.Assigned)),
		Bullets(items),
	}
}

func sumTasks(plans []Tasks) Tasks {
	var t Tasks
	for _, p := range plans {
		t.Assigned += p.Assigned
		t.Completed += p.Completed
		t.OnTime += p.OnTime
		t.Late += p.Late
		t.InProgress += p.InProgress
		t.WithinDeadline += p.WithinDeadline
		t.Overdue += p.Overdue
		t.Recurring += p.Recurring
	}
	return t
}

func institutionBlocks(d *Data) []Block {
	if d.LegalDocuments == nil {
		return []Block{Paragraph("Trong kỳ chưa có số liệu về văn bản quy phạm pháp luật được ban hành.")}
	}
	n := int64(math.Round(d.LegalDocuments.Value))
	if n == 0 {
		return []Block{fmtf("%s, Ủy ban nhân dân %s chưa ban hành văn bản quy phạm pháp luật.", capitalise(LowerFirst(d.Period.Label())), d.Province)}
	}
	return []Block{fmtf("%s, Ủy ban nhân dân %s đã ban hành %s văn bản quy phạm pháp luật.",
		capitalise(LowerFirst(d.Period.Label())), d.Province, d.count("legal.documents", n))}
}

func catalogueBlocks(d *Data) []Block {
	c := d.Catalogue
	label := capitalise(LowerFirst(d.Period.Label()))
	var first string
	prev := "cùng kỳ năm trước không có"
	if d.PrevCatalogue.Decisions > 0 {
		prev = "cùng kỳ năm trước: " + d.count("catalogue.prev_decisions", d.PrevCatalogue.Decisions)
	}
	switch {
	case c.Decisions == 0:
		first = fmt.Sprintf("%s, Chủ tịch Ủy ban nhân dân %s không ban hành Quyết định công bố danh mục TTHC (%s).", label, d.Province, prev)
	case c.Published == 0:
		first = fmt.Sprintf("%s, Chủ tịch Ủy ban nhân dân %s đã ban hành %s Quyết định công bố danh mục TTHC (%s), không có TTHC được công bố mới.",
			label, d.Province, d.count("catalogue.decisions", c.Decisions), prev)
	default:
		first = fmt.Sprintf("%s, Chủ tịch Ủy ban nhân dân %s đã ban hành %s Quyết định công bố danh mục TTHC (%s), công bố mới %s TTHC. Sau khi được công bố, các TTHC đều được công khai trên Cơ sở dữ liệu quốc gia về TTHC và đồng bộ với Hệ thống thông tin giải quyết TTHC.",
			label, d.Province, d.count("catalogue.decisions", c.Decisions), prev, d.count("catalogue.published", c.Published))
	}
	if c.InForce == 0 {
		return []Block{Paragraph(first), fmtf("Tính đến ngày %s, chưa có TTHC đang có hiệu lực được công bố trên hệ thống.", ShortDate(d.Period.End()))}
	}
	// A procedure may be carried out at more than one level (cấp tỉnh and
	// cấp huyện): the levels then sum to more than the procedures, and the
	// sentence says why.
	var levels []string
	for _, l := range []struct {
		key, name string
		n         int64
	}{{"at_province", "cấp tỉnh", c.AtProvince}, {"at_district", "cấp huyện", c.AtDistrict}, {"at_commune", "cấp xã", c.AtCommune}} {
		if l.n > 0 {
			levels = append(levels, l.name+": "+d.plain("catalogue."+l.key, l.n))
		} else {
			levels = append(levels, l.name+": không có")
		}
	}
	why := ""
	switch sum := c.AtProvince + c.AtDistrict + c.AtCommune; {
	case sum > c.InForce:
		why = "; một TTHC có thể được thực hiện ở nhiều cấp nên tổng số theo cấp lớn hơn tổng số TTHC"
	case sum < c.InForce:
		why = "; " + d.plain("catalogue.without_level", c.InForce-sum) + " TTHC chưa xác định cấp thực hiện"
	}
	return []Block{
		Paragraph(first),
		fmtf("Tính đến ngày %s, có %s TTHC đang có hiệu lực (%s%s).", ShortDate(d.Period.End()), d.plain("catalogue.in_force", c.InForce), strings.Join(levels, "; "), why),
	}
}

func reviewBlocks(d *Data) []Block {
	c := d.Catalogue
	var first string
	switch {
	case c.ReviewPlanned == 0 && c.Reviewed == 0:
		first = "Trong kỳ, không có TTHC được đưa vào kế hoạch rà soát và không có TTHC hoàn thành rà soát."
	case c.ReviewPlanned == 0:
		first = fmt.Sprintf("Trong kỳ, không có TTHC mới được đưa vào kế hoạch rà soát; các sở, ban, ngành và Ủy ban nhân dân các cấp đã hoàn thành rà soát %s TTHC.", d.count("catalogue.reviewed", c.Reviewed))
	case c.Reviewed == 0:
		first = fmt.Sprintf("Các sở, ban, ngành và Ủy ban nhân dân các cấp đã xây dựng kế hoạch rà soát đối với %s TTHC; chưa có TTHC hoàn thành rà soát trong kỳ.", d.count("catalogue.review_planned", c.ReviewPlanned))
	default:
		first = fmt.Sprintf("Các sở, ban, ngành và Ủy ban nhân dân các cấp đã xây dựng kế hoạch rà soát đối với %s TTHC; đã hoàn thành rà soát %s TTHC.", d.count("catalogue.review_planned", c.ReviewPlanned), d.count("catalogue.reviewed", c.Reviewed))
	}
	items := []string{first}
	if c.Delegated > 0 {
		items = append(items, fmt.Sprintf("Từ ngày %s đến ngày %s, Ủy ban nhân dân %s đã đồng ý ủy quyền, phân cấp %s TTHC.", ShortDate(d.Period.Start()), ShortDate(d.Period.End()), d.Province, d.count("catalogue.delegated", c.Delegated)))
	}
	switch {
	case c.Internal > 0 && c.InternalSimplified > 0:
		items = append(items, fmt.Sprintf("Về thực thi phương án cắt giảm, đơn giản hóa TTHC nội bộ: các sở, ngành, địa phương đã rà soát và đề xuất phương án đơn giản hóa đối với %s/%s thủ tục hành chính nội bộ đã được công bố, đạt tỷ lệ %s.",
			d.count("catalogue.internal_simplified", c.InternalSimplified), d.count("catalogue.internal", c.Internal), d.percent("catalogue.internal_share", Ratio(c.InternalSimplified, c.Internal))))
	case c.Internal > 0:
		items = append(items, fmt.Sprintf("Về thực thi phương án cắt giảm, đơn giản hóa TTHC nội bộ: chưa có phương án đơn giản hóa được đề xuất đối với %s thủ tục hành chính nội bộ đã được công bố.", d.count("catalogue.internal", c.Internal)))
	}
	return []Block{Bullets(items)}
}

// countOrNone is "label: n", or "không có <what>" when n is 0.
func (d *Data) countOrNone(name, label string, n int64, what string) string {
	if n == 0 {
		return "không có " + what
	}
	return label + ": " + d.plain(name, n)
}

func feedbackBlocks(d *Data) []Block {
	f := d.Feedback
	if f.New == 0 && f.CarriedOver == 0 {
		s := "Trong kỳ, không có phản ánh, kiến nghị tiếp nhận mới và không có phản ánh, kiến nghị kỳ trước chuyển sang"
		if d.PrevFeedback.New > 0 {
			s += fmt.Sprintf(" (cùng kỳ năm trước tiếp nhận mới %s)", d.plain("feedback.prev_new", d.PrevFeedback.New))
		}
		return []Block{Paragraph(s + ".")}
	}
	open := "không có phản ánh, kiến nghị đang xử lý"
	if f.InProgress > 0 {
		open = fmt.Sprintf("số phản ánh, kiến nghị đang xử lý: %s (%s, %s)", d.plain("feedback.in_progress", f.InProgress),
			d.countOrNone("feedback.within_due", "trong hạn", f.WithinDue, "phản ánh, kiến nghị trong hạn"),
			d.countOrNone("feedback.overdue", "quá hạn", f.Overdue, "phản ánh, kiến nghị quá hạn"))
	}
	// plain numbers, as the national portal's statistics and seed 004 write them
	return []Block{fmtf("%s, %s, %s, %s.",
		capitalise(d.countOrNone("feedback.new", "Tổng số phản ánh, kiến nghị tiếp nhận mới", f.New, "phản ánh, kiến nghị tiếp nhận mới")+parenthesised(d.changePercent("feedback.new_change", f.New, d.PrevFeedback.New))),
		d.countOrNone("feedback.carried_over", "số phản ánh, kiến nghị kỳ trước chuyển sang", f.CarriedOver, "phản ánh, kiến nghị kỳ trước chuyển sang"),
		d.countOrNone("feedback.completed", "số phản ánh, kiến nghị đã hoàn thành", f.Completed, "phản ánh, kiến nghị đã hoàn thành"),
		open)}
}

func egovBlocks(d *Data) []Block {
	upper := addCoverage(d.Coverage["department"], d.Coverage["district"])
	communes := d.Coverage["commune"]
	s := "Hệ thống thông tin giải quyết thủ tục hành chính được triển khai tập trung, thống nhất cho " +
		coverage(d, "coverage.upper", upper, "sở, ban, ngành, quận, huyện") + ", " +
		coverage(d, "coverage.commune", communes, "xã, phường, thị trấn")
	c := d.Catalogue
	switch {
	case c.FullOnline > 0 && c.PartialOnline > 0:
		s += fmt.Sprintf("; cung cấp %s dịch vụ công trực tuyến toàn trình và %s dịch vụ công trực tuyến một phần", d.plain("catalogue.full_online", c.FullOnline), d.plain("catalogue.partial_online", c.PartialOnline))
	case c.FullOnline > 0:
		s += fmt.Sprintf("; cung cấp %s dịch vụ công trực tuyến toàn trình, chưa có dịch vụ công trực tuyến một phần", d.plain("catalogue.full_online", c.FullOnline))
	case c.PartialOnline > 0:
		s += fmt.Sprintf("; cung cấp %s dịch vụ công trực tuyến một phần, chưa có dịch vụ công trực tuyến toàn trình", d.plain("catalogue.partial_online", c.PartialOnline))
	default:
		s += "; chưa cung cấp dịch vụ công trực tuyến"
	}
	return append(digitalPlanBlocks(d), Paragraph(s+"."))
}

// coverage is "35/35 sở, ban, ngành, quận, huyện", with the agencies of
// the directory at the period's end; those merged away during the period
// (which the forms may still list, for the dossiers they handled before)
// are named apart.
func coverage(d *Data, name string, c Coverage, what string) string {
	s := ""
	if c.Agencies == 0 {
		s = "chưa có " + what
	} else {
		s = d.count(name+".onboarded", c.Onboarded) + "/" + d.count(name+".agencies", c.Agencies) + " " + what
	}
	if c.Merged > 0 {
		s += fmt.Sprintf(" (không kể %s đơn vị đã sáp nhập trong kỳ)", d.count(name+".merged", c.Merged))
	}
	return s
}

// digitalPlanBlocks states the digital-government plans: their tasks, the
// recurring ones ("14 nhiệm vụ triển khai thường xuyên") and their progress.
func digitalPlanBlocks(d *Data) []Block {
	var out []Block
	for _, t := range plansOf(d, "digital_government") {
		p := "plan." + t.PlanNumber + "."
		s := "Triển khai " + planName(t)
		s += fmt.Sprintf(" với %s nhiệm vụ", d.count(p+"assigned", t.Assigned))
		if t.Recurring > 0 {
			s += fmt.Sprintf(", trong đó %s nhiệm vụ thường xuyên", d.count(p+"recurring", t.Recurring))
		}
		if t.Completed > 0 {
			s += fmt.Sprintf("; tính đến ngày %s đã hoàn thành %s/%s nhiệm vụ", ShortDate(d.Period.End()), d.count(p+"completed", t.Completed), d.count(p+"assigned", t.Assigned))
		} else {
			s += fmt.Sprintf("; tính đến ngày %s chưa có nhiệm vụ hoàn thành", ShortDate(d.Period.End()))
		}
		if t.Overdue > 0 {
			s += fmt.Sprintf(", %s nhiệm vụ đang thực hiện đã quá hạn", d.count(p+"overdue", t.Overdue))
		}
		out = append(out, Paragraph(s+"."))
	}
	return out
}

func addCoverage(a, b Coverage) Coverage {
	return Coverage{Agencies: a.Agencies + b.Agencies, Onboarded: a.Onboarded + b.Onboarded, Merged: a.Merged + b.Merged}
}

// assessment sorts the rates into those that met their targets and those
// that did not, with the overdue work a report must own up to. It speaks of
// the report's subject: TTHC control in a KSTTHC report, the reform
// programme in a reform report.
func assessment(d *Data) (good, bad Paragraph) { return strengths(d), difficulties(d) }

// ratesStated are the rates that met their targets (met) or not, as
// sentence parts; only those written are stated.
func ratesStated(d *Data, met bool) []string {
	var out []string
	for _, r := range d.Rates {
		if r.Denominator == 0 || r.Met() != met {
			continue
		}
		out = append(out, fmt.Sprintf("%s đạt %s (chỉ tiêu %s)", LowerFirst(r.Label), d.percent("rate."+r.Indicator, r.Percent()), d.target("rate."+r.Indicator+".target", r.Target)))
	}
	return out
}

func strengths(d *Data) Paragraph {
	met := ratesStated(d, true)
	subject := "Công tác cải cách hành chính"
	if d.kind() == ProcedureControl {
		subject = "Công tác kiểm soát thủ tục hành chính, thực hiện cơ chế một cửa, một cửa liên thông và giải quyết thủ tục hành chính trên môi trường điện tử"
	}
	if len(met) > 0 {
		return Paragraph(subject + " được triển khai đồng bộ; các chỉ tiêu đạt kế hoạch: " + sentenceList(met) + ".")
	}
	return Paragraph(subject + " tiếp tục được triển khai theo kế hoạch.")
}

func difficulties(d *Data) Paragraph {
	missed := ratesStated(d, false)
	var issues []string
	if len(missed) > 0 {
		issues = append(issues, "một số chỉ tiêu chưa đạt kế hoạch: "+sentenceList(missed))
	}
	if n := d.Total.InProgressOverdue + d.Total.ResolvedLate; n > 0 {
		issues = append(issues, fmt.Sprintf("còn %s hồ sơ giải quyết quá hạn hoặc đang quá hạn", d.plain("dossiers.late_or_overdue", n)))
	}
	if d.Feedback.Overdue > 0 {
		issues = append(issues, fmt.Sprintf("còn %s phản ánh, kiến nghị quá hạn xử lý", d.count("feedback.overdue", d.Feedback.Overdue)))
	}
	var overdueTasks int64
	for _, t := range d.statedPlans() {
		overdueTasks += t.Overdue
	}
	if overdueTasks > 0 {
		issues = append(issues, fmt.Sprintf("còn %s nhiệm vụ quá hạn", d.count("tasks.overdue", overdueTasks)))
	}
	if len(issues) == 0 {
		return Paragraph("Không có chỉ tiêu chưa đạt, hồ sơ, phản ánh, kiến nghị hay nhiệm vụ quá hạn trong kỳ.")
	}
	return Paragraph(capitalise(strings.Join(issues, "; ")) + ".")
}

// statedPlans are the plans the document's body introduces: those of the
// kinds its outline's computed blocks state (all kinds outside Build), as
// plansOf selects them.
func (d *Data) statedPlans() []Tasks {
	var out []Tasks
	for _, kind := range []string{"reform", "procedure_control", "digital_government", "government_assigned"} {
		if d.rec == nil || d.rec.plans[kind] {
			out = append(out, plansOf(d, kind)...)
		}
	}
	return out
}

func directionBlocks(d *Data) []Block {
	items := []string{}
	var gov []Tasks
	for _, t := range d.statedPlans() {
		switch {
		case t.InProgress == 0:
		case t.PlanKind == "government_assigned":
			gov = append(gov, t)
		default:
			items = append(items, fmt.Sprintf("Tiếp tục triển khai %s nhiệm vụ còn lại của Kế hoạch số %s, bảo đảm tiến độ đề ra.", d.count("plan."+t.PlanNumber+".in_progress", t.InProgress), t.PlanNumber))
		}
	}
	if t := sumTasks(gov); t.InProgress > 0 {
		items = append(items, fmt.Sprintf("Tiếp tục thực hiện %s nhiệm vụ được Chính phủ, Thủ tướng Chính phủ giao, bảo đảm tiến độ đề ra.", d.count("government.in_progress", t.InProgress)))
	}
	for _, r := range d.Rates {
		if r.Denominator > 0 && !r.Met() {
			items = append(items, targetSentence(d, r))
		}
	}
	if d.Total.InProgressOverdue > 0 {
		items = append(items, fmt.Sprintf("Khẩn trương giải quyết %s hồ sơ đang quá hạn, thực hiện xin lỗi người dân, tổ chức theo quy định.", d.plain("dossiers.in_progress_overdue", d.Total.InProgressOverdue)))
	}
	items = append(items, "Tiếp tục rà soát, đơn giản hóa TTHC; đẩy mạnh số hóa hồ sơ, kết quả giải quyết TTHC và cung cấp dịch vụ công trực tuyến toàn trình.")
	return []Block{Bullets(items)}
}

// targetSentence asks to reach a missed target: "phấn đấu đạt 100%" for a
// full target (nothing goes beyond it), "đạt tối thiểu 50%" otherwise,
// with the period's result beside it.
func targetSentence(d *Data, r Rate) string {
	goal := "đạt tối thiểu "
	if r.Target >= 100 {
		goal = "đạt "
	}
	goal += d.target("rate."+r.Indicator+".target", r.Target)
	return fmt.Sprintf("Phấn đấu %s %s (%s đạt %s).", LowerFirst(r.Label), goal, LowerFirst(d.Period.Label()), d.percent("rate."+r.Indicator, r.Percent()))
}

// Rate is the province-wide rate of indicator (indicator_targets' key:
// "online", "on_time"…), the one the indicator table shows.
func (d *Data) Rate(indicator string) (Rate, bool) {
	for _, r := range d.Rates {
		if r.Indicator == indicator {
			return r, true
		}
	}
	return Rate{}, false
}

// dossierSentences state the form's total row: received (with the online
// share, the indicator's own rate: online of the newly received, carried
// over left out), resolved and in progress.
func dossierSentences(d *Data) []Block {
	t := d.Total
	if t.ReceivedTotal == 0 {
		return []Block{Paragraph("Trong kỳ không có hồ sơ tiếp nhận giải quyết.")}
	}
	online := d.countOrNone("dossiers.received_online", "trực tuyến", t.ReceivedOnline, "hồ sơ trực tuyến")
	if r, ok := d.Rate("online"); ok && t.ReceivedOnline > 0 && r.Denominator > 0 {
		online += ", chiếm " + d.percent("rate.online", r.Percent()) + " số hồ sơ mới tiếp nhận"
	}
	received := fmt.Sprintf("Tổng số hồ sơ tiếp nhận giải quyết: %s hồ sơ (%s; %s; %s)%s.",
		d.plain("dossiers.received_total", t.ReceivedTotal), online,
		d.countOrNone("dossiers.received_offline", "trực tiếp và qua dịch vụ bưu chính công ích", t.ReceivedOffline, "hồ sơ trực tiếp, qua dịch vụ bưu chính công ích"),
		d.countOrNone("dossiers.carried_over", "kỳ trước chuyển qua", t.CarriedOver, "hồ sơ kỳ trước chuyển qua"),
		d.comparison("dossiers.new_change", "số hồ sơ mới tiếp nhận", t.ReceivedOnline+t.ReceivedOffline, d.PrevTotal.ReceivedOnline+d.PrevTotal.ReceivedOffline))
	var resolved string
	if t.ResolvedTotal == 0 {
		resolved = "Chưa có hồ sơ được giải quyết trong kỳ"
	} else {
		onTime := "tỷ lệ giải quyết trước và đúng hạn đạt " + d.percent("rate.on_time", Ratio(t.ResolvedEarly+t.ResolvedOnTime, t.ResolvedTotal))
		resolved = fmt.Sprintf("Số hồ sơ đã giải quyết: %s hồ sơ (%s; %s; %s), %s",
			d.plain("dossiers.resolved_total", t.ResolvedTotal),
			d.countOrNone("dossiers.resolved_early", "trước hạn", t.ResolvedEarly, "hồ sơ giải quyết trước hạn"),
			d.countOrNone("dossiers.resolved_on_time", "đúng hạn", t.ResolvedOnTime, "hồ sơ giải quyết đúng hạn"),
			d.countOrNone("dossiers.resolved_late", "quá hạn", t.ResolvedLate, "hồ sơ giải quyết quá hạn"), onTime)
	}
	if t.InProgressTotal == 0 {
		resolved += "; không còn hồ sơ đang giải quyết."
	} else {
		resolved += fmt.Sprintf("; số hồ sơ đang giải quyết: %s hồ sơ (%s; %s).", d.plain("dossiers.in_progress_total", t.InProgressTotal),
			d.countOrNone("dossiers.in_progress_within_due", "trong hạn", t.InProgressWithinDue, "hồ sơ trong hạn"),
			d.countOrNone("dossiers.in_progress_overdue", "quá hạn", t.InProgressOverdue, "hồ sơ quá hạn"))
	}
	return []Block{Paragraph(received), Paragraph(resolved)}
}

// comparison is "; <what> tăng 5,0% so với cùng kỳ năm trước", or "".
func (d *Data) comparison(name, what string, now, before int64) string {
	if c := d.changePercent(name, now, before); c != "" {
		return "; " + what + " " + c
	}
	return ""
}
