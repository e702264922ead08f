package report

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

// Add adds g's columns to f.
func (f *Form) Add(g Form) {
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
	Plan, PlanNumber, PlanKind, PlanTitle                                             string
	PlanYear                                                                          int // the year the plan is for
	Assigned, Completed, OnTime, Late, InProgress, WithinDeadline, Overdue, Recurring int64
}

// Catalogue is catalogue_summary.
type Catalogue struct {
	Decisions, Published, InForce, AtProvince, AtDistrict, AtCommune int64
	FullOnline, PartialOnline, EligibleOnline, EligibleFullOnline    int64
	Internal, InternalSimplified, ReviewPlanned, Reviewed, Delegated int64
}

// Coverage counts the agencies of a level on the one-stop system at the
// period's end, from the directory the forms group by (agency_periods, the
// level then in force): those existing at the end, those of them onboarded
// by then, and those merged away during the period, whose dossiers the
// forms may still list.
type Coverage struct{ Agencies, Onboarded, Merged int64 }

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
	Province     string // "thành phố Hải Phòng", from the agency directory
	ProvinceCode string // the province's agency code; "" when the directory lacks it

	Agencies []FormRow // by agency, ordered by level group and code
	Fields   []FormRow // by level group and field
	// AgencyFields are the form by agency and field, every desk (Biểu 06);
	// CentreFields those received at the public administration service
	// centre (II.06a). Ordered by level group, agency and field.
	AgencyFields, CentreFields []FormRow
	Total, PrevTotal           Form
	ByLevel                    map[string]Form

	Rates, PrevRates []Rate // province-wide, in indicator_targets order
	Scores           []AgencyScore

	Feedback, PrevFeedback   Feedback
	Tasks                    []Tasks // one per plan
	Catalogue, PrevCatalogue Catalogue
	Coverage                 map[string]Coverage // by agency level
	// Procedures are procedure_counts by level group and "total" (II.07b); LateCauses
	// late_causes, by agency and reason.
	Procedures map[string]ProcedureCount
	LateCauses []LateCause

	PAR, SIPAS                 *Indicator // the latest reported by the period's end
	PressItems, LegalDocuments *Indicator // summed over figures ending in the period

	// Contributions are the agencies' parts in force, of every report kind,
	// by kind and section, the province's own first, then in the form's
	// order; Others the indicators of kind other ending in the period.
	Contributions []Contribution
	Others        []OtherIndicator

	agencies map[string]row // the directory at the period's end, by code
	rec      *recorder      // set while Build writes a document from a copy

	// what Layout.Build writes the blocks with: the form layouts (nil: the
	// embedded ones) and the report's recipient
	forms     Forms
	recipient string
}

// ProcedureCount is procedure_counts for one level group: the procedures in
// force at the period's end under local authority at that level, those
// handled under the one-stop mechanism at that level's desk, and those with
// an internal process issued.
type ProcedureCount struct{ Procedures, OneStop, InternalProcesses int64 }

// LateCause is late_causes for one agency and reason: the dossiers the
// agency apologised for in the period giving that cause of lateness.
type LateCause struct {
	Agency, AgencyName, LevelGroup, Reason string
	Apologies                              int64
}

// LevelGroups are the sections of the form, in order, with their names.
var LevelGroups = []struct{ Key, Name string }{
	{"province", "Cấp tỉnh"}, {"district", "Cấp huyện"}, {"commune", "Cấp xã"},
}

// Load reads the figures of period p (and the same period a year earlier)
// from the views of database db, and the dossiers' from the snapshot
// dossier_totals as it stands: Generate refreshes it first; the pages read
// what consume or up last refreshed.
func Load(ctx context.Context, st store.Store, db string, p Period) (*Data, error) {
	d := &Data{Period: p, Prev: p.YearBefore(), Province: provinceName(""), ByLevel: map[string]Form{}, Coverage: map[string]Coverage{}}
	both := fmt.Sprintf("kind = '%s' AND cutoff = '%s' AND year IN (%d, %d) AND number = %d", p.Kind, p.Cutoff, p.Year-1, p.Year, p.Number)
	q := querier(ctx, st, db)

	switch code, name, err := Province(ctx, st, db); {
	case err == nil:
		d.Province, d.ProvinceCode = provinceName(name), code
	case !errors.Is(err, ErrNoProvince):
		return nil, err
	}

	// before the dossiers: the full_online rate is the catalogue's
	rs, err := q(`SELECT * FROM {db}.catalogue_summary WHERE ` + both)
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

	if err := d.loadDossiers(q, both); err != nil {
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

	rs, err = q(`SELECT plan, any(plan_number) AS plan_no, any(plan_kind) AS pkind, any(plan_title) AS ptitle, any(plan_year) AS pyear,
		sum(assigned) AS a, sum(completed) AS c, sum(completed_on_time) AS ot, sum(completed_late) AS l,
		sum(in_progress) AS ip, sum(in_progress_within_deadline) AS w, sum(in_progress_overdue) AS o, sum(recurring) AS r
		FROM {db}.task_summary WHERE ` + p.where() + ` GROUP BY plan ORDER BY plan_no, plan`)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Tasks = append(d.Tasks, Tasks{Plan: r.str("plan"), PlanNumber: r.str("plan_no"), PlanKind: r.str("pkind"), PlanTitle: r.str("ptitle"), PlanYear: int(r.int("pyear")),
			Assigned: r.int("a"), Completed: r.int("c"), OnTime: r.int("ot"), Late: r.int("l"),
			InProgress: r.int("ip"), WithinDeadline: r.int("w"), Overdue: r.int("o"), Recurring: r.int("r")})
	}

	if err := d.loadCoverage(q); err != nil {
		return nil, err
	}
	if err := d.loadIndicators(q); err != nil {
		return nil, err
	}
	if err := d.loadForms(q); err != nil {
		return nil, err
	}
	return d, d.loadContributions(ctx, st, db, q)
}

// loadCoverage counts the agencies on the one-stop system by level, from
// the same directory as the forms: the agencies and levels of
// agency_periods at the period's end (d.agencies), with the days each was
// created, merged away and onboarded. The view agency_coverage counts by
// the agencies' current levels and leaves out those merged during the
// period, so its "224/224 xã" could stand above a form listing 225.
func (d *Data) loadCoverage(q func(string) ([]row, error)) error {
	rs, err := q(`SELECT agency_code, created_on, merged_on, onboarded_on FROM {db}.agencies`)
	if err != nil {
		return err
	}
	start, end := d.Period.Start().String(), d.Period.End().String()
	on := func(r row, col, bound string, unset bool) bool { // NULL: unset
		if v := r[col]; v != `\N` && v != "" {
			return v <= bound
		}
		return unset
	}
	for _, r := range rs {
		a, ok := d.agencies[r.str("agency_code")]
		if !ok || !on(r, "created_on", end, true) {
			continue
		}
		level := a.str("level")
		c := d.Coverage[level]
		switch {
		case !on(r, "merged_on", end, false): // exists at the end
			c.Agencies++
			if on(r, "onboarded_on", end, false) {
				c.Onboarded++
			}
		case !on(r, "merged_on", start, false) || r["merged_on"] == start: // merged during the period
			c.Merged++
		default:
			continue
		}
		d.Coverage[level] = c
	}
	return nil
}

// loadTargets reads the indicators and their targets, in
// indicator_targets order, without figures yet.
func loadTargets(q func(string) ([]row, error)) ([]Rate, error) {
	rs, err := q(`SELECT indicator, indicator_label, score_group, target_percent, max_points FROM {db}.indicator_targets`)
	if err != nil {
		return nil, err
	}
	var out []Rate
	for _, r := range rs {
		out = append(out, Rate{Indicator: r.str("indicator"), Label: r.str("indicator_label"), Group: r.str("score_group"),
			Target: r.float("target_percent"), MaxPoints: r.float("max_points")})
	}
	return out, nil
}

// agenciesAt reads the agencies' names and levels as they were at the end
// of the periods where selects, by code (columns name and level).
func agenciesAt(q func(string) ([]row, error), where string) (map[string]row, error) {
	rs, err := q(`SELECT agency, agency_name AS name, level FROM {db}.agency_periods WHERE ` + where)
	if err != nil {
		return nil, err
	}
	out := make(map[string]row, len(rs))
	for _, r := range rs {
		out[r.str("agency")] = r
	}
	return out, nil
}

// sortByLevel orders agencies' rows as the form lists them: by level group,
// then code.
func sortByLevel(rows []FormRow) {
	slices.SortFunc(rows, func(a, b FormRow) int {
		return strings.Compare(levelOrder(a.LevelGroup)+a.Agency, levelOrder(b.LevelGroup)+b.Agency)
	})
}

func levelOrder(g string) string {
	for i, l := range LevelGroups {
		if l.Key == g {
			return strconv.Itoa(i)
		}
	}
	return "9"
}

// loadDossiers reads the dossier form and the counts behind the rates in
// one pass over dossier_totals, by agency and field, for the period and the
// year before, and sums them here into the form by agency, by field and by
// level, the rates and each agency's QĐ 766 points. The form views give the
// same sums (a test holds them to it).
func (d *Data) loadDossiers(q func(string) ([]row, error), both string) error {
	var err error
	if d.Rates, err = loadTargets(q); err != nil {
		return err
	}
	d.PrevRates = slices.Clone(d.Rates)
	agencies, err := agenciesAt(q, d.Period.where())
	if err != nil {
		return err
	}
	d.agencies = agencies

	rs, err := q(`SELECT year, agency, field, desk, ` + dossierSums + `
		FROM {db}.dossier_totals WHERE ` + both + `
		GROUP BY year, agency, field, desk`)
	if err != nil {
		return err
	}
	byAgency, byField := map[string]*FormRow{}, map[[2]string]*FormRow{}
	// Biểu 06 (every desk) and II.06a (the centre's desk) by agency and field
	agencyFields, centreFields := map[[2]string]*FormRow{}, map[[2]string]*FormRow{}
	addTo := func(m map[[2]string]*FormRow, code, name, group, field string, f Form) {
		k := [2]string{code, field}
		if m[k] == nil {
			m[k] = &FormRow{Agency: code, AgencyName: name, Field: field, LevelGroup: group}
		}
		m[k].Add(f)
	}
	counts := map[string]*rateCounts{}
	var prevCounts rateCounts
	for _, r := range rs {
		f := r.form()
		rc := r.rateCounts(f)
		if r.int("year") != int64(d.Period.Year) {
			d.PrevTotal.Add(f)
			prevCounts.add(rc)
			continue
		}
		code := r.str("agency")
		a := agencies[code]
		group := LevelGroup(a.str("level"))
		if byAgency[code] == nil {
			byAgency[code] = &FormRow{Agency: code, AgencyName: a.str("name"), LevelGroup: group}
			counts[code] = &rateCounts{}
		}
		byAgency[code].Add(f)
		counts[code].add(rc)
		addTo(agencyFields, code, a.str("name"), group, r.str("field"), f)
		if r.str("desk") == "centre" {
			addTo(centreFields, code, a.str("name"), group, r.str("field"), f)
		}
		key := [2]string{group, r.str("field")}
		if byField[key] == nil {
			byField[key] = &FormRow{Field: key[1], LevelGroup: group}
		}
		byField[key].Add(f)
	}
	var total rateCounts
	for code, row := range byAgency {
		d.Agencies = append(d.Agencies, *row)
		d.Total.Add(row.Form)
		g := d.ByLevel[row.LevelGroup]
		g.Add(row.Form)
		d.ByLevel[row.LevelGroup] = g
		total.add(*counts[code])
		score := AgencyScore{Agency: code, AgencyName: row.AgencyName, LevelGroup: row.LevelGroup}
		for _, rate := range counts[code].rates(d.Rates) {
			if rate.MaxPoints > 0 {
				score.Points += rate.Points()
				score.MaxPoints += rate.MaxPoints
			}
		}
		d.Scores = append(d.Scores, score)
	}
	for _, row := range byField {
		d.Fields = append(d.Fields, *row)
	}
	d.AgencyFields, d.CentreFields = sortedFields(agencyFields), sortedFields(centreFields)
	d.Rates, d.PrevRates = total.rates(d.Rates), prevCounts.rates(d.PrevRates)
	sortByLevel(d.Agencies)
	slices.SortFunc(d.Fields, func(a, b FormRow) int {
		return strings.Compare(levelOrder(a.LevelGroup)+a.Field, levelOrder(b.LevelGroup)+b.Field)
	})
	slices.SortFunc(d.Scores, func(a, b AgencyScore) int {
		if a.Points != b.Points {
			return cmp.Compare(b.Points, a.Points)
		}
		return strings.Compare(a.Agency, b.Agency)
	})

	// full_online is a catalogue rate: eligible procedures with full online service.
	for i := range d.Rates {
		if d.Rates[i].Indicator == "full_online" {
			d.Rates[i].Numerator, d.Rates[i].Denominator = d.Catalogue.EligibleFullOnline, d.Catalogue.EligibleOnline
			d.PrevRates[i].Numerator, d.PrevRates[i].Denominator = d.PrevCatalogue.EligibleFullOnline, d.PrevCatalogue.EligibleOnline
		}
	}
	return nil
}

// sortedFields are rows by agency and field in the form's order: level
// group, agency code, field.
func sortedFields(m map[[2]string]*FormRow) []FormRow {
	out := make([]FormRow, 0, len(m))
	for _, r := range m {
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b FormRow) int {
		return cmp.Or(strings.Compare(levelOrder(a.LevelGroup)+a.Agency, levelOrder(b.LevelGroup)+b.Agency), strings.Compare(a.Field, b.Field))
	})
	return out
}

// loadForms reads what the forms II.07b and the causes of late dossiers
// state: procedure_counts and late_causes for the period.
func (d *Data) loadForms(q func(string) ([]row, error)) error {
	rs, err := q(`SELECT level_group, procedures, one_stop, internal_processes FROM {db}.procedure_counts WHERE ` + d.Period.where())
	if err != nil {
		return err
	}
	d.Procedures = map[string]ProcedureCount{}
	for _, r := range rs {
		d.Procedures[r.str("level_group")] = ProcedureCount{Procedures: r.int("procedures"), OneStop: r.int("one_stop"), InternalProcesses: r.int("internal_processes")}
	}
	rs, err = q(`SELECT agency, agency_name, level_group, reason, apologies FROM {db}.late_causes WHERE ` + d.Period.where())
	if err != nil {
		return err
	}
	for _, r := range rs {
		d.LateCauses = append(d.LateCauses, LateCause{Agency: r.str("agency"), AgencyName: r.str("agency_name"), LevelGroup: r.str("level_group"),
			Reason: r.str("reason"), Apologies: r.int("apologies")})
	}
	// the form's order: level group, agency, the most apologies first
	slices.SortFunc(d.LateCauses, func(a, b LateCause) int {
		return cmp.Or(strings.Compare(levelOrder(a.LevelGroup)+a.Agency, levelOrder(b.LevelGroup)+b.Agency),
			cmp.Compare(b.Apologies, a.Apologies), strings.Compare(a.Reason, b.Reason))
	})
	return nil
}

// LevelGroup is the section of the form an agency of level belongs to, as
// the form views' level_group.
func LevelGroup(level string) string {
	switch level {
	case "province", "department":
		return "province"
	case "district":
		return "district"
	}
	return "commune"
}

// rateCounts are the numerators and denominators of the scored rates, as
// agency_scores pairs them.
type rateCounts struct {
	received, digitised, reused, resolved, onTime, results, electronic, fees, feesOnline, synced, rated, satisfied, online int64
}

func (r row) rateCounts(f Form) rateCounts {
	return rateCounts{
		received: f.ReceivedOnline + f.ReceivedOffline, online: f.ReceivedOnline, resolved: f.ResolvedTotal,
		onTime: f.ResolvedEarly + f.ResolvedOnTime, digitised: r.int("n_digitised"), reused: r.int("n_reused"),
		results: r.int("n_results"), electronic: r.int("n_electronic"), fees: r.int("n_fees"), feesOnline: r.int("n_fees_online"),
		synced: r.int("n_synced"), rated: r.int("n_rated"), satisfied: r.int("n_satisfied"),
	}
}

func (c *rateCounts) add(o rateCounts) {
	c.received += o.received
	c.online += o.online
	c.digitised += o.digitised
	c.reused += o.reused
	c.resolved += o.resolved
	c.onTime += o.onTime
	c.results += o.results
	c.electronic += o.electronic
	c.fees += o.fees
	c.feesOnline += o.feesOnline
	c.synced += o.synced
	c.rated += o.rated
	c.satisfied += o.satisfied
}

// rates fills the targets' numerators and denominators from c.
func (c rateCounts) rates(targets []Rate) []Rate {
	pairs := map[string][2]int64{
		"synced": {c.synced, c.received}, "on_time": {c.onTime, c.resolved}, "online": {c.online, c.received},
		"online_payment": {c.feesOnline, c.fees}, "satisfaction": {c.satisfied, c.rated}, "digitised": {c.digitised, c.received},
		"electronic_result": {c.electronic, c.results}, "reuse": {c.reused, c.received},
	}
	out := slices.Clone(targets)
	for i := range out {
		if p, ok := pairs[out[i].Indicator]; ok {
			out[i].Numerator, out[i].Denominator = p[0], p[1]
		}
	}
	return out
}

// loadIndicators reads, in one pass over indicator_values (each pass
// groups every indicator.reported event), the PAR Index and SIPAS last
// reported by the period's end, the press items and legal documents of
// figures ending within the period, summed, and the indicators of kind
// other ending within it.
func (d *Data) loadIndicators(q func(string) ([]row, error)) error {
	start, end := d.Period.Start().String(), d.Period.End().String()
	rs, err := q(`SELECT indicator, name, value, unit, rank, rank_of, period_from, period_to, change, source
		FROM {db}.indicator_values
		WHERE indicator IN ('par_index', 'sipas') AND reported_on <= '` + end + `'
			OR indicator IN ('press_items', 'legal_documents', 'other') AND period_to BETWEEN '` + start + `' AND '` + end + `'
		ORDER BY indicator, period_to, reported_on, name, agency`)
	if err != nil {
		return err
	}
	for _, r := range rs {
		switch kind := r.str("indicator"); kind {
		case "par_index", "sipas": // the last row of each wins
			ind := &Indicator{Value: r.float("value"), Unit: r.str("unit"), Rank: int(r.int("rank")), RankOf: int(r.int("rank_of")),
				From: r.date("period_from"), To: r.date("period_to")}
			if r.str("change") != `\N` { // NULL: no figure a year earlier
				v := r.float("change")
				ind.Change = &v
			}
			if kind == "par_index" {
				d.PAR = ind
			} else {
				d.SIPAS = ind
			}
		case "press_items", "legal_documents":
			sum := &d.PressItems
			if kind == "legal_documents" {
				sum = &d.LegalDocuments
			}
			if *sum == nil {
				*sum = &Indicator{Unit: r.str("unit"), From: r.date("period_from"), To: r.date("period_to")}
			}
			ind := *sum
			ind.Value += r.float("value")
			if from := r.date("period_from"); from.Before(ind.From.Time) {
				ind.From = from
			}
			if to := r.date("period_to"); to.After(ind.To.Time) {
				ind.To = to
			}
		case "other":
			d.Others = append(d.Others, OtherIndicator{Name: r.str("name"), Value: r.float("value"), Unit: r.str("unit"),
				From: r.date("period_from"), To: r.date("period_to"), Source: r.str("source")})
		}
	}
	slices.SortStableFunc(d.Others, func(a, b OtherIndicator) int { return cmp.Compare(a.Name, b.Name) })
	return nil
}

// dossierSums are the sums over dossier_totals behind the form's columns
// (row.form) and the rates (row.rateCounts).
const dossierSums = `sum(dossiers) AS received_total, sum(received_online) AS received_online, sum(received_offline) AS received_offline,
	sum(carried_over) AS carried_over, sum(resolved) AS resolved_total, sum(resolved_early) AS resolved_early,
	sum(resolved_on_time) AS resolved_on_time, sum(resolved_late) AS resolved_late, sum(in_progress) AS in_progress_total,
	sum(in_progress_within_due) AS in_progress_within_due, sum(in_progress_overdue) AS in_progress_overdue,
	sum(digitised) AS n_digitised, sum(reused) AS n_reused, sum(result_issued) AS n_results, sum(electronic_result) AS n_electronic,
	sum(fee_paid) AS n_fees, sum(fee_paid_online) AS n_fees_online, sum(synced) AS n_synced, sum(rated) AS n_rated,
	sum(satisfied) AS n_satisfied`

// querier runs queries on database db ({db} in the text), reading rows by
// column name.
func querier(ctx context.Context, st store.Store, db string) func(string) ([]row, error) {
	return func(query string) ([]row, error) {
		res, err := st.Query(ctx, strings.ReplaceAll(query, "{db}", db))
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		return rows(res), nil
	}
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

// str is a text value as a report may print it: events stored before the
// contract refused control characters (events.Decode) may still carry them,
// and no format should copy them into an official document (Markdown maps
// them itself; html/template and excelize pass ESC, DEL and C1 through).
func (r row) str(col string) string { return printable(r[col]) }

// printable replaces control characters (C0, DEL, C1): tab and line breaks
// by a space, the others by U+FFFD.
func printable(s string) string {
	clean := true
	for _, c := range s {
		if c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(c rune) rune {
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			return ' '
		case c < 0x20 || c == 0x7f || c >= 0x80 && c <= 0x9f:
			return utf8.RuneError
		}
		return c
	}, s)
}

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
