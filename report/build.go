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

func dossierBlocks(d *Data) []Block {
	out := dossierSentences(d)
	out = append(out,
		formTable("Tình hình, kết quả giải quyết TTHC theo cấp", "Theo cấp", levelRows(d)),
		levelChart(d),
	)
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
	// "—" last year is no missing computation: last year had no events to count
	for i, r := range d.Rates {
		if r.Denominator > 0 && d.PrevRates[i].Denominator == 0 {
			out = append(out, Paragraph("Chỉ tiêu ghi “—” ở cột cùng kỳ năm trước là chỉ tiêu chưa có số liệu cùng kỳ năm trước trên hệ thống."))
			break
		}
	}
	if len(d.Scores) > 0 {
		var sum, max float64
		for _, s := range d.Scores {
			sum += s.Points
			max = math.Max(max, s.MaxPoints)
		}
		best, worst := d.Scores[0], d.Scores[len(d.Scores)-1]
		out = append(out, fmtf("Đánh giá chất lượng phục vụ người dân, doanh nghiệp theo Bộ chỉ số 766 đối với %s cơ quan, đơn vị: điểm bình quân đạt %s/%s điểm; cao nhất là %s (%s điểm), thấp nhất là %s (%s điểm).",
			d.count("scores.agencies", int64(len(d.Scores))), d.decimal("scores.average", sum/float64(len(d.Scores)), 2), d.decimal("scores.max_points", max, 0),
			cmp.Or(best.AgencyName, best.Agency), d.decimal("scores.best", best.Points, 2), cmp.Or(worst.AgencyName, worst.Agency), d.decimal("scores.worst", worst.Points, 2)))
	}
	return out
}

func nanToZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
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
