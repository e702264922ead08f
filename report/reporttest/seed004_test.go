package reporttest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/ksuid"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report/reporttest"
)

// The checks below fold the feed in Go the way the projections and views
// fold it (latest value by (recorded_at, id), earliest time, …), so that the
// seed's figures are asserted from the events themselves.

var feed = reporttest.Seed004()

type period struct{ from, to events.Date }

var (
	cur  = period{reporttest.PeriodStart, reporttest.PeriodEnd}
	prev = period{reporttest.PrevPeriodStart, reporttest.PrevPeriodEnd}
	far  = events.NewDate(2105, time.December, 31)
)

func (p period) has(d events.Date) bool { return !d.Before(p.from.Time) && !d.After(p.to.Time) }

func le(a, b events.Date) bool { return !a.After(b.Time) }

func dayOf(t time.Time) events.Date {
	if t.IsZero() {
		return far
	}
	return events.DateOf(t)
}

// later reports whether event e comes after o in (recorded_at, id) order.
func later(e, o events.Event) bool {
	if c := e.RecordedAt.Compare(o.RecordedAt); c != 0 {
		return c > 0
	}
	return e.ID > o.ID
}

func earliest(cur, t time.Time) time.Time {
	if cur.IsZero() || t.Before(cur) {
		return t
	}
	return cur
}

func earliestDate(cur events.Date, d events.Date) events.Date {
	if cur.IsZero() || d.Before(cur.Time) {
		return d
	}
	return cur
}

func TestSeed004Valid(t *testing.T) {
	if len(feed) == 0 {
		t.Fatal("empty feed")
	}
	ids := map[string]bool{}
	for i, e := range feed {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		got, err := events.Decode(data, reporttest.Now)
		if err != nil {
			t.Fatalf("event %d (%s %s): %v\n%s", i, e.Type, e.SubjectID, err, data)
		}
		if got.Type != e.Type || got.SubjectID != e.SubjectID {
			t.Fatalf("event %d decodes as %s %s", i, got.Type, got.SubjectID)
		}
		if ids[e.ID] {
			t.Fatalf("id %s twice", e.ID)
		}
		ids[e.ID] = true
		id, _ := ksuid.Parse(e.ID)
		if !id.Time().Equal(e.RecordedAt.Truncate(time.Second)) {
			t.Errorf("%s: id time %s, recorded %s", e.ID, id.Time(), e.RecordedAt)
		}
		if d := e.RecordedAt.Sub(e.OccurredAt); d < time.Second || d > 10*time.Second {
			t.Errorf("%s %s: recorded %v after it occurred", e.Type, e.SubjectID, d)
		}
		if _, off := e.OccurredAt.Zone(); off != 7*3600 || e.OccurredAt.Nanosecond() != 0 {
			t.Errorf("%s %s: occurred_at %s is not whole seconds in +07", e.Type, e.SubjectID, e.OccurredAt)
		}
		if !e.OccurredAt.Before(reporttest.Now) {
			t.Errorf("%s %s occurs at %s, after the reference clock", e.Type, e.SubjectID, e.OccurredAt)
		}
		if i > 0 && e.RecordedAt.Before(feed[i-1].RecordedAt) {
			t.Errorf("event %d is recorded before the one before it", i)
		}
	}
	byType := map[events.Type]int{}
	for _, e := range feed {
		byType[e.Type]++
	}
	t.Logf("%d events, %d types", len(feed), len(byType))
	for _, ty := range events.Types() {
		if byType[ty] > 0 {
			t.Logf("  %-34s %5d", ty, byType[ty])
		}
	}
}

func TestSeed004Deterministic(t *testing.T) {
	a, _ := json.Marshal(feed)
	b, _ := json.Marshal(reporttest.Seed004())
	if !bytes.Equal(a, b) {
		t.Fatal("two calls give different feeds")
	}
}

// ---- Agencies (agency_coverage) ----

func TestSeed004Agencies(t *testing.T) {
	type ag struct {
		level, parent    string
		created, onboard events.Date
		levelEv          events.Event
	}
	agencies := map[string]*ag{}
	get := func(code string) *ag {
		if agencies[code] == nil {
			agencies[code] = &ag{}
		}
		return agencies[code]
	}
	for _, e := range feed {
		switch p := e.Payload.(type) {
		case events.AgencyCreated:
			a := get(e.SubjectID)
			if a.level == "" || later(e, a.levelEv) {
				a.level, a.parent, a.levelEv = string(p.Level), p.Parent, e
			}
			a.created = earliestDate(a.created, p.EffectiveFrom)
		case events.AgencyOnboarded:
			a := get(e.SubjectID)
			a.onboard = earliestDate(a.onboard, p.EffectiveFrom)
		case events.AgencyMerged, events.AgencyLevelChanged, events.AgencyRenamed:
			t.Errorf("unexpected %s", e.Type)
		}
	}
	count := map[string][2]int{}
	for code, a := range agencies {
		if a.created.IsZero() || !le(a.created, cur.to) {
			continue
		}
		c := count[a.level]
		c[0]++
		if !a.onboard.IsZero() && le(a.onboard, cur.to) {
			c[1]++
		}
		count[a.level] = c
		if a.level == "commune" && agencies[a.parent].level != "district" {
			t.Errorf("commune %s: parent %s is not a district", code, a.parent)
		}
		if !a.created.Before(events.NewDate(2023, 1, 1).Time) {
			t.Errorf("%s created %s", code, a.created)
		}
	}
	t.Logf("agency_coverage at %s: %v", cur.to, count)
	want := map[string][2]int{
		"province":   {reporttest.SeedProvinceAgencies, reporttest.SeedProvinceAgencies},
		"department": {reporttest.SeedDepartments, reporttest.SeedDepartments},
		"district":   {reporttest.SeedDistricts, reporttest.SeedDistricts},
		"commune":    {reporttest.SeedCommunes, reporttest.SeedCommunesOnboarded},
	}
	for level, w := range want {
		if count[level] != w {
			t.Errorf("%s: %v, want %v", level, count[level], w)
		}
	}
	if got := count["department"][1] + count["district"][1]; got != reporttest.SeedDepartmentsOnboarded {
		t.Errorf("departments and districts onboarded: %d, want %d", got, reporttest.SeedDepartmentsOnboarded)
	}
	if a := agencies[reporttest.JusticeCode]; a == nil || a.level != "department" {
		t.Errorf("%s is not a department", reporttest.JusticeCode)
	}
}

// ---- Catalogue (procedures, catalogue_summary) ----

type catalogueFigures struct {
	decisions, published, inForce, full, partial, eligible, eligibleFull int
	internal, internalSimplified, reviewPlanned, delegated               int
	atProvince, atDistrict, atCommune                                    int
}

func catalogueAt(t *testing.T, p period) catalogueFigures {
	decisions := map[string]events.Date{}
	type proc struct {
		publishedOn, repealedOn, delegatedOn events.Date
		pubEv, levelEv, eligEv               events.Event
		levels                               []events.GovLevel
		online                               events.OnlineLevel
		eligible, internal                   bool
		simplified, reviewPlanned            time.Time
		delegKind                            events.DelegationKind
		delegTo                              string
	}
	procs := map[string]*proc{}
	get := func(code string) *proc {
		if procs[code] == nil {
			procs[code] = &proc{}
		}
		return procs[code]
	}
	decision := func(no string, d events.Date) { decisions[no] = earliestDate(decisions[no], d) }
	for _, e := range feed {
		switch pl := e.Payload.(type) {
		case events.ProcedurePublished:
			decision(pl.DecisionNo, pl.DecisionDate)
			c := get(e.SubjectID)
			if c.pubEv.ID == "" || later(e, c.pubEv) {
				c.pubEv, c.publishedOn, c.levels = e, pl.DecisionDate, pl.Levels
			}
			if c.levelEv.ID == "" || later(e, c.levelEv) {
				c.levelEv, c.online = e, pl.OnlineLevel
			}
			if c.eligEv.ID == "" || later(e, c.eligEv) {
				c.eligEv, c.eligible = e, pl.OnlineEligible
			}
			c.internal = c.internal || pl.Internal
		case events.ProcedureAmended:
			decision(pl.DecisionNo, pl.DecisionDate)
			c := get(e.SubjectID)
			if pl.OnlineLevel != "" && (c.levelEv.ID == "" || later(e, c.levelEv)) {
				c.levelEv, c.online = e, pl.OnlineLevel
			}
			if pl.OnlineEligible != nil && (c.eligEv.ID == "" || later(e, c.eligEv)) {
				c.eligEv, c.eligible = e, *pl.OnlineEligible
			}
			if len(pl.Levels) > 0 {
				t.Errorf("%s: levels amended; the fold below does not follow that", e.SubjectID)
			}
		case events.ProcedureRepealed:
			decision(pl.DecisionNo, pl.DecisionDate)
			c := get(e.SubjectID)
			c.repealedOn = earliestDate(c.repealedOn, pl.DecisionDate)
		case events.ProcedureDelegated:
			c := get(e.SubjectID)
			c.delegatedOn = earliestDate(c.delegatedOn, pl.DecisionDate)
			c.delegKind, c.delegTo = pl.Kind, pl.ToAgency
		case events.ProcedureReviewPlanned:
			c := get(e.SubjectID)
			c.reviewPlanned = earliest(c.reviewPlanned, e.OccurredAt)
			c.internal = c.internal || pl.Internal
		case events.ProcedureReviewed:
			c := get(e.SubjectID)
			c.internal = c.internal || pl.Internal
		case events.ProcedureSimplificationProposed:
			c := get(e.SubjectID)
			c.simplified = earliest(c.simplified, e.OccurredAt)
			c.internal = c.internal || pl.Internal
		}
	}
	var f catalogueFigures
	for _, d := range decisions {
		if p.has(d) {
			f.decisions++
		}
	}
	orFar := func(d events.Date) events.Date {
		if d.IsZero() {
			return far
		}
		return d
	}
	for code, c := range procs {
		if c.pubEv.ID == "" {
			t.Errorf("%s has events but is never published", code)
			continue
		}
		if p.has(c.publishedOn) {
			f.published++
		}
		if p.has(dayOf(c.reviewPlanned)) {
			f.reviewPlanned++
		}
		if p.has(orFar(c.delegatedOn)) {
			f.delegated++
			if c.delegKind != events.DelegationAuthorise || c.delegTo != reporttest.JusticeCode {
				t.Errorf("%s delegated %s to %s", code, c.delegKind, c.delegTo)
			}
		}
		if !le(c.publishedOn, p.to) || le(orFar(c.repealedOn), p.to) {
			continue
		}
		f.inForce++
		switch c.online {
		case events.OnlineFull:
			f.full++
		case events.OnlinePartial:
			f.partial++
		}
		if c.eligible {
			f.eligible++
			if c.online == events.OnlineFull {
				f.eligibleFull++
			}
		}
		if c.internal {
			f.internal++
			if le(dayOf(c.simplified), p.to) {
				f.internalSimplified++
			}
		}
		for _, l := range c.levels {
			switch l {
			case events.GovProvince:
				f.atProvince++
			case events.GovDistrict:
				f.atDistrict++
			case events.GovCommune:
				f.atCommune++
			}
		}
	}
	return f
}

func TestSeed004Catalogue(t *testing.T) {
	f := catalogueAt(t, cur)
	t.Logf("catalogue_summary 2024 H1: %+v", f)
	t.Logf("catalogue_summary 2023 H1 (decisions, published): %+v", catalogueAt(t, prev))
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"decisions", f.decisions, reporttest.SeedDecisions},
		{"full_online", f.full, reporttest.SeedFullOnline},
		{"partial_online", f.partial, reporttest.SeedPartialOnline},
		{"eligible_online", f.eligible, reporttest.SeedOnlineEligible},
		{"eligible_full_online", f.eligibleFull, reporttest.SeedFullOnline},
		{"internal_procedures", f.internal, reporttest.SeedInternalProcedures},
		{"internal_simplified", f.internalSimplified, reporttest.SeedInternalSimplified},
		{"review_planned", f.reviewPlanned, reporttest.SeedReviewPlanned},
		{"delegated", f.delegated, reporttest.SeedDelegated},
	} {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	if got := math.Round(1000*float64(f.internalSimplified)/float64(f.internal)) / 10; got != 25.6 {
		t.Errorf("internal simplified %.1f%%, want 25,6%%", got)
	}
	// No catalogue event after the period's end: the views use the current
	// state, which must be the state on 14/6/2024.
	for _, e := range feed {
		if e.Type.Family() == events.FamilyProcedure && events.DateOf(e.OccurredAt).After(cur.to.Time) {
			t.Errorf("%s %s occurs after the period", e.Type, e.SubjectID)
		}
	}
}

// ---- Feedback (feedback_summary) ----

type feedbackFigures struct{ new, carried, completed, inProgress, withinDue, overdue, published int }

func feedbackAt(p period) feedbackFigures {
	type item struct {
		received, due, answered, rejected, published time.Time
		recvEv                                       events.Event
	}
	items := map[string]*item{}
	for _, e := range feed {
		if e.Type.Family() != events.FamilyFeedback {
			continue
		}
		it := items[e.SubjectID]
		if it == nil {
			it = &item{}
			items[e.SubjectID] = it
		}
		switch pl := e.Payload.(type) {
		case events.FeedbackReceived:
			if it.recvEv.ID == "" || later(e, it.recvEv) {
				it.recvEv, it.received, it.due = e, e.OccurredAt, pl.DueAt
			}
		case events.FeedbackAnswered:
			it.answered = earliest(it.answered, e.OccurredAt)
		case events.FeedbackRejected:
			it.rejected = earliest(it.rejected, e.OccurredAt)
		case events.FeedbackPublished:
			it.published = earliest(it.published, e.OccurredAt)
		}
	}
	var f feedbackFigures
	for _, it := range items {
		if it.received.IsZero() {
			continue
		}
		completed := it.answered
		if completed.IsZero() || (!it.rejected.IsZero() && it.rejected.Before(completed)) {
			completed = it.rejected
		}
		recv, done, due := dayOf(it.received), dayOf(completed), dayOf(it.due)
		if !le(recv, p.to) || done.Before(p.from.Time) {
			continue
		}
		if recv.Before(p.from.Time) {
			f.carried++
		} else {
			f.new++
		}
		if le(done, p.to) {
			f.completed++
		} else {
			f.inProgress++
			if due.After(p.to.Time) {
				f.withinDue++
			} else {
				f.overdue++
			}
		}
		if p.has(dayOf(it.published)) {
			f.published++
		}
	}
	return f
}

func TestSeed004Feedback(t *testing.T) {
	f := feedbackAt(cur)
	t.Logf("feedback_summary 2024 H1: %+v", f)
	t.Logf("feedback_summary 2023 H1: %+v", feedbackAt(prev))
	want := feedbackFigures{new: reporttest.SeedFeedbackNew, carried: reporttest.SeedFeedbackCarriedOver, completed: reporttest.SeedFeedbackCompleted,
		inProgress: reporttest.SeedFeedbackInProgress, withinDue: reporttest.SeedFeedbackWithinDue, overdue: reporttest.SeedFeedbackOverdue, published: f.published}
	if f != want {
		t.Errorf("got %+v, want %+v", f, want)
	}
	if f.new+f.carried != f.completed+f.inProgress {
		t.Errorf("received_new + carried_over ≠ completed + in_progress")
	}
	if p := feedbackAt(prev); p.new < 100 || p.new+p.carried != p.completed+p.inProgress {
		t.Errorf("a year earlier: %+v", p)
	}
	national := 0
	n := 0
	for _, e := range feed {
		if p, ok := e.Payload.(events.FeedbackReceived); ok {
			n++
			if p.Channel == events.FeedbackNationalPortal {
				national++
			}
			if p.Topic != events.TopicRegulation && p.Topic != events.TopicProcedure {
				t.Errorf("%s: topic %s", e.SubjectID, p.Topic)
			}
		}
	}
	if national*10 < n*7 {
		t.Errorf("%d of %d items from the national portal", national, n)
	}
}

// ---- Tasks (task_summary) ----

type taskFigures struct {
	number, kind, title                                                       string
	assigned, completed, onTime, late, inProgress, within, overdue, recurring int
}

// deadlineEnd is the last day a deadline allows; false for recurring tasks.
func deadlineEnd(d events.Deadline) (events.Date, bool) {
	switch d.Kind {
	case events.DeadlineDate:
		return *d.Date, true
	case events.DeadlineMonth:
		return events.NewDate(d.Year, time.Month(d.Month)+1, 0), true
	case events.DeadlineQuarter:
		return events.NewDate(d.Year, time.Month(3*d.Quarter)+1, 0), true
	case events.DeadlineHalfYear:
		return events.NewDate(d.Year, time.Month(6*d.Half)+1, 0), true
	case events.DeadlineYear:
		return events.NewDate(d.Year, time.December, 31), true
	}
	return events.Date{}, false
}

func tasksAt(t *testing.T, p period) map[string]*taskFigures {
	plans := map[string]*taskFigures{}
	planEv := map[string]events.Event{}
	type task struct {
		plan                           string
		assigned, completed, cancelled time.Time
		deadline                       events.Deadline
		assignEv, deadlineEv           events.Event
	}
	tasks := map[string]*task{}
	get := func(id string) *task {
		if tasks[id] == nil {
			tasks[id] = &task{}
		}
		return tasks[id]
	}
	for _, e := range feed {
		switch pl := e.Payload.(type) {
		case events.PlanIssued:
			if ev, ok := planEv[e.SubjectID]; !ok || later(e, ev) {
				planEv[e.SubjectID] = e
				plans[e.SubjectID] = &taskFigures{number: pl.Number, kind: string(pl.Kind), title: pl.Title}
			}
		case events.TaskAssigned:
			k := get(e.SubjectID)
			if k.assignEv.ID == "" || later(e, k.assignEv) {
				k.assignEv, k.plan, k.assigned = e, pl.Plan, e.OccurredAt
			}
			if k.deadlineEv.ID == "" || later(e, k.deadlineEv) {
				k.deadlineEv, k.deadline = e, pl.Deadline
			}
		case events.TaskDeadlineChanged:
			k := get(e.SubjectID)
			if k.deadlineEv.ID == "" || later(e, k.deadlineEv) {
				k.deadlineEv, k.deadline = e, pl.Deadline
			}
		case events.TaskCompleted:
			k := get(e.SubjectID)
			k.completed = earliest(k.completed, e.OccurredAt)
		case events.TaskCancelled:
			k := get(e.SubjectID)
			k.cancelled = earliest(k.cancelled, e.OccurredAt)
		}
	}
	for id, k := range tasks {
		if k.assigned.IsZero() || !le(dayOf(k.assigned), p.to) || le(dayOf(k.cancelled), p.to) {
			continue
		}
		f := plans[k.plan]
		if f == nil {
			t.Errorf("task %s: no plan %q", id, k.plan)
			continue
		}
		end, ok := deadlineEnd(k.deadline)
		if !ok {
			end = far
			f.recurring++
		}
		done := dayOf(k.completed)
		f.assigned++
		switch {
		case le(done, p.to) && le(done, end):
			f.completed++
			f.onTime++
		case le(done, p.to):
			f.completed++
			f.late++
		case !end.Before(p.to.Time):
			f.inProgress++
			f.within++
		default:
			f.inProgress++
			f.overdue++
		}
	}
	return plans
}

func TestSeed004Tasks(t *testing.T) {
	plans := tasksAt(t, cur)
	for id, f := range plans {
		t.Logf("task_summary 2024 H1 %s: %+v", id, *f)
	}
	reform, gov, control := plans[reporttest.ReformPlanID], plans[reporttest.GovernmentPlanID], plans[reporttest.ControlPlanID]
	digital := plans[reporttest.DigitalPlanID]
	if reform == nil || gov == nil || control == nil || digital == nil || len(plans) != 4 {
		t.Fatalf("plans: %v", plans)
	}
	if reform.number != reporttest.ReformPlan || reform.kind != string(events.PlanReform) ||
		reform.title != "Kế hoạch cải cách hành chính nhà nước thành phố Hải Phòng năm 2024" {
		t.Errorf("reform plan: %+v", *reform)
	}
	if reform.assigned != reporttest.SeedReformTasks || reform.completed != reporttest.SeedReformTasksDone || reform.overdue != 0 {
		t.Errorf("reform plan: %d/%d done, %d overdue; want %d/%d, 0", reform.completed, reform.assigned, reform.overdue,
			reporttest.SeedReformTasksDone, reporttest.SeedReformTasks)
	}
	if gov.number != reporttest.GovernmentPlan || gov.kind != string(events.PlanGovernmentAssigned) {
		t.Errorf("government plan: %+v", *gov)
	}
	if gov.assigned != reporttest.SeedGovernmentTasks || gov.onTime != reporttest.SeedGovernmentTasksOnTime || gov.late != 0 ||
		gov.within != reporttest.SeedGovernmentTasksWithinDeadline || gov.overdue != reporttest.SeedGovernmentTasksOverdue || gov.recurring != 0 {
		t.Errorf("government tasks: %+v", *gov)
	}
	if control.number != reporttest.ControlPlan || control.kind != string(events.PlanProcedureControl) ||
		control.assigned != reporttest.SeedControlTasks || control.completed != reporttest.SeedControlTasksDone || control.overdue != 0 {
		t.Errorf("control plan: %+v", *control)
	}
	if digital.number != reporttest.DigitalPlan || digital.kind != string(events.PlanDigitalGovernment) ||
		digital.assigned != reporttest.SeedDigitalTasksRecurring+reporttest.SeedDigitalTasksCarriedOver ||
		digital.recurring != reporttest.SeedDigitalTasksRecurring || digital.overdue != 0 {
		t.Errorf("digital-government plan: %+v", *digital)
	}
	for _, e := range feed {
		if p, ok := e.Payload.(events.TaskAssigned); ok {
			if !strings.HasPrefix(p.Lead, "000.00.") || !slices.Contains(events.ReformArea("").Values(), string(p.Area)) {
				t.Errorf("%s: lead %s, area %s", e.SubjectID, p.Lead, p.Area)
			}
		}
		if e.Type == events.TypeTaskCancelled {
			t.Errorf("%s cancelled", e.SubjectID)
		}
	}
}

// ---- Indicators (indicator_values) ----

func TestSeed004Indicators(t *testing.T) {
	type key struct {
		ind      events.Indicator
		from, to events.Date
	}
	latest := map[key]events.Event{}
	for _, e := range feed {
		p, ok := e.Payload.(events.IndicatorReported)
		if !ok {
			continue
		}
		k := key{p.Indicator, p.PeriodFrom, p.PeriodTo}
		if o, ok := latest[k]; !ok || later(e, o) {
			latest[k] = e
		}
	}
	val := func(e events.Event) events.IndicatorReported { return e.Payload.(events.IndicatorReported) }
	// The PAR Index and SIPAS reported by the end, the latest period's.
	for _, c := range []struct {
		ind          events.Indicator
		value, delta float64
		rank         int
		unit         string
	}{
		{events.IndicatorPARIndex, reporttest.SeedPARIndex, reporttest.SeedPARIndexChange, reporttest.SeedPARRank, "điểm"},
		{events.IndicatorSIPAS, reporttest.SeedSIPAS, reporttest.SeedSIPASChange, reporttest.SeedSIPASRank, "%"},
	} {
		var last *events.Event
		for k, e := range latest {
			if k.ind == c.ind && le(events.DateOf(e.OccurredAt), cur.to) && (last == nil || k.to.After(val(*last).PeriodTo.Time)) {
				last = &e
			}
		}
		if last == nil {
			t.Fatalf("no %s", c.ind)
		}
		p := val(*last)
		prevEv, ok := latest[key{c.ind, events.NewDate(p.PeriodFrom.Year()-1, 1, 1), events.NewDate(p.PeriodTo.Year()-1, 12, 31)}]
		if !ok {
			t.Fatalf("%s: no figure a year earlier", c.ind)
		}
		change := p.Value - val(prevEv).Value
		t.Logf("%s %s–%s: %.2f %s, %d/%d, change %+.2f", c.ind, p.PeriodFrom, p.PeriodTo, p.Value, p.Unit, p.Rank, p.RankOf, change)
		if p.Value != c.value || p.Rank != c.rank || p.RankOf != reporttest.SeedRankOf || p.Unit != c.unit || math.Abs(change-c.delta) > 1e-9 {
			t.Errorf("%s: %+v, change %v", c.ind, p, change)
		}
	}
	sums := map[events.Indicator]float64{}
	for k, e := range latest {
		if cur.has(k.to) {
			sums[k.ind] += val(e).Value
		}
	}
	t.Logf("summed over figures ending in the period: %v", sums)
	if sums[events.IndicatorPressItems] != reporttest.SeedPressItems || sums[events.IndicatorLegalDocuments] != reporttest.SeedLegalDocuments {
		t.Errorf("press items %v, legal documents %v", sums[events.IndicatorPressItems], sums[events.IndicatorLegalDocuments])
	}
}

// ---- Dossiers (dossier_periods, dossier_form_by_agency) ----

func TestSeed004Dossiers(t *testing.T) {
	levels := map[string]string{}
	for _, e := range feed {
		if p, ok := e.Payload.(events.AgencyCreated); ok {
			levels[e.SubjectID] = string(p.Level)
		}
	}
	group := func(code string) string {
		switch levels[code] {
		case "province", "department":
			return "province"
		case "district":
			return "district"
		case "commune":
			return "commune"
		}
		t.Errorf("dossiers at %s, not in the directory", code)
		return "?"
	}
	for _, p := range []struct {
		name string
		period
	}{{"2024 H1 (15/12/2023–14/6/2024)", cur}, {"2023 H1 (15/12/2022–14/6/2023)", prev}} {
		byAgency := reporttest.DossierForm(feed, p.from, p.to)
		var total reporttest.DossierColumns
		byLevel := map[string]*reporttest.DossierColumns{}
		for code, c := range byAgency {
			total.Add(c)
			g := group(code)
			if byLevel[g] == nil {
				byLevel[g] = &reporttest.DossierColumns{}
			}
			byLevel[g].Add(c)
			checkIdentities(t, code, c)
		}
		checkIdentities(t, "total", total)
		t.Logf("dossier form %s, %d agencies:", p.name, len(byAgency))
		t.Logf("  total    %s", columns(total))
		for _, g := range []string{"province", "district", "commune"} {
			if byLevel[g] != nil {
				t.Logf("  %-8s %s", g, columns(*byLevel[g]))
			}
		}
		if total.ReceivedTotal == 0 || total.ResolvedEarly == 0 || total.ResolvedOnTime == 0 || total.ResolvedLate == 0 {
			t.Errorf("%s: a column is empty: %+v", p.name, total)
		}
		if p.period == cur && (total.CarriedOver == 0 || total.InProgressWithinDue == 0 || total.InProgressOverdue == 0) {
			t.Errorf("%s: no carried-over or in-progress dossiers: %+v", p.name, total)
		}
	}
}

func checkIdentities(t *testing.T, who string, c reporttest.DossierColumns) {
	t.Helper()
	if c.ReceivedTotal != c.ReceivedOnline+c.ReceivedOffline+c.CarriedOver || c.ReceivedTotal != c.ResolvedTotal+c.InProgressTotal ||
		c.ResolvedTotal != c.ResolvedEarly+c.ResolvedOnTime+c.ResolvedLate || c.InProgressTotal != c.InProgressWithinDue+c.InProgressOverdue {
		t.Errorf("%s: the form's identities fail: %+v", who, c)
	}
}

func columns(c reporttest.DossierColumns) string {
	var b strings.Builder
	for _, x := range []struct {
		name string
		n    int
	}{
		{"(3)", c.ReceivedTotal}, {"(4)", c.ReceivedOnline}, {"(5)", c.ReceivedOffline}, {"(6)", c.CarriedOver},
		{"(7)", c.ResolvedTotal}, {"(8)", c.ResolvedEarly}, {"(9)", c.ResolvedOnTime}, {"(10)", c.ResolvedLate},
		{"(11)", c.InProgressTotal}, {"(12)", c.InProgressWithinDue}, {"(13)", c.InProgressOverdue},
		{"digitised", c.Digitised}, {"reused", c.Reused}, {"results", c.ResultsIssued}, {"electronic", c.ElectronicResults},
		{"fees", c.FeesPaid}, {"fees_online", c.FeesPaidOnline}, {"synced", c.Synced}, {"ratings", c.Ratings}, {"satisfied", c.RatingsSatisfied},
	} {
		fmt.Fprintf(&b, "%s=%d ", x.name, x.n)
	}
	return strings.TrimSpace(b.String())
}
