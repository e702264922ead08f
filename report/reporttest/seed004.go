// Package reporttest builds event feeds whose reports are known in advance,
// for the golden tests of the report generator.
//
// Seed004 is the feed behind the six-month 2024 administrative-reform report
// of Hải Phòng (seeds/004_…): from its events the views give the figures the
// seed prints — 35/35 agencies and 217/217 communes on the one-stop system,
// 1.317 fully and 386 partly online services, 55 decisions publishing
// procedures, 11/43 internal procedures with a simplification proposal, 63
// procedures in the review plan, 4 delegated, PAKN 192 + 12 = 138 + 66,
// plan tasks 08/57 and 37 + 41 of 78, 14 recurring tasks of Kế hoạch
// 325/KH-UBND, PAR Index 91,87 (+1,78), SIPAS 88,90%
// (+5,02), 1.150 press items and 17 legal documents. The Seed* constants
// name each figure with the sentence of the seed it comes from.
//
// The dossiers are not in the seed: they are made up, a few hundred in the
// period and about a hundred a year earlier, and DossierForm computes the
// Thông tư 01/2020 form they imply, the way the dossier_periods view counts.
package reporttest

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/events"
)

// The figures of seed 004 (Báo cáo kết quả thực hiện công tác cải cách hành
// chính 6 tháng đầu năm 2024 của thành phố Hải Phòng), for the period
// 15/12/2023–14/6/2024 (official cut-off). Each is quoted from the seed.
const (
	// "Hệ thống Thông tin giải quyết thủ tục hành chính thành phố đã được
	// triển khai tập trung, thống nhất cho 35/35 sở, ban, ngành, quận, huyện,
	// 217/217 xã, phường, thị trấn": 20 sở, ban, ngành and 15 quận, huyện.
	SeedDepartments          = 20
	SeedDistricts            = 15
	SeedDepartmentsOnboarded = SeedDepartments + SeedDistricts // 35/35
	SeedCommunes             = 217                             // 217/217
	SeedCommunesOnboarded    = SeedCommunes
	SeedProvinceAgencies     = 1 // Ủy ban nhân dân thành phố

	// "cung cấp 1.317 dịch vụ công trực tuyến toàn trình và 386 dịch vụ công
	// trực tuyến một phần" (in force on 14/6/2024).
	SeedFullOnline    = 1317
	SeedPartialOnline = 386

	// "6 tháng đầu năm 2024, Chủ tịch Ủy ban nhân dân thành phố Hải Phòng đã
	// ban hành 55 Quyết định công bố danh mục TTHC."
	SeedDecisions = 55

	// "đề xuất phương án đơn giản hóa đối với 11/43 thủ tục hành chính đã được
	// công bố, đạt tỷ lệ 25,6%" (TTHC nội bộ, Quyết định số 807/QĐ-UBND ngày
	// 31/3/2024).
	SeedInternalProcedures = 43
	SeedInternalSimplified = 11

	// "Căn cứ Kế hoạch số 112/KH-UBND ngày 25/4/2024 … đã xây dựng kế hoạch
	// rà soát đối với 63 TTHC".
	SeedReviewPlanned = 63

	// "Từ ngày 15/12/2023 đến ngày 14/6/2024, theo đề nghị của Sở Tư pháp, Ủy
	// ban nhân dân thành phố đã đồng ý ủy quyền 04 TTHC trong lĩnh vực hành
	// chính tư pháp."
	SeedDelegated = 4

	// "Tổng số phản ánh, kiến nghị tiếp nhận mới: 192, số phản ánh, kiến nghị
	// kỳ trước chuyển sang: 12, số phản ánh, kiến nghị đã hoàn thành: 138, số
	// phản ánh, kiến nghị đang xử lý: 66 (trong hạn: 62, quá hạn 4)."
	SeedFeedbackNew         = 192
	SeedFeedbackCarriedOver = 12
	SeedFeedbackCompleted   = 138
	SeedFeedbackInProgress  = 66
	SeedFeedbackWithinDue   = 62
	SeedFeedbackOverdue     = 4

	// "Tính đến 15/6/2024, thành phố đã thực hiện hoàn thành 08/57 nhiệm vụ đề
	// ra tại Kế hoạch số 4791/QĐ-UBND ngày 29/12/2023".
	SeedReformTasks     = 57
	SeedReformTasksDone = 8

	// "Ủy ban nhân dân thành phố Hải Phòng được Chính phủ, Thủ tướng Chính phủ
	// giao 78 nhiệm vụ, kết quả thực hiện: Hoàn thành 37 nhiệm vụ đúng hạn;
	// Đang thực hiện 41 nhiệm vụ trong hạn; Không có nhiệm vụ quá hạn."
	SeedGovernmentTasks               = 78
	SeedGovernmentTasksOnTime         = 37
	SeedGovernmentTasksWithinDeadline = 41
	SeedGovernmentTasksOverdue        = 0

	// "Chỉ số cải cách hành chính (PAR Index) của thành phố tiếp tục duy trì
	// xếp hạng vị trí thứ 2/63 tỉnh, thành phố với kết quả đạt 91,87 điểm
	// (tăng 1,78 điểm so với năm 2022)".
	SeedPARIndex       = 91.87
	SeedPARIndexPrev   = 90.09 // 91,87 − 1,78
	SeedPARIndexChange = 1.78
	SeedPARRank        = 2
	SeedRankOf         = 63

	// "Chỉ số hài lòng … (SIPAS) của thành phố xếp hạng vị trí thứ 5/63 tỉnh,
	// thành phố với kết quả đạt 88,90% (tăng 5,02% so với năm 2022)".
	SeedSIPAS       = 88.90
	SeedSIPASPrev   = 83.88 // 88,90 − 5,02
	SeedSIPASChange = 5.02
	SeedSIPASRank   = 5

	// "6 tháng đầu năm 2024, các cơ quan báo chí thành phố đã đăng tải khoảng
	// 1.150 tin, bài, phóng sự tuyên truyền về công tác cải cách hành chính".
	SeedPressItems = 1150

	// "Ủy ban nhân dân thành phố đã ban hành 17 văn bản quy phạm pháp luật".
	SeedLegalDocuments = 17

	// "Ủy ban nhân dân thành phố ban hành và triển khai Kế hoạch số
	// 325/KH-UBND ngày 19/12/2023 với 14 nhiệm vụ triển khai thường xuyên, 39
	// nhiệm vụ chuyển tiếp từ năm 2023." No event says a task is carried
	// over: the 39 are tasks with a deadline in 2024, and the agencies' part
	// (Seed004Contributions) says where they come from.
	SeedDigitalTasksRecurring   = 14
	SeedDigitalTasksCarriedOver = 39
)

// Figures the seed does not give, chosen for the fixture.
const (
	// SeedOnlineEligible is the number of procedures in force eligible for
	// full online service, the 1.317 full ones among them (90,8%).
	SeedOnlineEligible = 1450
	// SeedControlTasks and SeedControlTasksDone: the tasks of the plan for
	// controlling procedures (QĐ 302/QĐ-UBND) and those done by 14/6/2024.
	SeedControlTasks     = 8
	SeedControlTasksDone = 2
)

// Codes and numbers the report names.
const (
	ProvinceCode = "000.00.00.H23" // Ủy ban nhân dân thành phố Hải Phòng
	JusticeCode  = "000.00.02.H23" // Sở Tư pháp, to which the 4 procedures are delegated

	ReformPlan       = "4791/QĐ-UBND"                                 // Kế hoạch CCHC năm 2024, 29/12/2023
	ControlPlan      = "302/QĐ-UBND"                                  // Kế hoạch kiểm soát TTHC năm 2024, 30/01/2024
	GovernmentPlan   = "Nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao" // the number of the government-assigned list
	DigitalPlan      = "325/KH-UBND"                                  // Kế hoạch chính quyền số năm 2024, 19/12/2023
	ReviewPlan       = "112/KH-UBND"                                  // Kế hoạch rà soát TTHC, 25/4/2024
	InternalDecision = "807/QĐ-UBND"                                  // công bố 43 TTHC nội bộ, 31/3/2024

	// Subject ids of the plans (task.assigned's plan).
	ReformPlanID     = ReformPlan
	ControlPlanID    = ControlPlan
	GovernmentPlanID = "NVCP/2024"
	DigitalPlanID    = DigitalPlan
)

// The periods: the report's (6 tháng đầu năm 2024, official cut-off) and the
// same period a year earlier. Now is the reference clock the feed was
// recorded by: every event happened before it.
var (
	PeriodStart     = events.NewDate(2023, time.December, 15)
	PeriodEnd       = events.NewDate(2024, time.June, 14)
	PrevPeriodStart = events.NewDate(2022, time.December, 15)
	PrevPeriodEnd   = events.NewDate(2023, time.June, 14)
	Now             = time.Date(2024, time.June, 20, 12, 0, 0, 0, events.Vietnam)
)

// feedEnd bounds every event of the feed: dossiers and feedback still open
// then stay open.
var feedEnd = time.Date(2024, time.June, 19, 17, 30, 0, 0, events.Vietnam)

// Seed004 returns an event feed from which the six-month 2024 report
// (official cut-off: 15/12/2023–14/6/2024) reproduces the figures of seed
// 004. The feed is the same on every call: ids are ksuids of the recorded
// time and a counter, times are fixed in events.Vietnam. Events are ordered
// by recorded time.
func Seed004() []events.Event {
	f := &feed{numbers: newNumbers()}
	dir := f.agencies()
	cat := f.catalogue()
	f.feedback(cat)
	f.plans()
	f.indicators()
	f.dossiers(dir, cat)
	f.digitalPlan()
	slices.SortStableFunc(f.evs, func(a, b events.Event) int {
		return cmp.Or(a.RecordedAt.Compare(b.RecordedAt), cmp.Compare(a.ID, b.ID))
	})
	return f.evs
}

// ---- The feed ----

type feed struct {
	evs     []events.Event
	n       uint64 // events so far: the id counter
	numbers *numbers
	pakn    map[int]int // feedback items numbered by year of receipt
}

// add records an event that occurred at t, recorded a few seconds later.
func (f *feed) add(agency, subject string, t time.Time, p events.Payload) {
	f.n++
	rec := t.Add(time.Duration(2+f.n%5) * time.Second)
	var b [16]byte
	copy(b[:8], "seed004\x00")
	binary.BigEndian.PutUint64(b[8:], f.n)
	id, err := ksuid.FromParts(rec, b[:])
	if err != nil { // only for times outside ksuid's epoch (2014–2150)
		panic(err)
	}
	f.evs = append(f.evs, events.Event{
		ID: id.String(), Type: p.EventType(), SchemaVersion: events.CurrentVersion(p.EventType()),
		Agency: agency, SubjectID: subject, OccurredAt: t, RecordedAt: rec, Payload: p,
	})
}

// rng is splitmix64: a fixed sequence whatever the Go release.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
func (r *rng) float() float64         { return float64(r.next()>>11) / (1 << 53) }
func (r *rng) intn(n int) int         { return int(r.next() % uint64(n)) }
func (r *rng) chance(p float64) bool  { return r.float() < p }
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }
func pick[T any](r *rng, xs []T) T    { return xs[r.intn(len(xs))] }

// ---- Calendar ----

var vn = events.Vietnam

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, vn) }

// clock is t's day in Vietnam at hh:mm.
func clock(t time.Time, hh, mm int) time.Time {
	y, m, d := t.In(vn).Date()
	return time.Date(y, m, d, hh, mm, 0, 0, vn)
}

func civil(t time.Time) events.Date { return events.DateOf(t) }

// holidays are the public holidays of the feed's years (Tết, 30/4–1/5, …).
var holidays = map[string]bool{
	"2023-01-02": true, "2023-01-20": true, "2023-01-23": true, "2023-01-24": true, "2023-01-25": true, "2023-01-26": true,
	"2023-05-01": true, "2023-05-02": true, "2023-05-03": true, "2023-09-01": true, "2023-09-04": true,
	"2024-01-01": true, "2024-02-08": true, "2024-02-09": true, "2024-02-12": true, "2024-02-13": true, "2024-02-14": true,
	"2024-04-18": true, "2024-04-29": true, "2024-04-30": true, "2024-05-01": true,
}

func isWorkday(t time.Time) bool {
	wd := t.In(vn).Weekday()
	return wd != time.Saturday && wd != time.Sunday && !holidays[civil(t).String()]
}

// addWorkdays is the n-th working day after t's day (n = 0: t's day, or the
// next working day if t's is not one), at midnight.
func addWorkdays(t time.Time, n int) time.Time {
	d := clock(t, 0, 0)
	for !isWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if isWorkday(d) {
			n--
		}
	}
	return d
}

// workdays lists the working days from's day to to's day, inclusive.
func workdays(from, to time.Time) []time.Time {
	var out []time.Time
	for d := clock(from, 0, 0); !d.After(clock(to, 0, 0)); d = d.AddDate(0, 0, 1) {
		if isWorkday(d) {
			out = append(out, d)
		}
	}
	return out
}

// deskTime is a time of the one-stop desk's opening hours on day.
func deskTime(r *rng, day time.Time) time.Time {
	m := r.intn(7 * 60) // 7:30–11:30, 13:30–16:30
	if m < 4*60 {
		return clock(day, 7, 30).Add(time.Duration(m) * time.Minute)
	}
	return clock(day, 13, 30).Add(time.Duration(m-4*60) * time.Minute)
}

// spread places n items over the working days of [from, to], evenly.
func spread(r *rng, from, to time.Time, n int) []time.Time {
	days := workdays(from, to)
	out := make([]time.Time, n)
	for j := range n {
		out[j] = deskTime(r, days[(2*j+1)*len(days)/(2*n)])
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// ---- Decision numbers ----

// numbers hands out document numbers. Vietnamese numbers restart every year
// but catalogue_summary groups decisions by number alone, so a number is
// never given twice, whatever the year.
type numbers struct {
	used map[string]bool
	r    rng
}

func newNumbers() *numbers {
	n := &numbers{used: map[string]bool{}, r: rng{s: 4_0004}}
	for _, s := range []string{InternalDecision, ReformPlan, ControlPlan, "4288/QĐ-UBND", "130/QĐ-UBND", "294/QĐ-UBND",
		"451/QĐ-UBND", "561/QĐ-UBND", "951/QĐ-UBND", "1259/QĐ-UBND", "1645/QĐ-UBND", "1687/QĐ-UBND"} {
		n.used[s] = true
	}
	return n
}

// next numbers a decision of series dated d: about 12 a day since 1 January.
func (n *numbers) next(d time.Time, series string) string {
	k := max(1, d.YearDay()*12+n.r.intn(12))
	for {
		s := fmt.Sprintf("%d/%s", k, series)
		if !n.used[s] {
			n.used[s] = true
			return s
		}
		k++
	}
}

// ---- Agency directory ----

type agency struct {
	code, name, key string
	level           events.AgencyLevel
	parent          string
}

type directory struct {
	departments map[string]agency // by key
	districts   []agency
	communes    []agency
}

var departmentList = []struct{ key, name string }{
	{"vp", "Văn phòng Ủy ban nhân dân thành phố"}, {"tp", "Sở Tư pháp"}, {"kh", "Sở Kế hoạch và Đầu tư"},
	{"tc", "Sở Tài chính"}, {"xd", "Sở Xây dựng"}, {"tn", "Sở Tài nguyên và Môi trường"},
	{"gt", "Sở Giao thông vận tải"}, {"ct", "Sở Công Thương"}, {"nn", "Sở Nông nghiệp và Phát triển nông thôn"},
	{"ld", "Sở Lao động - Thương binh và Xã hội"}, {"gd", "Sở Giáo dục và Đào tạo"}, {"yt", "Sở Y tế"},
	{"vh", "Sở Văn hóa và Thể thao"}, {"dl", "Sở Du lịch"}, {"tt", "Sở Thông tin và Truyền thông"},
	{"kc", "Sở Khoa học và Công nghệ"}, {"nv", "Sở Nội vụ"}, {"ng", "Sở Ngoại vụ"},
	{"ti", "Thanh tra thành phố"}, {"kt", "Ban Quản lý Khu kinh tế Hải Phòng"},
}

// districtList holds the 15 districts and their communes (217 in all;
// Bạch Long Vĩ has none).
var districtList = []struct {
	kind, name string
	communes   int
}{
	{"quận", "Hồng Bàng", 9}, {"quận", "Ngô Quyền", 13}, {"quận", "Lê Chân", 15}, {"quận", "Hải An", 8},
	{"quận", "Kiến An", 10}, {"quận", "Đồ Sơn", 7}, {"quận", "Dương Kinh", 6}, {"huyện", "Thủy Nguyên", 35},
	{"huyện", "An Dương", 14}, {"huyện", "An Lão", 17}, {"huyện", "Kiến Thụy", 18}, {"huyện", "Tiên Lãng", 23},
	{"huyện", "Vĩnh Bảo", 30}, {"huyện", "Cát Hải", 12}, {"huyện", "Bạch Long Vĩ", 0},
}

var (
	placeFirst = []string{"An", "Bình", "Cát", "Đông", "Hòa", "Hưng", "Lạc", "Minh", "Nam", "Ngọc", "Phú", "Quang", "Tân",
		"Thạch", "Thái", "Thanh", "Thủy", "Tiên", "Trung", "Vĩnh", "Xuân", "Đại", "Hồng", "Kiến", "Quốc", "Tam", "Đồng", "Gia"}
	placeSecond = []string{"An", "Bình", "Châu", "Dương", "Đức", "Hòa", "Hưng", "Khê", "Lâm", "Lợi", "Minh", "Ninh", "Phong",
		"Phúc", "Sơn", "Tân", "Thành", "Thịnh", "Thọ", "Tiến", "Trung", "Vinh", "Hải", "Hà", "Lập", "Long", "Nghĩa", "Thắng"}
)

const oneStopSystem = "Hệ thống thông tin giải quyết thủ tục hành chính thành phố Hải Phòng"

// agencies: the province, 20 departments, 15 districts and 217 communes,
// created before 2023 and onboarded on the one-stop system in 2021–2022.
func (f *feed) agencies() *directory {
	r := rng{s: 1}
	dir := &directory{departments: map[string]agency{}}
	loaded := time.Date(2021, time.June, 15, 8, 0, 0, 0, vn) // when the directory was entered
	k := 0
	create := func(a agency, from events.Date) {
		k++
		f.add(ProvinceCode, a.code, loaded.Add(time.Duration(k)*time.Minute),
			events.AgencyCreated{Name: a.name, Level: a.level, Parent: a.parent, EffectiveFrom: from})
	}
	onboard := func(a agency, on events.Date) {
		k++
		t := time.Date(on.Year(), on.Month(), on.Day(), 8, 0, 0, 0, vn).Add(time.Duration(k%600) * time.Second)
		f.add(ProvinceCode, a.code, t, events.AgencyOnboarded{System: oneStopSystem, EffectiveFrom: on})
	}
	var all []agency
	province := agency{code: ProvinceCode, name: "Ủy ban nhân dân thành phố Hải Phòng", level: events.LevelProvince}
	create(province, events.NewDate(2004, time.January, 1))
	all = append(all, province)
	for i, d := range departmentList {
		a := agency{code: fmt.Sprintf("000.00.%02d.H23", i+1), name: d.name, key: d.key, level: events.LevelDepartment, parent: ProvinceCode}
		create(a, events.NewDate(2008, time.April, 1))
		dir.departments[d.key] = a
		all = append(all, a)
	}
	seen := map[string]bool{}
	for j, d := range districtList {
		nn := len(departmentList) + j + 1
		a := agency{code: fmt.Sprintf("000.00.%02d.H23", nn), name: "Ủy ban nhân dân " + d.kind + " " + d.name, level: events.LevelDistrict, parent: ProvinceCode}
		create(a, events.NewDate(2004, time.January, 1))
		dir.districts = append(dir.districts, a)
		all = append(all, a)
		for c := 1; c <= d.communes; c++ {
			kind := "xã"
			switch {
			case d.kind == "quận":
				kind = "phường"
			case c == 1:
				kind = "thị trấn"
			}
			var place string
			for place == "" || seen[place] {
				place = pick(&r, placeFirst) + " " + pick(&r, placeSecond)
			}
			seen[place] = true
			ca := agency{code: fmt.Sprintf("000.%02d.%02d.H23", c, nn), name: "Ủy ban nhân dân " + kind + " " + place, level: events.LevelCommune, parent: a.code}
			// Hải Phòng's communes as of the 2020 mergers (Nghị quyết 818/NQ-UBTVQH14).
			create(ca, events.NewDate(2020, time.January, 1))
			dir.communes = append(dir.communes, ca)
			all = append(all, ca)
		}
	}
	for _, a := range all {
		on := events.NewDate(2021, time.July, 1)
		if a.level == events.LevelCommune {
			on = events.NewDate(2022, time.January, 1)
		}
		onboard(a, on)
	}
	return dir
}

// ---- Procedure catalogue ----

type fieldSpec struct {
	name   string
	dept   string // key of the department in charge
	levels []events.GovLevel
	share  int // relative number of procedures
	days   []float64
	fees   []int64 // none: free
	desk   bool    // originals needed at the desk: rarely online
	names  []string
}

var (
	gP        = events.GovProvince
	gD        = events.GovDistrict
	gC        = events.GovCommune
	pOn       = []events.GovLevel{gP}
	allLevels = []events.GovLevel{gP, gD, gC}
)

var fieldList = []fieldSpec{
	{"Hộ tịch", "tp", []events.GovLevel{gC, gD}, 9, []float64{0.5, 1, 3, 5}, []int64{0, 8000, 0, 10000}, false,
		[]string{"Đăng ký khai sinh", "Cấp bản sao trích lục hộ tịch", "Đăng ký kết hôn", "Cấp Giấy xác nhận tình trạng hôn nhân", "Đăng ký khai tử",
			"Đăng ký nhận cha, mẹ, con", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "Đăng ký lại khai sinh", "Đăng ký giám hộ"}},
	{"Chứng thực", "tp", []events.GovLevel{gC, gD}, 5, []float64{0.5, 1, 2}, []int64{2000, 10000, 50000}, true,
		[]string{"Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực chữ ký trong các giấy tờ, văn bản",
			"Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản", "Chứng thực văn bản thỏa thuận phân chia di sản", "Chứng thực di chúc"}},
	{"Lý lịch tư pháp", "tp", pOn, 1, []float64{10, 15}, []int64{200000, 100000}, false,
		[]string{"Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng"}},
	{"Nuôi con nuôi", "tp", pOn, 1, []float64{20, 30}, []int64{0, 9000000}, false,
		[]string{"Giải quyết việc người nước ngoài thường trú ở Việt Nam nhận con nuôi", "Đăng ký lại việc nuôi con nuôi có yếu tố nước ngoài",
			"Ghi chú việc nuôi con nuôi đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài", "Xác nhận công dân Việt Nam thường trú trong nước đủ điều kiện nhận con nuôi nước ngoài",
			"Cấp, gia hạn giấy phép hoạt động của văn phòng con nuôi nước ngoài"}},
	{"Công chứng", "tp", pOn, 2, []float64{10, 15, 20}, []int64{500000, 1000000}, false,
		[]string{"Đăng ký hành nghề và cấp Thẻ công chứng viên", "Thành lập Văn phòng công chứng", "Đăng ký hoạt động Văn phòng công chứng", "Chuyển đổi Văn phòng công chứng"}},
	{"Đất đai", "tn", []events.GovLevel{gD, gP}, 8, []float64{5, 10, 15, 20}, []int64{25000, 50000, 100000}, false,
		[]string{"Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
			"Xóa đăng ký thế chấp quyền sử dụng đất", "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu", "Tách thửa hoặc hợp thửa đất", "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
			"Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền", "Đính chính Giấy chứng nhận đã cấp"}},
	{"Môi trường", "tn", []events.GovLevel{gP, gD}, 3, []float64{15, 20, 30}, []int64{3000000, 6000000}, false,
		[]string{"Cấp giấy phép môi trường", "Thẩm định báo cáo đánh giá tác động môi trường", "Đăng ký môi trường"}},
	{"Tài nguyên nước", "tn", pOn, 2, []float64{20, 30}, []int64{400000, 1400000}, false,
		[]string{"Cấp giấy phép khai thác, sử dụng nước dưới đất", "Cấp giấy phép xả nước thải vào nguồn nước", "Gia hạn giấy phép khai thác nước mặt"}},
	{"Xây dựng", "xd", []events.GovLevel{gD, gP}, 7, []float64{7, 10, 15, 20}, []int64{50000, 75000, 150000}, false,
		[]string{"Cấp giấy phép xây dựng nhà ở riêng lẻ", "Cấp giấy phép xây dựng mới đối với công trình", "Điều chỉnh giấy phép xây dựng", "Gia hạn giấy phép xây dựng",
			"Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng", "Cấp chứng chỉ hành nghề hoạt động xây dựng", "Cấp giấy phép di dời công trình"}},
	{"Nhà ở", "xd", []events.GovLevel{gP, gD}, 2, []float64{15, 30}, []int64{0, 100000}, false,
		[]string{"Mua, thuê mua nhà ở xã hội", "Thuê nhà ở công vụ", "Công nhận chủ đầu tư dự án nhà ở"}},
	{"Đường bộ", "gt", pOn, 5, []float64{1, 3, 5, 10}, []int64{135000, 50000, 30000}, false,
		[]string{"Cấp đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Cấp lại giấy phép lái xe", "Cấp giấy phép lái xe quốc tế", "Cấp phù hiệu xe ô tô kinh doanh vận tải",
			"Cấp giấy phép kinh doanh vận tải bằng xe ô tô", "Cấp giấy phép lưu hành xe quá tải trọng"}},
	{"Đường thủy nội địa", "gt", pOn, 2, []float64{3, 5, 10}, []int64{50000, 70000}, false,
		[]string{"Đăng ký phương tiện thủy nội địa lần đầu", "Cấp giấy phép hoạt động bến thủy nội địa", "Công bố hoạt động cảng thủy nội địa"}},
	{"Thành lập và hoạt động doanh nghiệp", "kh", pOn, 5, []float64{3}, []int64{0, 50000, 100000}, false,
		[]string{"Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên", "Đăng ký thành lập công ty cổ phần",
			"Thông báo tạm ngừng kinh doanh", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "Đăng ký hoạt động chi nhánh, văn phòng đại diện", "Giải thể doanh nghiệp"}},
	{"Đăng ký kinh doanh", "kh", []events.GovLevel{gD}, 2, []float64{3}, []int64{100000}, false,
		[]string{"Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh"}},
	{"Đầu tư tại Việt Nam", "kh", pOn, 3, []float64{15, 25, 35}, nil, false,
		[]string{"Cấp Giấy chứng nhận đăng ký đầu tư", "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
			"Chấm dứt hoạt động của dự án đầu tư"}},
	{"Lưu thông hàng hóa trong nước", "ct", []events.GovLevel{gP, gD}, 3, []float64{10, 15}, []int64{200000, 400000, 1200000}, false,
		[]string{"Cấp Giấy phép bán lẻ sản phẩm rượu", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu"}},
	{"Điện", "ct", pOn, 1, []float64{10, 15}, []int64{700000, 1400000}, false,
		[]string{"Cấp giấy phép hoạt động phân phối điện", "Cấp giấy phép hoạt động phát điện"}},
	{"Trồng trọt", "nn", []events.GovLevel{gP, gD}, 2, []float64{5, 10, 15}, []int64{200000, 500000}, false,
		[]string{"Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật", "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón", "Chuyển đổi cơ cấu cây trồng trên đất trồng lúa"}},
	{"Thú y", "nn", pOn, 2, []float64{5, 10}, []int64{150000, 250000}, false,
		[]string{"Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh", "Cấp Chứng chỉ hành nghề thú y",
			"Cấp Giấy chứng nhận cơ sở an toàn dịch bệnh động vật"}},
	{"Thủy sản", "nn", []events.GovLevel{gP, gD}, 2, []float64{3, 5, 10}, []int64{40000, 100000}, false,
		[]string{"Cấp văn bản chấp thuận đóng mới, cải hoán tàu cá", "Đăng ký tàu cá", "Cấp giấy phép khai thác thủy sản"}},
	{"Người có công", "ld", allLevels, 4, []float64{5, 10, 12, 20}, nil, false,
		[]string{"Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "Hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần",
			"Xác nhận thông tin về liệt sĩ, thân nhân liệt sĩ", "Cấp giấy xác nhận thân nhân của người có công"}},
	{"Bảo trợ xã hội", "ld", []events.GovLevel{gC, gD}, 3, []float64{7, 10, 20}, nil, false,
		[]string{"Trợ giúp xã hội thường xuyên tại cộng đồng", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
			"Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật", "Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở"}},
	{"Lao động", "ld", []events.GovLevel{gP, gD}, 3, []float64{3, 5, 10}, []int64{0, 400000, 600000}, false,
		[]string{"Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam", "Cấp lại giấy phép lao động cho người lao động nước ngoài",
			"Gửi thỏa ước lao động tập thể", "Đăng ký nội quy lao động của doanh nghiệp"}},
	{"Giáo dục và Đào tạo", "gd", []events.GovLevel{gP, gD}, 6, []float64{3, 5, 10, 20}, []int64{0, 0, 50000}, false,
		[]string{"Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "Chuyển trường đối với học sinh trung học cơ sở", "Chuyển trường đối với học sinh trung học phổ thông",
			"Chỉnh sửa nội dung văn bằng, chứng chỉ", "Thành lập trường mầm non tư thục", "Cho phép trung tâm ngoại ngữ, tin học hoạt động giáo dục"}},
	{"Khám bệnh, chữa bệnh", "yt", pOn, 4, []float64{10, 20, 30}, []int64{360000, 1500000, 4300000}, false,
		[]string{"Cấp giấy phép hành nghề khám bệnh, chữa bệnh", "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa", "Cấp lại giấy phép hành nghề",
			"Cấp giấy phép hoạt động đối với phòng khám đa khoa", "Điều chỉnh giấy phép hoạt động khám bệnh, chữa bệnh"}},
	{"Dược phẩm", "yt", pOn, 3, []float64{20, 30}, []int64{500000, 1000000}, false,
		[]string{"Cấp Chứng chỉ hành nghề dược", "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược", "Cho phép hủy thuốc gây nghiện, thuốc hướng tâm thần",
			"Cấp giấy xác nhận nội dung thông tin, quảng cáo thuốc"}},
	{"An toàn thực phẩm", "yt", []events.GovLevel{gP, gD}, 2, []float64{7, 15}, []int64{500000, 1000000}, false,
		[]string{"Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Đăng ký bản công bố sản phẩm"}},
	{"Văn hóa", "vh", []events.GovLevel{gP, gD}, 3, []float64{5, 7, 10}, []int64{0, 2000000, 4000000}, false,
		[]string{"Cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke", "Cấp giấy phép tổ chức biểu diễn nghệ thuật", "Thông báo tổ chức lễ hội"}},
	{"Du lịch", "dl", pOn, 2, []float64{5, 10, 15}, []int64{650000, 3000000}, false,
		[]string{"Cấp thẻ hướng dẫn viên du lịch nội địa", "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Công nhận hạng cơ sở lưu trú du lịch"}},
	{"Báo chí, xuất bản", "tt", pOn, 2, []float64{7, 10, 15}, nil, false,
		[]string{"Cho phép họp báo", "Cấp giấy phép xuất bản bản tin", "Cấp giấy phép hoạt động trang thông tin điện tử tổng hợp", "Đăng ký hoạt động cơ sở in"}},
	{"Hoạt động khoa học và công nghệ", "kc", pOn, 2, []float64{10, 15, 30}, []int64{0, 500000}, false,
		[]string{"Đăng ký hoạt động khoa học và công nghệ", "Cấp Giấy chứng nhận doanh nghiệp khoa học và công nghệ", "Đăng ký công bố hợp chuẩn"}},
	{"Thi đua - Khen thưởng", "nv", allLevels, 4, []float64{10, 20, 30}, nil, false,
		[]string{"Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh", "Tặng danh hiệu Lao động tiên tiến", "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã", "Khen thưởng đột xuất"}},
	{"Tôn giáo", "nv", allLevels, 2, []float64{15, 20, 30}, nil, false,
		[]string{"Đăng ký sinh hoạt tôn giáo tập trung", "Thông báo tổ chức hội nghị thường niên của tổ chức tôn giáo", "Đề nghị tổ chức cuộc lễ ngoài cơ sở tôn giáo"}},
	{"Quản lý công sản", "tc", []events.GovLevel{gP, gD}, 2, []float64{15, 30}, nil, false,
		[]string{"Quyết định mua sắm tài sản công", "Quyết định thanh lý tài sản công", "Quyết định điều chuyển tài sản công"}},
	{"Công tác lãnh sự", "ng", pOn, 1, []float64{5, 10}, nil, false,
		[]string{"Cho phép sử dụng thẻ đi lại của doanh nhân APEC", "Tổ chức hội nghị, hội thảo quốc tế"}},
	{"Giải quyết khiếu nại, tố cáo", "ti", allLevels, 2, []float64{30, 45}, nil, true,
		[]string{"Giải quyết khiếu nại lần đầu", "Giải quyết khiếu nại lần hai", "Giải quyết tố cáo", "Tiếp công dân"}},
	{"Quản lý khu kinh tế", "kt", pOn, 3, []float64{5, 10, 15}, []int64{0, 400000}, false,
		[]string{"Cấp Giấy chứng nhận đăng ký đầu tư trong khu kinh tế", "Cấp giấy phép lao động cho người nước ngoài làm việc trong khu công nghiệp",
			"Cấp giấy phép xây dựng trong khu kinh tế", "Xác nhận hợp đồng thuê lại đất trong khu công nghiệp"}},
}

// variants name further procedures of a field once its list is used up.
var variants = []string{" (cấp lại)", " (điều chỉnh)", " có yếu tố nước ngoài", " (gia hạn)", " đối với tổ chức", " đối với cá nhân",
	" trong trường hợp bị mất, hư hỏng", " (cấp đổi)", " liên thông", " (bổ sung)", " đối với doanh nghiệp nhỏ và vừa",
	" đối với người nước ngoài", " theo quy trình rút gọn", " trên môi trường điện tử"}

// internalList are the internal procedures (TTHC nội bộ) of QĐ 807/QĐ-UBND,
// each carried out at province level and, when marked, at district level too.
var internalList = []struct {
	field, name string
	district    bool
}{
	{"Tổ chức - Biên chế", "Thẩm định đề án vị trí việc làm", true},
	{"Tổ chức - Biên chế", "Giao biên chế công chức cho các cơ quan, tổ chức hành chính", true},
	{"Tổ chức - Biên chế", "Thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập", true},
	{"Công chức, viên chức", "Bổ nhiệm, bổ nhiệm lại công chức lãnh đạo, quản lý", true},
	{"Công chức, viên chức", "Điều động, luân chuyển công chức", true},
	{"Công chức, viên chức", "Xếp lương, nâng bậc lương trước thời hạn", true},
	{"Kiểm soát thủ tục hành chính", "Công bố danh mục thủ tục hành chính", false},
	{"Kiểm soát thủ tục hành chính", "Phê duyệt phương án đơn giản hóa thủ tục hành chính", true},
	{"Kiểm soát thủ tục hành chính", "Phê duyệt quy trình nội bộ giải quyết thủ tục hành chính", true},
	{"Xây dựng văn bản quy phạm pháp luật", "Thẩm định dự thảo văn bản quy phạm pháp luật", true},
	{"Xây dựng văn bản quy phạm pháp luật", "Lập đề nghị xây dựng nghị quyết của Hội đồng nhân dân", true},
	{"Quản lý ngân sách", "Thẩm định dự toán ngân sách", true},
	{"Quản lý ngân sách", "Phân bổ, giao dự toán ngân sách", true},
	{"Quản lý công sản", "Giao tài sản công cho cơ quan nhà nước", true},
	{"Đầu tư công", "Thẩm định chủ trương đầu tư dự án đầu tư công", true},
	{"Đầu tư công", "Giao kế hoạch đầu tư công trung hạn", true},
	{"Thi đua - Khen thưởng", "Xét tặng danh hiệu Tập thể lao động xuất sắc", true},
	{"Văn thư - Lưu trữ", "Giao nộp hồ sơ, tài liệu vào lưu trữ lịch sử", true},
	{"Thanh tra", "Xây dựng, phê duyệt kế hoạch thanh tra", true},
	{"Chuyển đổi số", "Thẩm định hồ sơ đề xuất cấp độ an toàn hệ thống thông tin", true},
	{"Chuyển đổi số", "Thẩm định kế hoạch thuê dịch vụ công nghệ thông tin", true},
	{"Thanh tra", "Tiếp nhận, xử lý báo cáo kết quả thanh tra", true},
}

// Sizes of the catalogue (external procedures).
const (
	inForceExternal   = 1857              // in force on 14/6/2024: 1.317 full, 386 partial, 154 none
	newInPeriod       = 96                // published by decisions dated in the period
	repealedInPeriod  = 48                // repealed by decisions dated in the period
	repealedBefore    = 20                // repealed in 2023, before the period
	upgradedToFull    = 150               // amended in the period from partial to full online service
	upgradedToPartial = 20                // amended in the period from none to partial
	renamedInPeriod   = 10                // amended in the period: a new name
	externalDecisions = SeedDecisions - 1 // and QĐ 807/QĐ-UBND for the internal procedures
	baselineDecisions = 60
)

type procRole int

const (
	roleBaseline       procRole = iota // published before the period, in force
	roleNew                            // published in the period
	roleRepealedIn                     // published before, repealed in the period
	roleRepealedBefore                 // published before, repealed in 2023
)

type procedure struct {
	code, name, field, dept string
	fieldIdx                int
	levels                  []events.GovLevel
	days                    float64
	fee                     int64
	paper, desk, internal   bool
	role                    procRole
	score                   float64
	online                  events.OnlineLevel // the level on 14/6/2024
	eligible                bool
	publishedOn             events.Date
}

type catalogue struct {
	procs    []*procedure
	internal []*procedure
}

// catalogue publishes the procedures: the baseline by 60 decisions of
// 2021–2023, 20 of them repealed by 3 decisions in autumn 2023; then, in the period, 54 decisions that
// publish, amend and repeal external procedures and QĐ 807/QĐ-UBND that
// publishes the 43 internal ones; the review plan (63), the delegation to Sở
// Tư pháp (4) and the simplification proposals (11 internal).
func (f *feed) catalogue() *catalogue {
	r := rng{s: 2}
	cat := &catalogue{}
	var inForce []*procedure
	cat.procs, inForce = externalProcedures(&r)

	// Amendments in the period: upgrades of online service and new names.
	type amendment struct {
		p *procedure
		a events.ProcedureAmended
	}
	baseOnline := map[*procedure]events.OnlineLevel{}
	baseEligible := map[*procedure]bool{}
	var amendments []amendment
	amended := map[*procedure]bool{}
	takeAmong := func(n int, ok func(p *procedure) bool, make func(p *procedure) events.ProcedureAmended) {
		var pool []*procedure
		for _, p := range inForce {
			if p.role == roleBaseline && !amended[p] && ok(p) {
				pool = append(pool, p)
			}
		}
		for range n {
			i := r.intn(len(pool))
			p := pool[i]
			pool = slices.Delete(pool, i, i+1)
			amended[p] = true
			amendments = append(amendments, amendment{p, make(p)})
		}
	}
	yes := true
	takeAmong(upgradedToFull, func(p *procedure) bool { return p.online == events.OnlineFull }, func(p *procedure) events.ProcedureAmended {
		baseOnline[p], baseEligible[p] = events.OnlinePartial, r.chance(0.5)
		return events.ProcedureAmended{OnlineLevel: events.OnlineFull, OnlineEligible: &yes}
	})
	takeAmong(upgradedToPartial, func(p *procedure) bool { return p.online == events.OnlinePartial && !p.eligible }, func(p *procedure) events.ProcedureAmended {
		baseOnline[p] = events.OnlineNone
		return events.ProcedureAmended{OnlineLevel: events.OnlinePartial}
	})
	renamed := map[*procedure]string{}
	takeAmong(renamedInPeriod, func(p *procedure) bool { return p.days >= 3 }, func(p *procedure) events.ProcedureAmended {
		renamed[p] = p.name
		p.name += " (sửa đổi, bổ sung)"
		return events.ProcedureAmended{Name: p.name}
	})

	// The baseline: published by 60 decisions from 3/2021 to 9/2023, field
	// by field, and 20 procedures repealed by 3 decisions in autumn 2023.
	var baseline []*procedure
	for _, p := range cat.procs {
		if p.role != roleNew {
			baseline = append(baseline, p)
		}
	}
	slices.SortStableFunc(baseline, func(a, b *procedure) int { return cmp.Compare(a.fieldIdx, b.fieldIdx) })
	// Each decision covers a run of fields; the runs are dated in shuffled
	// order, so no field waits for the last years.
	baseDays := workdays(date(2021, time.March, 1), date(2023, time.September, 29))
	dateOrder := make([]int, baselineDecisions)
	for i := range dateOrder {
		dateOrder[i] = i
	}
	for i := len(dateOrder) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		dateOrder[i], dateOrder[j] = dateOrder[j], dateOrder[i]
	}
	for d := range baselineDecisions {
		day := baseDays[(2*dateOrder[d]+1)*len(baseDays)/(2*baselineDecisions)]
		no := f.numbers.next(day, "QĐ-UBND")
		chunk := baseline[d*len(baseline)/baselineDecisions : (d+1)*len(baseline)/baselineDecisions]
		for k, p := range chunk {
			online, eligible := p.online, p.eligible
			if o, ok := baseOnline[p]; ok {
				online, eligible = o, baseEligible[p]
			}
			name := p.name
			if old, ok := renamed[p]; ok {
				name = old
			}
			p.publishedOn = civil(day)
			f.add(ProvinceCode, p.code, clock(day, 15, 0).Add(time.Duration(k)*time.Minute), p.published(name, online, eligible, no, day))
		}
	}
	var early []*procedure
	for _, p := range cat.procs {
		if p.role == roleRepealedBefore {
			early = append(early, p)
		}
	}
	for d, day := range []time.Time{date(2023, time.October, 12), date(2023, time.November, 8), date(2023, time.November, 27)} {
		no := f.numbers.next(day, "QĐ-UBND")
		for k, p := range early[d*len(early)/3 : (d+1)*len(early)/3] {
			f.add(ProvinceCode, p.code, clock(day, 15, 30).Add(time.Duration(k)*time.Minute), events.ProcedureRepealed{DecisionNo: no, DecisionDate: civil(day)})
		}
	}

	// The period's 54 decisions on external procedures, each a run of
	// actions (publish, amend, repeal) sorted by field.
	type action struct {
		p     *procedure
		kind  int // 0 publish, 1 amend, 2 repeal
		amend events.ProcedureAmended
	}
	var actions []action
	for _, p := range cat.procs {
		switch p.role {
		case roleNew:
			actions = append(actions, action{p: p, kind: 0})
		case roleRepealedIn:
			actions = append(actions, action{p: p, kind: 2})
		}
	}
	for _, a := range amendments {
		actions = append(actions, action{p: a.p, kind: 1, amend: a.a})
	}
	slices.SortStableFunc(actions, func(a, b action) int {
		return cmp.Or(cmp.Compare(a.p.fieldIdx, b.p.fieldIdx), cmp.Compare(a.kind, b.kind), cmp.Compare(a.p.code, b.p.code))
	})
	periodDays := workdays(date(2023, time.December, 15), date(2024, time.June, 14))
	for d := range externalDecisions {
		day := periodDays[(2*d+1)*len(periodDays)/(2*externalDecisions)]
		no := f.numbers.next(day, "QĐ-UBND")
		for k, a := range actions[d*len(actions)/externalDecisions : (d+1)*len(actions)/externalDecisions] {
			t := clock(day, 16, 0).Add(time.Duration(k) * time.Minute)
			switch a.kind {
			case 0:
				a.p.publishedOn = civil(day)
				f.add(ProvinceCode, a.p.code, t, a.p.published(a.p.name, a.p.online, a.p.eligible, no, day))
			case 1:
				a.amend.DecisionNo, a.amend.DecisionDate = no, civil(day)
				f.add(ProvinceCode, a.p.code, t, a.amend)
			case 2:
				f.add(ProvinceCode, a.p.code, t, events.ProcedureRepealed{DecisionNo: no, DecisionDate: civil(day)})
			}
		}
	}

	// QĐ 807/QĐ-UBND (31/3/2024): the 43 internal procedures.
	day807 := date(2024, time.March, 31)
	for i, in := range internalList {
		levels := [][]events.GovLevel{{gP}}
		if in.district {
			levels = append(levels, []events.GovLevel{gD})
		}
		for _, lv := range levels {
			name := in.name
			if lv[0] == gD {
				name += " cấp huyện"
			}
			p := &procedure{code: fmt.Sprintf("3.%06d", 5000+len(cat.internal)), name: name, field: in.field, levels: lv,
				days: float64(10 + 5*(i%3)), internal: true, online: events.OnlineNone, publishedOn: civil(day807)}
			cat.internal = append(cat.internal, p)
		}
	}
	if len(cat.internal) != SeedInternalProcedures {
		panic(fmt.Sprintf("reporttest: %d internal procedures, want %d", len(cat.internal), SeedInternalProcedures))
	}
	for k, p := range cat.internal {
		f.add(ProvinceCode, p.code, clock(day807, 10, 0).Add(time.Duration(k)*time.Minute),
			p.published(p.name, events.OnlineNone, false, InternalDecision, day807))
	}
	// Simplification proposals for 11 of them, May 2024.
	for k := range SeedInternalSimplified {
		p := cat.internal[(k*7)%len(cat.internal)]
		t := clock(addWorkdays(date(2024, time.May, 6), 2*k), 9, 30)
		f.add(ProvinceCode, p.code, t, events.ProcedureSimplificationProposed{Internal: true,
			Proposal:      fmt.Sprintf("Cắt giảm thời gian thực hiện từ %g xuống %g ngày làm việc; bỏ thành phần hồ sơ bản giấy", p.days, p.days-3),
			CostSavingVND: int64(15+10*k) * 1_000_000})
	}

	// Kế hoạch 112/KH-UBND (25/4/2024): 63 procedures to review.
	var reviewable []*procedure
	for _, p := range inForce {
		if p.role == roleBaseline && !amended[p] {
			reviewable = append(reviewable, p)
		}
	}
	reviewDays := workdays(date(2024, time.April, 26), date(2024, time.May, 10))
	listed := map[*procedure]bool{}
	for k := range SeedReviewPlanned {
		i := (k*29 + 11) % len(reviewable)
		for listed[reviewable[i]] {
			i = (i + 1) % len(reviewable)
		}
		p := reviewable[i]
		listed[p] = true
		t := clock(reviewDays[k%len(reviewDays)], 14, 0).Add(time.Duration(k) * time.Minute)
		f.add(ProvinceCode, p.code, t, events.ProcedureReviewPlanned{Plan: ReviewPlan})
	}

	// Four procedures of Nuôi con nuôi delegated (ủy quyền) to Sở Tư pháp.
	delegDay := date(2024, time.May, 20)
	delegNo := f.numbers.next(delegDay, "QĐ-UBND")
	k := 0
	for _, p := range inForce {
		if p.field == "Nuôi con nuôi" && p.role == roleBaseline && k < SeedDelegated {
			f.add(ProvinceCode, p.code, clock(delegDay, 16, 30).Add(time.Duration(k)*time.Minute),
				events.ProcedureDelegated{Kind: events.DelegationAuthorise, ToAgency: JusticeCode, DecisionNo: delegNo, DecisionDate: civil(delegDay)})
			k++
		}
	}
	if k != SeedDelegated {
		panic(fmt.Sprintf("reporttest: %d procedures of Nuôi con nuôi to delegate, want %d", k, SeedDelegated))
	}
	return cat
}

// externalProcedures makes the 1.925 external procedures, field by field in
// proportion to their shares, and draws their roles: 20 repealed in 2023,
// 48 repealed and 96 published in the period, the rest in force throughout.
// Those in force on 14/6/2024 get their online service by how suited they
// are: the 1.317 most suited full, the next 386 partial (133 of them
// eligible for full service), the rest none.
func externalProcedures(r *rng) (procs, inForce []*procedure) {
	total := inForceExternal + repealedInPeriod + repealedBefore
	// Largest-remainder allocation of the procedures to fields.
	shares := 0
	for _, fs := range fieldList {
		shares += fs.share
	}
	counts := make([]int, len(fieldList))
	type rem struct {
		i int
		x float64
	}
	var rest []rem
	n := 0
	for i, fs := range fieldList {
		x := float64(total) * float64(fs.share) / float64(shares)
		counts[i] = int(x)
		rest = append(rest, rem{i, x - float64(counts[i])})
		n += counts[i]
	}
	slices.SortStableFunc(rest, func(a, b rem) int { return cmp.Compare(b.x, a.x) })
	for k := 0; n < total; k, n = k+1, n+1 {
		counts[rest[k].i]++
	}
	for fi, fs := range fieldList {
		for j := range counts[fi] {
			// The same name recurs at each level of the field, with its own code.
			k := j / len(fs.levels)
			name := fs.names[k%len(fs.names)]
			if v := k / len(fs.names); v > 0 {
				name += variants[(v-1)%len(variants)]
				if v > len(variants) {
					name += fmt.Sprintf(" (trường hợp %d)", (v-1)/len(variants)+1)
				}
			}
			p := &procedure{name: name, field: fs.name, dept: fs.dept, fieldIdx: fi, levels: []events.GovLevel{fs.levels[j%len(fs.levels)]},
				days: fs.days[j%len(fs.days)], paper: r.chance(0.5), desk: fs.desk}
			if len(fs.fees) > 0 {
				p.fee = fs.fees[j%len(fs.fees)]
			}
			base := 0.75
			if fs.desk {
				base = 0.1
			}
			p.score = base + 0.6*r.float()
			procs = append(procs, p)
		}
	}
	// Roles: a shuffled order, the first ones repealed or new.
	order := make([]int, len(procs))
	for i := range order {
		order[i] = i
	}
	for i := len(order) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	for k, i := range order {
		switch {
		case k < repealedBefore:
			procs[i].role = roleRepealedBefore
		case k < repealedBefore+repealedInPeriod:
			procs[i].role = roleRepealedIn
		case k < repealedBefore+repealedInPeriod+newInPeriod:
			procs[i].role = roleNew
		}
	}
	// Codes: the baseline's 1.xxxxxx and 2.xxxxxx, new ones 3.xxxxxx.
	for i, p := range procs {
		if p.role == roleNew {
			p.code = fmt.Sprintf("3.%06d", 100+i)
		} else {
			p.code = fmt.Sprintf("%d.%06d", 1+i%2, 1000+3*i)
		}
	}
	// Online service on 14/6/2024, by how suited each procedure is.
	var gone []*procedure
	for _, p := range procs {
		if p.role == roleBaseline || p.role == roleNew {
			inForce = append(inForce, p)
		} else {
			gone = append(gone, p)
		}
	}
	byScore := slices.Clone(inForce)
	slices.SortStableFunc(byScore, func(a, b *procedure) int { return cmp.Compare(b.score, a.score) })
	for k, p := range byScore {
		switch {
		case k < SeedFullOnline:
			p.online, p.eligible = events.OnlineFull, true
		case k < SeedFullOnline+SeedPartialOnline:
			p.online, p.eligible = events.OnlinePartial, k < SeedOnlineEligible
		default:
			p.online = events.OnlineNone
		}
	}
	for _, p := range gone {
		p.online = pick(r, []events.OnlineLevel{events.OnlinePartial, events.OnlineNone})
	}
	return procs, inForce
}

func (p *procedure) published(name string, online events.OnlineLevel, eligible bool, no string, day time.Time) events.ProcedurePublished {
	return events.ProcedurePublished{Name: name, Field: p.field, Levels: p.levels, DecisionNo: no, DecisionDate: civil(day),
		StatutoryDays: p.days, OnlineLevel: online, OnlineEligible: eligible || online == events.OnlineFull,
		FeeVND: p.fee, PaperResult: p.paper, Internal: p.internal}
}

// ---- Feedback (PAKN) ----

// paknDue is the time allowed to answer a piece of feedback.
const paknDue = 45 * 24 * time.Hour

var (
	regulationSummaries = []string{
		"Kiến nghị sửa đổi quy định về thành phần hồ sơ", "Phản ánh quy định về thời hạn giải quyết chưa phù hợp",
		"Đề nghị hướng dẫn áp dụng quy định về phí, lệ phí", "Kiến nghị bãi bỏ yêu cầu nộp bản sao có chứng thực",
		"Phản ánh quy định chồng chéo giữa các văn bản", "Đề nghị làm rõ điều kiện thực hiện thủ tục",
	}
	procedureSummaries = []string{
		"Phản ánh việc chậm trả kết quả giải quyết hồ sơ", "Phản ánh việc yêu cầu bổ sung giấy tờ không có trong quy định",
		"Hỏi về cách nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia", "Phản ánh lỗi thanh toán trực tuyến lệ phí",
		"Đề nghị hướng dẫn trình tự thực hiện thủ tục", "Phản ánh thái độ hướng dẫn chưa đầy đủ tại Bộ phận Một cửa",
	}
	rejectReasons = []string{"Trùng nội dung phản ánh đã được xử lý", "Không thuộc phạm vi xử lý phản ánh, kiến nghị về quy định hành chính"}
)

// paknBatch is the feedback of one six-month period: the items carried over
// from before it, the new ones by month, and those still open at its end.
type paknBatch struct {
	start, end     time.Time // the period (days)
	carriedFrom    time.Time // receipts of the carried-over items: carriedFrom … start−2 days
	carried        int
	months         []monthCount
	openWithin     int // open at the end, due after it
	openOverdue    int // open at the end, due by it
	closeOpenLater bool
}

type monthCount struct {
	from, to time.Time
	n        int
}

func (f *feed) feedback(cat *catalogue) {
	r := rng{s: 3}
	f.pakn = map[int]int{}
	prev := paknBatch{
		start: date(2022, time.December, 15), end: date(2023, time.June, 14),
		carriedFrom: date(2022, time.November, 7), carried: 8,
		months: []monthCount{{date(2022, 12, 15), date(2022, 12, 31), 10}, {date(2023, 1, 1), date(2023, 1, 31), 18},
			{date(2023, 2, 1), date(2023, 2, 28), 20}, {date(2023, 3, 1), date(2023, 3, 31), 25}, {date(2023, 4, 1), date(2023, 4, 30), 26},
			{date(2023, 5, 1), date(2023, 5, 31), 30}, {date(2023, 6, 1), date(2023, 6, 14), 13}},
		openWithin: 35, openOverdue: 3, closeOpenLater: true,
	}
	cur := paknBatch{
		start: date(2023, time.December, 15), end: date(2024, time.June, 14),
		carriedFrom: date(2023, time.November, 1), carried: SeedFeedbackCarriedOver,
		months: []monthCount{{date(2023, 12, 15), date(2023, 12, 31), 14}, {date(2024, 1, 1), date(2024, 1, 31), 28},
			{date(2024, 2, 1), date(2024, 2, 29), 20}, {date(2024, 3, 1), date(2024, 3, 31), 32}, {date(2024, 4, 1), date(2024, 4, 30), 34},
			{date(2024, 5, 1), date(2024, 5, 31), 42}, {date(2024, 6, 1), date(2024, 6, 14), 22}},
		openWithin: SeedFeedbackWithinDue, openOverdue: SeedFeedbackOverdue,
	}
	f.paknBatch(&r, cat, prev)
	f.paknBatch(&r, cat, cur)
}

func (f *feed) paknBatch(r *rng, cat *catalogue, b paknBatch) {
	endOfPeriod := b.end.Add(24*time.Hour - time.Second)
	type item struct {
		recv, due time.Time
		carried   bool
		open      bool
	}
	var items []item
	for _, t := range spread(r, b.carriedFrom, b.start.AddDate(0, 0, -2), b.carried) {
		items = append(items, item{recv: t, due: t.Add(paknDue), carried: true})
	}
	for _, m := range b.months {
		for _, t := range spread(r, m.from, m.to, m.n) {
			items = append(items, item{recv: t, due: t.Add(paknDue)})
		}
	}
	// Open at the end: the latest items still within their deadline, and a
	// few overdue from two to three months before the end.
	within := 0
	for i := len(items) - 1; i >= 0 && within < b.openWithin; i-- {
		if civil(items[i].due).After(civil(b.end).Time) {
			items[i].open = true
			within++
		}
	}
	overdue := 0
	for i := range items {
		it := &items[i]
		if overdue < b.openOverdue && !it.carried && !it.open && it.recv.After(b.end.AddDate(0, 0, -100)) && it.recv.Before(b.end.AddDate(0, 0, -50)) && i%5 == 0 {
			it.open = true
			overdue++
		}
	}
	if within != b.openWithin || overdue != b.openOverdue {
		panic(fmt.Sprintf("reporttest: feedback open within due %d (want %d), overdue %d (want %d)", within, b.openWithin, overdue, b.openOverdue))
	}
	for _, it := range items {
		y := it.recv.Year()
		f.pakn[y]++
		id := fmt.Sprintf("PAKN-H23-%d-%05d", y, f.pakn[y])
		channel := events.FeedbackNationalPortal
		switch u := r.float(); {
		case u < 0.08:
			channel = events.FeedbackProvincePortal
		case u < 0.12:
			channel = events.FeedbackHotline
		case u < 0.15:
			channel = events.FeedbackEmail
		}
		rec := events.FeedbackReceived{Channel: channel, Topic: events.TopicRegulation, DueAt: it.due, Summary: pick(r, regulationSummaries)}
		handler := pick(r, []string{"tp", "tn", "xd", "kh", "ld", "gt", "vp"})
		if r.chance(0.45) {
			p := cat.procs[r.intn(len(cat.procs))]
			for p.role != roleBaseline {
				p = cat.procs[r.intn(len(cat.procs))]
			}
			rec.Topic, rec.Procedure, rec.Summary = events.TopicProcedure, p.code, pick(r, procedureSummaries)
			handler = p.dept
		}
		handlerCode := fmt.Sprintf("000.00.%02d.H23", deptIndex(handler))
		f.add(ProvinceCode, id, it.recv, rec)
		classified := clock(addWorkdays(it.recv, 1), 9, 0).Add(time.Duration(r.intn(120)) * time.Minute)
		if classified.Before(feedEnd) {
			f.add(ProvinceCode, id, classified, events.FeedbackClassified{Topic: rec.Topic, Handler: handlerCode})
		}
		var done time.Time
		switch {
		case it.open && !b.closeOpenLater:
			continue
		case it.open:
			done = clock(addWorkdays(endOfPeriod, r.between(3, 50)), 15, 0)
		case it.carried:
			done = clock(addWorkdays(b.start, r.between(1, 30)), 15, 0)
		default:
			done = clock(addWorkdays(it.recv, r.between(5, 28)), 15, 0)
			last := clock(addWorkdays(b.end, 0), 15, 0)
			for !isWorkday(last) || last.After(endOfPeriod) {
				last = last.AddDate(0, 0, -1)
			}
			if done.After(last) {
				done = last
			}
			if !done.After(classified) {
				done = classified.Add(2 * time.Hour)
			}
		}
		if r.chance(0.07) {
			f.add(handlerCode, id, done, events.FeedbackRejected{Reason: pick(r, rejectReasons)})
			continue
		}
		f.add(handlerCode, id, done, events.FeedbackAnswered{Summary: "Đã trả lời, hướng dẫn người phản ánh"})
		if pub := done.Add(26 * time.Hour); r.chance(0.7) && pub.Before(feedEnd) {
			f.add(handlerCode, id, pub, events.FeedbackPublished{URL: "https://dichvucong.gov.vn/p/phananhkiennghi/" + id})
		}
		if rated := done.Add(50 * time.Hour); r.chance(0.2) && rated.Before(feedEnd) {
			f.add(handlerCode, id, rated, events.FeedbackRated{Satisfied: r.chance(0.85)})
		}
	}
}

func deptIndex(key string) int {
	for i, d := range departmentList {
		if d.key == key {
			return i + 1
		}
	}
	panic("reporttest: no department " + key)
}

func deptCode(key string) string { return fmt.Sprintf("000.00.%02d.H23", deptIndex(key)) }

// ---- Plans and tasks ----

type reformTask struct {
	title string
	lead  string
	// done and product: completed by 14/6/2024, with the seed's document;
	// deadline then is the one it met.
	done     events.Date
	product  string
	deadline events.Deadline
}

func dl(kind events.DeadlineKind, n int) events.Deadline {
	d := events.Deadline{Kind: kind, Year: 2024}
	switch kind {
	case events.DeadlineMonth:
		d.Month = n
	case events.DeadlineQuarter:
		d.Quarter = n
	case events.DeadlineHalfYear:
		d.Half = n
	case events.DeadlineDate:
		dd := events.NewDate(2024, time.Month(n/100), n%100)
		d.Year, d.Date = 0, &dd
	case events.DeadlineRecurring:
		d.Year, d.Recurrence = 0, []events.Recurrence{events.RecurContinuous, events.RecurQuarterly, events.RecurMonthly}[n]
	}
	return d
}

func done(m time.Month, d int, product string, deadline events.Deadline) reformTask {
	return reformTask{done: events.NewDate(2024, m, d), product: product, deadline: deadline}
}

// reformSections are the sections I–VII of Kế hoạch 4791/QĐ-UBND: 57 tasks,
// 8 of them done by 14/6/2024 (the seed's documents).
var reformSections = []struct {
	area  events.ReformArea
	lead  string
	tasks []reformTask
}{
	{events.AreaDirection, "nv", []reformTask{
		{title: "Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024"},
		{title: "Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024"},
		{title: "Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2023"},
		{title: "Kiểm tra công tác cải cách hành chính tại các cơ quan, đơn vị"},
		{title: "Xác định Chỉ số cải cách hành chính của các sở, ban, ngành, Ủy ban nhân dân cấp huyện năm 2024"},
		{title: "Đo lường sự hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính năm 2024"},
		{title: "Tổ chức Hội thi trực tuyến tìm hiểu công tác cải cách hành chính"},
		{title: "Báo cáo cải cách hành chính định kỳ quý, 6 tháng, năm"},
	}},
	{events.AreaInstitutions, "tp", []reformTask{
		{title: "Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm 2024"},
		{title: "Công bố kết quả hệ thống hóa văn bản quy phạm pháp luật kỳ 2019 - 2023"},
		{title: "Xây dựng, ban hành văn bản quy phạm pháp luật theo Chương trình năm 2024"},
		{title: "Rà soát văn bản quy phạm pháp luật năm 2024"},
		{title: "Kiểm tra, xử lý văn bản quy phạm pháp luật"},
		{title: "Phổ biến, giáo dục pháp luật"},
		{title: "Triển khai các giải pháp cải thiện Chỉ số cải thiện các quy định pháp luật"},
		{title: "Kiểm tra tình hình thi hành pháp luật trong lĩnh vực trọng tâm, liên ngành"},
	}},
	{events.AreaProcedures, "vp", []reformTask{
		{title: "Ban hành Kế hoạch cải cách thủ tục hành chính trọng tâm năm 2024"},
		{title: "Kiểm soát quy định thủ tục hành chính trong dự thảo văn bản quy phạm pháp luật"},
		{title: "Công bố, công khai danh mục thủ tục hành chính"},
		{title: "Rà soát, đơn giản hóa thủ tục hành chính năm 2024"},
		{title: "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"},
		{title: "Nâng cao tỷ lệ hồ sơ trực tuyến"},
		{title: "Đẩy mạnh thanh toán trực tuyến phí, lệ phí"},
		{title: "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính"},
		{title: "Đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766"},
		{title: "Rà soát, đánh giá thủ tục hành chính nội bộ"},
	}},
	{events.AreaOrganisation, "nv", []reformTask{
		{title: "Giao biên chế công chức, số lượng người làm việc năm 2024"},
		{title: "Rà soát, sắp xếp tổ chức bộ máy các cơ quan chuyên môn"},
		{title: "Sắp xếp, tổ chức lại đơn vị sự nghiệp công lập"},
		{title: "Thực hiện tinh giản biên chế"},
		{title: "Đẩy mạnh phân cấp, ủy quyền trong giải quyết thủ tục hành chính"},
		{title: "Mở rộng áp dụng Tiêu chuẩn TCVN ISO 18091:2020 tại chính quyền địa phương"},
		{title: "Sắp xếp đơn vị hành chính cấp huyện, cấp xã giai đoạn 2023 - 2025"},
	}},
	{events.AreaCivilService, "nv", []reformTask{
		{title: "Ban hành Kế hoạch tuyển dụng công chức năm 2024"},
		{title: "Đánh giá, xếp loại cán bộ, công chức, viên chức"},
		{title: "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2024"},
		{title: "Kiểm tra kỷ luật, kỷ cương hành chính"},
		{title: "Hoàn thiện vị trí việc làm"},
		{title: "Tổ chức thi nâng ngạch công chức, thăng hạng viên chức năm 2024"},
		{title: "Cập nhật cơ sở dữ liệu cán bộ, công chức, viên chức"},
		{title: "Thực hiện quy tắc ứng xử của cán bộ, công chức"},
	}},
	{events.AreaPublicFinance, "tc", []reformTask{
		{title: "Giao quyền tự chủ tài chính cho đơn vị sự nghiệp công lập"},
		{title: "Quản lý, sử dụng tài sản công"},
		{title: "Công khai ngân sách nhà nước"},
		{title: "Thực hiện cơ chế khoán kinh phí quản lý hành chính"},
		{title: "Đẩy mạnh giải ngân vốn đầu tư công năm 2024"},
		{title: "Triển khai giá dịch vụ sự nghiệp công"},
	}},
	{events.AreaEGovernment, "tt", []reformTask{
		{title: "Vận hành Hệ thống thông tin giải quyết thủ tục hành chính thành phố"},
		{title: "Phát triển chính quyền số, kinh tế số, xã hội số"},
		{title: "Kết nối, chia sẻ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư"},
		{title: "Bảo đảm an toàn thông tin mạng"},
		{title: "Gửi, nhận văn bản điện tử có ký số"},
		{title: "Nâng cấp Trung tâm giám sát, điều hành thông minh"},
		{title: "Cung cấp dịch vụ công trực tuyến toàn trình"},
		{title: "Số hóa dữ liệu chuyên ngành"},
		{title: "Triển khai Hệ thống thông tin báo cáo thành phố"},
		{title: "Kiểm tra hoạt động áp dụng Hệ thống quản lý chất lượng TCVN ISO 9001:2015"},
	}},
}

// reformDone are the 8 tasks of Kế hoạch 4791 done by 14/6/2024, by title.
var reformDone = map[string]reformTask{
	"Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2024":            done(time.March, 8, "Kế hoạch số 60/KH-UBND ngày 08/3/2024", dl(events.DeadlineQuarter, 1)),
	"Ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2024":       done(time.April, 16, "Kế hoạch số 97/KH-UBND ngày 16/4/2024", dl(events.DeadlineQuarter, 2)),
	"Tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2023":             done(time.January, 19, "Báo cáo số 10/BC-UBND ngày 19/01/2024", dl(events.DeadlineMonth, 1)),
	"Ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm 2024":       done(time.January, 29, "Quyết định số 294/QĐ-UBND ngày 29/01/2024", dl(events.DeadlineQuarter, 1)),
	"Công bố kết quả hệ thống hóa văn bản quy phạm pháp luật kỳ 2019 - 2023": done(time.February, 29, "Quyết định số 561/QĐ-UBND ngày 29/02/2024", dl(events.DeadlineQuarter, 1)),
	"Ban hành Kế hoạch cải cách thủ tục hành chính trọng tâm năm 2024":       done(time.February, 29, "Kế hoạch số 52/KH-UBND ngày 29/02/2024", dl(events.DeadlineQuarter, 1)),
	"Giao biên chế công chức, số lượng người làm việc năm 2024":              done(time.January, 16, "Quyết định số 130/QĐ-UBND ngày 16/01/2024", dl(events.DeadlineMonth, 1)),
	"Ban hành Kế hoạch tuyển dụng công chức năm 2024":                        done(time.April, 12, "Kế hoạch số 91/KH-UBND ngày 12/4/2024", dl(events.DeadlineQuarter, 2)),
}

// openDeadlines are the deadlines of tasks still running on 14/6/2024, none
// before it.
var openDeadlines = []events.Deadline{
	dl(events.DeadlineYear, 0), dl(events.DeadlineRecurring, 0), dl(events.DeadlineQuarter, 4), dl(events.DeadlineHalfYear, 2),
	dl(events.DeadlineQuarter, 3), dl(events.DeadlineMonth, 12), dl(events.DeadlineRecurring, 1), dl(events.DeadlineDate, 1130),
	dl(events.DeadlineQuarter, 2), dl(events.DeadlineYear, 0),
}

var governmentTitles = []string{
	"Triển khai Nghị quyết số 01/NQ-CP về nhiệm vụ, giải pháp chủ yếu thực hiện Kế hoạch phát triển kinh tế - xã hội năm 2024",
	"Thực hiện Nghị quyết số 02/NQ-CP về cải thiện môi trường kinh doanh, nâng cao năng lực cạnh tranh quốc gia năm 2024",
	"Triển khai Đề án phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử (Đề án 06)",
	"Rà soát, cắt giảm, đơn giản hóa quy định liên quan đến hoạt động kinh doanh",
	"Báo cáo tình hình thực hiện Chỉ thị của Thủ tướng Chính phủ về đẩy mạnh cải cách thủ tục hành chính",
	"Thực hiện kết luận của Thủ tướng Chính phủ tại Thông báo của Văn phòng Chính phủ",
	"Đẩy nhanh tiến độ giải ngân vốn đầu tư công",
	"Tháo gỡ khó khăn, vướng mắc cho doanh nghiệp, dự án đầu tư",
	"Triển khai Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030",
	"Thực hiện các nhiệm vụ chuyển đổi số quốc gia năm 2024",
	"Sắp xếp đơn vị hành chính cấp huyện, cấp xã giai đoạn 2023 - 2025",
	"Báo cáo kết quả thực hiện nhiệm vụ được giao trên Hệ thống theo dõi nhiệm vụ",
}

var governmentAreas = []events.ReformArea{events.AreaProcedures, events.AreaEGovernment, events.AreaInstitutions, events.AreaProcedures,
	events.AreaDirection, events.AreaDirection, events.AreaPublicFinance, events.AreaProcedures, events.AreaDirection,
	events.AreaEGovernment, events.AreaOrganisation, events.AreaDirection}

var governmentLeads = []string{"kh", "tt", "tp", "vp", "nv", "tc", "xd", "tn", "ct", "ld"}

// controlTasks are the tasks of Kế hoạch 302/QĐ-UBND the fixture follows.
var controlTasks = []struct {
	code, title, lead string
	deadline          events.Deadline
	done              events.Date
	product           string
}{
	{"II.1.2", "Tham mưu ban hành Quyết định công bố thủ tục hành chính", "vp", dl(events.DeadlineRecurring, 0), events.Date{}, ""},
	{"II.1.6", "Rà soát, công bố, công khai thủ tục hành chính nội bộ giữa các cơ quan nhà nước", "vp", dl(events.DeadlineQuarter, 1),
		events.NewDate(2024, time.March, 31), "Quyết định số 807/QĐ-UBND ngày 31/3/2024"},
	{"II.3.1", "Xây dựng Kế hoạch rà soát, đánh giá thủ tục hành chính năm 2024", "vp", dl(events.DeadlineQuarter, 2),
		events.NewDate(2024, time.April, 25), "Kế hoạch số 112/KH-UBND ngày 25/4/2024"},
	{"II.3.2", "Rà soát, đánh giá thủ tục hành chính; đề xuất phương án cắt giảm, đơn giản hóa", "vp", dl(events.DeadlineDate, 730), events.Date{}, ""},
	{"II.3.4", "Rà soát, đánh giá thủ tục hành chính nội bộ đã được công bố", "vp", dl(events.DeadlineQuarter, 3), events.Date{}, ""},
	{"II.4.1", "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính", "vp", dl(events.DeadlineRecurring, 0), events.Date{}, ""},
	{"III.5", "Đánh giá chất lượng giải quyết thủ tục hành chính theo Bộ chỉ số 766", "vp", dl(events.DeadlineRecurring, 1), events.Date{}, ""},
	{"IV.4", "Thanh toán trực tuyến nghĩa vụ tài chính trong giải quyết thủ tục hành chính", "tc", dl(events.DeadlineYear, 0), events.Date{}, ""},
}

// plans issues Kế hoạch 4791/QĐ-UBND (57 tasks, 8 done), Kế hoạch
// 302/QĐ-UBND (8 tasks, 2 done) and the 78 tasks the Government and the
// Prime Minister assigned (37 done on time, 41 running within deadline).
func (f *feed) plans() {
	r := rng{s: 5}
	issuer := "Ủy ban nhân dân thành phố Hải Phòng"

	issued := date(2023, time.December, 29)
	f.add(ProvinceCode, ReformPlanID, clock(issued, 15, 0), events.PlanIssued{Number: ReformPlan,
		Title: "Kế hoạch cải cách hành chính nhà nước thành phố Hải Phòng năm 2024", IssuedOn: civil(issued),
		Issuer: issuer, Kind: events.PlanReform, Year: 2024})
	k, open := 0, 0
	for si, s := range reformSections {
		for j, t := range s.tasks {
			code := fmt.Sprintf("%s.%d", []string{"I", "II", "III", "IV", "V", "VI", "VII"}[si], j+1)
			id := ReformPlanID + "#" + code
			d, isDone := reformDone[t.title]
			deadline := d.deadline
			if !isDone {
				deadline = openDeadlines[open%len(openDeadlines)]
				open++
			}
			k++
			lead := deptCode(s.lead)
			f.add(ProvinceCode, id, clock(issued, 15, 30).Add(time.Duration(k)*time.Minute), events.TaskAssigned{Plan: ReformPlanID, Code: code,
				Title: t.title, Lead: lead, Deadline: deadline, ExpectedProduct: "Báo cáo kết quả thực hiện", Area: s.area})
			if isDone {
				f.add(lead, id, time.Date(d.done.Year(), d.done.Month(), d.done.Day(), 16, 0, 0, 0, vn), events.TaskCompleted{Product: d.product})
			} else if k%3 == 0 {
				f.add(lead, id, clock(date(2024, time.June, 10), 9, 0).Add(time.Duration(k)*time.Minute),
					events.TaskProgressReported{Percent: 30 + 10*(k%5), Note: "Đang triển khai theo kế hoạch"})
			}
		}
	}

	issued = date(2024, time.January, 30)
	f.add(ProvinceCode, ControlPlanID, clock(issued, 15, 0), events.PlanIssued{Number: ControlPlan,
		Title:    "Kế hoạch thực hiện kiểm soát thủ tục hành chính và cơ chế một cửa, một cửa liên thông năm 2024 trên địa bàn thành phố Hải Phòng",
		IssuedOn: civil(issued), Issuer: issuer, Kind: events.PlanProcedureControl, Year: 2024})
	for i, t := range controlTasks {
		id := ControlPlanID + "#" + t.code
		lead := deptCode(t.lead)
		f.add(ProvinceCode, id, clock(issued, 15, 30).Add(time.Duration(i)*time.Minute), events.TaskAssigned{Plan: ControlPlanID, Code: t.code,
			Title: t.title, Lead: lead, Deadline: t.deadline, ExpectedProduct: "Báo cáo kết quả thực hiện", Area: events.AreaProcedures})
		if !t.done.IsZero() {
			f.add(lead, id, time.Date(t.done.Year(), t.done.Month(), t.done.Day(), 17, 0, 0, 0, vn), events.TaskCompleted{Product: t.product})
		}
	}

	issued = date(2024, time.January, 5)
	f.add(ProvinceCode, GovernmentPlanID, clock(issued, 16, 0), events.PlanIssued{Number: GovernmentPlan,
		Title: "Nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao năm 2024", IssuedOn: civil(issued),
		Issuer: "Chính phủ, Thủ tướng Chính phủ", Kind: events.PlanGovernmentAssigned, Year: 2024})
	assignDays := workdays(date(2024, time.January, 8), date(2024, time.May, 31))
	for i := range SeedGovernmentTasks {
		code := fmt.Sprintf("%02d", i+1)
		id := GovernmentPlanID + "#" + code
		lead := deptCode(governmentLeads[i%len(governmentLeads)])
		assigned := deskTime(&r, assignDays[i*len(assignDays)/SeedGovernmentTasks])
		doc := fmt.Sprintf("Văn bản số %d/VPCP-KSTT", 100+i*37)
		title := fmt.Sprintf("%s (%s)", governmentTitles[i%len(governmentTitles)], doc)
		// Every other task among the first 74 is done on time, so 37 done
		// and 41 running.
		if i%2 == 0 && i < 2*SeedGovernmentTasksOnTime {
			deadlineDay := addWorkdays(assigned, r.between(15, 40))
			doneAt := clock(addWorkdays(assigned, r.between(5, 14)), 16, 0)
			if last := date(2024, time.June, 14); deadlineDay.After(last) {
				deadlineDay = last
			}
			if doneAt.After(deadlineDay.Add(17 * time.Hour)) {
				doneAt = clock(deadlineDay, 10, 0)
			}
			dd := civil(deadlineDay)
			f.add(ProvinceCode, id, assigned, events.TaskAssigned{Plan: GovernmentPlanID, Code: code, Title: title, Lead: lead,
				Deadline: events.Deadline{Kind: events.DeadlineDate, Date: &dd}, ExpectedProduct: "Báo cáo kết quả thực hiện",
				Area: governmentAreas[i%len(governmentAreas)]})
			f.add(lead, id, doneAt, events.TaskCompleted{Product: fmt.Sprintf("Báo cáo số %d/BC-UBND", 40+i*3)})
			continue
		}
		deadline := []events.Deadline{dl(events.DeadlineQuarter, 3), dl(events.DeadlineQuarter, 4), dl(events.DeadlineYear, 0),
			dl(events.DeadlineHalfYear, 2), dl(events.DeadlineDate, 731), dl(events.DeadlineDate, 930)}[i%6]
		f.add(ProvinceCode, id, assigned, events.TaskAssigned{Plan: GovernmentPlanID, Code: code, Title: title, Lead: lead,
			Deadline: deadline, ExpectedProduct: "Báo cáo kết quả thực hiện", Area: governmentAreas[i%len(governmentAreas)]})
	}

}

// digitalPlan issues Kế hoạch 325/KH-UBND: 14 recurring tasks and 39 carried
// over from 2023 (the seed says none is done). Its events come after the
// rest of the feed, whose ids and times it leaves as they were.
func (f *feed) digitalPlan() {
	issuer := "Ủy ban nhân dân thành phố Hải Phòng"
	issued := date(2023, time.December, 19)
	f.add(ProvinceCode, DigitalPlanID, clock(issued, 15, 0), events.PlanIssued{Number: DigitalPlan,
		Title:    "Kế hoạch phát triển chính quyền điện tử, chính quyền số và bảo đảm an toàn thông tin mạng thành phố Hải Phòng năm 2024",
		IssuedOn: civil(issued), Issuer: issuer, Kind: events.PlanDigitalGovernment, Year: 2024})
	for i := range SeedDigitalTasksRecurring + SeedDigitalTasksCarriedOver {
		code := fmt.Sprintf("%02d", i+1)
		var title string
		var deadline events.Deadline
		if i < SeedDigitalTasksRecurring {
			title = digitalRecurring[i]
			deadline = dl(events.DeadlineRecurring, i%2*2) // thường xuyên, hằng tháng
		} else {
			k := i - SeedDigitalTasksRecurring
			title = digitalSteps[k%len(digitalSteps)] + " " + digitalSystems[k/len(digitalSteps)]
			deadline = []events.Deadline{dl(events.DeadlineQuarter, 3), dl(events.DeadlineQuarter, 4), dl(events.DeadlineYear, 0)}[k%3]
		}
		f.add(ProvinceCode, DigitalPlanID+"#"+code, clock(issued, 15, 30).Add(time.Duration(i)*time.Minute), events.TaskAssigned{Plan: DigitalPlanID,
			Code: code, Title: title, Lead: deptCode(digitalLeads[i%len(digitalLeads)]), Deadline: deadline,
			ExpectedProduct: "Báo cáo kết quả thực hiện", Area: events.AreaEGovernment})
	}
}

// digitalRecurring are the 14 recurring tasks of Kế hoạch 325/KH-UBND.
var digitalRecurring = []string{
	"Vận hành Trung tâm giám sát, điều hành thông minh",
	"Vận hành Hệ thống thông tin giải quyết thủ tục hành chính thành phố",
	"Giám sát an toàn thông tin mạng cho các hệ thống thông tin của thành phố",
	"Duy trì mạng truyền số liệu chuyên dùng cấp II",
	"Cập nhật, đồng bộ dữ liệu với Cơ sở dữ liệu quốc gia về dân cư",
	"Gửi, nhận văn bản điện tử có ký số giữa các cơ quan",
	"Vận hành Cổng Thông tin điện tử thành phố",
	"Cập nhật Kiến trúc Chính quyền điện tử thành phố",
	"Bồi dưỡng kỹ năng số cho cán bộ, công chức, viên chức",
	"Tuyên truyền chuyển đổi số trên các phương tiện thông tin đại chúng",
	"Hỗ trợ người dân sử dụng dịch vụ công trực tuyến",
	"Theo dõi, đánh giá mức độ chuyển đổi số của các cơ quan",
	"Vận hành nền tảng tích hợp, chia sẻ dữ liệu của thành phố",
	"Báo cáo tình hình thực hiện nhiệm vụ chuyển đổi số",
}

// digitalSteps and digitalSystems make the 39 tasks carried over from 2023:
// each step for each of 13 systems.
var (
	digitalSteps   = []string{"Hoàn thành đầu tư", "Đưa vào vận hành", "Kết nối, chia sẻ dữ liệu của"}
	digitalSystems = []string{
		"Hệ thống quản lý văn bản và điều hành", "Cơ sở dữ liệu đất đai", "Cơ sở dữ liệu hộ tịch điện tử",
		"Hệ thống camera giám sát giao thông", "Hệ thống thông tin báo cáo thành phố", "Cơ sở dữ liệu doanh nghiệp",
		"Hệ thống hội nghị truyền hình trực tuyến", "Cơ sở dữ liệu ngành giáo dục", "Hệ thống hồ sơ sức khỏe điện tử",
		"Cơ sở dữ liệu cán bộ, công chức, viên chức", "Nền tảng bản đồ số thành phố", "Hệ thống thanh toán trực tuyến",
		"Trung tâm dữ liệu thành phố",
	}
	digitalLeads = []string{"tt", "tt", "tn", "tp", "gt", "kh", "gd", "yt", "nv", "tc"}
)

// ---- Indicators ----

// indicators: the PAR Index and SIPAS of 2022 and 2023, the press items of
// December 2023 to May 2024 (1.150) and the legal documents of the first
// half of 2024 (17).
func (f *feed) indicators() {
	year := func(y int) (events.Date, events.Date) {
		return events.NewDate(y, time.January, 1), events.NewDate(y, time.December, 31)
	}
	for _, x := range []struct {
		y                  int
		reported           time.Time
		par, sipas         float64
		parRank, sipasRank int
		source             string
	}{
		{2022, time.Date(2023, time.May, 31, 10, 0, 0, 0, vn), SeedPARIndexPrev, SeedSIPASPrev, SeedPARRank, 9,
			"Quyết định công bố Chỉ số cải cách hành chính năm 2022 của Bộ Nội vụ"},
		{2023, time.Date(2024, time.April, 10, 10, 0, 0, 0, vn), SeedPARIndex, SeedSIPAS, SeedPARRank, SeedSIPASRank,
			"Quyết định công bố Chỉ số cải cách hành chính năm 2023 của Bộ Nội vụ"},
	} {
		from, to := year(x.y)
		f.add(ProvinceCode, fmt.Sprintf("par_index/%d", x.y), x.reported, events.IndicatorReported{Indicator: events.IndicatorPARIndex,
			PeriodFrom: from, PeriodTo: to, Value: x.par, Unit: "điểm", Rank: x.parRank, RankOf: SeedRankOf, Source: x.source})
		f.add(ProvinceCode, fmt.Sprintf("sipas/%d", x.y), x.reported.Add(time.Minute), events.IndicatorReported{Indicator: events.IndicatorSIPAS,
			PeriodFrom: from, PeriodTo: to, Value: x.sipas, Unit: "%", Rank: x.sipasRank, RankOf: SeedRankOf, Source: x.source})
	}
	press := []struct {
		y     int
		m     time.Month
		n     float64
		lastD int // the last working day, when it is reported
	}{
		{2023, time.December, 180, 29}, {2024, time.January, 175, 31}, {2024, time.February, 160, 29},
		{2024, time.March, 205, 29}, {2024, time.April, 210, 26}, {2024, time.May, 220, 31},
	}
	sum := 0.0
	for _, p := range press {
		from := events.NewDate(p.y, p.m, 1)
		to := events.NewDate(p.y, p.m+1, 0)
		f.add(ProvinceCode, fmt.Sprintf("press_items/%d-%02d", p.y, p.m), time.Date(p.y, p.m, p.lastD, 16, 0, 0, 0, vn),
			events.IndicatorReported{Indicator: events.IndicatorPressItems, PeriodFrom: from, PeriodTo: to, Value: p.n,
				Unit: "tin, bài", Source: "Sở Thông tin và Truyền thông"})
		sum += p.n
	}
	if sum != SeedPressItems {
		panic("reporttest: press items do not add up")
	}
	f.add(ProvinceCode, "legal_documents/2024-H1", time.Date(2024, time.June, 14, 16, 0, 0, 0, vn),
		events.IndicatorReported{Indicator: events.IndicatorLegalDocuments, PeriodFrom: events.NewDate(2024, time.January, 1),
			PeriodTo: events.NewDate(2024, time.June, 14), Value: SeedLegalDocuments, Unit: "văn bản", Source: "Sở Tư pháp"})
}

// ---- Dossiers ----

// Dossiers of the fixture (made up; the seed gives none).
const (
	dossiersInPeriod = 600 // received 1/12/2023–14/6/2024
	dossiersYearAgo  = 100 // received 1/12/2022–14/6/2023
	rejectedAtIntake = 8
)

// receivingDepartments are the departments with a one-stop desk in the fixture.
var receivingDepartments = []string{"tp", "kh", "xd", "tn", "gt", "ld", "yt", "ct", "gd", "kt"}

// dossiers: 600 received from 1/12/2023 to 14/6/2024 and 100 from 1/12/2022
// to 14/6/2023, at departments, districts and communes.
func (f *feed) dossiers(dir *directory, cat *catalogue) {
	r := rng{s: 6}
	g := &dossierGen{f: f, r: &r, seq: map[string]int{}}
	var communes []agency
	for i, c := range dir.communes {
		if i%5 == 0 {
			communes = append(communes, c)
		}
	}
	// desk draws the receiving agency and its procedures: in force
	// throughout, published before since, short enough for a few working
	// days; the first ones are the most requested.
	desk := func(since time.Time) (agency, []*procedure) {
		for {
			var a agency
			switch u := r.float(); {
			case u < 0.35:
				a = dir.departments[pick(&r, receivingDepartments)]
			case u < 0.65:
				a = pick(&r, dir.districts)
			default:
				a = pick(&r, communes)
			}
			var ps []*procedure
			for _, p := range cat.procs {
				ok := p.role == roleBaseline && p.days <= 20 && p.publishedOn.Before(civil(since).Time)
				switch a.level {
				case events.LevelDepartment:
					ok = ok && p.levels[0] == gP && p.dept == a.key
				case events.LevelDistrict:
					ok = ok && p.levels[0] == gD
				default:
					ok = ok && p.levels[0] == gC
				}
				if ok {
					ps = append(ps, p)
				}
			}
			if len(ps) > 0 {
				return a, ps
			}
		}
	}
	for _, b := range []struct {
		from, to time.Time
		n        int
		stuck    bool
	}{
		{date(2022, time.December, 1), date(2023, time.June, 14), dossiersYearAgo, false},
		{date(2023, time.December, 1), date(2024, time.June, 14), dossiersInPeriod, true},
	} {
		for _, recv := range spread(&r, b.from, b.to, b.n) {
			a, ps := desk(b.from)
			p := ps[int(float64(len(ps))*r.float()*r.float())]
			g.dossier(a, p, recv, b.stuck)
		}
	}
	for i, recv := range spread(&r, date(2023, time.December, 15), date(2024, time.June, 14), rejectedAtIntake) {
		a, ps := desk(recv)
		p := ps[r.intn(len(ps))]
		f.add(a.code, g.code(a, recv), recv, events.DossierRejected{Procedure: p.code, Channel: []events.Channel{events.ChannelOnline, events.ChannelInPerson}[i%2],
			Reason: pick(&r, []string{"Hồ sơ không đúng thẩm quyền giải quyết", "Thành phần hồ sơ không đầy đủ, người nộp không bổ sung tại chỗ"})})
	}
}

type dossierGen struct {
	f   *feed
	r   *rng
	seq map[string]int // by agency and day
}

// code is the agency's code, the receipt date and a daily sequence:
// 000.00.02.H23-240305-0007.
func (g *dossierGen) code(a agency, recv time.Time) string {
	key := a.code + recv.Format("-060102")
	g.seq[key]++
	return fmt.Sprintf("%s-%04d", key, g.seq[key])
}

// dueAt is the appointment for a result: the statutory working days after
// receipt, at the end of the day; half a day means within the day.
func dueAt(recv time.Time, days float64) time.Time {
	if days <= 0.5 {
		if recv.Hour() < 12 {
			return clock(recv, 17, 0)
		}
		return clock(addWorkdays(recv, 1), 11, 30)
	}
	return clock(addWorkdays(recv, int(math.Ceil(days))), 17, 0)
}

// Dossier courses, by share.
const (
	courseEarly = iota
	courseOnDue
	courseLate
	courseSupplement
	courseTwoSupplements
	courseWithdrawn
	courseStopped
	courseRefused
	courseStuck
)

func (g *dossierGen) course(days float64, stuck bool) int {
	r := g.r
	u := r.float()
	switch {
	case stuck && u < 0.015:
		return courseStuck
	case u < 0.66:
		return courseEarly
	case u < 0.78:
		return courseOnDue
	case u < 0.83:
		if days <= 1 {
			return courseOnDue
		}
		return courseLate
	case u < 0.87:
		if days < 3 {
			return courseEarly
		}
		return courseSupplement
	case u < 0.89:
		if days < 3 {
			return courseEarly
		}
		return courseTwoSupplements
	case u < 0.91:
		return courseWithdrawn
	case u < 0.92:
		return courseStopped
	case u < 0.96:
		return courseRefused
	}
	return courseEarly
}

// dossier records one dossier's life: receipt, fee, synchronisation, the
// course it takes to its end, the result's return and rating. Nothing after
// feedEnd is recorded: a dossier closing later is still open.
func (g *dossierGen) dossier(a agency, p *procedure, recv time.Time, allowStuck bool) {
	r, f := g.r, g.f
	id := g.code(a, recv)
	ch := events.ChannelInPerson
	switch {
	case p.online == events.OnlineFull && r.chance(0.7), p.online == events.OnlinePartial && r.chance(0.35):
		ch = events.ChannelOnline
	case r.chance(0.06):
		ch = events.ChannelPostal
	}
	applicant := events.ApplicantCitizen
	if a.level == events.LevelDepartment && slices.Contains([]string{"kh", "xd", "ct", "kt"}, a.key) {
		applicant = events.ApplicantOrganisation
	}
	n := r.between(1, 6)
	digitised := n
	if ch != events.ChannelOnline && r.chance(0.25) {
		digitised = n - 1
	}
	reused := 0
	if r.chance(0.35) {
		reused = r.between(1, min(2, n))
	}
	due := dueAt(recv, p.days)
	f.add(a.code, id, recv, events.DossierReceived{Procedure: p.code, Field: p.field, Channel: ch, Applicant: applicant, DueAt: due,
		Components: n, ComponentsDigitised: digitised, ComponentsReused: reused})
	if r.chance(0.9) {
		f.add(a.code, id, recv.Add(time.Duration(r.between(3, 30))*time.Minute), events.DossierSynced{Portal: events.PortalNational})
	} else {
		f.add(a.code, id, recv.Add(10*time.Minute), events.DossierSynced{Portal: events.PortalProvince})
	}
	if p.fee > 0 {
		f.add(a.code, id, recv.Add(2*time.Minute), events.DossierFeeRequested{AmountVND: p.fee})
		online := r.chance(0.15)
		if ch == events.ChannelOnline {
			online = r.chance(0.85)
		}
		f.add(a.code, id, recv.Add(time.Duration(r.between(10, 90))*time.Minute), events.DossierFeePaid{AmountVND: p.fee, Online: online})
	}

	emit := func(t time.Time, pl events.Payload) bool {
		if t.After(feedEnd) {
			return false
		}
		f.add(a.code, id, t, pl)
		return true
	}
	var closeAt time.Time
	outcome := events.OutcomeApproved
	switch g.course(p.days, allowStuck) {
	case courseStuck:
		return
	case courseEarly:
		closeAt = g.before(recv, due)
	case courseOnDue:
		closeAt = g.onDue(recv, due)
	case courseRefused:
		outcome = events.OutcomeRefused
		closeAt = g.before(recv, due)
	case courseLate:
		apology := clock(due, 8, 30)
		if !emit(apology, events.DossierApologyIssued{NewDueAt: clock(addWorkdays(due, 3), 17, 0), Reason: "Cần thêm thời gian xác minh, lấy ý kiến cơ quan liên quan"}) {
			return
		}
		closeAt = clock(addWorkdays(due, r.between(1, 3)), r.between(8, 16), r.intn(60))
	case courseSupplement:
		req := clock(addWorkdays(recv, 1), 10, 0)
		sup := clock(addWorkdays(req, r.between(2, 6)), 9, 0)
		if !emit(req, events.DossierSupplementRequested{Reason: "Bổ sung bản sao giấy tờ chứng minh"}) {
			return
		}
		adjusted := due.Add(sup.Sub(req))
		supplied := events.DossierSupplementSupplied{}
		if r.chance(0.3) {
			adjusted = clock(addWorkdays(sup, int(math.Ceil(p.days))-1), 17, 0)
			supplied.NewDueAt = &adjusted
		}
		if !emit(sup, supplied) {
			return
		}
		closeAt = g.before(sup, adjusted)
		if r.chance(0.3) {
			closeAt = g.onDue(sup, adjusted)
		}
	case courseTwoSupplements:
		req1 := clock(addWorkdays(recv, 1), 10, 0)
		sup1 := clock(addWorkdays(req1, r.between(2, 4)), 9, 0)
		req2 := clock(addWorkdays(sup1, 1), 10, 0)
		sup2 := clock(addWorkdays(req2, r.between(2, 4)), 9, 0)
		for _, s := range []struct {
			t  time.Time
			pl events.Payload
		}{
			{req1, events.DossierSupplementRequested{Reason: "Bổ sung bản sao giấy tờ chứng minh"}}, {sup1, events.DossierSupplementSupplied{}},
			{req2, events.DossierSupplementRequested{Reason: "Bổ sung ý kiến của cơ quan liên quan"}}, {sup2, events.DossierSupplementSupplied{}},
		} {
			if !emit(s.t, s.pl) {
				return
			}
		}
		closeAt = clock(addWorkdays(sup2, r.between(1, 3)), 15, 0)
	case courseWithdrawn:
		emit(clock(addWorkdays(recv, r.between(1, 2)), r.between(9, 15), 0), events.DossierWithdrawn{Reason: "Người nộp đề nghị rút hồ sơ"})
		return
	case courseStopped:
		emit(clock(addWorkdays(recv, 2), 14, 0), events.DossierStopped{Reason: "Hồ sơ không đủ điều kiện giải quyết theo quy định"})
		return
	}
	electronic := outcome == events.OutcomeApproved && r.chance(0.55)
	if !emit(closeAt, events.DossierResultIssued{Outcome: outcome, Electronic: electronic}) {
		return
	}
	back := events.ChannelInPerson
	if electronic || ch == events.ChannelOnline {
		back = events.ChannelOnline
	}
	returned := clock(addWorkdays(closeAt, 1), 9, r.intn(60))
	if !emit(returned, events.DossierResultReturned{Channel: back}) {
		return
	}
	if r.chance(0.3) {
		satisfied := r.chance(0.95)
		score := 5 - r.intn(2)
		if !satisfied {
			score = 2
		}
		emit(returned.Add(3*time.Hour), events.DossierRated{Satisfied: satisfied, Score: score})
	}
}

// before is a time on a working day from from's day to the day before
// due's, after from; on due's day (before it) when there is none.
func (g *dossierGen) before(from, due time.Time) time.Time {
	days := workdays(from, clock(due, 0, 0).AddDate(0, 0, -1))
	if len(days) == 0 {
		return g.onDue(from, due)
	}
	d := days[int(float64(len(days))*g.r.float()*g.r.float())]
	if clock(d, 0, 0).Equal(clock(from, 0, 0)) {
		return from.Add(time.Duration(g.r.between(30, 150)) * time.Minute)
	}
	return clock(d, g.r.between(8, 16), g.r.intn(60))
}

// onDue is a time on due's day, before due and after from.
func (g *dossierGen) onDue(from, due time.Time) time.Time {
	t := due.Add(-time.Duration(g.r.between(15, 120)) * time.Minute)
	if !t.After(from) || !clock(t, 0, 0).Equal(clock(due, 0, 0)) {
		t = from.Add(due.Sub(from) / 2)
	}
	return t
}

// ---- The dossier form the feed implies ----

// DossierColumns are the columns of the Thông tư 01/2020 form (3)–(13) and
// the counts behind the rates, as dossier_periods counts them.
type DossierColumns struct {
	ReceivedTotal, ReceivedOnline, ReceivedOffline, CarriedOver int // (3)–(6)
	ResolvedTotal, ResolvedEarly, ResolvedOnTime, ResolvedLate  int // (7)–(10)
	InProgressTotal, InProgressWithinDue, InProgressOverdue     int // (11)–(13)
	Digitised, Reused, ResultsIssued, ElectronicResults         int
	FeesPaid, FeesPaidOnline, Synced, Ratings, RatingsSatisfied int
}

// Add adds c's counts to d.
func (d *DossierColumns) Add(c DossierColumns) {
	d.ReceivedTotal += c.ReceivedTotal
	d.ReceivedOnline += c.ReceivedOnline
	d.ReceivedOffline += c.ReceivedOffline
	d.CarriedOver += c.CarriedOver
	d.ResolvedTotal += c.ResolvedTotal
	d.ResolvedEarly += c.ResolvedEarly
	d.ResolvedOnTime += c.ResolvedOnTime
	d.ResolvedLate += c.ResolvedLate
	d.InProgressTotal += c.InProgressTotal
	d.InProgressWithinDue += c.InProgressWithinDue
	d.InProgressOverdue += c.InProgressOverdue
	d.Digitised += c.Digitised
	d.Reused += c.Reused
	d.ResultsIssued += c.ResultsIssued
	d.ElectronicResults += c.ElectronicResults
	d.FeesPaid += c.FeesPaid
	d.FeesPaidOnline += c.FeesPaidOnline
	d.Synced += c.Synced
	d.Ratings += c.Ratings
	d.RatingsSatisfied += c.RatingsSatisfied
}

// dossierState is a dossier folded from its events as the dossiers view
// folds it.
type dossierState struct {
	agency, channel                       string
	received, due, suppliedDue            time.Time
	recvKey, suppliedKey, ratedKey        orderKey
	components, digitised, reused         int
	requested, supplied                   map[int64]bool // unix seconds, as groupUniqArray keeps them
	feePaid, stopped, withdrawn, resolved time.Time
	feeOnline, electronic, satisfied      bool
	outcome                               string
	outcomeKey                            orderKey
	synced, rated                         time.Time
}

// orderKey is the (recorded_at, id) the views take the latest value by.
type orderKey struct {
	at time.Time
	id string
}

func (k orderKey) after(o orderKey) bool {
	if c := k.at.Compare(o.at); c != 0 {
		return c > 0
	}
	return k.id > o.id
}

func minTime(cur, t time.Time) time.Time {
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}

// DossierForm computes, from a feed, the form of the period from–to by
// agency, the way the dossier_periods view counts: a dossier takes part when
// its life (receipt to closing, or still open) overlaps the period; closing
// is the first of result, withdrawal and stop; the due date is moved by the
// time spent supplementing (or set anew on supply), and more than one
// supplement request counts as late.
func DossierForm(evs []events.Event, from, to events.Date) map[string]DossierColumns {
	states := map[string]*dossierState{}
	for _, e := range evs {
		if e.Type.Family() != events.FamilyDossier {
			continue
		}
		s := states[e.SubjectID]
		if s == nil {
			s = &dossierState{requested: map[int64]bool{}, supplied: map[int64]bool{}}
			states[e.SubjectID] = s
		}
		key := orderKey{e.RecordedAt, e.ID}
		t := e.OccurredAt
		switch p := e.Payload.(type) {
		case events.DossierReceived:
			if s.received.IsZero() || key.after(s.recvKey) {
				s.recvKey, s.agency, s.channel, s.received, s.due = key, e.Agency, string(p.Channel), t, p.DueAt
				s.components, s.digitised, s.reused = p.Components, p.ComponentsDigitised, p.ComponentsReused
			}
		case events.DossierSupplementRequested:
			s.requested[t.Unix()] = true
		case events.DossierSupplementSupplied:
			s.supplied[t.Unix()] = true
			if p.NewDueAt != nil && (s.suppliedDue.IsZero() || key.after(s.suppliedKey)) {
				s.suppliedDue, s.suppliedKey = *p.NewDueAt, key
			}
		case events.DossierFeePaid:
			s.feePaid = minTime(s.feePaid, t)
			s.feeOnline = s.feeOnline || p.Online
		case events.DossierStopped:
			s.stopped = minTime(s.stopped, t)
		case events.DossierWithdrawn:
			s.withdrawn = minTime(s.withdrawn, t)
		case events.DossierResultIssued:
			s.resolved = minTime(s.resolved, t)
			s.electronic = s.electronic || p.Electronic
			if s.outcome == "" || key.after(s.outcomeKey) {
				s.outcome, s.outcomeKey = string(p.Outcome), key
			}
		case events.DossierSynced:
			if p.Portal == events.PortalNational {
				s.synced = minTime(s.synced, t)
			}
		case events.DossierRated:
			if s.rated.IsZero() || key.after(s.ratedKey) {
				s.rated, s.ratedKey, s.satisfied = t, key, p.Satisfied
			}
		}
	}
	day := func(t time.Time) events.Date { return civil(t) }
	far := events.NewDate(2105, time.December, 31)
	dayOr := func(t time.Time) events.Date {
		if t.IsZero() {
			return far
		}
		return day(t)
	}
	le := func(a, b events.Date) bool { return !a.After(b.Time) }
	within := func(d events.Date) bool { return le(from, d) && le(d, to) }
	out := map[string]DossierColumns{}
	for _, s := range states {
		if s.received.IsZero() {
			continue
		}
		var closed time.Time
		switch {
		case !s.resolved.IsZero() && (s.withdrawn.IsZero() || !s.resolved.After(s.withdrawn)) && (s.stopped.IsZero() || !s.resolved.After(s.stopped)):
			closed = s.resolved
		case !s.withdrawn.IsZero() && (s.stopped.IsZero() || !s.withdrawn.After(s.stopped)):
			closed = s.withdrawn
		default:
			closed = s.stopped
		}
		recvDay, closedDay := day(s.received), dayOr(closed)
		if !le(recvDay, to) || closedDay.Before(from.Time) { // the dossier's life does not reach the period
			continue
		}
		req, sup := sortedTimes(s.requested), sortedTimes(s.supplied)
		var pause time.Duration
		for i := range min(len(req), len(sup)) {
			pause += max(sup[i].Sub(req[i]), 0)
		}
		adjusted := s.due.Add(pause)
		if !s.suppliedDue.IsZero() {
			adjusted = s.suppliedDue
		}
		dueDay := day(adjusted)
		late := len(req) > 1
		isNew := le(from, recvDay)
		done := le(closedDay, to)
		b := func(v bool) int {
			if v {
				return 1
			}
			return 0
		}
		c := DossierColumns{
			ReceivedTotal:       1,
			ReceivedOnline:      b(isNew && s.channel == string(events.ChannelOnline)),
			ReceivedOffline:     b(isNew && s.channel != string(events.ChannelOnline)),
			CarriedOver:         b(!isNew),
			ResolvedTotal:       b(done),
			ResolvedEarly:       b(done && !late && closedDay.Before(dueDay.Time)),
			ResolvedOnTime:      b(done && !late && closedDay.Equal(dueDay.Time)),
			ResolvedLate:        b(done && (late || closedDay.After(dueDay.Time))),
			InProgressTotal:     b(!done),
			InProgressWithinDue: b(!done && !late && dueDay.After(to.Time)),
			InProgressOverdue:   b(!done && (late || le(dueDay, to))),
			Digitised:           b(isNew && s.components > 0 && s.digitised >= s.components),
			Reused:              b(isNew && s.reused > 0),
			ResultsIssued:       b(done && s.outcome != ""),
			ElectronicResults:   b(done && s.electronic),
			FeesPaid:            b(within(dayOr(s.feePaid))),
			FeesPaidOnline:      b(within(dayOr(s.feePaid)) && s.feeOnline),
			Synced:              b(isNew && le(dayOr(s.synced), to)),
			Ratings:             b(within(dayOr(s.rated))),
			RatingsSatisfied:    b(within(dayOr(s.rated)) && s.satisfied),
		}
		sum := out[s.agency]
		sum.Add(c)
		out[s.agency] = sum
	}
	return out
}

func sortedTimes(set map[int64]bool) []time.Time {
	out := make([]time.Time, 0, len(set))
	for t := range set {
		out = append(out, time.Unix(t, 0))
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}
