package simulate

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/baocao/baocao/events"
)

// The two-tier reform: districts abolished, communes merged and placed
// under the province (Nghị quyết 202/2025/QH15, effective 1/7/2025).
var (
	reformDay         = civilDay(2025, 7, 1)
	departmentMergeOn = civilDay(2025, 3, 1)
	districtRenameOn  = civilDay(2025, 1, 1)
)

// unit is one agency of the directory.
type unit struct {
	code   string
	key    string // departments: the key in departmentSpecs
	kind   string // districts and communes: quận, huyện, phường, xã, thị trấn…
	place  string // districts and communes: the place name
	name   string
	level  events.AgencyLevel
	parent int // index of the parent; -1 for the province
	// weight is the unit's share of the dossiers received at its level.
	weight     float64
	mergedInto int // -1 while the unit exists on its own
	// takeover is the unit that takes over a merged unit's dossiers: the
	// absorbing one, except for a district, whose dossiers go to the commune
	// that took its name, not to the province.
	takeover  int
	created   events.Date
	onboarded events.Date
}

func (u *unit) active() bool { return u.mergedInto < 0 }

// directory is the province's agencies and the receiving desks dossiers
// are spread over.
type directory struct {
	units     []unit
	byCode    map[string]int
	issuer    string // "Ủy ban nhân dân thành phố Hải Phòng"
	system    string // the one-stop information system
	reformed  bool   // districts are gone
	anyMerged bool

	// Samplers of receiving agencies, rebuilt after each change.
	districts, communes sampler
	departments         []int // active departments
}

// dirEvent is a directory change about units[subject].
type dirEvent struct {
	subject int
	p       events.Payload
}

const province = 0 // the province is the first unit

func newDirectory(cfg Config, r *rand.Rand, from int32) *directory {
	unitWord, short := "tỉnh", cfg.ProvinceName
	for _, p := range []string{"Thành phố ", "thành phố ", "Tỉnh ", "tỉnh "} {
		if s, ok := strings.CutPrefix(cfg.ProvinceName, p); ok {
			short = s
			if strings.EqualFold(p, "thành phố ") {
				unitWord = "thành phố"
			}
		}
	}
	d := &directory{
		byCode: map[string]int{},
		issuer: "Ủy ban nhân dân " + lowerFirst(cfg.ProvinceName),
		system: "Hệ thống thông tin giải quyết thủ tục hành chính " + lowerFirst(cfg.ProvinceName),
	}
	fill := strings.NewReplacer("{unit}", unitWord, "{short}", short)
	suffix := lastToken(cfg.ProvinceCode)
	// Agencies existed long before the range and joined the one-stop system
	// in 2019–2021, or just before the range if it starts earlier.
	created := func() events.Date { return dateOfDay(min(civilDay(2000, 1, 1)+int32(r.IntN(13*365)), from-1)) }
	onboarded := func(c events.Date) events.Date {
		d := civilDay(2019, 7, 1) + int32(r.IntN(2*365+184))
		return dateOfDay(max(min(d, from-1), dayOfDate(c)))
	}
	add := func(u unit) int {
		u.mergedInto = -1
		u.created = created()
		u.onboarded = onboarded(u.created)
		d.byCode[u.code] = len(d.units)
		d.units = append(d.units, u)
		return len(d.units) - 1
	}
	add(unit{code: cfg.ProvinceCode, name: d.issuer, level: events.LevelProvince, parent: -1})
	for i := 1; i <= cfg.Departments; i++ {
		u := unit{code: fmt.Sprintf("000.00.%02d.%s", i, suffix), level: events.LevelDepartment, parent: province}
		if i <= len(departmentSpecs) {
			s := departmentSpecs[i-1]
			u.key, u.name = s.key, fill.Replace(s.name)
		} else {
			u.name = fmt.Sprintf(extraDepartment, i-len(departmentSpecs))
		}
		add(u)
	}
	places := newPlaceNames(r)
	for j := 1; j <= cfg.Districts; j++ {
		nn := cfg.Departments + j
		u := unit{code: fmt.Sprintf("000.00.%02d.%s", nn, suffix), level: events.LevelDistrict, parent: province}
		if j <= len(districtSpecs) {
			u.kind, u.place = districtSpecs[j-1].kind, districtSpecs[j-1].name
		} else {
			u.kind, u.place = "huyện", places.next()
		}
		u.name = "Ủy ban nhân dân " + u.kind + " " + u.place
		u.weight = lognormal(r, 0.4)
		if u.kind == "quận" {
			u.weight *= 1.4 // urban districts see more dossiers
		}
		di := add(u)
		for c := 1; c <= cfg.CommunesPerDistrict; c++ {
			cu := unit{code: fmt.Sprintf("000.%02d.%02d.%s", c, nn, suffix), level: events.LevelCommune, parent: di}
			switch {
			case u.kind == "quận":
				cu.kind, cu.place = "phường", places.next()
			case c == 1:
				cu.kind, cu.place = "thị trấn", places.next()
			default:
				cu.kind, cu.place = "xã", places.next()
			}
			cu.name = "Ủy ban nhân dân " + cu.kind + " " + cu.place
			cu.weight = lognormal(r, 0.5)
			if cu.kind != "xã" {
				cu.weight *= 1.5
			}
			add(cu)
		}
	}
	// Changes dated before the range are history: the range starts with
	// their result.
	if districtRenameOn < from {
		d.renameDistricts(districtRenameOn)
	}
	if departmentMergeOn < from {
		d.mergeDepartments(departmentMergeOn)
	}
	if reformDay < from {
		d.reform(r, reformDay)
	}
	d.rebuild()
	return d
}

func lognormal(r *rand.Rand, sigma float64) float64 { return math.Exp(sigma * r.NormFloat64()) }

func lowerFirst(s string) string {
	c, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(c)) + s[n:]
}

// placeNames hands out distinct place names.
type placeNames struct {
	all []string
	i   int
}

func newPlaceNames(r *rand.Rand) *placeNames {
	p := &placeNames{}
	for _, a := range placeFirst {
		for _, b := range placeSecond {
			if a != b {
				p.all = append(p.all, a+" "+b)
			}
		}
	}
	r.Shuffle(len(p.all), func(i, j int) { p.all[i], p.all[j] = p.all[j], p.all[i] })
	return p
}

func (p *placeNames) next() string {
	n := p.all[p.i%len(p.all)]
	if round := p.i / len(p.all); round > 0 {
		n = fmt.Sprintf("%s %d", n, round+1)
	}
	p.i++
	return n
}

// rebuild refreshes the samplers after a change.
func (d *directory) rebuild() {
	d.districts, d.communes, d.departments = sampler{}, sampler{}, d.departments[:0]
	for i := range d.units {
		u := &d.units[i]
		if !u.active() {
			continue
		}
		switch u.level {
		case events.LevelDepartment:
			d.departments = append(d.departments, i)
		case events.LevelDistrict:
			d.districts.add(i, u.weight)
		case events.LevelCommune:
			d.communes.add(i, u.weight)
		}
	}
}

// current is the unit that carries on for unit i (itself unless merged).
func (d *directory) current(i int) int {
	for d.units[i].mergedInto >= 0 {
		i = d.units[i].mergedInto
	}
	return i
}

// successor is the unit that handles what unit i handled.
func (d *directory) successor(i int) int {
	for d.units[i].mergedInto >= 0 {
		i = d.units[i].takeover
	}
	return i
}

// currentCode is current by code, for events written before a merge.
func (d *directory) currentCode(code string) string {
	if !d.anyMerged {
		return code
	}
	i, ok := d.byCode[code]
	if !ok {
		return code
	}
	return d.units[d.current(i)].code
}

// department finds a department by key; departments follow the province.
func (d *directory) department(key string) (int, bool) {
	for i := 1; i < len(d.units) && d.units[i].level == events.LevelDepartment; i++ {
		if d.units[i].key == key {
			return i, true
		}
	}
	return 0, false
}

// snapshot is the directory at the start of the range: every agency
// created, then onboarded on the one-stop system.
func (d *directory) snapshot() []dirEvent {
	var out []dirEvent
	for i := range d.units {
		u := &d.units[i]
		if u.active() {
			out = append(out, dirEvent{i, events.AgencyCreated{Name: u.name, Level: u.level, Parent: d.parentCode(u), EffectiveFrom: u.created}})
		}
	}
	for i := range d.units {
		u := &d.units[i]
		if u.active() {
			out = append(out, dirEvent{i, events.AgencyOnboarded{System: d.system, EffectiveFrom: u.onboarded}})
		}
	}
	return out
}

func (d *directory) parentCode(u *unit) string {
	if u.parent < 0 {
		return ""
	}
	return d.units[u.parent].code
}

func (d *directory) merge(from, into int, day int32, takeover int) dirEvent {
	d.units[from].mergedInto = into
	d.units[from].takeover = takeover
	d.units[into].weight += d.units[from].weight
	d.anyMerged = true
	return dirEvent{from, events.AgencyMerged{Into: d.units[into].code, EffectiveFrom: dateOfDay(day)}}
}

func (d *directory) rename(i int, kind string, day int32) dirEvent {
	u := &d.units[i]
	u.kind = kind
	u.name = "Ủy ban nhân dân " + kind + " " + u.place
	return dirEvent{i, events.AgencyRenamed{Name: u.name, EffectiveFrom: dateOfDay(day)}}
}

// renameDistricts applies the district renames of 1/1/2025.
func (d *directory) renameDistricts(day int32) []dirEvent {
	var out []dirEvent
	for _, rn := range districtRenames {
		for i := range d.units {
			if u := &d.units[i]; u.level == events.LevelDistrict && u.active() && u.place == rn.name {
				out = append(out, d.rename(i, rn.kind, day))
			}
		}
	}
	return out
}

// mergeDepartments applies the department mergers of 1/3/2025.
func (d *directory) mergeDepartments(day int32) []dirEvent {
	var out []dirEvent
	for _, m := range departmentMergers {
		from, ok1 := d.department(m.from)
		into, ok2 := d.department(m.into)
		if !ok1 || !ok2 || !d.units[from].active() || !d.units[into].active() {
			continue
		}
		out = append(out, d.merge(from, into, day, into))
		if m.rename != "" {
			d.units[into].name = m.rename
			out = append(out, dirEvent{into, events.AgencyRenamed{Name: m.rename, EffectiveFrom: dateOfDay(day)}})
		}
	}
	return out
}

// districtCommunes lists the active communes under district di, in code
// order.
func (d *directory) districtCommunes(di int) []int {
	var out []int
	for i := range d.units {
		if u := &d.units[i]; u.level == events.LevelCommune && u.active() && u.parent == di {
			out = append(out, i)
		}
	}
	return out
}

// reform applies the two-tier reform: in each district, communes are merged
// in threes into the largest of them; the remaining communes come directly
// under the province, the first of each district taking the district's name
// and its open dossiers; the districts are merged into the province.
func (d *directory) reform(r *rand.Rand, day int32) []dirEvent {
	var merged, changed []dirEvent
	eff := dateOfDay(day)
	for di := range d.units {
		dist := &d.units[di]
		if dist.level != events.LevelDistrict || !dist.active() {
			continue
		}
		communes := d.districtCommunes(di)
		seat := -1
		for len(communes) > 0 {
			n := min(len(communes), 2+r.IntN(3)) // groups of 2–4, three on average
			group := communes[:n]
			communes = communes[n:]
			keep := slices.MaxFunc(group, func(a, b int) int { return cmp.Compare(d.units[a].weight, d.units[b].weight) })
			for _, c := range group {
				if c != keep {
					merged = append(merged, d.merge(c, keep, day, keep))
				}
			}
			u := &d.units[keep]
			u.level, u.parent = events.LevelCommune, province
			changed = append(changed, dirEvent{keep, events.AgencyLevelChanged{Level: events.LevelCommune, Parent: d.units[province].code, EffectiveFrom: eff}})
			// Two-tier communes are phường (urban) or xã: no more thị trấn.
			kind := u.kind
			if kind == "thị trấn" {
				kind = "xã"
			}
			if seat < 0 {
				seat = keep
				if dist.kind != "huyện" {
					kind = "phường"
				}
				u.place = dist.place
				changed = append(changed, d.rename(keep, kind, day))
			} else if kind != u.kind {
				changed = append(changed, d.rename(keep, kind, day))
			}
		}
		if seat < 0 {
			seat = province // a district without communes hands over to the province
		}
		merged = append(merged, d.merge(di, province, day, seat))
	}
	d.reformed = true
	return append(merged, changed...)
}

// rearrange is a small administrative rearrangement at the start of a
// quarter: a commune upgraded (xã to thị trấn or phường) and, at the start
// of a half-year, two neighbouring communes merged and a commune moved to the
// neighbouring district (before the reform).
func (d *directory) rearrange(r *rand.Rand, day int32, halfYear bool) []dirEvent {
	var out []dirEvent
	var xa []int
	for i := range d.units {
		if u := &d.units[i]; u.level == events.LevelCommune && u.active() && u.kind == "xã" {
			xa = append(xa, i)
		}
	}
	if len(xa) > 0 {
		i := xa[r.IntN(len(xa))]
		kind := "phường"
		if p := d.units[i].parent; p != province && d.units[p].kind == "huyện" {
			kind = "thị trấn"
		}
		out = append(out, d.rename(i, kind, day))
	}
	if !halfYear {
		return out
	}
	// Groups of communes that may merge: a district's, or after the reform
	// those that shared a district (their codes still say which).
	groups := map[string][]int{}
	var keys []string
	for i := range d.units {
		if u := &d.units[i]; u.level == events.LevelCommune && u.active() {
			k := strings.Split(u.code, ".")[2]
			if _, ok := groups[k]; !ok {
				keys = append(keys, k)
			}
			groups[k] = append(groups[k], i)
		}
	}
	var big []string
	for _, k := range keys {
		if len(groups[k]) >= 3 {
			big = append(big, k)
		}
	}
	if len(big) == 0 {
		return out
	}
	g := groups[big[r.IntN(len(big))]]
	j := r.IntN(len(g) - 1)
	from, into := g[j], g[j+1]
	if d.units[from].weight > d.units[into].weight {
		from, into = into, from
	}
	out = append(out, d.merge(from, into, day, into))
	if d.reformed {
		return out
	}
	// Move the last commune of a district to the next one.
	var districts []int
	for i := range d.units {
		if u := &d.units[i]; u.level == events.LevelDistrict && u.active() {
			districts = append(districts, i)
		}
	}
	if len(districts) < 2 {
		return out
	}
	k := r.IntN(len(districts))
	src, dst := districts[k], districts[(k+1)%len(districts)]
	if cs := d.districtCommunes(src); len(cs) >= 3 {
		c := cs[len(cs)-1]
		d.units[c].parent = dst
		out = append(out, dirEvent{c, events.AgencyLevelChanged{Level: events.LevelCommune, Parent: d.units[dst].code, EffectiveFrom: dateOfDay(day)}})
	}
	return out
}

// sampler draws an index with probability proportional to its weight.
type sampler struct {
	idx []int
	cum []float64
}

func (s *sampler) add(i int, w float64) {
	total := 0.0
	if n := len(s.cum); n > 0 {
		total = s.cum[n-1]
	}
	s.idx = append(s.idx, i)
	s.cum = append(s.cum, total+w)
}

func (s *sampler) empty() bool { return len(s.idx) == 0 }

func (s *sampler) pick(r *rand.Rand) int {
	x := r.Float64() * s.cum[len(s.cum)-1]
	i, _ := slices.BinarySearch(s.cum, x)
	return s.idx[min(i, len(s.idx)-1)]
}
