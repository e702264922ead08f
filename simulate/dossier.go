package simulate

import (
	"cmp"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/baocao/baocao/events"
)

// A dossier's lifecycle is drawn whole at receipt and kept as compact steps;
// the events are built one at a time as the clock reaches them. Steps after
// the end of the range are dropped: the dossier is still in progress when
// the range ends.

type stepKind uint8

const (
	stReceived stepKind = iota
	stRejected
	stForwarded
	stSupplementRequested
	stSupplementSupplied
	stFeeRequested
	stFeePaid
	stStopped
	stWithdrawn
	stApology
	stResult
	stReturned
	stSynced
	stRated
)

// step is one future event of a dossier. arg and flag carry what the event
// needs, by kind: an amount, a new due time, a target agency, a reason.
type step struct {
	at   int64
	arg  int64
	kind stepKind
	flag uint8
}

// Flags of steps.
const (
	flagOnline     = 1 << iota // fee paid online; result electronic
	flagRefused                // result refused
	flagNational               // synced to the national portal (else the province's)
	flagSatisfied              // rated satisfied
	flagHasNewDue              // supplement supplied with a new due time
	flagReorganise             // forwarded because the agency was merged
)

var channels = [...]events.Channel{events.ChannelOnline, events.ChannelInPerson, events.ChannelPostal}

const (
	chOnline uint8 = iota
	chInPerson
	chPostal
)

type dossier struct {
	code       string
	steps      []step
	next       int
	due        int64
	proc       int32
	agency     int32 // the handling agency; changes when forwarded
	channel    uint8
	org        bool
	components uint8
	digitised  uint8
	reused     uint8
}

func (d *dossier) fire(g *generator) (events.Event, bool, int64, bool) {
	s := d.steps[d.next]
	d.next++
	e, ok := g.dossierEvent(d, &s)
	if d.next == len(d.steps) {
		d.steps = nil
		g.openDossiers--
		return e, ok, 0, false
	}
	return e, ok, d.steps[d.next].at, true
}

// Probabilities of the lifecycle, tuned to the seeds' figures and the
// targets of QĐ 766 (which real provinces approach but rarely all meet).
const (
	pRejected      = 0.015
	pForwarded     = 0.05
	pSupplement    = 0.10
	pSecondSupply  = 0.15 // of those asked once, asked again
	pNeverSupplied = 0.08 // of requests: the dossier is stopped
	pFeeCharged    = 0.65 // of dossiers of procedures with a fee (others exempt)
	// Online dossiers are often exempt (Nghị quyết 13/2023/NQ-HĐND of Hải
	// Phòng waives fees of online services).
	pFeeChargedOnline = 0.5
	pWithdrawn        = 0.006
	pStopped          = 0.004
	pLate             = 0.03
	pOnDueDay         = 0.22
	pApologyLate      = 0.65
	pApologyOnDue     = 0.012
	pRefused          = 0.025
	pNationalSync     = 0.95
	pReturned         = 0.97
	pSatisfied        = 0.9
)

// trend is the yearly progress of digital indicators around their 2024
// level, so that year-on-year comparisons show growth.
func trend(base float64, year int, perYear float64) float64 {
	return min(max(base+perYear*float64(year-2024), 0.05), 0.97)
}

// newDossiers receives the day's dossiers.
func (g *generator) newDossiers(day int32) {
	if g.cfg.DossiersPerDay == 0 || g.cat.requested.empty() {
		return
	}
	r := g.rDossier
	mean := float64(g.cfg.DossiersPerDay)
	working := g.cal.isWorking(day)
	if working {
		mean *= weekdayFactor[weekday(day)] * monthFactor[dateOfDay(day).Month()-1]
	} else {
		mean *= 0.04 // online submissions and Saturday-morning desks
	}
	clear(g.daySeq)
	for n := poisson(r, mean); n > 0; n-- {
		g.newDossier(day, working)
	}
}

// Busier on Mondays, quieter on Fridays; a rush before Tết and at the end of
// the year.
var (
	weekdayFactor = [7]float64{0, 1.12, 1.04, 1.0, 0.97, 0.87, 0}
	monthFactor   = [12]float64{1.08, 0.86, 1.02, 0.98, 1.0, 1.0, 0.97, 0.98, 0.98, 1.02, 1.03, 1.08}
)

func (g *generator) newDossier(day int32, working bool) {
	r := g.rDossier
	pi := g.cat.requested.pick(r)
	p := &g.cat.procs[pi]
	h := g.handler(r, p)
	d := &dossier{proc: int32(pi), agency: int32(h), org: r.Float64() < p.spec.orgP}
	g.stats.Dossiers++
	year := dateOfDay(day).Year()

	// Channel: online where the procedure allows, growing every year.
	var pOnline, pPostal float64
	switch p.online {
	case events.OnlineFull:
		pOnline, pPostal = trend(0.82, year, 0.04), 0.02
	case events.OnlinePartial:
		pOnline, pPostal = trend(0.46, year, 0.04), 0.04
	default:
		pOnline, pPostal = 0, 0.05
	}
	var received int64
	switch u := r.Float64(); {
	case !working && p.online != events.OnlineNone:
		d.channel = chOnline
		received = at(day, 7*hour+r.Int64N(15*hour))
	case !working:
		d.channel = chInPerson
		received = at(day, morningAt+r.Int64N(noonAt-morningAt))
	default:
		switch {
		case u < pOnline:
			d.channel = chOnline
		case u < pOnline+pPostal:
			d.channel = chPostal
		default:
			d.channel = chInPerson
		}
		received = g.workTime(r, day)
	}
	g.daySeq[h]++
	d.code = dossierCode(g.dir.units[h].code, dateOfDay(day), g.daySeq[h])

	l := lifecycle{g: g, r: r, cal: g.cal, d: d, p: p, year: year, steps: g.steps[:0]}
	l.draw(received)
	// Steps in time order, those after the range dropped; the scratch
	// buffer is kept and the dossier gets a right-sized copy.
	slices.SortStableFunc(l.steps, func(x, y step) int { return cmp.Compare(x.at, y.at) })
	for len(l.steps) > 0 && l.steps[len(l.steps)-1].at > g.end {
		l.steps = l.steps[:len(l.steps)-1]
	}
	d.steps = slices.Clone(l.steps)
	g.steps = l.steps[:0]
	g.openDossiers++
	g.maxOpenDossiers = max(g.maxOpenDossiers, g.openDossiers)
	g.sched.add(d.steps[0].at, d)
}

// lifecycle draws the steps of one dossier. cur is the time processing has
// reached; paidAt when the fee, if any, was paid.
type lifecycle struct {
	g        *generator
	r        *rand.Rand
	cal      *calendar
	d        *dossier
	p        *procedure
	year     int
	online   bool // received online
	national bool // synced to the national portal
	cur      int64
	paidAt   int64
	steps    []step
}

func (l *lifecycle) add(t int64, k stepKind, arg int64, flag uint8) {
	l.steps = append(l.steps, step{at: t, arg: arg, kind: k, flag: flag})
}

// sync adds the synchronisation of a new status to the portals.
func (l *lifecycle) sync(t int64) {
	l.add(t+60+l.r.Int64N(600), stSynced, 0, 0)
	if l.national {
		l.add(t+120+l.r.Int64N(2*hour), stSynced, 0, flagNational)
	}
}

// finish ends the dossier without a result.
func (l *lifecycle) finish(t int64, k stepKind, reason int) {
	l.add(t, k, 0, uint8(reason))
	l.sync(t)
}

// workLeft is the working time left before the due time, at least floor.
func (l *lifecycle) workLeft(from, floor int64) int64 {
	return max(l.cal.workSecs(l.d.due)-l.cal.workSecs(from), floor)
}

func (l *lifecycle) draw(received int64) {
	r, d := l.r, l.d
	if r.Float64() < pRejected {
		l.add(received, stRejected, 0, uint8(r.IntN(len(rejectReasons))))
		return
	}
	d.due = l.g.dueAt(received, l.p.days)
	d.components = uint8(2 + r.IntN(6))
	switch u := r.Float64(); {
	case u < trend(0.74, l.year, 0.04):
		d.digitised = d.components
	case u < trend(0.74, l.year, 0.04)+0.08:
		d.digitised = uint8(1 + r.IntN(int(d.components)))
	}
	if r.Float64() < trend(0.45, l.year, 0.05) {
		d.reused = uint8(1 + r.IntN(min(3, int(d.components))))
	}
	l.online = d.channel == chOnline
	l.national = r.Float64() < pNationalSync
	l.add(received, stReceived, 0, 0)
	l.sync(received)
	l.cur = received
	l.forward()
	l.fee()
	supplements, ok := l.supplements()
	if !ok || l.abandoned() {
		return
	}
	l.result(supplements)
}

// forward sends the dossier to another agency for joint processing, early
// in its processing time.
func (l *lifecycle) forward() {
	h := int(l.d.agency)
	if l.r.Float64() >= pForwarded {
		return
	}
	if to := l.g.forwardTarget(l.r, h, l.p); to != h {
		l.cur = l.cal.addWork(l.cur, 300+int64(float64(l.workLeft(l.cur, 0))*(0.05+0.2*l.r.Float64())))
		l.add(l.cur, stForwarded, int64(to), 0)
	}
}

// fee requests the procedure's fee and its payment, online mostly for
// online dossiers. Processing goes on while it is pending; only the result
// waits for it.
func (l *lifecycle) fee() {
	r, cal := l.r, l.cal
	charged := pFeeCharged
	if l.online {
		charged = pFeeChargedOnline
	}
	if l.p.fee == 0 || r.Float64() >= charged {
		return
	}
	var req, paid int64
	var flag uint8
	payOnline := r.Float64() < 0.3
	if l.online {
		payOnline = r.Float64() < 0.8
		req = cal.addWork(l.cur, 300+r.Int64N(2*hour))
	} else {
		req = l.cur + 60 + r.Int64N(600)
	}
	if payOnline {
		flag = flagOnline
		paid = req + int64(logUniform(r, 2*time.Minute, 6*time.Hour)/time.Second)
	} else {
		paid = cal.addWork(req, 60+r.Int64N(900))
	}
	l.add(req, stFeeRequested, l.p.fee, 0)
	l.add(paid, stFeePaid, l.p.fee, flag)
	l.paidAt = paid
}

// supplements asks for more documents, once or twice; ok is false if the
// applicant never supplied them and the dossier was stopped.
func (l *lifecycle) supplements() (n int, ok bool) {
	r, cal, d := l.r, l.cal, l.d
	if r.Float64() < pSupplement {
		n = 1
		if r.Float64() < pSecondSupply {
			n = 2
		}
	}
	for range n {
		q := cal.addWork(l.cur, 600+int64(float64(l.workLeft(l.cur, 1200))*(0.1+0.4*r.Float64())))
		l.add(q, stSupplementRequested, 0, uint8(r.IntN(len(supplementReasons))))
		if r.Float64() < pNeverSupplied {
			l.finish(cal.addWork(q, int64(15+r.IntN(15))*workDaySecs), stStopped, 0)
			return n, false
		}
		var s int64
		if l.online {
			s = q + hour + r.Int64N(10*24*hour)
			if sod := secOfDay(s); sod < 6*hour || sod > 22*hour {
				s += 8 * hour // people supply documents in the day
			}
		} else {
			s = cal.addWork(q, int64((0.3+5.7*r.Float64())*workDaySecs))
		}
		// The clock stops while the applicant supplements and resumes with
		// the time that was left (half a day if none was).
		d.due = roundUp(cal.fromWorkSecs(cal.workSecs(s)+l.workLeft(q, workDaySecs/2)), 5*minute)
		var flag uint8
		if r.Float64() < 0.8 {
			flag = flagHasNewDue
		}
		l.add(s, stSupplementSupplied, d.due, flag)
		l.cur = s
	}
	return n, true
}

// abandoned withdraws or stops a few dossiers before their result.
func (l *lifecycle) abandoned() bool {
	u := l.r.Float64()
	if u >= pWithdrawn+pStopped {
		return false
	}
	from := max(l.cur, l.paidAt)
	t := l.cal.addWork(from, l.r.Int64N(l.workLeft(from, 600)))
	if u < pWithdrawn {
		l.finish(t, stWithdrawn, l.r.IntN(len(withdrawReasons)))
	} else {
		l.finish(t, stStopped, 1+l.r.IntN(len(stopReasons)-1))
	}
	return true
}

// result issues the result before the due day, on it, or late (with an
// apology, mostly), then returns it and collects a rating.
func (l *lifecycle) result(supplements int) {
	r, cal, d := l.r, l.cal, l.d
	late := pLate
	if l.p.days >= 20 {
		late *= 2 // land and construction dossiers run late more often
	}
	if supplements > 1 {
		late *= 1.5
	}
	wCur, wDue := cal.workSecs(l.cur)+600, cal.workSecs(d.due)
	dueDayStart := cal.workSecs(at(dayOf(d.due), 0))
	var T int64
	onDue, isLate := false, false
	switch u := r.Float64(); {
	case u >= late+pOnDueDay && wCur < dueDayStart:
		// Early results cluster well before the due day.
		T = cal.fromWorkSecs(wCur + int64(float64(dueDayStart-wCur)*math.Pow(r.Float64(), 1.3)))
	case u >= late && max(wCur, dueDayStart) < wDue:
		onDue = true
		lo := max(wCur, dueDayStart)
		T = cal.fromWorkSecs(lo + r.Int64N(wDue-lo))
	default:
		isLate = true
		over := int64(600) + r.Int64N(workDaySecs)
		for r.Float64() < 0.55 && over < 15*workDaySecs {
			over += workDaySecs
		}
		T = cal.fromWorkSecs(max(wDue, wCur) + over)
	}
	T = max(T, l.cur+60, l.paidAt+600)
	if isLate && r.Float64() < pApologyLate || onDue && r.Float64() < pApologyOnDue {
		a := cal.fromWorkSecs(max(wCur, wDue-600-r.Int64N(workDaySecs)))
		newDue := roundUp(cal.fromWorkSecs(cal.workSecs(T)+r.Int64N(workDaySecs)), 30*minute)
		if onDue {
			newDue = cal.addWork(d.due, 2*workDaySecs)
		}
		if a < T && newDue > a {
			l.add(a, stApology, newDue, uint8(r.IntN(len(apologyReasons))))
		}
	}
	var flag uint8
	if r.Float64() < pRefused {
		flag |= flagRefused
	}
	pElectronic := trend(0.8, l.year, 0.04)
	if l.p.paper {
		pElectronic *= 0.75
	}
	electronic := r.Float64() < pElectronic
	if electronic {
		flag |= flagOnline
	}
	l.add(T, stResult, 0, flag)
	l.sync(T)
	if r.Float64() >= pReturned {
		return // the applicant has not come for the result
	}
	var ret int64
	via := chInPerson
	switch {
	case l.online && electronic:
		via, ret = chOnline, T+60+r.Int64N(30*minute)
	case d.channel == chPostal || r.Float64() < 0.05:
		via, ret = chPostal, cal.addWork(T, int64((0.5+2.5*r.Float64())*workDaySecs))
	default:
		ret = cal.addWork(T, int64(5*workDaySecs*math.Pow(r.Float64(), 2)))
	}
	// A draw of no working time would return the result in the second it
	// was issued; events of the same second may reach a consumer in either
	// order, so the return comes a minute later at least.
	ret = max(ret, T+60)
	l.add(ret, stReturned, 0, via)
	l.add(ret+60+r.Int64N(600), stSynced, 0, 0)
	pRated := 0.26
	if l.online {
		pRated = 0.46
	}
	if r.Float64() < pRated {
		var f uint8
		score := int64(1 + r.IntN(3))
		if r.Float64() < pSatisfied {
			f, score = flagSatisfied, int64(4+r.IntN(2))
		}
		if r.Float64() < 0.2 {
			score = 0 // rated without a score
		}
		l.add(ret+60+r.Int64N(48*hour), stRated, score, f)
	}
}

// dossierCode is the agency's code, the receipt date and a daily sequence:
// 000.12.25.H23-240305-0007.
func dossierCode(agency string, d events.Date, seq int32) string {
	b := make([]byte, 0, len(agency)+13)
	b = append(b, agency...)
	b = append(b, '-')
	y, m, day := d.Date()
	for _, v := range [3]int{y % 100, int(m), day} {
		if v < 10 {
			b = append(b, '0')
		}
		b = strconv.AppendInt(b, int64(v), 10)
	}
	b = append(b, '-')
	for x := int32(1000); x > 1 && seq < x; x /= 10 {
		b = append(b, '0')
	}
	b = strconv.AppendInt(b, int64(seq), 10)
	return string(b)
}

func roundUp(ts, unit int64) int64 { return (ts + unit - 1) / unit * unit }

// dueAt is the appointment for the result: the statutory time in working
// days after receipt, rounded up to five minutes.
func (g *generator) dueAt(received int64, days float64) int64 {
	w := g.cal.workSecs(received) + int64(days*workDaySecs)
	return roundUp(g.cal.fromWorkSecs(w), 5*minute)
}

// handler picks the agency that receives a dossier of procedure p: its
// owner for province procedures, a district or a commune otherwise.
func (g *generator) handler(r *rand.Rand, p *procedure) int {
	level := p.levels[0]
	if len(p.levels) > 1 {
		level = pickLevel(r, p.levels, levelWeight)
	}
	dir := g.dir
	switch {
	case level == events.GovDistrict && !dir.districts.empty():
		return dir.districts.pick(r)
	case level != events.GovProvince && !dir.communes.empty():
		return dir.communes.pick(r)
	}
	return dir.successor(p.owner)
}

// forwardTarget is where agency h sends a dossier for joint processing
// (liên thông): a commune to its district, a district to the department in
// charge, a department to another.
func (g *generator) forwardTarget(r *rand.Rand, h int, p *procedure) int {
	dir := g.dir
	u := &dir.units[h]
	switch u.level {
	case events.LevelCommune:
		if u.parent != province {
			return u.parent
		}
		return dir.successor(p.owner)
	case events.LevelDistrict:
		return dir.successor(p.owner)
	}
	if len(dir.departments) < 2 {
		return h
	}
	return dir.departments[r.IntN(len(dir.departments))]
}

// dossierEvent builds the event of step s.
func (g *generator) dossierEvent(d *dossier, s *step) (events.Event, bool) {
	p := &g.cat.procs[d.proc]
	var pl events.Payload
	switch s.kind {
	case stReceived:
		applicant := events.ApplicantCitizen
		if d.org {
			applicant = events.ApplicantOrganisation
		}
		pl = events.DossierReceived{
			Procedure: p.code, Field: p.field, Channel: channels[d.channel], Desk: g.desk(d), Applicant: applicant, DueAt: timeOf(d.due),
			Components: int(d.components), ComponentsDigitised: int(d.digitised), ComponentsReused: int(d.reused),
		}
	case stRejected:
		pl = events.DossierRejected{Procedure: p.code, Channel: channels[d.channel], Reason: rejectReasons[s.flag]}
	case stForwarded:
		to := g.dir.successor(int(s.arg))
		if to == int(d.agency) {
			return events.Event{}, false
		}
		reason := "Liên thông giải quyết thủ tục hành chính"
		if s.flag&flagReorganise != 0 {
			reason = "Chuyển giao do sắp xếp tổ chức bộ máy"
		}
		e := g.event(g.dir.units[d.agency].code, d.code, s.at, events.DossierForwarded{ToAgency: g.dir.units[to].code, Reason: reason})
		d.agency = int32(to)
		return e, true
	case stSupplementRequested:
		pl = events.DossierSupplementRequested{Reason: supplementReasons[s.flag]}
	case stSupplementSupplied:
		var sp events.DossierSupplementSupplied
		if s.flag&flagHasNewDue != 0 {
			t := timeOf(s.arg)
			sp.NewDueAt = &t
		}
		pl = sp
	case stFeeRequested:
		pl = events.DossierFeeRequested{AmountVND: s.arg}
	case stFeePaid:
		pl = events.DossierFeePaid{AmountVND: s.arg, Online: s.flag&flagOnline != 0}
	case stStopped:
		pl = events.DossierStopped{Reason: stopReasons[s.flag]}
	case stWithdrawn:
		pl = events.DossierWithdrawn{Reason: withdrawReasons[s.flag]}
	case stApology:
		pl = events.DossierApologyIssued{NewDueAt: timeOf(s.arg), Reason: apologyReasons[s.flag]}
	case stResult:
		outcome := events.OutcomeApproved
		if s.flag&flagRefused != 0 {
			outcome = events.OutcomeRefused
		}
		pl = events.DossierResultIssued{Outcome: outcome, Electronic: s.flag&flagOnline != 0}
	case stReturned:
		pl = events.DossierResultReturned{Channel: channels[s.flag]}
	case stSynced:
		portal := events.PortalProvince
		if s.flag&flagNational != 0 {
			portal = events.PortalNational
		}
		pl = events.DossierSynced{Portal: portal}
	case stRated:
		pl = events.DossierRated{Satisfied: s.flag&flagSatisfied != 0, Score: int(s.arg)}
	}
	return g.event(g.dir.units[d.agency].code, d.code, s.at, pl), true
}

// handOver forwards the open dossiers of agencies merged on day to their
// successors, just after midnight, as the systems are switched over.
func (g *generator) handOver(day int32) {
	r := g.rDossier
	for i := range g.sched.h {
		d, ok := g.sched.h[i].a.(*dossier)
		if !ok || g.dir.units[d.agency].active() {
			continue
		}
		f := at(day, hour+r.Int64N(hour))
		s := step{at: f, arg: int64(g.dir.successor(int(d.agency))), kind: stForwarded, flag: flagReorganise}
		d.steps = slices.Insert(d.steps, d.next, s)
		for j := d.next + 1; j < len(d.steps) && d.steps[j].at < f; j++ {
			d.steps[j].at = f // nothing happens at a merged agency after the switch-over
		}
		g.sched.h[i].at = f
	}
	g.sched.reorder()
}

var (
	rejectReasons = []string{
		"Hồ sơ không thuộc thẩm quyền giải quyết",
		"Thành phần hồ sơ không đầy đủ theo quy định",
		"Thông tin kê khai trong tờ khai không chính xác",
		"Hồ sơ nộp trùng lặp",
	}
	supplementReasons = []string{
		"Bổ sung bản sao giấy tờ tùy thân",
		"Bổ sung bản vẽ, sơ đồ theo quy định",
		"Hoàn thiện tờ khai theo mẫu",
		"Bổ sung văn bản ủy quyền",
		"Bổ sung giấy tờ chứng minh quyền sử dụng đất",
	}
	stopReasons = []string{
		"Quá thời hạn bổ sung hồ sơ",
		"Hồ sơ không đủ điều kiện giải quyết",
		"Theo đề nghị của cơ quan có thẩm quyền",
	}
	withdrawReasons = []string{
		"Công dân đề nghị rút hồ sơ",
		"Tổ chức thay đổi nhu cầu",
		"",
	}
	// the causes provinces' reports give for late dossiers, the first the
	// most common
	apologyReasons = []string{
		"Hồ sơ phải lấy ý kiến của nhiều cơ quan",
		"Chờ kết quả xác minh",
		"Cán bộ thụ lý chưa kịp thời",
		"Lỗi hệ thống phần mềm",
	}
)

// centreShare is the part of the departments' (and the province's) dossiers
// received at the public administration service centre rather than at their
// own desk; districts and communes receive at their own one-stop desks.
const centreShare = 0.8

// desk is where dossier d was received, drawn from its code (not from the
// generator's random stream, so adding it changed no other figure).
func (g *generator) desk(d *dossier) events.Desk {
	switch g.dir.units[d.agency].level {
	case events.LevelDepartment, events.LevelProvince:
		if share(d.code) < centreShare {
			return events.DeskCentre
		}
	}
	return events.DeskAgency
}

// share maps s to [0, 1) evenly: a draw fixed by a code.
func share(s string) float64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return float64(h.Sum64()>>11) / (1 << 53)
}
