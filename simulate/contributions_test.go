package simulate

import (
	"slices"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
)

// Every part of the collection rounds goes to a section of its report's
// outline, after its period closed; every event is valid; and each round
// has revisions, so latest-wins is exercised by the simulated feed.
func TestContributionRounds(t *testing.T) {
	cfg := small(date(2024, 1, 1), date(2024, 12, 31))
	cfg.DossiersPerDay = 1
	all, _ := collect(t, cfg)
	keys := map[events.ReportKind][]string{}
	for _, k := range []report.Kind{report.Reform, report.ProcedureControl} {
		for _, s := range report.DefaultOutline(k).Sections {
			keys[events.ReportKind(k)] = append(keys[events.ReportKind(k)], s.Key)
		}
	}
	submissions := map[string]int{} // by report/period
	slots := map[string]int{}       // submissions per agency and slot
	for _, d := range unique(all) {
		c, ok := d.Payload.(events.ContributionSubmitted)
		if !ok {
			continue
		}
		if err := d.Validate(endOf(cfg.To)); err != nil {
			t.Fatalf("%s: %v", d.SubjectID, err)
		}
		if !slices.Contains(keys[c.Report], c.Section) {
			t.Errorf("%s: section %q is not in the %s outline", d.SubjectID, c.Section, c.Report)
		}
		p := report.Period{Kind: string(c.PeriodKind), Cutoff: string(c.Cutoff), Year: c.Year, Number: c.Number}
		if closed := p.End().Time.AddDate(0, 0, 1); d.OccurredAt.Before(time.Date(closed.Year(), closed.Month(), closed.Day(), 0, 0, 0, 0, events.Vietnam)) {
			t.Errorf("%s submitted %s, before its period closed", d.SubjectID, d.OccurredAt)
		}
		submissions[string(c.Report)+"/"+p.String()]++
		slots[d.Agency+" "+d.SubjectID]++
	}
	for _, want := range []string{"reform/2024-H1", "reform/2024", "procedure_control/2024-Q1", "procedure_control/2024-Q3", "procedure_control/2024-M05"} {
		if submissions[want] == 0 {
			t.Errorf("no contribution to %s; have %v", want, submissions)
		}
	}
	revised := 0
	for _, n := range slots {
		if n > 1 {
			revised++
		}
	}
	if revised == 0 {
		t.Error("no part was revised: latest-wins is not exercised")
	}
}
