package simulate

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
)

// Shares of the catalogue in seed 004: 1.317 fully online and 386 partly
// online services, 43 internal procedures, out of about 1,900.
const (
	fullOnlineShare    = 1317.0 / 1857
	partialOnlineShare = 386.0 / 1857
	internalShare      = 43.0 / 1900
	decisionsPerMonth  = 9 // 55 decisions publishing procedures in six months
)

// procedure is one procedure of the catalogue.
type procedure struct {
	code     string
	name     string
	field    string
	spec     *fieldSpec // nil for internal procedures
	levels   []events.GovLevel
	days     float64
	online   events.OnlineLevel
	eligible bool
	fee      int64
	paper    bool
	internal bool
	owner    int     // the unit in charge: a department, rarely the province
	demand   float64 // relative number of dossiers
	repealed bool
}

// catalogue is the province's procedures and the sampler of the procedures
// citizens file dossiers for.
type catalogue struct {
	procs     []procedure
	perField  []int   // procedures created per field, for their names
	nextCode  [4]int  // the last code issued, by prefix (1–3)
	requested sampler // active, external procedures by demand
}

func newCatalogue(cfg Config, r *rand.Rand, dir *directory) *catalogue {
	c := &catalogue{perField: make([]int, len(fieldSpecs))}
	c.nextCode = [4]int{0, 100 + r.IntN(900), 100 + r.IntN(900), 100 + r.IntN(900)}
	internal := min(max(3, int(math.Round(float64(cfg.Procedures)*internalShare))), cfg.Procedures/4)
	external := cfg.Procedures - internal
	// Largest-remainder allocation of the external procedures to fields.
	total := 0.0
	for _, f := range fieldSpecs {
		total += f.share
	}
	counts := make([]int, len(fieldSpecs))
	rest := make([]float64, len(fieldSpecs))
	n := 0
	for i, f := range fieldSpecs {
		x := float64(external) * f.share / total
		counts[i] = int(x)
		rest[i] = x - float64(counts[i])
		n += counts[i]
	}
	order := make([]int, len(fieldSpecs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rest[b], rest[a]) })
	for i := 0; n < external; i, n = i+1, n+1 {
		counts[order[i%len(order)]]++
	}
	for fi, k := range counts {
		for range k {
			c.addExternal(r, dir, fi)
		}
	}
	for i := range internal {
		c.addInternal(r, dir, i)
	}
	c.rebuild()
	return c
}

// newCode returns a fresh procedure code in the national style: 1.xxxxxx
// for province procedures, 2.xxxxxx for district and commune ones,
// 3.xxxxxx for internal ones.
func (c *catalogue) newCode(r *rand.Rand, prefix int) string {
	c.nextCode[prefix] += 1 + r.IntN(9)
	return fmt.Sprintf("%d.%06d", prefix, c.nextCode[prefix])
}

// catalogueLevelWeight makes the catalogue mostly province procedures
// (about two thirds, as in Hải Phòng), then district, then commune ones.
var catalogueLevelWeight = map[events.GovLevel]float64{events.GovProvince: 4, events.GovDistrict: 1.2, events.GovCommune: 1}

// pickLevel draws one of levels with probability proportional to its weight.
func pickLevel(r *rand.Rand, levels []events.GovLevel, weight map[events.GovLevel]float64) events.GovLevel {
	total := 0.0
	for _, l := range levels {
		total += weight[l]
	}
	x := r.Float64() * total
	for _, l := range levels {
		if x -= weight[l]; x < 0 {
			return l
		}
	}
	return levels[len(levels)-1]
}

// levelWeight is how much more often a level handles a multi-level
// procedure's dossiers: lower levels are nearer to citizens.
var levelWeight = map[events.GovLevel]float64{events.GovProvince: 1, events.GovDistrict: 1.5, events.GovCommune: 4}

var levelOrder = map[events.GovLevel]int{events.GovProvince: 0, events.GovDistrict: 1, events.GovCommune: 2}

func sortLevels(ls []events.GovLevel) {
	slices.SortFunc(ls, func(a, b events.GovLevel) int { return levelOrder[a] - levelOrder[b] })
}

// addExternal creates the next procedure of field fi.
func (c *catalogue) addExternal(r *rand.Rand, dir *directory, fi int) *procedure {
	f := &fieldSpecs[fi]
	k := c.perField[fi]
	c.perField[fi]++
	name := f.names[k%len(f.names)]
	if round := k / len(f.names); round > 0 {
		name += variants[(round-1)%len(variants)]
		if round > len(variants) {
			name += fmt.Sprintf(" (trường hợp %d)", round)
		}
	}
	p := procedure{name: name, field: f.name, spec: f, days: f.days[r.IntN(len(f.days))], paper: r.Float64() < f.paperP}
	p.levels = []events.GovLevel{pickLevel(r, f.levels, catalogueLevelWeight)}
	if len(f.levels) > 1 && r.Float64() < 0.2 {
		if second := pickLevel(r, f.levels, catalogueLevelWeight); second != p.levels[0] {
			p.levels = append(p.levels, second)
			sortLevels(p.levels)
		}
	}
	if dir.reformed {
		p.levels = withoutDistrict(p.levels)
	}
	u := r.Float64()
	switch {
	case f.desk && u < 0.6, !f.desk && u >= fullOnlineShare+partialOnlineShare:
		p.online = events.OnlineNone
		p.eligible = r.Float64() < 0.1
	case f.desk, u >= fullOnlineShare:
		p.online = events.OnlinePartial
		p.eligible = r.Float64() < 0.5
	default:
		p.online, p.eligible = events.OnlineFull, true
	}
	if r.Float64() < f.feeP && len(f.fees) > 0 {
		p.fee = f.fees[r.IntN(len(f.fees))]
	}
	p.owner = ownerOf(r, dir, f.dept, fi)
	// Demand falls steeply with a procedure's rank in its field: a handful
	// of procedures make most dossiers.
	p.demand = f.demand * math.Pow(float64(k+1), -1.2) * lognormal(r, 0.5)
	prefix := 2
	if p.levels[0] == events.GovProvince {
		prefix = 1
	}
	p.code = c.newCode(r, prefix)
	c.procs = append(c.procs, p)
	return &c.procs[len(c.procs)-1]
}

// ownerOf is the department owning a field: the one its key names, or, in a
// province configured with fewer departments, one chosen by the field.
func ownerOf(r *rand.Rand, dir *directory, key string, salt int) int {
	if r.Float64() < 0.03 {
		return province // a few procedures are decided by the province itself
	}
	if i, ok := dir.department(key); ok {
		return dir.successor(i)
	}
	if len(dir.departments) == 0 {
		return province
	}
	return dir.departments[salt%len(dir.departments)]
}

func (c *catalogue) addInternal(r *rand.Rand, dir *directory, k int) *procedure {
	s := internalNames[k%len(internalNames)]
	name := s.name
	if round := k / len(internalNames); round > 0 {
		name += fmt.Sprintf(" (trường hợp %d)", round+1)
	}
	p := procedure{
		code: c.newCode(r, 3), name: name, field: s.field, levels: []events.GovLevel{events.GovProvince},
		days: []float64{5, 10, 15, 20}[r.IntN(4)], online: events.OnlineNone, internal: true,
		paper: true, owner: ownerOf(r, dir, s.dept, k),
	}
	c.procs = append(c.procs, p)
	return &c.procs[len(c.procs)-1]
}

func withoutDistrict(ls []events.GovLevel) []events.GovLevel {
	out := make([]events.GovLevel, 0, len(ls))
	for _, l := range ls {
		if l == events.GovDistrict {
			l = events.GovCommune
		}
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	sortLevels(out)
	return out
}

// rebuild refreshes the sampler of requested procedures.
func (c *catalogue) rebuild() {
	c.requested = sampler{}
	for i := range c.procs {
		if p := &c.procs[i]; !p.repealed && !p.internal {
			c.requested.add(i, p.demand)
		}
	}
}

func publication(p *procedure, no string, date events.Date) events.ProcedurePublished {
	return events.ProcedurePublished{
		Name: p.name, Field: p.field, Levels: slices.Clone(p.levels), DecisionNo: no, DecisionDate: date,
		StatutoryDays: p.days, OnlineLevel: p.online, OnlineEligible: p.eligible, FeeVND: p.fee,
		PaperResult: p.paper, Internal: p.internal,
		// most procedures go through the one-stop desks and have their
		// internal process; drawn from the code, off the random stream
		OneStop: !p.internal && share(p.code+"/one_stop") < 0.95, InternalProcessIssued: !p.internal && share(p.code+"/process") < 0.85,
	}
}

// active lists the procedures in force, internal ones or external ones.
func (c *catalogue) active(internal bool) []int {
	var out []int
	for i := range c.procs {
		if p := &c.procs[i]; !p.repealed && p.internal == internal {
			out = append(out, i)
		}
	}
	return out
}

// docNumbers hands out document numbers ("1234/QĐ-UBND") that grow through
// the year as the province's registers do, never the same one twice in a
// year.
type docNumbers struct {
	used map[numberKey]bool
	r    *rand.Rand
}

type numberKey struct {
	year   int
	number string
}

// Documents a province issues per working day, by series.
const (
	decisionsPerDay = 12.5 // QĐ-UBND: about 4,500 a year
	plansPerDay     = 1.1  // KH-UBND
)

// take reserves number in the year of day; it reports false if it was taken.
func (n *docNumbers) take(day int32, number string) bool {
	k := numberKey{dateOfDay(day).Year(), number}
	if n.used[k] {
		return false
	}
	n.used[k] = true
	return true
}

func (n *docNumbers) next(day int32, series string, perDay float64) string {
	doy := dateOfDay(day).YearDay()
	k := 1 + int(float64(doy)*perDay*5/7*(0.9+0.2*n.r.Float64()))
	for {
		s := fmt.Sprintf("%02d/%s", k, series)
		if n.take(day, s) {
			return s
		}
		k++
	}
}

// snapshotCatalogue publishes the catalogue the range starts with, grouped
// into decisions of the three years before it.
func (g *generator) snapshotCatalogue(ts int64) {
	r := g.rCat
	c := g.cat
	order := make([]int, len(c.procs))
	for i := range order {
		order[i] = i
	}
	r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	var sizes []int
	var days []int32
	for left := len(order); left > 0; {
		n := min(left, 3+r.IntN(40))
		sizes = append(sizes, n)
		days = append(days, g.cal.addWorkingDays(g.from-3*365+int32(r.IntN(3*365-5)), 0))
		left -= n
	}
	slices.Sort(days)
	sb := g.script()
	for di, day := range days {
		no := g.numbers.next(day, "QĐ-UBND", decisionsPerDay)
		for _, pi := range order[:sizes[di]] {
			p := &c.procs[pi]
			sb.add(g.provinceCode(), p.code, ts, publication(p, no, dateOfDay(day)))
		}
		order = order[sizes[di]:]
	}
	g.start(sb)
}

// decisions publishes the day's decisions on the catalogue: new procedures,
// amendments, repeals and, now and then, a delegation.
func (g *generator) decisions(day int32) {
	r := g.rCat
	mean := decisionsPerMonth * 12.0 / 250 // per working day
	for n := poisson(r, mean); n > 0; n-- {
		g.decision(day)
	}
}

func (g *generator) decision(day int32) {
	r := g.rCat
	c := g.cat
	no := g.numbers.next(day, "QĐ-UBND", decisionsPerDay)
	date := dateOfDay(day)
	ts := at(day, 14*hour+int64(r.IntN(3*hour)))
	sb := g.script()
	prov := g.provinceCode()
	emit := func(code string, p events.Payload) {
		sb.add(prov, code, ts, p)
		ts += 1 + int64(r.IntN(20))
	}
	fresh := 0
	if r.Float64() < 0.55 {
		fresh = 1 + r.IntN(8)
	}
	amend, repeal := 0, 0
	if r.Float64() < 0.6 {
		amend = 1 + r.IntN(10)
	}
	if r.Float64() < 0.35 {
		repeal = 1 + r.IntN(5)
	}
	if fresh+amend+repeal == 0 {
		fresh = 1
	}
	for range fresh {
		var p *procedure
		if r.Float64() < 0.05 {
			p = c.addInternal(r, g.dir, r.IntN(len(internalNames)))
		} else {
			p = c.addExternal(r, g.dir, g.fieldPick.pick(r))
		}
		emit(p.code, publication(p, no, date))
	}
	ext := c.active(false)
	for range amend {
		p := &c.procs[ext[r.IntN(len(ext))]]
		emit(p.code, amendment(r, p, no, date))
	}
	// Keep the catalogue from shrinking below the size it started with.
	for range repeal {
		if len(ext) <= g.cfg.Procedures/2 {
			break
		}
		k := r.IntN(len(ext))
		p := &c.procs[ext[k]]
		ext = slices.Delete(ext, k, k+1)
		p.repealed = true
		emit(p.code, events.ProcedureRepealed{DecisionNo: no, DecisionDate: date})
	}
	// Delegation (ủy quyền) to a department, or decentralisation (phân cấp)
	// of a province procedure to the district or commune level: about four
	// in six months.
	if r.Float64() < 0.08 {
		if p := &c.procs[ext[r.IntN(len(ext))]]; len(g.dir.departments) > 0 {
			kind := events.DelegationAuthorise
			to := g.dir.successor(p.owner)
			if to == province || r.Float64() < 0.3 {
				to = g.dir.departments[r.IntN(len(g.dir.departments))]
			}
			if r.Float64() < 0.2 && !g.dir.communes.empty() {
				kind, to = events.DelegationDecentralise, g.dir.communes.pick(r)
			}
			emit(p.code, events.ProcedureDelegated{Kind: kind, ToAgency: g.dir.units[to].code, DecisionNo: no, DecisionDate: date})
		}
	}
	c.rebuild()
	g.start(sb)
}

const amendedSuffix = " (sửa đổi, bổ sung)"

// amendment changes what decisions usually change: a shorter processing
// time, a higher online level, a new fee.
func amendment(r *rand.Rand, p *procedure, no string, date events.Date) events.ProcedureAmended {
	a := events.ProcedureAmended{DecisionNo: no, DecisionDate: date}
	switch u := r.Float64(); {
	case u < 0.4 && p.online != events.OnlineFull:
		if p.online == events.OnlineNone {
			p.online = events.OnlinePartial
		} else {
			p.online, p.eligible = events.OnlineFull, true
		}
		a.OnlineLevel, a.OnlineEligible = p.online, &p.eligible
	case u < 0.7 && p.days > 1:
		p.days = math.Max(1, math.Round(p.days*0.7))
		a.StatutoryDays = &p.days
	case u < 0.85:
		if p.fee == 0 && p.spec != nil && len(p.spec.fees) > 0 {
			p.fee = p.spec.fees[r.IntN(len(p.spec.fees))]
		} else {
			p.fee = p.fee / 2 / 1000 * 1000 // fee reductions for online services
		}
		a.FeeVND = &p.fee
	default:
		if !strings.HasSuffix(p.name, amendedSuffix) {
			p.name += amendedSuffix
		}
		a.Name = p.name
	}
	return a
}

// reformCatalogue moves the district procedures to the communes on the day
// of the two-tier reform.
func (g *generator) reformCatalogue(day int32) {
	c := g.cat
	no := g.numbers.next(day, "QĐ-UBND", decisionsPerDay)
	ts := at(day, 8*hour)
	sb := g.script()
	for i := range c.procs {
		p := &c.procs[i]
		if p.repealed || !slices.Contains(p.levels, events.GovDistrict) {
			continue
		}
		p.levels = withoutDistrict(p.levels)
		sb.add(g.provinceCode(), p.code, ts, events.ProcedureAmended{DecisionNo: no, DecisionDate: dateOfDay(day), Levels: slices.Clone(p.levels)})
		ts++
	}
	c.rebuild()
	g.start(sb)
}

// Review plans of a year: internal procedures listed at the end of March
// (QĐ 807 in 2024, 43 procedures), external ones at the end of April (KH
// 112/KH-UBND of 25/4/2024, 63 procedures), a supplementary list in
// September.
var reviewPlans = []struct {
	month     time.Month
	day       int
	internal  bool
	size      float64 // procedures listed, for a 1,900-procedure catalogue
	within    int     // days over which the reviews conclude
	simplifyP float64
}{
	{time.March, 31, true, 43, 75, 11.0 / 43},
	{time.April, 25, false, 63, 120, 0.35},
	{time.September, 10, false, 20, 75, 0.35},
}

// reviews starts the review plans issued on day.
func (g *generator) reviews(day int32) {
	date := dateOfDay(day)
	for _, rp := range reviewPlans {
		if g.cal.addWorkingDays(civilDay(date.Year(), rp.month, rp.day)-1, 1) == day {
			g.review(day, rp.internal, rp.size, rp.within, rp.simplifyP)
		}
	}
}

func (g *generator) review(day int32, internal bool, size float64, within int, simplifyP float64) {
	r := g.rCat
	c := g.cat
	plan := g.numbers.next(day, "KH-UBND", plansPerDay)
	if internal {
		plan = g.numbers.next(day, "QĐ-UBND", decisionsPerDay)
	}
	pool := c.active(internal)
	n := min(len(pool), max(3, int(math.Round(size*float64(g.cfg.Procedures)/1900))))
	if internal {
		n = len(pool) // every internal procedure is reviewed
	}
	r.Shuffle(len(pool), func(i, j int) { pool[i], pool[j] = pool[j], pool[i] })
	sb := g.script()
	prov := g.provinceCode()
	ts := at(day, 15*hour)
	for _, pi := range pool[:n] {
		sb.add(prov, c.procs[pi].code, ts, events.ProcedureReviewPlanned{Plan: plan, Internal: internal})
		ts++
	}
	for _, pi := range pool[:n] {
		p := &c.procs[pi]
		done := g.workTime(r, g.cal.addWorkingDays(day, 10+r.IntN(within*5/7)))
		outcome := events.ReviewKeep
		switch u := r.Float64(); {
		case u < simplifyP:
			outcome = events.ReviewSimplify
		case u < simplifyP+0.12:
			outcome = events.ReviewAmend
		case u < simplifyP+0.16:
			outcome = events.ReviewRepeal
		}
		sb.add(prov, p.code, done, events.ProcedureReviewed{Plan: plan, Internal: internal, Outcome: outcome})
		if outcome == events.ReviewSimplify {
			proposal := simplifications[r.IntN(len(simplifications))]
			if p.days >= 2 {
				proposal = fmt.Sprintf("Cắt giảm thời gian giải quyết từ %g xuống %g ngày làm việc", p.days, math.Max(1, math.Round(p.days*0.7)))
			}
			saving := int64(lognormal(r, 0.8)*30) * 1_000_000
			sb.add(prov, p.code, g.workTime(r, g.cal.addWorkingDays(dayOf(done), 1+r.IntN(15))),
				events.ProcedureSimplificationProposed{Internal: internal, Proposal: proposal, CostSavingVND: saving})
		}
	}
	g.start(sb)
}

var simplifications = []string{
	"Bỏ thành phần hồ sơ là bản sao giấy tờ đã được số hóa",
	"Khai thác thông tin từ Cơ sở dữ liệu quốc gia về dân cư thay cho yêu cầu nộp giấy tờ",
	"Thực hiện liên thông điện tử giữa các cơ quan giải quyết",
	"Cung cấp dịch vụ công trực tuyến toàn trình",
	"Gộp hai bước thẩm định và phê duyệt",
	"Chuẩn hóa mẫu đơn, tờ khai",
}
