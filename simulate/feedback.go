package simulate

import (
	"fmt"
	"math/rand/v2"

	"github.com/baocao/baocao/events"
)

// Feedback (PAKN) mostly arrives through the national portal and is about
// procedures and regulations; it is answered within 10 working days (15 for
// regulations), a few late, a few rejected.
var (
	feedbackChannels = []weighted[events.FeedbackChannel]{
		{events.FeedbackNationalPortal, 60}, {events.FeedbackProvincePortal, 18}, {events.FeedbackHotline, 10},
		{events.FeedbackEmail, 6}, {events.FeedbackInPerson, 4}, {events.FeedbackPost, 2},
	}
	feedbackTopics = []weighted[events.FeedbackTopic]{
		{events.TopicRegulation, 35}, {events.TopicProcedure, 45}, {events.TopicConduct, 12}, {events.TopicOther, 8},
	}
	feedbackSummaries = map[events.FeedbackTopic][]string{
		events.TopicRegulation: {"Kiến nghị sửa đổi quy định về thành phần hồ sơ", "Phản ánh quy định về phí, lệ phí chưa phù hợp", "Kiến nghị rút ngắn thời hạn giải quyết"},
		events.TopicProcedure:  {"Phản ánh hồ sơ giải quyết chậm so với giấy hẹn", "Hỏi về trình tự thực hiện thủ tục", "Phản ánh yêu cầu bổ sung giấy tờ ngoài quy định", "Phản ánh lỗi khi nộp hồ sơ trực tuyến"},
		events.TopicConduct:    {"Phản ánh thái độ của công chức tại Bộ phận Một cửa", "Phản ánh việc hẹn trả kết quả nhiều lần"},
		events.TopicOther:      {"Đề nghị hướng dẫn sử dụng tài khoản dịch vụ công", "Góp ý về cơ sở vật chất của Bộ phận Một cửa"},
	}
	feedbackRejections = []string{"Không thuộc phạm vi tiếp nhận phản ánh, kiến nghị", "Nội dung trùng với phản ánh đã được xử lý", "Không đủ thông tin để xử lý"}
)

// weighted is a value with its relative weight.
type weighted[T any] struct {
	v T
	w float64
}

func pickWeighted[T any](r *rand.Rand, list []weighted[T]) T {
	total := 0.0
	for _, x := range list {
		total += x.w
	}
	u := r.Float64() * total
	for _, x := range list {
		if u -= x.w; u < 0 {
			return x.v
		}
	}
	return list[len(list)-1].v
}

const (
	pFeedbackRejected = 0.08
	pFeedbackOverdue  = 0.06
	pPublished        = 0.7
	pFeedbackRated    = 0.25
)

// newFeedback receives the day's feedback.
func (g *generator) newFeedback(day int32) {
	r := g.rFeedback
	mean := g.cfg.FeedbackPerDay * 1.2
	if !g.cal.isWorking(day) {
		mean = g.cfg.FeedbackPerDay * 0.5
	}
	for n := poisson(r, mean); n > 0; n-- {
		g.feedback(day)
	}
}

func (g *generator) feedback(day int32) {
	r := g.rFeedback
	cal := g.cal
	year := dateOfDay(day).Year()
	g.feedbackSeq[year]++
	id := fmt.Sprintf("PAKN-%s-%d-%05d", g.suffix, year, g.feedbackSeq[year])
	channel := pickWeighted(r, feedbackChannels)
	topic := pickWeighted(r, feedbackTopics)
	var ts int64
	switch channel {
	case events.FeedbackNationalPortal, events.FeedbackProvincePortal, events.FeedbackEmail:
		ts = at(day, 6*hour+int64(r.IntN(17*hour)))
	default:
		ts = g.workTime(r, day)
	}
	days := 10
	if topic == events.TopicRegulation {
		days = 15
	}
	due := at(cal.addWorkingDays(day, days), closingAt)
	rec := events.FeedbackReceived{Channel: channel, Topic: topic, DueAt: timeOf(due)}
	summaries := feedbackSummaries[topic]
	rec.Summary = summaries[r.IntN(len(summaries))]
	// The handler: the department in charge of the procedure or regulation,
	// the agency whose staff is concerned, or one the office chooses.
	var handler int
	switch {
	case topic == events.TopicConduct && !g.dir.communes.empty() && r.Float64() < 0.6:
		handler = g.dir.communes.pick(r)
	case topic == events.TopicRegulation || topic == events.TopicProcedure:
		p := &g.cat.procs[g.cat.requested.pick(r)]
		if topic == events.TopicProcedure {
			rec.Procedure = p.code
		}
		handler = g.dir.successor(p.owner)
	case len(g.dir.departments) > 0:
		handler = g.dir.departments[r.IntN(len(g.dir.departments))]
	}
	prov := g.provinceCode()
	hc := g.dir.units[handler].code
	sb := g.script()
	sb.add(prov, id, ts, rec)
	classified := cal.addWork(ts, int64((0.3+1.7*r.Float64())*workDaySecs))
	if r.Float64() < 0.1 {
		topic = pickWeighted(r, feedbackTopics) // reclassified
	}
	sb.add(prov, id, classified, events.FeedbackClassified{Topic: topic, Handler: hc})
	if r.Float64() < pFeedbackRejected {
		sb.add(hc, id, cal.addWork(classified, int64((0.5+2.5*r.Float64())*workDaySecs)),
			events.FeedbackRejected{Reason: feedbackRejections[r.IntN(len(feedbackRejections))]})
		g.start(sb)
		return
	}
	wFrom, wDue := cal.workSecs(classified)+hour, cal.workSecs(due)
	answered := cal.fromWorkSecs(wFrom + r.Int64N(max(wDue-wFrom, hour)))
	if r.Float64() < pFeedbackOverdue {
		answered = cal.fromWorkSecs(wDue + int64((0.2+12*r.Float64())*workDaySecs))
	}
	sb.add(hc, id, answered, events.FeedbackAnswered{Summary: "Đã trả lời, hướng dẫn công dân, tổ chức"})
	if r.Float64() < pPublished {
		sb.add(prov, id, cal.addWork(answered, int64((0.5+4*r.Float64())*workDaySecs)),
			events.FeedbackPublished{URL: "https://dichvucong.gov.vn/p/home/dvc-phan-anh-kien-nghi.html?id=" + id})
	}
	if r.Float64() < pFeedbackRated {
		sb.add(prov, id, answered+hour+r.Int64N(7*24*hour), events.FeedbackRated{Satisfied: r.Float64() < 0.8})
	}
	g.start(sb)
}
