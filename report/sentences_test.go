package report_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/baocao/baocao/report"
)

// demoData is the six-month figures of the demo's Hải Phòng as the
// findings of issue 15 saw them: last year's plans beside this year's, a
// plan with tasks completed late and none overdue, procedures at two
// levels, no procedure put in a review plan, rates below a 100% target.
func demoData(t *testing.T, period string) *report.Data {
	t.Helper()
	p, err := report.ParsePeriod(period, report.Official)
	if err != nil {
		t.Fatal(err)
	}
	return &report.Data{
		Period: p, Prev: p.YearBefore(), Province: "thành phố Hải Phòng",
		Total: report.Form{ReceivedTotal: 75216, ReceivedOnline: 33317, ReceivedOffline: 40296, CarriedOver: 1603,
			ResolvedTotal: 73137, ResolvedEarly: 44581, ResolvedOnTime: 25192, ResolvedLate: 3364,
			InProgressTotal: 2079, InProgressWithinDue: 1855, InProgressOverdue: 224},
		Rates: []report.Rate{
			{Indicator: "synced", Label: "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia", Numerator: 69844, Denominator: 73613, Target: 100},
			{Indicator: "online", Label: "Tỷ lệ hồ sơ trực tuyến", Numerator: 33317, Denominator: 73613, Target: 50},
		},
		PrevRates: make([]report.Rate, 2),
		Tasks: []report.Tasks{
			{Plan: "a", PlanNumber: "2964/QĐ-UBND", PlanKind: "reform", PlanTitle: "Kế hoạch cải cách hành chính nhà nước năm 2023", PlanYear: 2023,
				Assigned: 57, Completed: 57, OnTime: 54, Late: 3, Recurring: 17},
			{Plan: "b", PlanNumber: "4791/QĐ-UBND", PlanKind: "reform", PlanTitle: "Kế hoạch cải cách hành chính nhà nước năm 2024", PlanYear: 2024,
				Assigned: 57, Completed: 7, OnTime: 7, InProgress: 50, WithinDeadline: 50, Recurring: 12},
			{Plan: "c", PlanNumber: "294/QĐ-UBND", PlanKind: "procedure_control", PlanTitle: "Kế hoạch kiểm soát TTHC năm 2023", PlanYear: 2023,
				Assigned: 39, Completed: 35, OnTime: 34, Late: 1, InProgress: 4, WithinDeadline: 4, Recurring: 23},
			{Plan: "d", PlanNumber: "302/QĐ-UBND", PlanKind: "procedure_control", PlanTitle: "Kế hoạch kiểm soát TTHC năm 2024", PlanYear: 2024,
				Assigned: 40, Completed: 7, OnTime: 7, InProgress: 33, WithinDeadline: 33, Recurring: 18},
		},
		Catalogue: report.Catalogue{Decisions: 49, Published: 162, InForce: 2000, AtProvince: 1512, AtDistrict: 399, AtCommune: 169,
			Internal: 49, InternalSimplified: 10, FullOnline: 1311, PartialOnline: 433},
		PrevCatalogue: report.Catalogue{Decisions: 14},
		Feedback:      report.Feedback{New: 178, CarriedOver: 13, Completed: 179, InProgress: 12, WithinDue: 12},
		Coverage:      map[string]report.Coverage{"department": {Agencies: 20, Onboarded: 20}, "district": {Agencies: 15, Onboarded: 15}, "commune": {Agencies: 224, Onboarded: 224}},
	}
}

// sentencesOf splits a document's running text into sentences.
func sentencesOf(text string) []string {
	return regexp.MustCompile(`\.\s+|\n`).Split(text, -1)
}

// Each finding of issue 15 on the sentences, on the demo's figures.
func TestSentencesReadRight(t *testing.T) {
	reform := report.Build(report.Reform, demoData(t, "2024-H1"))
	control := report.Build(report.ProcedureControl, demoData(t, "2024-Q2"))
	text := reform.Text() + control.Text()

	t.Run("completed late is not open overdue", func(t *testing.T) {
		for _, s := range sentencesOf(text) {
			if strings.Count(s, "quá hạn")+strings.Count(s, "sau thời hạn") > 1 && strings.Contains(s, "không có nhiệm vụ quá hạn") {
				t.Errorf("one sentence says tasks are late and that none is: %q", s)
			}
		}
	})
	t.Run("no zero counts", func(t *testing.T) {
		zero := regexp.MustCompile(`(^|[\s(:/])0 [^\s,;.)%]`)
		for _, s := range sentencesOf(text) {
			if zero.MatchString(s) {
				t.Errorf("a sentence prints a zero count: %q", s)
			}
		}
	})
	t.Run("no target beyond 100%", func(t *testing.T) {
		if strings.Contains(text, "tối thiểu 100%") {
			t.Errorf("a sentence asks for at least 100%%:\n%s", grep(text, "tối thiểu 100%"))
		}
	})
	t.Run("the plan of the report's year first", func(t *testing.T) {
		plan := sectionText(reform, "direction.plan")
		if i, j := strings.Index(plan, "4791/QĐ-UBND"), strings.Index(plan, "2964/QĐ-UBND"); i < 0 || j >= 0 && j < i {
			t.Errorf("the six-month report of 2024 does not open its plan section with the 2024 plan:\n%s", plan)
		}
		if strings.Contains(plan, "2964/QĐ-UBND") {
			t.Errorf("the 2023 plan, all done, is reported in 2024:\n%s", plan)
		}
		ctl := sectionText(control, "results.plan")
		if i, j := strings.Index(ctl, "302/QĐ-UBND"), strings.Index(ctl, "294/QĐ-UBND"); i < 0 || j < 0 || j < i {
			t.Errorf("the KSTTHC plan section does not state the 2024 plan first and the 2023 plan's open tasks after:\n%s", ctl)
		}
	})
	t.Run("procedures by level say why they sum to more", func(t *testing.T) {
		s := grep(text, "TTHC đang có hiệu lực")
		if !strings.Contains(s, "nhiều cấp") {
			t.Errorf("the levels (1.512 + 399 + 169 = 2.080) sum to more than the 2.000 procedures without saying why: %q", s)
		}
	})
	t.Run("directions name only plans the body introduced", func(t *testing.T) {
		for _, doc := range []*report.Document{reform, control} {
			body, outlook := "", ""
			for _, s := range doc.Sections {
				one := sectionText(doc, s.Key)
				if strings.HasPrefix(s.Key, "outlook") {
					outlook += one
				} else {
					body += one
				}
			}
			for _, m := range regexp.MustCompile(`Kế hoạch số (\S+?),`).FindAllStringSubmatch(outlook, -1) {
				if !strings.Contains(body, "Kế hoạch số "+m[1]) {
					t.Errorf("%s: the outlook names Kế hoạch số %s, which the body never introduced", doc.Kind, m[1])
				}
			}
		}
	})
	t.Run("a KSTTHC assessment speaks of TTHC control", func(t *testing.T) {
		a := sectionText(control, "assessment")
		if first := strings.SplitN(a, "\n", 3)[1]; !strings.HasPrefix(first, "Công tác kiểm soát thủ tục hành chính") {
			t.Errorf("the KSTTHC report's assessment opens with %q", first)
		}
	})
}

func grep(text, s string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, s) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
