package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/contributions/roundtest"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// Two departments asked for every report, due 4 days after the period:
// parts of Q2 and H1 (ended 14/6) by the end of 18/6.
const askedA, askedB = "000.00.01.H23", "000.00.02.H23"

func roundPipeline(t *testing.T, s store.Store) *pipeline {
	p := newPipeline(t, s)
	r := contributions.Round{Asked: []string{askedA, askedB}, DeadlineDays: 4}
	p.sched.Rounds = contributions.Rounds{report.Reform: r, report.ProcedureControl: r}
	return p
}

var (
	roundOpen   = time.Date(2024, 6, 18, 9, 0, 0, 0, events.Vietnam) // after the grace, before the deadline
	roundClosed = time.Date(2024, 6, 19, 9, 0, 0, 0, events.Vietnam)
)

func contribution(t *testing.T, agency string, k report.Kind, period, section string, at time.Time, text string) events.Event {
	per, err := report.ParsePeriod(period, report.Official)
	if err != nil {
		t.Fatal(err)
	}
	return roundtest.Contribution(t, agency, k, per, section, at, text)
}

func waitingKeys(ws []report.Waiting) string {
	var keys []string
	for _, w := range ws {
		keys = append(keys, w.Request.Key())
	}
	return strings.Join(keys, " ")
}

// The scheduler waits for an open round: before the deadline, with an
// asked agency's part not in, a report is not written (Q1, whose deadline
// passed in March, is, with its missing agencies counted); --partial writes
// it marked "Báo cáo tạm"; once every part is in, it is rewritten without
// the mark; a partial report is also rewritten without it when the deadline
// passes with no new event.
func TestScheduleWaitsForTheRound(t *testing.T) {
	feed := scheduleFeed(t)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		p := roundPipeline(t, s)
		p.publish(append(feed, contribution(t, askedA, report.Reform, "2024-H1", "direction.documents", roundOpen.Add(-24*time.Hour), "Sở A đã ban hành kế hoạch.")))
		p.project()

		pass := p.pass(roundOpen, false)
		if keysOf(pass.Written) != q1 || waitingKeys(pass.Waiting) != q2+" "+h1 || len(p.announced) != 1 {
			t.Fatalf("round open: wrote %q, waiting %q, announced %d; want %s written, %s and %s waiting", keysOf(pass.Written), waitingKeys(pass.Waiting), len(p.announced), q1, q2, h1)
		}
		if pass.Waiting[0].Outstanding != 2 || pass.Waiting[1].Outstanding != 1 || pass.Incomplete[q1] != 2 {
			t.Errorf("outstanding: Q2 %d, H1 %d, Q1 (after its deadline) %d; want 2, 1, 2", pass.Waiting[0].Outstanding, pass.Waiting[1].Outstanding, pass.Incomplete[q1])
		}
		if _, err := os.Stat(p.path(h1, report.FormatMarkdown)); !os.IsNotExist(err) {
			t.Fatalf("the six-month report was written while its round is open (%v)", err)
		}

		p.project()
		p.sched.Partial = true
		pass = p.pass(roundOpen, false)
		if keysOf(pass.Written) != q2+" "+h1 || len(pass.Waiting) != 0 {
			t.Fatalf("--partial: wrote %q, waiting %q; want %s and %s", keysOf(pass.Written), waitingKeys(pass.Waiting), q2, h1)
		}
		notice := report.PartialNotice(1, time.Date(2024, 6, 19, 0, 0, 0, 0, events.Vietnam))
		if notice != "Báo cáo tạm: còn 1 đơn vị chưa gửi nội dung (hạn gửi 18/06/2024)." {
			t.Errorf("notice %q", notice)
		}
		md, err := os.ReadFile(p.path(h1, report.FormatMarkdown))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(md, []byte(notice)) {
			t.Errorf("the partial six-month report lacks %q", notice)
		}

		// B sends its parts, A its Q2 part: every round completes before the
		// deadline, and the reports are rewritten without the notice.
		p.project()
		p.sched.Partial = false
		p.publish([]events.Event{
			contribution(t, askedB, report.Reform, "2024-H1", "results.organisation", roundOpen.Add(time.Hour), "Sở B sắp xếp 3 phòng."),
			contribution(t, askedA, report.ProcedureControl, "2024-Q2", "dossiers", roundOpen.Add(time.Hour), "Sở A giải quyết đúng hạn."),
		})
		p.project()
		pass = p.pass(roundOpen.Add(2*time.Hour), false)
		if keysOf(pass.Written) != h1 || keysOf(pass.Checked) != q1 || waitingKeys(pass.Waiting) != q2 {
			t.Fatalf("H1's round complete: wrote %q, checked %q, waiting %q; want %s rewritten, %s checked, %s waiting (B's part missing)", keysOf(pass.Written), keysOf(pass.Checked), waitingKeys(pass.Waiting), h1, q1, q2)
		}
		if md, _ := os.ReadFile(p.path(h1, report.FormatMarkdown)); bytes.Contains(md, []byte("Báo cáo tạm:")) {
			t.Errorf("the complete six-month report is still marked partial")
		}
		if md, _ := os.ReadFile(p.path(q2, report.FormatMarkdown)); !bytes.Contains(md, []byte(report.PartialNotice(2, time.Date(2024, 6, 19, 0, 0, 0, 0, events.Vietnam)))) {
			t.Errorf("Q2, waiting, is not left as written (partial, 2 missing)")
		}

		// The deadline passes with B's Q2 part missing and no new event: Q2
		// is rewritten without the notice, once.
		p.project()
		pass = p.pass(roundClosed, false)
		if keysOf(pass.Written) != q2 || pass.Incomplete[q2] != 1 {
			t.Fatalf("after the deadline: wrote %q (incomplete %v); want %s rewritten, 1 agency missing", keysOf(pass.Written), pass.Incomplete, q2)
		}
		if md, _ := os.ReadFile(p.path(q2, report.FormatMarkdown)); bytes.Contains(md, []byte("Báo cáo tạm:")) {
			t.Errorf("Q2 after its deadline is still marked partial")
		}
		p.project()
		if pass := p.pass(roundClosed.Add(time.Hour), false); len(pass.Written)+len(pass.Checked) != 0 {
			t.Errorf("a quiet pass after the deadline wrote %q, checked %q", keysOf(pass.Written), keysOf(pass.Checked))
		}
	})
}

// A contribution arriving after the report was written (late) rewrites
// exactly the report it belongs to: reform 2024-H1 is rewritten and
// announced, Q1 and Q2 are regenerated in memory and left as they are. A
// part to a key the outline lacks is named by the pass.
func TestScheduleLateContribution(t *testing.T) {
	feed := scheduleFeed(t)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		p := roundPipeline(t, s)
		p.publish(feed)
		p.project()
		pass := p.pass(roundClosed, false)
		if keysOf(pass.Written) != q1+" "+q2+" "+h1 {
			t.Fatalf("after the deadline: wrote %q; want the three reports, parts missing or not", keysOf(pass.Written))
		}
		p.project()
		late := contribution(t, askedB, report.Reform, "2024-H1", "results.organisation", roundClosed.Add(time.Hour), "Sở B gửi muộn: đã sắp xếp 3 phòng chuyên môn.")
		stray := contribution(t, askedB, report.Reform, "2024-H1", "results.budget_plan", roundClosed.Add(time.Hour), "Mục không có trong đề cương.")
		p.publish([]events.Event{late, stray})
		p.project()
		pass = p.pass(roundClosed.Add(2*time.Hour), false)
		if u := pass.Unplaced[h1]; len(u) != 1 || u[0].Section != "results.budget_plan" || u[0].Agency != askedB {
			t.Errorf("the pass names %v as left out of %s; want B's part to results.budget_plan", u, h1)
		}
		if md, _ := os.ReadFile(p.path(h1, report.FormatMarkdown)); !bytes.Contains(md, []byte("Sở B gửi muộn")) {
			t.Error("the rewritten six-month report lacks the late contribution")
		}
		if keysOf(pass.Written) != h1 || keysOf(pass.Checked) != q1+" "+q2 || len(p.announced) != 1 {
			t.Fatalf("a late contribution to %s: wrote %q, checked %q, announced %d; want only %s rewritten and announced", h1, keysOf(pass.Written), keysOf(pass.Checked), len(p.announced), h1)
		}
		if pass.Incomplete[h1] != 1 {
			t.Errorf("H1 after B's late part: %d agencies missing; want 1 (A)", pass.Incomplete[h1])
		}
	})
}
