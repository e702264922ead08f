package report_test

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// The numbers-in-sentences property (issue 15): on small simulated
// provinces, for every report the data allows (the KSTTHC report of each
// quarter, the reform report of the half-year), every number in every
// computed sentence is a figure the builder stated by name
// (Document.Stated, in the order written), and each named figure equals the
// figure of that name re-derived independently: from the document's tables
// (the form's total row, the indicator table) and from the views, queried
// here with SQL of the test's own. The previous year's column of the
// indicator table is held to last year's events the same way.
func TestFiguresInSentences(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates provinces")
	}
	seeds := []int64{3, 11}
	var all [][]events.Event
	for _, seed := range seeds {
		cfg := simulate.DefaultConfig()
		cfg.Seed, cfg.From, cfg.To = seed, events.NewDate(2023, 3, 1), events.NewDate(2024, 6, 30)
		cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict = 4, 2, 3
		cfg.Procedures, cfg.DossiersPerDay, cfg.FeedbackPerDay = 80, 12, 0.5
		var evs []events.Event
		if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { evs = append(evs, e); return nil }); err != nil {
			t.Fatal(err)
		}
		all = append(all, evs)
	}
	reports := []struct {
		kind   report.Kind
		period string
	}{{report.ProcedureControl, "2024-Q1"}, {report.ProcedureControl, "2024-Q2"}, {report.Reform, "2024-H1"}}
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		for i, evs := range all {
			db := storetest.Migrated(t, s)
			storetest.InsertOnce(t, s, db, evs)
			for _, r := range reports {
				t.Run(fmt.Sprintf("seed%d/%s/%s", seeds[i], r.kind, r.period), func(t *testing.T) {
					p, _ := report.ParsePeriod(r.period, report.Official)
					checkFigures(t, s, db, r.kind, p)
				})
			}
		}
	})
}

// checkFigures builds one report and holds its sentences to its tables and
// the views.
func checkFigures(t *testing.T, s store.Store, db string, k report.Kind, p report.Period) {
	ctx := context.Background()
	if _, err := report.Generate(ctx, s, db, report.Request{Kind: k, Period: p, Formats: []string{report.FormatMarkdown}, Dir: t.TempDir()}); err != nil {
		t.Fatal(err) // refreshes dossier_totals
	}
	d, err := report.Load(ctx, s, db, p)
	if err != nil {
		t.Fatal(err)
	}
	// the computed sentences alone: the agencies' parts are their own text
	d.Contributions, d.Others = nil, nil
	doc := report.Build(k, d)
	if len(doc.Stated) < 20 {
		t.Fatalf("the document states %d named figures; the property needs the sentences to name theirs", len(doc.Stated))
	}

	// 1. every number of every sentence is a stated figure, in order
	var names []string
	for _, a := range d.Agencies {
		names = append(names, a.AgencyName)
	}
	for _, tk := range d.Tasks {
		names = append(names, tk.PlanTitle)
	}
	var found []string
	for _, sentence := range computedSentences(doc) {
		found = append(found, numbersIn(sentence, names)...)
	}
	var stated []string
	for _, f := range doc.Stated {
		stated = append(stated, f.Text)
	}
	// as multisets: a sentence may compute a figure before the one written
	// before it; a percent sign is the unit, not the figure
	for _, l := range [][]string{found, stated} {
		for i := range l {
			l[i] = strings.TrimSuffix(l[i], "%")
		}
		sort.Strings(l)
	}
	if strings.Join(found, " ") != strings.Join(stated, " ") {
		t.Errorf("the numbers in the sentences are not the named figures:\nsentences: %v\nstated:    %v", found, stated)
	}

	// 2. each named figure is the figure of that name, re-derived
	v := derive(t, s, db, p, doc)
	for _, f := range doc.Stated {
		want, ok := v.value(f.Name)
		if !ok {
			t.Errorf("%s: %s = %s has no independent derivation in the test", f.Section, f.Name, f.Text)
			continue
		}
		if !same(f, want) {
			t.Errorf("%s: %s is %s in the sentence, %v from the tables and views", f.Section, f.Name, f.Text, want)
		}
	}
	// the form's total row ("Tổng cộng") equals the views' sums
	totals := 0
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			tab, ok := b.(*report.Table)
			if !ok || len(tab.Rows) == 0 {
				continue
			}
			total := tab.Rows[len(tab.Rows)-1]
			if len(total) < 2+len(formColumns) || total[1].Text != "Tổng cộng" || tab.Name != "Theo cấp" {
				continue
			}
			totals++
			for i, col := range formColumns {
				if got, want := total[2+i].Number, v.figures["dossiers."+col]; got == nil || *got != want {
					t.Errorf("the form's total %s is %v, the view's sum %v", col, got, want)
				}
			}
		}
	}
	if totals == 0 && d.Total.ReceivedTotal > 0 {
		t.Errorf("no form by level with a total row (Tổng cộng) to hold the sentences to")
	}
	// the indicator table: this period's and last year's column from the events
	if tab := table(doc, "Chỉ tiêu"); tab != nil {
		for _, row := range tab.Rows {
			ind := v.indicatorOf[row[1].Text]
			for col, name := range map[int]string{2: "rate." + ind, 5: "prev_rate." + ind} {
				want, ok := v.figures[name]
				if !ok {
					continue // a rate the views do not give per agency (full_online)
				}
				cell := row[col]
				if math.IsNaN(want) {
					if cell.Text != "—" {
						t.Errorf("indicator table, %s: %s, none in the view", name, cell.String())
					}
					continue
				}
				if cell.Number == nil || math.Abs(*cell.Number-want) > 1e-9 {
					t.Errorf("indicator table, %s: %s, the view gives %s", name, cell.String(), report.Percent(want))
				}
			}
		}
	}
	// the communes the forms list (the agencies with dossiers) are those the
	// coverage counts, or merged away in the period
	communes := 0
	for _, a := range d.Agencies {
		if a.LevelGroup == "commune" {
			communes++
		}
	}
	{
		// the sentence's figures, not the derivation: "224/224 xã" above 225 communes
		said := map[string]float64{}
		for _, f := range doc.Stated {
			said[f.Name] = f.Value
		}
		if communes > 0 && float64(communes) > said["coverage.commune.agencies"]+said["coverage.commune.merged"] {
			t.Errorf("the form lists %d communes; the coverage sentence says %v, and %v merged in the period", communes, said["coverage.commune.agencies"], said["coverage.commune.merged"])
		}
	}
}

var formColumns = []string{"received_total", "received_online", "received_offline", "carried_over", "resolved_total",
	"resolved_early", "resolved_on_time", "resolved_late", "in_progress_total", "in_progress_within_due", "in_progress_overdue"}

// computedSentences are the paragraphs and bullet items of the document.
func computedSentences(doc *report.Document) []string {
	var out []string
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			switch v := b.(type) {
			case report.Paragraph:
				out = append(out, string(v))
			case report.Bullets:
				out = append(out, v...)
			}
		}
	}
	return out
}

var (
	// what is written with digits but is no figure: dates, document and
	// plan numbers, years, period labels, the decision 766
	notFigures = regexp.MustCompile(`\d{1,2}/\d{1,2}/\d{4}|\d+/[A-ZĐ][\p{L}\d-]*|(năm|Quý [IV]+/|quý [IV]+/|giai đoạn) ?\d{4}( - \d{4})?|\d+ tháng|Bộ chỉ số 766|/\d{4}\b`)
	number     = regexp.MustCompile(`\d{1,3}(\.\d{3})+(,\d+)?%?|\d+(,\d+)?%?`)
)

// numbersIn are the numbers written in a sentence, in the Vietnamese format
// (1.234; 95,4; 45,3%), names and what is no figure taken out first.
func numbersIn(sentence string, names []string) []string {
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		if n != "" {
			sentence = strings.ReplaceAll(sentence, n, " ")
		}
	}
	return number.FindAllString(notFigures.ReplaceAllString(sentence, " "), -1)
}

// same compares a stated figure with its derivation at the precision
// written (08 is 8; 95,4% is 95,4 to one decimal).
func same(f report.Stated, want float64) bool {
	text := strings.TrimSuffix(f.Text, "%")
	decimals := 0
	if _, frac, ok := strings.Cut(text, ","); ok {
		decimals = len(frac)
	}
	got, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(text, ".", ""), ",", "."), 64)
	return err == nil && math.Abs(got-want) < math.Pow10(-decimals)/2+1e-9
}

func table(doc *report.Document, name string) *report.Table {
	for _, s := range doc.Sections {
		for _, b := range s.Blocks {
			if t, ok := b.(*report.Table); ok && t.Name == name {
				return t
			}
		}
	}
	return nil
}

// derived are the figures re-derived from the views, by the names the
// builder gives them.
type derived struct {
	figures     map[string]float64
	indicatorOf map[string]string // label → indicator
}

func (v derived) value(name string) (float64, bool) {
	x, ok := v.figures[name]
	return x, ok
}

func derive(t *testing.T, s store.Store, db string, p report.Period, doc *report.Document) derived {
	t.Helper()
	v := derived{figures: map[string]float64{}, indicatorOf: map[string]string{}}
	where := func(year int) string {
		return fmt.Sprintf("kind = '%s' AND cutoff = '%s' AND year = %d AND number = %d", p.Kind, p.Cutoff, year, p.Number)
	}
	q := func(sql string) []map[string]string {
		res, err := s.Query(context.Background(), strings.ReplaceAll(sql, "{db}", db))
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		var out []map[string]string
		for _, r := range res.Rows {
			m := map[string]string{}
			for i, c := range res.Columns {
				m[c] = r[i]
			}
			out = append(out, m)
		}
		return out
	}
	num := func(s string) float64 { x, _ := strconv.ParseFloat(s, 64); return x }
	set := func(prefix string, rows []map[string]string, cols map[string]string) {
		for _, r := range rows {
			for name, col := range cols {
				v.figures[prefix+name] = num(r[col])
			}
		}
	}

	// the dossier form: sums of dossier_form_by_agency
	cols := map[string]string{}
	sums := []string{}
	for _, c := range formColumns {
		cols[c] = c
		sums = append(sums, fmt.Sprintf("sum(%s) AS %s", c, c))
	}
	set("dossiers.", q(`SELECT `+strings.Join(sums, ", ")+` FROM {db}.dossier_form_by_agency WHERE `+where(p.Year)), cols)
	prev := q(`SELECT sum(received_online + received_offline) AS n FROM {db}.dossier_form_by_agency WHERE ` + where(p.Year-1))
	newNow := v.figures["dossiers.received_online"] + v.figures["dossiers.received_offline"]
	if n := num(prev[0]["n"]); n > 0 {
		v.figures["dossiers.new_change"] = math.Abs(100*newNow/n - 100)
	}
	v.figures["dossiers.late_or_overdue"] = v.figures["dossiers.resolved_late"] + v.figures["dossiers.in_progress_overdue"]
	// form II.06a's sentence: the centre's desk; the causes of late dossiers
	set("centre.", q(`SELECT `+strings.Join(sums, ", ")+` FROM {db}.dossier_form_by_agency_field WHERE `+where(p.Year)+` AND desk = 'centre'`), cols)
	set("late.", q(`SELECT sum(apologies) AS apologies FROM {db}.late_causes WHERE `+where(p.Year)), map[string]string{"apologies": "apologies"})
	for _, r := range q(`SELECT if(reason = '', 'Không nêu nguyên nhân', reason) AS cause, sum(apologies) AS n FROM {db}.late_causes WHERE ` + where(p.Year) + ` GROUP BY cause`) {
		v.figures["late.cause."+r["cause"]] = num(r["n"])
	}

	// the rates: agency_scores' numerators and denominators summed; the
	// targets from indicator_targets
	for _, r := range q(`SELECT indicator, indicator_label, target_percent FROM {db}.indicator_targets`) {
		v.indicatorOf[r["indicator_label"]] = r["indicator"]
		v.figures["rate."+r["indicator"]+".target"] = num(r["target_percent"])
	}
	for year, prefix := range map[int]string{p.Year: "rate.", p.Year - 1: "prev_rate."} {
		for _, r := range q(`SELECT indicator, sum(numerator) AS n, sum(denominator) AS d FROM {db}.agency_scores WHERE ` + where(year) + ` GROUP BY indicator`) {
			v.figures[prefix+r["indicator"]] = report.Ratio(int64(num(r["n"])), int64(num(r["d"])))
		}
	}
	for _, ind := range v.indicatorOf {
		for _, prefix := range []string{"rate.", "prev_rate."} {
			if _, ok := v.figures[prefix+ind]; !ok && ind != "full_online" {
				v.figures[prefix+ind] = math.NaN() // no dossiers: nothing to count
			}
		}
	}
	// the QĐ 766 points by agency
	var best, worst, sum, maxPoints float64
	scores := q(`SELECT agency, sum(ifNull(points, 0)) AS p, sum(max_points) AS m FROM {db}.agency_scores WHERE ` + where(p.Year) + ` AND max_points > 0 GROUP BY agency`)
	for i, r := range scores {
		pts := num(r["p"])
		if i == 0 || pts > best {
			best = pts
		}
		if i == 0 || pts < worst {
			worst = pts
		}
		sum += pts
		maxPoints = math.Max(maxPoints, num(r["m"]))
	}
	if len(scores) > 0 {
		v.figures["scores.agencies"] = float64(len(scores))
		v.figures["scores.average"], v.figures["scores.max_points"] = sum/float64(len(scores)), maxPoints
		v.figures["scores.best"], v.figures["scores.worst"] = best, worst
	}

	// the catalogue
	cat := map[string]string{"decisions": "decisions", "published": "published", "in_force": "in_force", "at_province": "at_province",
		"at_district": "at_district", "at_commune": "at_commune", "full_online": "full_online", "partial_online": "partial_online",
		"internal": "internal_procedures", "internal_simplified": "internal_simplified", "review_planned": "review_planned",
		"reviewed": "reviewed", "delegated": "delegated"}
	set("catalogue.", q(`SELECT * FROM {db}.catalogue_summary WHERE `+where(p.Year)), cat)
	set("catalogue.", q(`SELECT decisions FROM {db}.catalogue_summary WHERE `+where(p.Year-1)), map[string]string{"prev_decisions": "decisions"})
	for _, r := range q(`SELECT eligible_full_online AS n, eligible_online AS d FROM {db}.catalogue_summary WHERE ` + where(p.Year)) {
		v.figures["rate.full_online"] = report.Ratio(int64(num(r["n"])), int64(num(r["d"])))
	}
	v.figures["catalogue.internal_share"] = report.Ratio(int64(v.figures["catalogue.internal_simplified"]), int64(v.figures["catalogue.internal"]))
	v.figures["catalogue.without_level"] = v.figures["catalogue.in_force"] - v.figures["catalogue.at_province"] - v.figures["catalogue.at_district"] - v.figures["catalogue.at_commune"]

	// feedback
	fb := `SELECT sum(received_new) AS new, sum(carried_over) AS carried, sum(completed) AS done, sum(in_progress) AS open,
		sum(in_progress_within_due) AS within, sum(in_progress_overdue) AS overdue FROM {db}.feedback_summary WHERE `
	set("feedback.", q(fb+where(p.Year)), map[string]string{"new": "new", "carried_over": "carried", "completed": "done", "in_progress": "open", "within_due": "within", "overdue": "overdue"})
	set("feedback.", q(fb+where(p.Year-1)), map[string]string{"prev_new": "new"})
	if n := v.figures["feedback.prev_new"]; n > 0 {
		v.figures["feedback.new_change"] = math.Abs(100*v.figures["feedback.new"]/n - 100)
	}

	// plans, by number, and the Government's tasks together
	tasks := `SELECT plan_number, any(plan_kind) AS pk, sum(assigned) AS a, sum(completed) AS c, sum(completed_on_time) AS ot, sum(completed_late) AS l,
		sum(in_progress) AS ip, sum(in_progress_within_deadline) AS w, sum(in_progress_overdue) AS o, sum(recurring) AS r, any(plan_year) AS y
		FROM {db}.task_summary WHERE ` + where(p.Year)
	tcols := map[string]string{"assigned": "a", "completed": "c", "on_time": "ot", "late": "l", "in_progress": "ip", "within_deadline": "w", "overdue": "o", "recurring": "r"}
	stated := map[string]bool{}
	for _, f := range doc.Stated {
		if strings.HasPrefix(f.Name, "plan.") {
			stated[f.Name[:strings.LastIndex(f.Name, ".")]] = true
		}
	}
	var overdue float64
	for _, r := range q(tasks + ` GROUP BY plan_number`) {
		set("plan."+r["plan_number"]+".", []map[string]string{r}, tcols)
		if stated["plan."+r["plan_number"]] {
			overdue += num(r["o"])
		}
	}
	set("government.", q(strings.Replace(tasks, "plan_number, any(plan_kind) AS pk, ", "", 1)+` AND plan_kind = 'government_assigned'`), tcols)
	if hasStated(doc, "government.") {
		overdue += v.figures["government.overdue"]
	}
	v.figures["tasks.overdue"] = overdue

	// coverage: agency_periods (the level at the period's end) and the
	// agencies' dates
	cov := q(`SELECT level, countIf(ifNull(merged_on, toDate('2105-12-31')) > period_end) AS agencies,
			countIf(ifNull(merged_on, toDate('2105-12-31')) > period_end AND ifNull(onboarded_on, toDate('2105-12-31')) <= period_end) AS onboarded,
			countIf(ifNull(merged_on, toDate('2105-12-31')) <= period_end AND ifNull(merged_on, toDate('1970-01-01')) >= '` + p.Start().String() + `') AS merged
		FROM {db}.agency_periods AS a ANY LEFT JOIN (SELECT agency_code AS agency, created_on, merged_on, onboarded_on FROM {db}.agencies) AS g USING (agency)
		WHERE ` + where(p.Year) + ` AND ifNull(created_on, toDate('1970-01-01')) <= period_end GROUP BY level`)
	for _, r := range cov {
		group := map[string]string{"department": "upper", "district": "upper", "commune": "commune"}[r["level"]]
		if group == "" {
			continue
		}
		for _, c := range []string{"agencies", "onboarded", "merged"} {
			v.figures["coverage."+group+"."+c] += num(r[c])
		}
	}
	// PAR Index, SIPAS, press items, legal documents: indicator_values
	for _, r := range q(`SELECT indicator, value, rank, rank_of, change FROM {db}.indicator_values WHERE indicator IN ('par_index', 'sipas')
		AND reported_on <= '` + p.End().String() + `' ORDER BY period_to, reported_on`) {
		name := map[string]string{"par_index": "par", "sipas": "sipas"}[r["indicator"]]
		v.figures[name+".value"], v.figures[name+".rank"], v.figures[name+".rank_of"] = num(r["value"]), num(r["rank"]), num(r["rank_of"])
		v.figures[name+".change"] = math.Abs(num(r["change"]))
	}
	for _, r := range q(`SELECT indicator, sum(value) AS v FROM {db}.indicator_values WHERE indicator IN ('press_items', 'legal_documents')
		AND period_to BETWEEN '` + p.Start().String() + `' AND '` + p.End().String() + `' GROUP BY indicator`) {
		v.figures[map[string]string{"press_items": "press.items", "legal_documents": "legal.documents"}[r["indicator"]]] = math.Round(num(r["v"]))
	}
	return v
}

func hasStated(doc *report.Document, prefix string) bool {
	for _, f := range doc.Stated {
		if strings.HasPrefix(f.Name, prefix) {
			return true
		}
	}
	return false
}
