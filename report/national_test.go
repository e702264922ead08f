package report_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
	"github.com/baocao/baocao/stream"
)

// province is a simulated province of the national roll-up tests.
type simProvince struct {
	token, code, name string
	seed              int64
}

var (
	haiPhong = simProvince{"H23", "000.00.00.H23", "Thành phố Hải Phòng", 1}
	haiDuong = simProvince{"H24", "000.00.00.H24", "Tỉnh Hải Dương", 2}
)

// mergedOn is when the test merges Hải Dương into Hải Phòng: inside the
// simulated range, so that some periods end before it (Hải Dương then on
// its own) and some after (under Hải Phòng). The real merge was 1/7/2025.
var mergedOn = events.NewDate(2024, 4, 20)

// simulated is the province's feed, March to May 2024, small.
func (p simProvince) simulated(t testing.TB, dossiersPerDay int, from, to events.Date) []events.Event {
	t.Helper()
	cfg := simulate.DefaultConfig()
	cfg.Seed, cfg.ProvinceCode, cfg.ProvinceName = p.seed, p.code, p.name
	cfg.From, cfg.To = from, to
	cfg.DossiersPerDay = dossiersPerDay
	cfg.Departments, cfg.Districts, cfg.CommunesPerDistrict = 8, 4, 5
	var out []events.Event
	if _, err := simulate.Run(context.Background(), cfg, func(e events.Event) error { out = append(out, e); return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}

// sharedTaskIDs counts the task ids both feeds use.
func sharedTaskIDs(a, b []events.Event) int {
	ids := map[string]bool{}
	for _, e := range a {
		if e.Type == events.TypeTaskAssigned {
			ids[e.SubjectID] = true
		}
	}
	n := 0
	for _, e := range b {
		if e.Type == events.TypeTaskAssigned && ids[e.SubjectID] {
			n++
		}
	}
	return n
}

// publish sends evs into a province's stream and waits for every ack.
func publish(t testing.TB, js jetstream.JetStream, evs []events.Event) {
	t.Helper()
	ctx := context.Background()
	p, err := producers.New(js, producers.Config{Stream: stream.DefaultConfig().Name})
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for _, e := range evs {
		if err := p.PublishAsync(ctx, e, func(r producers.Result) {
			if r.Err != nil && failed == nil {
				failed = fmt.Errorf("event %s: %v", e.ID, r.Err)
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := p.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if failed != nil {
		t.Fatal(failed)
	}
}

// project runs a projector of stream name on js into db until it has
// acknowledged every event the stream holds, and returns the events per
// second it projected.
func project(t testing.TB, js jetstream.JetStream, s store.Store, name, durable, db string) float64 {
	t.Helper()
	cfg := stream.DefaultConfig()
	cfg.Name = name
	p, err := consumers.New(js, s, consumers.Config{Stream: cfg, Durable: durable, DB: db, BatchWait: 100 * time.Millisecond},
		slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- p.Run(ctx) }()
	defer func() { cancel(); <-done }()
	str, err := js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := str.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(3 * time.Minute)
	for {
		c, err := js.Consumer(context.Background(), name, durable)
		if err == nil {
			ci, err := c.Info(context.Background())
			if err == nil && ci.AckFloor.Stream >= info.State.LastSeq {
				return float64(info.State.Msgs) / time.Since(start).Seconds()
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("projector of %s into %s: not done after 3 minutes", name, db)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestNationalRollUp: two provinces, each with its own NATS server and
// stream, sourced by the national server over leaf connections; one is
// offline (its link cut) for half of its feed, then back. The national
// stream then holds each province's events once, and projected into the
// national database, the per-province figures equal each province's own
// (its own database, its own report), the national total their sum, and
// the merge puts Hải Dương under Hải Phòng from the period it ended in.
func TestNationalRollUp(t *testing.T) {
	cfg := stream.DefaultNationalConfig()
	cfg.Provinces = []string{haiPhong.token, haiDuong.token}
	n := natstest.StartNational(t, cfg)
	from, to := events.NewDate(2024, 3, 1), events.NewDate(2024, 5, 31)
	hp, hd := haiPhong.simulated(t, 15, from, to), haiDuong.simulated(t, 10, from, to)
	// Provinces number plans on their own: the simulated two issue the same
	// plan numbers, so their tasks share ids, which must stay two tasks.
	if shared := sharedTaskIDs(hp, hd); shared == 0 {
		t.Fatal("the two provinces share no task id; the test needs them to")
	}
	merge := events.New(haiDuong.code, haiDuong.code, mergedOn.Time, events.AgencyMerged{Into: haiPhong.code, EffectiveFrom: mergedOn})
	merge.RecordedAt = mergedOn.Time.Add(time.Hour)
	hd = append(hd, merge)

	publish(t, n.Provinces["H23"].JS, hp)
	publish(t, n.Provinces["H24"].JS, hd[:len(hd)/2])
	// Hải Dương offline: its link to the national server cut while it
	// keeps receiving its agencies' events.
	h24 := n.Provinces["H24"]
	h24.Link.Cut()
	n.WaitLeafs(t, 1)
	publish(t, h24.JS, hd[len(hd)/2:])
	provinceMsgs := natstest.StreamState(t, n.Provinces["H23"].JS).Msgs + natstest.StreamState(t, h24.JS).Msgs
	offline := natstest.StreamState(t, h24.JS).Msgs - uint64(len(hd)/2)
	time.Sleep(time.Second)
	s, err := n.JS.Stream(context.Background(), cfg.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs >= provinceMsgs {
		t.Fatalf("the national stream holds %d events while Hải Dương is offline; the provinces hold %d", info.State.Msgs, provinceMsgs)
	}
	back := time.Now()
	h24.Link.Restore(t)
	n.WaitSourced(t, provinceMsgs, 30*time.Second)
	t.Logf("Hải Dương back: %d events it received offline sourced in %v (with the leaf reconnecting)", offline, time.Since(back).Round(time.Millisecond))
	time.Sleep(time.Second)
	n.WaitSourced(t, provinceMsgs, time.Second) // and nothing more: none doubled

	sums := map[string][]string{} // the national reports' files, by engine
	enginetest.Engines(t, func(t *testing.T, st store.Store, _ *chtest.Server) {
		ctx := context.Background()
		dbs := map[string]string{"H23": storetest.Migrated(t, st), "H24": storetest.Migrated(t, st)}
		national := storetest.Migrated(t, st)
		durable := "proj-" + strings.NewReplacer(".", "-").Replace(t.Name()[strings.LastIndexByte(t.Name(), '/')+1:])
		for tok, db := range dbs {
			project(t, n.Provinces[tok].JS, st, stream.DefaultConfig().Name, durable, db)
		}
		rate := project(t, n.JS, st, cfg.Stream, durable, national)
		t.Logf("national projector: %d events at %.0f events/s", provinceMsgs, rate)
		for _, db := range append([]string{national}, dbs["H23"], dbs["H24"]) {
			if _, err := schema.Refresh(ctx, st, db, false); err != nil {
				t.Fatal(err)
			}
		}

		// Every period of 2024: each province's row in the national view
		// equals the province's own Biểu 06 total, in its own database.
		cols := "sum(received_total), sum(received_online), sum(received_offline), sum(carried_over), sum(resolved_total), " +
			"sum(resolved_early), sum(resolved_on_time), sum(resolved_late), sum(in_progress_total), sum(in_progress_within_due), sum(in_progress_overdue)"
		key := "kind, cutoff, year, number"
		nat := map[string]string{}
		for _, r := range storetest.Query(t, st, "SELECT "+key+", province, "+cols+" FROM "+national+".province_dossier_form WHERE year = 2024 GROUP BY "+key+", province") {
			nat[strings.Join(r[:5], " ")] = strings.Join(r[5:], " ")
		}
		compared := 0
		for tok, db := range dbs {
			for _, r := range storetest.Query(t, st, "SELECT "+key+", "+cols+" FROM "+db+".dossier_form_by_agency WHERE year = 2024 GROUP BY "+key) {
				k := strings.Join(r[:4], " ") + " " + tok
				if got, want := nat[k], strings.Join(r[4:], " "); got != want {
					t.Errorf("%s: national %q, the province's own %q", k, got, want)
				}
				compared++
			}
		}
		if compared < 20 || len(nat) != compared {
			t.Fatalf("compared %d province-periods; the national view has %d", compared, len(nat))
		}

		// Feedback and tasks roll up the same way: each province's row its
		// own database's summary, the national total their sum, the merge
		// as for the dossier form.
		for _, v := range []struct{ view, own, cols string }{
			{"province_feedback", "feedback_summary", "sum(received_new), sum(carried_over), sum(completed), sum(in_progress), " +
				"sum(in_progress_within_due), sum(in_progress_overdue), sum(published)"},
			{"province_tasks", "task_summary", "sum(assigned), sum(completed), sum(completed_on_time), sum(completed_late), sum(in_progress), " +
				"sum(in_progress_within_deadline), sum(in_progress_overdue), sum(recurring)"},
		} {
			assertRollUp(t, st, national, dbs, v.view, v.own, v.cols)
		}

		// The merge: then under Hải Dương before it, under Hải Phòng after;
		// now always under Hải Phòng.
		for _, c := range []struct {
			period, then string
		}{{"2024-M04", "H24"}, {"2024-M05", "H23"}} {
			p, err := report.ParsePeriod(c.period, report.Official)
			if err != nil {
				t.Fatal(err)
			}
			rows := storetest.Query(t, st, fmt.Sprintf("SELECT province_then, province_then_name, province_now, province_now_name FROM %s.province_dossier_form WHERE kind = '%s' AND cutoff = '%s' AND year = %d AND number = %d AND province = 'H24'",
				national, p.Kind, p.Cutoff, p.Year, p.Number))
			if len(rows) != 1 || rows[0][0] != c.then || rows[0][2] != "H23" || rows[0][3] != "Ủy ban nhân dân thành phố Hải Phòng" {
				t.Errorf("%s: Hải Dương's row is %v; want then %s, now H23 (Hải Phòng)", c.period, rows, c.then)
			}

			// The national report: a province's row is its own report's
			// total; the national row their sum.
			own := map[string]report.Form{}
			var sum report.Form
			var feedback report.Feedback // the provinces' own, summed
			var tasks report.Tasks
			for tok, db := range dbs {
				d, err := report.Load(ctx, st, db, p)
				if err != nil {
					t.Fatal(err)
				}
				own[tok] = d.Total
				sum.Add(d.Total)
				feedback.New += d.Feedback.New
				feedback.InProgress += d.Feedback.InProgress
				for _, k := range d.Tasks {
					tasks.Assigned += k.Assigned
					tasks.Late += k.Late
				}
			}
			nd, err := report.LoadNational(ctx, st, national, p)
			if err != nil {
				t.Fatal(err)
			}
			if nd.Total != sum {
				t.Errorf("%s: national total %+v, the provinces' reports sum to %+v", c.period, nd.Total, sum)
			}
			wantThen := map[string]report.Form{"H23": own["H23"], "H24": own["H24"]}
			if c.then == "H23" {
				f := own["H23"]
				f.Add(own["H24"])
				wantThen = map[string]report.Form{"H23": f}
			}
			gotThen := map[string]report.Form{}
			for _, r := range nd.Then {
				gotThen[r.Province] = r.Form
			}
			if fmt.Sprint(gotThen) != fmt.Sprint(wantThen) {
				t.Errorf("%s: national by province then %v, want %v", c.period, gotThen, wantThen)
			}
			if len(nd.Now) != 1 || nd.Now[0].Province != "H23" || nd.Now[0].Form != sum {
				t.Errorf("%s: national by province now %+v, want Hải Phòng alone with %+v", c.period, nd.Now, sum)
			}

			// Feedback and tasks, by province of today: Hải Phòng alone.
			if len(nd.Feedback) != 1 || nd.Feedback[0].Province != "H23" || nd.FeedbackTotal != nd.Feedback[0].Feedback ||
				nd.FeedbackTotal.New != feedback.New || nd.FeedbackTotal.InProgress != feedback.InProgress || feedback.New == 0 {
				t.Errorf("%s: national feedback %+v (total %+v), want Hải Phòng alone with the provinces' own %+v", c.period, nd.Feedback, nd.FeedbackTotal, feedback)
			}
			if len(nd.Tasks) != 1 || nd.Tasks[0].Province != "H23" || nd.TasksTotal != nd.Tasks[0].Tasks ||
				nd.TasksTotal.Assigned != tasks.Assigned || nd.TasksTotal.Late != tasks.Late || tasks.Assigned == 0 {
				t.Errorf("%s: national tasks %+v (total %+v), want Hải Phòng alone with the provinces' own %+v", c.period, nd.Tasks, nd.TasksTotal, tasks)
			}

			dir := t.TempDir()
			files, err := report.GenerateNational(ctx, st, national, report.Request{Period: p, Formats: report.AllFormats, Dir: dir})
			if err != nil {
				t.Fatal(err)
			}
			if len(files) != 3 {
				t.Fatalf("%s: %d files, want md, html and xlsx", c.period, len(files))
			}
			for _, f := range files {
				sums[t.Name()] = append(sums[t.Name()], f.Path+" "+f.SHA256)
			}
			md, err := os.ReadFile(filepath.Join(dir, files[0].Path))
			if err != nil {
				t.Fatal(err)
			}
			if total := "| **Toàn quốc** | **" + report.Int(sum.ReceivedTotal) + "**"; !strings.Contains(string(md), total) {
				t.Errorf("%s: the national report's Markdown has no %q:\n%s", c.period, total, md)
			}
			for _, row := range []string{
				"| **Toàn quốc** | **" + report.Int(nd.FeedbackTotal.New) + "** | **" + report.Int(nd.FeedbackTotal.CarriedOver) + "** | **" + report.Int(nd.FeedbackTotal.Completed) + "** |",
				"| **Toàn quốc** | **" + report.Int(nd.TasksTotal.Assigned) + "** | **" + report.Int(nd.TasksTotal.Completed) + "** | **" + report.Int(nd.TasksTotal.OnTime) + "** |",
			} {
				if !strings.Contains(string(md), row) {
					t.Errorf("%s: the national report's Markdown has no %q:\n%s", c.period, row, md)
				}
			}
		}
	})
	// The same events give the same files on either engine.
	if a, b := sums[t.Name()+"/"+enginetest.ServerName], sums[t.Name()+"/"+enginetest.EmbeddedName]; len(a) == 0 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("the national reports differ between the engines:\n%v\n%v", a, b)
	}
}

// TestNationalCatchUpAfterAWeek measures (no assertion on speed) how fast
// the national stream catches up with a province of Hải Phòng's size
// (simulate.DefaultConfig: 2,000 dossiers a working day) that was offline
// for a simulated week, and how fast the national projector then projects
// the two weeks into each engine. Set BAOCAO_MEASURE_NATIONAL=1 to run it, and
// BAOCAO_MEASURE_OFFLINE (e.g. 2m) to keep the link down that long.
func TestNationalCatchUpAfterAWeek(t *testing.T) {
	if os.Getenv("BAOCAO_MEASURE_NATIONAL") == "" {
		t.Skip("a measurement: set BAOCAO_MEASURE_NATIONAL=1")
	}
	cfg := stream.DefaultNationalConfig()
	cfg.Provinces = []string{haiPhong.token}
	n := natstest.StartNational(t, cfg)
	sim := simulate.DefaultConfig()
	sim.From, sim.To = events.NewDate(2024, 3, 4), events.NewDate(2024, 3, 17)
	var evs []events.Event
	if _, err := simulate.Run(context.Background(), sim, func(e events.Event) error { evs = append(evs, e); return nil }); err != nil {
		t.Fatal(err)
	}
	week := events.NewDate(2024, 3, 11).Time
	split := 0
	for split < len(evs) && evs[split].OccurredAt.Before(week) {
		split++
	}
	hp := n.Provinces["H23"]
	start := time.Now()
	publish(t, hp.JS, evs[:split])
	n.WaitSourced(t, natstest.StreamState(t, hp.JS).Msgs, 30*time.Second)
	t.Logf("first week online: %d events published and sourced in %v", split, time.Since(start).Round(time.Millisecond))

	online := natstest.StreamState(t, hp.JS).Msgs
	hp.Link.Cut()
	n.WaitLeafs(t, 0)
	start = time.Now()
	publish(t, hp.JS, evs[split:])
	t.Logf("second week offline: %d events (a simulated week: 11–17/3/2024) published in %v", len(evs)-split, time.Since(start).Round(time.Millisecond))
	total := natstest.StreamState(t, hp.JS).Msgs
	// BAOCAO_MEASURE_OFFLINE=2m keeps the link down that long: the source's
	// retries fail meanwhile, and nats-server waits longer between them.
	if d, err := time.ParseDuration(os.Getenv("BAOCAO_MEASURE_OFFLINE")); err == nil {
		time.Sleep(time.Until(start.Add(d)))
		t.Logf("link down for %v", time.Since(start).Round(time.Second))
	}
	back := time.Now()
	hp.Link.Restore(t)
	ns, err := n.JS.Stream(context.Background(), cfg.Stream)
	if err != nil {
		t.Fatal(err)
	}
	var first time.Time // the first offline event sourced: the source resumed
	for first.IsZero() {
		info, err := ns.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.State.Msgs > online {
			first = time.Now()
		}
		time.Sleep(5 * time.Millisecond)
	}
	n.WaitSourced(t, total, 60*time.Second)
	d := time.Since(back)
	t.Logf("catch-up: %d events in %v after the link came back (%.0f events/s): the source resumed after %v, then %.0f events/s",
		total-online, d.Round(time.Millisecond), float64(total-online)/d.Seconds(), first.Sub(back).Round(time.Millisecond),
		float64(total-online)/time.Since(first).Seconds())

	enginetest.Engines(t, func(t *testing.T, st store.Store, _ *chtest.Server) {
		rate := project(t, n.JS, st, cfg.Stream, "measure-"+strings.ReplaceAll(t.Name()[strings.LastIndexByte(t.Name(), '/')+1:], ".", "-"), storetest.Migrated(t, st))
		t.Logf("national projector: %d events at %.0f events/s", total, rate)
	})
}

// assertRollUp checks the national database's view (province_feedback,
// province_tasks) against each province's own database's summary view own
// for every period of 2024: a province's row is its own summary's sum, the
// national total (by province_then and by province_now alike) the sum of
// the provinces', and Hải Dương's rows go under Hải Dương then before the
// merge, under Hải Phòng after, and under Hải Phòng now always.
func assertRollUp(t *testing.T, st store.Store, national string, dbs map[string]string, view, own, cols string) {
	t.Helper()
	key := "kind, cutoff, year, number"
	nat := map[string]string{}
	for _, r := range storetest.Query(t, st, "SELECT "+key+", province, "+cols+" FROM "+national+"."+view+" WHERE year = 2024 GROUP BY "+key+", province") {
		nat[strings.Join(r[:5], " ")] = strings.Join(r[5:], " ")
	}
	compared, rows := map[string]int{}, 0
	sums := map[string][]uint64{} // the provinces' own, summed, by period
	for tok, db := range dbs {
		for _, r := range storetest.Query(t, st, "SELECT "+key+", "+cols+" FROM "+db+"."+own+" WHERE year = 2024 GROUP BY "+key) {
			period := strings.Join(r[:4], " ")
			if got, want := nat[period+" "+tok], strings.Join(r[4:], " "); got != want {
				t.Errorf("%s %s %s: national %q, the province's own %s %q", view, period, tok, got, own, want)
			}
			if r[4] != "0" {
				compared[tok]++
			}
			rows++
			sums[period] = addFigures(t, sums[period], r[4:])
		}
	}
	// Both provinces have some in most periods (a view that lost one
	// would not pass unnoticed), and the national view no other rows.
	if compared["H23"] < 10 || compared["H24"] < 10 || len(nat) != rows {
		t.Fatalf("%s: %v province-periods with something received or assigned, %d in all; the national view has %d rows", view, compared, rows, len(nat))
	}
	for _, by := range []string{"province_then", "province_now"} {
		total := map[string][]uint64{}
		for _, r := range storetest.Query(t, st, "SELECT "+key+", "+by+", "+cols+" FROM "+national+"."+view+" WHERE year = 2024 GROUP BY "+key+", "+by) {
			period := strings.Join(r[:4], " ")
			total[period] = addFigures(t, total[period], r[5:])
		}
		if fmt.Sprint(total) != fmt.Sprint(sums) {
			t.Errorf("%s: the national total by %s %v, the provinces' own sum to %v", view, by, total, sums)
		}
	}
	for _, c := range []struct{ period, then, thenName string }{
		{"2024-M04", "H24", "Ủy ban nhân dân tỉnh Hải Dương"}, {"2024-M05", "H23", "Ủy ban nhân dân thành phố Hải Phòng"},
	} {
		p, err := report.ParsePeriod(c.period, report.Official)
		if err != nil {
			t.Fatal(err)
		}
		where := fmt.Sprintf("kind = '%s' AND cutoff = '%s' AND year = %d AND number = %d", p.Kind, p.Cutoff, p.Year, p.Number)
		rows := storetest.Query(t, st, "SELECT province_then, province_then_name, province_now, province_now_name FROM "+national+"."+view+" WHERE "+where+" AND province = 'H24'")
		if len(rows) != 1 || rows[0][0] != c.then || rows[0][1] != c.thenName || rows[0][2] != "H23" || rows[0][3] != "Ủy ban nhân dân thành phố Hải Phòng" {
			t.Errorf("%s %s: Hải Dương's row is %v; want then %s (%s), now H23 (Hải Phòng)", view, c.period, rows, c.then, c.thenName)
		}
		var thens []string
		for _, r := range storetest.Query(t, st, "SELECT DISTINCT province_then FROM "+national+"."+view+" WHERE "+where+" ORDER BY province_then") {
			thens = append(thens, r[0])
		}
		if want := map[string]string{"H24": "[H23 H24]", "H23": "[H23]"}[c.then]; fmt.Sprint(thens) != want {
			t.Errorf("%s %s: provinces then %v, want %s", view, c.period, thens, want)
		}
	}
}

// addFigures adds the decimal figures fs to sum, element by element.
func addFigures(t *testing.T, sum []uint64, fs []string) []uint64 {
	t.Helper()
	if sum == nil {
		sum = make([]uint64, len(fs))
	}
	for i, f := range fs {
		var n uint64
		if _, err := fmt.Sscan(f, &n); err != nil {
			t.Fatalf("figure %q: %v", f, err)
		}
		sum[i] += n
	}
	return sum
}
