package simulate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/segmentio/ksuid"
)

// small is a province small enough for fast tests.
func small(from, to events.Date) Config {
	cfg := DefaultConfig()
	cfg.From, cfg.To = from, to
	cfg.DossiersPerDay = 40
	return cfg
}

func date(y int, m time.Month, d int) events.Date { return events.NewDate(y, m, d) }

// delivered is one emitted event with its encoding.
type delivered struct {
	e   events.Event
	raw []byte
}

func collect(t testing.TB, cfg Config) ([]delivered, Stats) {
	t.Helper()
	var out []delivered
	stats, err := Run(context.Background(), cfg, func(e events.Event) error {
		b, err := json.Marshal(e)
		out = append(out, delivered{e, b})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, stats
}

// unique keeps the first delivery of each event, in order of occurrence.
func unique(all []delivered) []events.Event {
	seen := map[string]bool{}
	var out []events.Event
	for _, d := range all {
		if !seen[d.e.ID] {
			seen[d.e.ID] = true
			out = append(out, d.e)
		}
	}
	slices.SortStableFunc(out, func(a, b events.Event) int { return a.OccurredAt.Compare(b.OccurredAt) })
	return out
}

func endOf(d events.Date) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, events.Vietnam)
}

func TestValidate(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("DefaultConfig: %v", err)
	}
	tests := []struct {
		name    string
		change  func(*Config)
		wantErr []string // every field named
	}{
		{"ok small", func(c *Config) { c.Departments, c.Districts, c.CommunesPerDistrict, c.Procedures = 4, 2, 3, 80 }, nil},
		{"no dossiers", func(c *Config) { c.DossiersPerDay, c.FeedbackPerDay = 0, 0 }, nil},
		{"zero config", func(c *Config) { *c = Config{} }, []string{"From", "To", "ProvinceCode", "ProvinceName", "Departments", "Districts", "CommunesPerDistrict", "Procedures"}},
		{"to before from", func(c *Config) { c.To = date(2023, 12, 31) }, []string{"Config.To"}},
		{"year outside calendar", func(c *Config) { c.From = date(2010, 1, 1) }, []string{"Config.From"}},
		{"bad code", func(c *Config) { c.ProvinceCode = "000..H23" }, []string{"ProvinceCode"}},
		{"code of an agency", func(c *Config) { c.ProvinceCode = "000.00.01.H23" }, []string{"ProvinceCode"}},
		{"other province", func(c *Config) { c.ProvinceCode, c.ProvinceName = "000.00.00.H26", "Tỉnh Hải Dương" }, nil},
		{"blank name", func(c *Config) { c.ProvinceName = "  " }, []string{"ProvinceName"}},
		{"negative dossiers", func(c *Config) { c.DossiersPerDay = -1 }, []string{"DossiersPerDay"}},
		{"tiny catalogue", func(c *Config) { c.Procedures = 5 }, []string{"Procedures"}},
		{"huge directory", func(c *Config) { c.CommunesPerDistrict = 10_000 }, []string{"CommunesPerDistrict"}},
		{"negative feedback", func(c *Config) { c.FeedbackPerDay = -0.5 }, []string{"FeedbackPerDay"}},
		{"rates", func(c *Config) { c.DuplicateRate, c.LateRate, c.ReorderRate = 1.5, -0.1, 2 },
			[]string{"DuplicateRate", "LateRate", "ReorderRate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.change(&cfg)
			err := cfg.Validate()
			if len(tt.wantErr) == 0 {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				// And it runs: a week of it.
				cfg.To = date(2024, 1, 7)
				stats, err := Run(context.Background(), cfg, func(events.Event) error { return nil })
				if err != nil || stats.Events == 0 || (cfg.DossiersPerDay == 0) != (stats.Dossiers == 0) {
					t.Fatalf("run: %v, %+v", err, stats)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want one naming %v", tt.wantErr)
			}
			for _, f := range tt.wantErr {
				if !strings.Contains(err.Error(), f) {
					t.Errorf("error does not name %s: %v", f, err)
				}
			}
			if _, rerr := Run(context.Background(), cfg, func(events.Event) error { return nil }); rerr == nil {
				t.Error("Run accepted an invalid config")
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	cfg := small(date(2024, 3, 1), date(2024, 3, 21))
	write := func(cfg Config) ([]byte, Stats) {
		var buf bytes.Buffer
		stats, err := WriteJSONL(context.Background(), cfg, &buf)
		if err != nil {
			t.Fatal(err)
		}
		return buf.Bytes(), stats
	}
	a, sa := write(cfg)
	b, sb := write(cfg)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same config differ")
	}
	if sa.Events != sb.Events || sa.Dossiers != sb.Dossiers || sa.Events != int64(bytes.Count(a, []byte("\n"))) {
		t.Fatalf("stats differ or do not count the lines: %+v / %+v", sa, sb)
	}
	cfg.Seed++
	if c, _ := write(cfg); bytes.Equal(a, c) {
		t.Fatal("another seed gives the same events")
	}
}

// Every event decodes, at any time after the range, and its envelope is what
// the contract and the feed promise.
func TestEveryEventDecodes(t *testing.T) {
	cfg := small(date(2024, 3, 1), date(2024, 4, 14))
	cfg.DossiersPerDay = 120
	cfg.LateRate = 0.02 // more late events near the end, clamped to it
	all, stats := collect(t, cfg)
	if stats.Events != int64(len(all)) || len(all) < 10_000 {
		t.Fatalf("%d events delivered, stats say %d", len(all), stats.Events)
	}
	start, end := time.Date(2024, 3, 1, 0, 0, 0, 0, events.Vietnam), endOf(cfg.To)
	for _, now := range []time.Time{end, end.Add(time.Hour), end.AddDate(3, 0, 0)} {
		for _, d := range all {
			got, err := events.Decode(d.raw, now)
			if err != nil {
				t.Fatalf("now %s: %v\n%s", now, err, d.raw)
			}
			if got.ID != d.e.ID || got.Type != d.e.Type {
				t.Fatalf("decoded %s %s from %s", got.ID, got.Type, d.raw)
			}
		}
	}
	for _, d := range all {
		e := d.e
		switch {
		case e.OccurredAt.Before(start) || !e.OccurredAt.Before(end):
			t.Fatalf("occurred_at outside the range: %s", d.raw)
		case e.RecordedAt.Before(e.OccurredAt) || !e.RecordedAt.Before(end):
			t.Fatalf("recorded_at before occurred_at or after the range: %s", d.raw)
		case e.OccurredAt.Location() != events.Vietnam || e.RecordedAt.Location() != events.Vietnam:
			t.Fatalf("timestamps not in Vietnam time: %s", d.raw)
		case e.OccurredAt.Nanosecond() != 0 || e.RecordedAt.Nanosecond()%int(time.Millisecond) != 0:
			t.Fatalf("timestamps not truncated: %s", d.raw)
		case e.SchemaVersion != events.CurrentVersion(e.Type):
			t.Fatalf("schema version: %s", d.raw)
		}
		id, err := ksuid.Parse(e.ID)
		if err != nil || !id.Time().Equal(e.RecordedAt.Truncate(time.Second)) {
			t.Fatalf("id %s is not a ksuid of recorded_at: %s", e.ID, d.raw)
		}
	}
}

// A dossier's events tell a coherent story, whatever order they arrive in.
func TestDossierLifecycles(t *testing.T) {
	cfg := small(date(2024, 2, 1), date(2024, 4, 30))
	cfg.DossiersPerDay = 80
	all, stats := collect(t, cfg)
	byDossier := map[string][]events.Event{}
	var order []string
	for _, e := range unique(all) {
		if e.Type.Family() != events.FamilyDossier {
			continue
		}
		if _, ok := byDossier[e.SubjectID]; !ok {
			order = append(order, e.SubjectID)
		}
		byDossier[e.SubjectID] = append(byDossier[e.SubjectID], e)
	}
	if int64(len(order)) != stats.Dossiers {
		t.Fatalf("%d dossiers have events; stats say %d", len(order), stats.Dossiers)
	}
	open := 0
	for _, code := range order {
		evs := byDossier[code]
		first := evs[0]
		if first.Type == events.TypeDossierRejected {
			if len(evs) != 1 {
				t.Fatalf("%s: events after a rejection: %v", code, types(evs))
			}
			continue
		}
		if first.Type != events.TypeDossierReceived {
			t.Fatalf("%s starts with %s", code, first.Type)
		}
		due := first.Payload.(events.DossierReceived).DueAt
		agency := first.Agency
		seen := map[events.Type]int{}
		ended := false
		for _, e := range evs[1:] {
			if e.Agency != agency {
				t.Fatalf("%s: %s by %s, but the dossier is at %s", code, e.Type, e.Agency, agency)
			}
			if ended && e.Type != events.TypeDossierSynced {
				t.Fatalf("%s: %s after the dossier ended: %v", code, e.Type, types(evs))
			}
			need := map[events.Type]events.Type{
				events.TypeDossierFeePaid:            events.TypeDossierFeeRequested,
				events.TypeDossierSupplementSupplied: events.TypeDossierSupplementRequested,
				events.TypeDossierResultReturned:     events.TypeDossierResultIssued,
				events.TypeDossierRated:              events.TypeDossierResultReturned,
			}[e.Type]
			if need != "" && seen[need] <= seen[e.Type] {
				t.Fatalf("%s: %s without %s before: %v", code, e.Type, need, types(evs))
			}
			seen[e.Type]++
			switch p := e.Payload.(type) {
			case events.DossierForwarded:
				agency = p.ToAgency
			case events.DossierSupplementSupplied:
				if p.NewDueAt != nil {
					due = *p.NewDueAt
				}
			case events.DossierStopped, events.DossierWithdrawn:
				ended = true
			case events.DossierApologyIssued:
				if !p.NewDueAt.After(due) {
					t.Fatalf("%s: apology sets %s, not after the due time %s", code, p.NewDueAt, due)
				}
			}
		}
		if seen[events.TypeDossierResultIssued] > 1 {
			t.Fatalf("%s: %d results", code, seen[events.TypeDossierResultIssued])
		}
		if seen[events.TypeDossierResultIssued] == 0 && !ended {
			open++
		}
	}
	if open == 0 {
		t.Fatal("no dossier is still in progress at the end of the range")
	}
}

func types(evs []events.Event) []events.Type {
	var out []events.Type
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

// Six months of a small province show every event type agencies publish.
func TestEveryTypeAppears(t *testing.T) {
	cfg := small(date(2024, 1, 1), date(2024, 6, 30))
	cfg.DossiersPerDay = 30
	_, stats := collect(t, cfg)
	for _, typ := range events.Types() {
		// baocao's own report scheduler publishes report.generated, not agencies.
		if typ == events.TypeReportGenerated {
			continue
		}
		if stats.ByType[typ] == 0 {
			t.Errorf("no %s in six months", typ)
		}
	}
	var sum int64
	for _, n := range stats.ByType {
		sum += n
	}
	if sum != stats.Events {
		t.Errorf("ByType sums to %d; Events is %d", sum, stats.Events)
	}
}

func TestDuplicates(t *testing.T) {
	for _, rate := range []float64{0, 0.05} {
		cfg := small(date(2024, 5, 1), date(2024, 5, 31))
		cfg.DuplicateRate, cfg.LateRate, cfg.ReorderRate = rate, 0, 0
		all, stats := collect(t, cfg)
		first := map[string][]byte{}
		dups := 0
		for _, d := range all {
			prev, ok := first[d.e.ID]
			switch {
			case !ok:
				first[d.e.ID] = d.raw
			case !bytes.Equal(prev, d.raw):
				t.Fatalf("a second delivery differs:\n%s\n%s", prev, d.raw)
			default:
				dups++
			}
		}
		if int64(dups) != stats.Duplicates {
			t.Fatalf("rate %v: %d duplicates delivered, stats say %d", rate, dups, stats.Duplicates)
		}
		got := float64(dups) / float64(len(first))
		if got < rate*0.85 || got > rate*1.15 {
			t.Fatalf("duplicate rate %.4f; configured %v", got, rate)
		}
	}
}

// The feed is in time order but for the late and reordered deliveries, at
// about the configured rates.
func TestDeliveryOrder(t *testing.T) {
	cfg := small(date(2024, 5, 1), date(2024, 6, 15))
	cfg.DossiersPerDay = 60
	cfg.DuplicateRate, cfg.LateRate, cfg.ReorderRate = 0, 0.01, 0.03
	all, stats := collect(t, cfg)
	n := float64(len(all))
	var late, behind, behindLong int
	var latest time.Time
	for i, d := range all {
		e := d.e
		lag := e.RecordedAt.Sub(e.OccurredAt)
		isLate := lag >= lateMin
		if isLate {
			late++
			if lag > lateMax && e.RecordedAt.Before(endOf(cfg.To).Add(-time.Millisecond)) {
				t.Fatalf("late by %v: %s", lag, d.raw)
			}
			// Delivered when it was recorded: after the events recorded before it.
			if i > 0 && all[i-1].e.RecordedAt.After(e.RecordedAt) && all[i-1].e.RecordedAt.Sub(all[i-1].e.OccurredAt) < lateMin {
				t.Fatalf("late event delivered before its time:\n%s\n%s", all[i-1].raw, d.raw)
			}
		} else if lag > 20*time.Second {
			t.Fatalf("recorded %v after it happened but not late: %s", lag, d.raw)
		}
		if e.OccurredAt.Before(latest) {
			behind++
			if latest.Sub(e.OccurredAt) > 30*time.Minute {
				behindLong++
			}
		} else {
			latest = e.OccurredAt
		}
	}
	if int64(late) != stats.Late {
		t.Fatalf("%d late deliveries, stats say %d", late, stats.Late)
	}
	if r := float64(late) / n; r < 0.008 || r > 0.012 {
		t.Fatalf("late rate %.4f; configured 0.01", r)
	}
	if r := float64(stats.Reordered) / n; r < 0.025 || r > 0.035 {
		t.Fatalf("reorder rate %.4f; configured 0.03", r)
	}
	// Late and reordered events arrive behind the newest, and little else:
	// events of the same second may tie.
	if r := float64(behind) / n; r < 0.02 || r > 0.06 {
		t.Fatalf("%.3f of deliveries behind the newest event", r)
	}
	if behindLong < late/2 {
		t.Fatalf("only %d deliveries more than 30 minutes behind, for %d late ones", behindLong, late)
	}
}

// The two-tier reform of 1/7/2025: districts merged into the province,
// about two thirds of the communes merged, the rest under the province, and
// dossiers only at the remaining agencies from then on.
func TestReform2025(t *testing.T) {
	cfg := small(date(2025, 6, 1), date(2025, 7, 31))
	cfg.DossiersPerDay = 150
	all, _ := collect(t, cfg)
	evs := unique(all)
	reform := time.Date(2025, 7, 1, 0, 0, 0, 0, events.Vietnam)
	level := map[string]events.AgencyLevel{}
	merged := map[string]string{}
	parent := map[string]string{}
	for _, e := range evs {
		switch p := e.Payload.(type) {
		case events.AgencyCreated:
			level[e.SubjectID], parent[e.SubjectID] = p.Level, p.Parent
		case events.AgencyMerged:
			if p.EffectiveFrom.Equal(date(2025, 7, 1).Time) {
				merged[e.SubjectID] = p.Into
			}
		case events.AgencyLevelChanged:
			if p.EffectiveFrom.Equal(date(2025, 7, 1).Time) {
				if p.Level != events.LevelCommune || p.Parent != cfg.ProvinceCode || level[e.SubjectID] != events.LevelCommune {
					t.Fatalf("level change of %s: %+v", e.SubjectID, p)
				}
				parent[e.SubjectID] = p.Parent
			}
		}
	}
	communes, mergedCommunes := 0, 0
	for code, l := range level {
		switch l {
		case events.LevelDistrict:
			if merged[code] != cfg.ProvinceCode {
				t.Errorf("district %s not merged into the province", code)
			}
		case events.LevelCommune:
			communes++
			if _, ok := merged[code]; ok {
				mergedCommunes++
				if level[merged[code]] != events.LevelCommune {
					t.Errorf("commune %s merged into %s, not a commune", code, merged[code])
				}
			} else if parent[code] != cfg.ProvinceCode {
				t.Errorf("remaining commune %s is under %s", code, parent[code])
			}
		}
	}
	if r := float64(mergedCommunes) / float64(communes); r < 0.55 || r > 0.75 {
		t.Errorf("%d of %d communes merged", mergedCommunes, communes)
	}
	// After the switch-over (forwarding of open dossiers, just after
	// midnight), nothing happens at a merged agency.
	handedOver := 0
	switchedOver := reform.Add(2 * time.Hour)
	for _, e := range evs {
		if e.Type.Family() != events.FamilyDossier || e.OccurredAt.Before(reform) {
			continue
		}
		_, gone := merged[e.Agency]
		if p, ok := e.Payload.(events.DossierForwarded); ok && gone {
			if _, bad := merged[p.ToAgency]; bad {
				t.Fatalf("dossier handed over to a merged agency: %+v", e)
			}
			handedOver++
			continue
		}
		if gone && !e.OccurredAt.Before(switchedOver) {
			t.Fatalf("%s at merged agency %s on %s", e.Type, e.Agency, e.OccurredAt)
		}
		if e.Type == events.TypeDossierReceived && gone {
			t.Fatalf("dossier received at merged agency %s", e.Agency)
		}
	}
	if handedOver == 0 {
		t.Error("no open dossier handed over to a successor")
	}
	districtProcs := 0
	for _, e := range evs {
		if p, ok := e.Payload.(events.ProcedureAmended); ok && len(p.Levels) > 0 {
			if slices.Contains(p.Levels, events.GovDistrict) {
				t.Fatalf("procedure %s amended to district level", e.SubjectID)
			}
			districtProcs++
		}
	}
	if districtProcs == 0 {
		t.Error("no district procedure moved to the communes")
	}
}

// A range that starts after the reform starts with the two-tier directory;
// one that ends before it sees no trace of it.
func TestReformOutsideRange(t *testing.T) {
	after, _ := collect(t, small(date(2025, 8, 1), date(2025, 8, 10)))
	for _, d := range after {
		switch p := d.e.Payload.(type) {
		case events.AgencyCreated:
			if p.Level == events.LevelDistrict || p.Level == events.LevelCommune && p.Parent != DefaultConfig().ProvinceCode {
				t.Fatalf("after the reform: %s", d.raw)
			}
		case events.ProcedurePublished:
			if slices.Contains(p.Levels, events.GovDistrict) {
				t.Fatalf("district procedure after the reform: %s", d.raw)
			}
		}
	}
	before, _ := collect(t, small(date(2025, 4, 1), date(2025, 6, 30)))
	for _, d := range before {
		if p, ok := d.e.Payload.(events.AgencyMerged); ok && p.Into == DefaultConfig().ProvinceCode {
			t.Fatalf("merged into the province before the reform: %s", d.raw)
		}
	}
}

// Memory holds the open dossiers, and their number levels off: a year needs
// no more than a quarter.
func TestMemoryBounded(t *testing.T) {
	run := func(to events.Date) *generator {
		cfg := small(date(2024, 1, 1), to)
		cfg.DossiersPerDay = 60
		g := newGenerator(cfg, func(events.Event) error { return nil })
		if err := g.run(context.Background()); err != nil {
			t.Fatal(err)
		}
		return g
	}
	quarter, year := run(date(2024, 3, 31)), run(date(2024, 12, 31))
	t.Logf("open dossiers: %d in a quarter, %d in a year; schedule %d; held %d, %d", quarter.maxOpenDossiers, year.maxOpenDossiers, year.sched.max, year.out.maxHeld, year.out.maxOvertaken)
	// A dossier lives at most a few months (the longest procedures, two
	// supplements, a late result, its return and rating).
	const maxLifetimeDays = 200
	bound := 60 * maxLifetimeDays
	if year.maxOpenDossiers > bound {
		t.Fatalf("%d open dossiers at most; bound %d", year.maxOpenDossiers, bound)
	}
	if year.maxOpenDossiers > 60*20 {
		t.Fatalf("%d open dossiers at most: more than a month's intake", year.maxOpenDossiers)
	}
	if year.maxOpenDossiers > quarter.maxOpenDossiers*5/4 {
		t.Fatalf("open dossiers grow with the range: %d in a quarter, %d in a year", quarter.maxOpenDossiers, year.maxOpenDossiers)
	}
	// The schedule holds the open dossiers plus tasks, feedback and batches.
	if year.sched.max > year.maxOpenDossiers+1000 {
		t.Fatalf("schedule reached %d entries for %d open dossiers", year.sched.max, year.maxOpenDossiers)
	}
	if year.out.maxHeld > 500 || year.out.maxOvertaken > 50 {
		t.Fatalf("delivery held %d events and %d reordered ones", year.out.maxHeld, year.out.maxOvertaken)
	}
	// And each dossier's events do span at most that lifetime.
	cfg := small(date(2024, 1, 1), date(2024, 9, 30))
	cfg.DossiersPerDay = 10
	all, _ := collect(t, cfg)
	firstSeen := map[string]time.Time{}
	for _, e := range unique(all) {
		if e.Type.Family() != events.FamilyDossier {
			continue
		}
		f, ok := firstSeen[e.SubjectID]
		if !ok {
			firstSeen[e.SubjectID] = e.OccurredAt
		} else if e.OccurredAt.Sub(f) > maxLifetimeDays*24*time.Hour {
			t.Fatalf("dossier %s lives from %s to %s", e.SubjectID, f, e.OccurredAt)
		}
	}
}

func TestStops(t *testing.T) {
	cfg := small(date(2024, 1, 1), date(2024, 3, 31))
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Run(ctx, cfg, func(events.Event) error {
		if n++; n == 5000 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n > 5000+8192 {
		t.Fatalf("after cancel: %v, %d events", err, n)
	}
	boom := errors.New("boom")
	n = 0
	stats, err := Run(context.Background(), cfg, func(events.Event) error {
		if n++; n == 100 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 100 || stats.Events != 100 {
		t.Fatalf("emit error: %v after %d events (stats %d)", err, n, stats.Events)
	}
}
