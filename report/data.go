package report

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/store"
)

// Form holds columns 3–13 of the Thông tư 01/2020 dossier form.
type Form struct {
	ReceivedTotal       int64 // (3) = 4 + 5 + 6 = 7 + 11
	ReceivedOnline      int64 // (4)
	ReceivedOffline     int64 // (5) in person and by post
	CarriedOver         int64 // (6)
	ResolvedTotal       int64 // (7) = 8 + 9 + 10
	ResolvedEarly       int64 // (8)
	ResolvedOnTime      int64 // (9)
	ResolvedLate        int64 // (10)
	InProgressTotal     int64 // (11) = 12 + 13
	InProgressWithinDue int64 // (12)
	InProgressOverdue   int64 // (13)
}

func (f *Form) add(g Form) {
	f.ReceivedTotal += g.ReceivedTotal
	f.ReceivedOnline += g.ReceivedOnline
	f.ReceivedOffline += g.ReceivedOffline
	f.CarriedOver += g.CarriedOver
	f.ResolvedTotal += g.ResolvedTotal
	f.ResolvedEarly += g.ResolvedEarly
	f.ResolvedOnTime += g.ResolvedOnTime
	f.ResolvedLate += g.ResolvedLate
	f.InProgressTotal += g.InProgressTotal
	f.InProgressWithinDue += g.InProgressWithinDue
	f.InProgressOverdue += g.InProgressOverdue
}

// Columns returns the form's columns 3–13 in order.
func (f Form) Columns() []int64 {
	return []int64{f.ReceivedTotal, f.ReceivedOnline, f.ReceivedOffline, f.CarriedOver, f.ResolvedTotal,
		f.ResolvedEarly, f.ResolvedOnTime, f.ResolvedLate, f.InProgressTotal, f.InProgressWithinDue, f.InProgressOverdue}
}

// Identities returns a description of each identity of the form that f
// breaks; none on any data the views produce.
func (f Form) Identities() []string {
	var bad []string
	check := func(name string, left, right int64) {
		if left != right {
			bad = append(bad, fmt.Sprintf("%s: %d ≠ %d", name, left, right))
		}
	}
	check("(3) = (4)+(5)+(6)", f.ReceivedTotal, f.ReceivedOnline+f.ReceivedOffline+f.CarriedOver)
	check("(3) = (7)+(11)", f.ReceivedTotal, f.ResolvedTotal+f.InProgressTotal)
	check("(7) = (8)+(9)+(10)", f.ResolvedTotal, f.ResolvedEarly+f.ResolvedOnTime+f.ResolvedLate)
	check("(11) = (12)+(13)", f.InProgressTotal, f.InProgressWithinDue+f.InProgressOverdue)
	return bad
}

// FormRow is a row of the form: an agency, or a field within a level.
type FormRow struct {
	Agency, AgencyName string // by agency
	Field              string // by field
	LevelGroup         string // province, district or commune
	Form
}

// Rate is an indicator measured against its target (indicator_targets).
type Rate struct {
	Indicator, Label, Group string
	Numerator, Denominator  int64
	Target, MaxPoints       float64
}

// Percent is the rate in percent, NaN when there was nothing to count.
func (r Rate) Percent() float64 { return Ratio(r.Numerator, r.Denominator) }

// Met reports whether the rate reached its target.
func (r Rate) Met() bool { return r.Denominator > 0 && r.Percent() >= r.Target-1e-9 }

// Points is what QĐ 766 gives the rate: least(max, ratio / target × max).
func (r Rate) Points() float64 {
	if r.Denominator == 0 || r.Target == 0 {
		return 0
	}
	return math.Min(r.MaxPoints, r.Percent()/r.Target*r.MaxPoints)
}

// AgencyScore is an agency's QĐ 766 points over the scored indicators.
type AgencyScore struct {
	Agency, AgencyName, LevelGroup string
	Points, MaxPoints              float64
}

// Feedback is feedback_summary summed over agencies.
type Feedback struct {
	New, CarriedOver, Completed, InProgress, WithinDue, Overdue, Published int64
}

// Tasks is task_summary for one plan.
type Tasks struct {
	Plan, PlanNumber, PlanKind, PlanTitle                                         string
	Assigned, Completed, OnTime, Late, InProgress, WithinDeadline, Overdue, Recurring int64
}

// Catalogue is catalogue_summary.
type Catalogue struct {
	Decisions, Published, InForce, AtProvince, AtDistrict, AtCommune int64
	FullOnline, PartialOnline, EligibleOnline, EligibleFullOnline    int64
	Internal, InternalSimplified, ReviewPlanned, Reviewed, Delegated int64
}

// Coverage counts agencies on the one-stop system at the period's end.
type Coverage struct{ Agencies, Onboarded int64 }

// Indicator is a figure reported from outside the event flow.
type Indicator struct {
	Value        float64
	Unit         string
	Rank, RankOf int
	From, To     events.Date
	Change       *float64 // against the same period a year earlier
}

// Data is everything a report of one period says, read from the views.
type Data struct {
	Period, Prev Period
	Province     string // the province's name, from the agency directory

	Agencies        []FormRow // by agency, ordered by level group and code
	Fields          []FormRow // by level group and field
	Total, PrevTotal Form
	ByLevel         map[string]Form

	Rates, PrevRates []Rate // province-wide, in indicator_targets order
	Scores           []AgencyScore

	Feedback, PrevFeedback Feedback
	Tasks                  []Tasks // one per plan
	Catalogue, PrevCatalogue Catalogue
	Coverage               map[string]Coverage // by agency level

	PAR, SIPAS                 *Indicator // the latest reported by the period's end
	PressItems, LegalDocuments *Indicator // summed over figures ending in the period
}

// LevelGroups are the sections of the form, in order, with their names.
var LevelGroups = []struct{ Key, Name string }{
	{"province", "Cấp tỉnh"}, {"district", "Cấp huyện"}, {"commune", "Cấp xã"},
}

// Load reads the figures of period p (and the same period a year earlier)
// from the views of database db.
func Load(ctx context.Context, st store.Store, db string, p Period) (*Data, error) {
	d := &Data{Period: p, Prev: p.YearBefore(), ByLevel: map[string]Form{}, Coverage: map[string]Coverage{}}
	both := fmt.Sprintf("kind = '%s' AND cutoff = '%s' AND year IN (%d, %d) AND number = %d", p.Kind, p.Cutoff, p.Year-1, p.Year, p.Number)
	q := func(query string) ([]row, error) {
		res, err := st.Query(ctx, strings.ReplaceAll(query, "{db}", db))
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		return rows(res), nil
	}

	rs, err := q("SELECT name FROM {db}.agencies WHERE level = 'province' ORDER BY agency_code LIMIT 1")
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Province = r.str("name")
	}

	rs, err = q(`SELECT year, agency, agency_name, level_group, ` + formColumns + ` FROM {db}.dossier_form_by_agency WHERE ` + both)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		f := r.form()
		if r.int("year") != int64(p.Year) {
			d.PrevTotal.add(f)
			continue
		}
		d.Agencies = append(d.Agencies, FormRow{Agency: r.str("agency"), AgencyName: r.str("agency_name"), LevelGroup: r.str("level_group"), Form: f})
		d.Total.add(f)
		g := d.ByLevel[r.str("level_group")]
		g.add(f)
		d.ByLevel[r.str("level_group")] = g
	}
	slices.SortFunc(d.Agencies, func(a, b FormRow) int {
		return strings.Compare(levelOrder(a.LevelGroup)+a.Agency, levelOrder(b.LevelGroup)+b.Agency)
	})

	rs, err = q(`SELECT level_group, field, ` + formColumns + ` FROM {db}.dossier_form_by_field WHERE ` + p.where())
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Fields = append(d.Fields, FormRow{Field: r.str("field"), LevelGroup: r.str("level_group"), Form: r.form()})
	}
	slices.SortFunc(d.Fields, func(a, b FormRow) int {
		return strings.Compare(levelOrder(a.LevelGroup)+a.Field, levelOrder(b.LevelGroup)+b.Field)
	})

	if err := d.loadRates(q, both); err != nil {
		return nil, err
	}

	rs, err = q(`SELECT year, sum(received_new) AS new, sum(carried_over) AS carried, sum(completed) AS done,
		sum(in_progress) AS open, sum(in_progress_within_due) AS within, sum(in_progress_overdue) AS overdue, sum(published) AS pub
		FROM {db}.feedback_summary WHERE ` + both + ` GROUP BY year`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		f := Feedback{New: r.int("new"), CarriedOver: r.int("carried"), Completed: r.int("done"), InProgress: r.int("open"),
			WithinDue: r.int("within"), Overdue: r.int("overdue"), Published: r.int("pub")}
		if r.int("year") == int64(p.Year) {
			d.Feedback = f
		} else {
			d.PrevFeedback = f
		}
	}

	rs, err = q(`SELECT plan, any(plan_number) AS plan_no, any(plan_kind) AS pkind, any(plan_title) AS ptitle,
		sum(assigned) AS a, sum(completed) AS c, sum(completed_on_time) AS ot, sum(completed_late) AS l,
		sum(in_progress) AS ip, sum(in_progress_within_deadline) AS w, sum(in_progress_overdue) AS o, sum(recurring) AS r
		FROM {db}.task_summary WHERE ` + p.where() + ` GROUP BY plan ORDER BY plan_no, plan`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Tasks = append(d.Tasks, Tasks{Plan: r.str("plan"), PlanNumber: r.str("plan_no"), PlanKind: r.str("pkind"), PlanTitle: r.str("ptitle"),
			Assigned: r.int("a"), Completed: r.int("c"), OnTime: r.int("ot"), Late: r.int("l"),
			InProgress: r.int("ip"), WithinDeadline: r.int("w"), Overdue: r.int("o"), Recurring: r.int("r")})
	}

	rs, err = q(`SELECT * FROM {db}.catalogue_summary WHERE ` + both)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		c := Catalogue{Decisions: r.int("decisions"), Published: r.int("published"), InForce: r.int("in_force"),
			AtProvince: r.int("at_province"), AtDistrict: r.int("at_district"), AtCommune: r.int("at_commune"),
			FullOnline: r.int("full_online"), PartialOnline: r.int("partial_online"),
			EligibleOnline: r.int("eligible_online"), EligibleFullOnline: r.int("eligible_full_online"),
			Internal: r.int("internal_procedures"), InternalSimplified: r.int("internal_simplified"),
			ReviewPlanned: r.int("review_planned"), Reviewed: r.int("reviewed"), Delegated: r.int("delegated")}
		if r.int("year") == int64(p.Year) {
			d.Catalogue = c
		} else {
			d.PrevCatalogue = c
		}
	}

	rs, err = q(`SELECT level, agencies, onboarded FROM {db}.agency_coverage WHERE ` + p.where())
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Coverage[r.str("level")] = Coverage{Agencies: r.int("agencies"), Onboarded: r.int("onboarded")}
	}
	return d, d.loadIndicators(q)
}

const formColumns = `received_total, received_online, received_offline, carried_over, resolved_total, resolved_early,
	resolved_on_time, resolved_late, in_progress_total, in_progress_within_due, in_progress_overdue`

func levelOrder(g string) string {
	for i, l := range LevelGroups {
		if l.Key == g {
			return strconv.Itoa(i)
		}
	}
	return "9"
}

func (d *Data) loadRates(q func(string) ([]row, error), both string) error {
	rs, err := q(`SELECT indicator, indicator_label, score_group, target_percent, max_points FROM {db}.indicator_targets`)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for _, r := range rs {
		rate := Rate{Indicator: r.str("indicator"), Label: r.str("indicator_label"), Group: r.str("score_group"),
			Target: r.float("target_percent"), MaxPoints: r.float("max_points")}
		index[rate.Indicator] = len(d.Rates)
		d.Rates = append(d.Rates, rate)
	}
	d.PrevRates = slices.Clone(d.Rates)

	rs, err = q(`SELECT year, agency, agency_name, level_group, indicator, numerator, denominator, points, max_points
		FROM {db}.agency_scores WHERE ` + both)
	if err != nil {
		return err
	}
	scores := map[string]*AgencyScore{}
	for _, r := range rs {
		i, ok := index[r.str("indicator")]
		if !ok {
			continue
		}
		rates := d.Rates
		if r.int("year") != int64(d.Period.Year) {
			rates = d.PrevRates
		} else {
			s := scores[r.str("agency")]
			if s == nil {
				s = &AgencyScore{Agency: r.str("agency"), AgencyName: r.str("agency_name"), LevelGroup: r.str("level_group")}
				scores[s.Agency] = s
			}
			s.Points += r.float("points") // NULL (nothing to count) reads as 0
			s.MaxPoints += r.float("max_points")
		}
		rates[i].Numerator += r.int("numerator")
		rates[i].Denominator += r.int("denominator")
	}
	for _, s := range scores {
		d.Scores = append(d.Scores, *s)
	}
	slices.SortFunc(d.Scores, func(a, b AgencyScore) int {
		if a.Points != b.Points {
			return cmpFloat(b.Points, a.Points)
		}
		return strings.Compare(a.Agency, b.Agency)
	})

	// full_online is a catalogue rate: eligible procedures with full online service.
	rs, err = q(`SELECT year, eligible_full_online, eligible_online FROM {db}.catalogue_summary WHERE ` + both)
	if err != nil {
		return err
	}
	if i, ok := index["full_online"]; ok {
		for _, r := range rs {
			rates := d.Rates
			if r.int("year") != int64(d.Period.Year) {
				rates = d.PrevRates
			}
			rates[i].Numerator, rates[i].Denominator = r.int("eligible_full_online"), r.int("eligible_online")
		}
	}
	return nil
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// loadIndicators reads the PAR Index and SIPAS last reported by the
// period's end, and the press items and legal documents of figures ending
// within the period.
func (d *Data) loadIndicators(q func(string) ([]row, error)) error {
	start, end := d.Period.Start().String(), d.Period.End().String()
	rs, err := q(`SELECT indicator, value, unit, rank, rank_of, period_from, period_to, change
		FROM {db}.indicator_values
		WHERE indicator IN ('par_index', 'sipas') AND reported_on <= '` + end + `'
		ORDER BY indicator, period_to, reported_on`)
	if err != nil {
		return err
	}
	for _, r := range rs { // the last row of each indicator wins
		ind := &Indicator{Value: r.float("value"), Unit: r.str("unit"), Rank: int(r.int("rank")), RankOf: int(r.int("rank_of")),
			From: r.date("period_from"), To: r.date("period_to")}
		if r.str("change") != `\N` { // NULL: no figure a year earlier
			v := r.float("change")
			ind.Change = &v
		}
		if r.str("indicator") == "par_index" {
			d.PAR = ind
		} else {
			d.SIPAS = ind
		}
	}
	rs, err = q(`SELECT indicator, sum(value) AS total, any(unit) AS unit, min(period_from) AS first, max(period_to) AS last
		FROM {db}.indicator_values
		WHERE indicator IN ('press_items', 'legal_documents') AND period_to BETWEEN '` + start + `' AND '` + end + `'
		GROUP BY indicator`)
	if err != nil {
		return err
	}
	for _, r := range rs {
		ind := &Indicator{Value: r.float("total"), Unit: r.str("unit"), From: r.date("first"), To: r.date("last")}
		if r.str("indicator") == "press_items" {
			d.PressItems = ind
		} else {
			d.LegalDocuments = ind
		}
	}
	return nil
}

// row is a result row by column name; values are the engines' text forms.
type row map[string]string

func rows(res *store.Result) []row {
	out := make([]row, len(res.Rows))
	for i, r := range res.Rows {
		out[i] = make(row, len(r))
		for j, v := range r {
			out[i][res.Columns[j]] = v
		}
	}
	return out
}

func (r row) str(col string) string { return r[col] }

func (r row) int(col string) int64 {
	n, _ := strconv.ParseInt(r[col], 10, 64)
	return n
}

func (r row) float(col string) float64 {
	x, _ := strconv.ParseFloat(r[col], 64)
	return x
}

func (r row) date(col string) events.Date {
	t, _ := time.Parse(time.DateOnly, r[col])
	return events.Date{Time: t}
}

func (r row) form() Form {
	return Form{
		ReceivedTotal: r.int("received_total"), ReceivedOnline: r.int("received_online"), ReceivedOffline: r.int("received_offline"),
		CarriedOver: r.int("carried_over"), ResolvedTotal: r.int("resolved_total"), ResolvedEarly: r.int("resolved_early"),
		ResolvedOnTime: r.int("resolved_on_time"), ResolvedLate: r.int("resolved_late"), InProgressTotal: r.int("in_progress_total"),
		InProgressWithinDue: r.int("in_progress_within_due"), InProgressOverdue: r.int("in_progress_overdue"),
	}
}
