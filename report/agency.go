package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/baocao/baocao/store"
)

// AgencyDetail is one agency's dossier form for a period, in total, by
// field and by month, with its dossier rates: the drill-down under a
// report's form by agency.
type AgencyDetail struct {
	Period                  Period
	Agency                  string
	Name, Level, LevelGroup string // at the period's end (agency_periods)
	Total                   Form
	Fields                  []FormRow // by field, ordered by field
	Months                  []MonthForm
	Rates                   []Rate // the rates dossiers give, with their targets
}

// MonthForm is the form of one month of the period.
type MonthForm struct {
	Period Period
	Form
}

// ErrNoAgency says the agency directory has no such agency at the period's
// end.
var ErrNoAgency = errors.New("no such agency at the period's end")

// ErrNoProvince says the agency directory has no agency of level province.
var ErrNoProvince = errors.New("no province in the agency directory yet")

// Province reads the reporting province from db's agency directory: the
// agency of level province (the first by code, should there be several).
func Province(ctx context.Context, st store.Store, db string) (code, name string, err error) {
	res, err := st.Query(ctx, "SELECT agency_code, name FROM "+db+".agencies WHERE level = 'province' ORDER BY agency_code LIMIT 1")
	if err != nil {
		return "", "", fmt.Errorf("report: %w", err)
	}
	if len(res.Rows) == 0 {
		return "", "", ErrNoProvince
	}
	return res.Rows[0][0], res.Rows[0][1], nil
}

// LoadAgency reads agency's figures for p from dossier_totals in one
// query: p's own rows by field, and the months within p. Its total equals
// the agency's row in Load's Agencies (a test holds it to that).
func LoadAgency(ctx context.Context, st store.Store, db string, p Period, agency string) (*AgencyDetail, error) {
	q := querier(ctx, st, db)
	agencies, err := agenciesAt(q, p.where()+" AND agency = "+store.Quote(agency))
	if err != nil {
		return nil, err
	}
	name, ok := agencies[agency]
	if !ok {
		return nil, fmt.Errorf("agency %q: %w", agency, ErrNoAgency)
	}
	a := &AgencyDetail{Period: p, Agency: agency, Name: name.str("name"), Level: name.str("level"), LevelGroup: LevelGroup(name.str("level"))}

	targets, err := loadTargets(q)
	if err != nil {
		return nil, err
	}
	// full_online is a catalogue rate, not an agency's dossiers.
	a.Rates = slices.DeleteFunc(targets, func(r Rate) bool { return r.Indicator == "full_online" })

	start, end := p.Start().String(), p.End().String()
	rs, err := q(`SELECT kind, year, number, field, ` + dossierSums + `
		FROM {db}.dossier_totals
		WHERE cutoff = '` + p.Cutoff + `' AND agency = ` + store.Quote(agency) + `
			AND ((kind = '` + p.Kind + fmt.Sprintf(`' AND year = %d AND number = %d)`, p.Year, p.Number) + `
				OR (kind = 'month' AND period_start >= '` + start + `' AND period_end <= '` + end + `'))
		GROUP BY kind, year, number, field`)
	if err != nil {
		return nil, err
	}
	var counts rateCounts
	// every month of p, also those without dossiers
	months := map[Period]*MonthForm{}
	first, n := p.months()
	for m := first; m < first+n; m++ {
		mp := Period{Kind: Month, Cutoff: p.Cutoff, Year: p.Year, Number: m}
		months[mp] = &MonthForm{Period: mp}
	}
	for _, r := range rs {
		f := r.form()
		rp := Period{Kind: r.str("kind"), Cutoff: p.Cutoff, Year: int(r.int("year")), Number: int(r.int("number"))}
		if rp == p {
			a.Total.Add(f)
			counts.add(r.rateCounts(f))
			a.Fields = append(a.Fields, FormRow{Agency: agency, AgencyName: a.Name, Field: r.str("field"), LevelGroup: a.LevelGroup, Form: f})
		}
		if m := months[rp]; m != nil {
			m.Add(f)
		}
	}
	for _, m := range months {
		a.Months = append(a.Months, *m)
	}
	slices.SortFunc(a.Fields, func(x, y FormRow) int { return strings.Compare(x.Field, y.Field) })
	slices.SortFunc(a.Months, func(x, y MonthForm) int { return x.Period.Start().Compare(y.Period.Start().Time) })
	a.Rates = counts.rates(a.Rates)
	return a, nil
}

// LoadAgencies reads the form of every agency that received or held
// dossiers in p, ordered as the report's form by agency.
func LoadAgencies(ctx context.Context, st store.Store, db string, p Period) ([]FormRow, error) {
	q := querier(ctx, st, db)
	byCode, err := agenciesAt(q, p.where())
	if err != nil {
		return nil, err
	}
	rs, err := q(`SELECT agency, ` + dossierSums + ` FROM {db}.dossier_totals WHERE ` + p.where() + `
		GROUP BY agency`)
	if err != nil {
		return nil, err
	}
	var out []FormRow
	for _, r := range rs {
		n := byCode[r.str("agency")]
		out = append(out, FormRow{Agency: r.str("agency"), AgencyName: n.str("name"), LevelGroup: LevelGroup(n.str("level")), Form: r.form()})
	}
	sortByLevel(out)
	return out, nil
}

// Blocks is the drill-down as report blocks: a summary, the form by field
// and by month, the months as a chart and the rates against their targets.
func (a *AgencyDetail) Blocks() []Block {
	t := a.Total
	if t.ReceivedTotal == 0 {
		return []Block{Paragraph("Không có hồ sơ tiếp nhận hoặc đang giải quyết trong kỳ báo cáo.")}
	}
	// the report's own sentences: the same wording, no zero counts, the
	// online share the agency's indicator
	out := dossierSentences(&Data{Total: t, Rates: a.Rates})
	var fields [][]Cell
	for i, f := range a.Fields {
		name := f.Field
		if name == "" {
			name = "(chưa xác định lĩnh vực)"
		}
		fields = append(fields, formRow(i+1, name, f.Form))
	}
	out = append(out, formTable("Tình hình, kết quả giải quyết TTHC theo lĩnh vực", "Theo lĩnh vực", withTotal(fields, t)))

	var months [][]Cell
	chart := &Chart{Title: "Hồ sơ tiếp nhận mới và đã giải quyết theo tháng", Series: []Series{{Name: "Tiếp nhận mới"}, {Name: "Đã giải quyết"}, {Name: "Giải quyết quá hạn"}}}
	for i, m := range a.Months {
		months = append(months, formRow(i+1, m.Period.Label(), m.Form))
		chart.Categories = append(chart.Categories, m.Period.Label())
		chart.Series[0].Values = append(chart.Series[0].Values, float64(m.ReceivedOnline+m.ReceivedOffline))
		chart.Series[1].Values = append(chart.Series[1].Values, float64(m.ResolvedTotal))
		chart.Series[2].Values = append(chart.Series[2].Values, float64(m.ResolvedLate))
	}
	if len(a.Months) > 1 {
		out = append(out, formTable("Tình hình, kết quả giải quyết TTHC theo tháng", "Theo tháng", months), chart)
	}

	rates := &Table{Name: "Chỉ tiêu", Caption: "Các chỉ tiêu về hồ sơ so với kế hoạch",
		Header: [][]Cell{{bold("STT"), bold("Chỉ tiêu"), bold("Kết quả"), bold("Chỉ tiêu kế hoạch"), bold("Đánh giá")}}}
	for i, r := range a.Rates {
		target := r.Target
		rates.Rows = append(rates.Rows, []Cell{text(fmt.Sprint(i + 1)), text(r.Label), pct(r.Percent()), {Number: &target, Percent: true}, text(verdict(r))})
	}
	return append(out, rates)
}

// withTotal appends the bold total row to a form's rows.
func withTotal(rows [][]Cell, total Form) [][]Cell {
	row := formRow(0, "Tổng cộng", total)
	row[0] = text("")
	for i := range row {
		row[i].Bold = true
	}
	return append(rows, row)
}

func verdict(r Rate) string {
	switch {
	case r.Denominator == 0:
		return "Chưa có số liệu"
	case r.Met():
		return "Đạt"
	}
	return "Chưa đạt"
}
