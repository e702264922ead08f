package report_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// The scheduler writes each closed period's report once, announces it with
// a valid report.generated event, regenerates identical files on refresh
// without announcing them again, and announces again what late events
// changed.
func TestSchedule(t *testing.T) {
	evs := storetest.Simulated(t, 20_000) // early March 2024
	// and a dossier in June, so that Q2 has begun by the latest event
	june := events.New("000.00.01.H23", "H23.JUNE-0001", time.Date(2024, 6, 10, 9, 0, 0, 0, events.Vietnam),
		events.DossierReceived{Procedure: "1.000001", Channel: events.ChannelOnline, DueAt: time.Date(2024, 6, 17, 17, 0, 0, 0, events.Vietnam)})
	june.RecordedAt = june.OccurredAt
	evs = append(evs, june)
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		ctx := context.Background()
		db := storetest.Migrated(t, s)
		storetest.InsertOnce(t, s, db, evs)
		sched := report.Schedule{
			Kinds: []report.Kind{report.ProcedureControl, report.Reform}, Cutoff: report.Official,
			Formats: report.AllFormats, Dir: t.TempDir(), DB: db, Grace: 72 * time.Hour, Lookback: 100 * 24 * time.Hour,
		}
		now := time.Date(2024, 6, 20, 9, 0, 0, 0, events.Vietnam)
		var published []events.Event
		publish := func(_ context.Context, e events.Event) error {
			data, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if _, err := events.Decode(data, now); err != nil {
				t.Errorf("the scheduler's event is invalid: %v", err)
			}
			published = append(published, e)
			return nil
		}
		run := func(refresh bool) ([]string, []events.Event) {
			t.Helper()
			published = nil
			sched.Refresh = refresh
			done, err := sched.Run(ctx, s, now, publish)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for _, r := range done {
				keys = append(keys, r.Key())
			}
			return keys, published
		}

		// Q1 ended 14/3, Q2 and the six months 14/6 (+ 72 h grace ≤ 20/6);
		// 2023 ended before the lookback.
		want := []string{"procedure_control/2024-Q1-official", "procedure_control/2024-Q2-official", "reform/2024-H1-official"}
		keys, first := run(false)
		if len(keys) != len(want) || len(first) != len(want) {
			t.Fatalf("first pass generated %v and published %d events; want %v and %d", keys, len(first), want, len(want))
		}
		for i, k := range want {
			if keys[i] != k || first[i].SubjectID != k {
				t.Errorf("report %d: generated %s, announced %s; want %s", i, keys[i], first[i].SubjectID, k)
			}
			p := first[i].Payload.(events.ReportGenerated)
			if len(p.Files) != 3 || p.Files[0].SHA256 == "" || p.Label == "" {
				t.Errorf("%s: event payload %+v", k, p)
			}
		}
		if keys, evs := run(false); len(keys) != 0 || len(evs) != 0 {
			t.Errorf("second pass generated %v and published %d events; want nothing", keys, len(evs))
		}
		if keys, evs := run(true); len(keys) != 3 || len(evs) != 0 {
			t.Errorf("refresh generated %v and published %d events; want all three regenerated, nothing announced", keys, len(evs))
		}

		// A dossier received late in May, delivered now, changes Q2 and H1.
		late := events.New("000.00.01.H23", "H23.LATE-0001", time.Date(2024, 5, 20, 10, 0, 0, 0, events.Vietnam),
			events.DossierReceived{Procedure: "1.000001", Channel: events.ChannelOnline, DueAt: time.Date(2024, 5, 27, 17, 0, 0, 0, events.Vietnam)})
		late.RecordedAt = now
		storetest.InsertOnce(t, s, db, []events.Event{late})
		_, again := run(true)
		if len(again) != 2 || again[0].SubjectID != want[1] || again[1].SubjectID != want[2] {
			t.Fatalf("after a late dossier the refresh announced %v; want %s and %s", subjects(again), want[1], want[2])
		}
		if again[0].ID == first[1].ID {
			t.Error("a changed report was announced with the id of its first version")
		}

		// A year later the periods due begin after the latest event: there
		// is nothing to write about them.
		now = now.AddDate(1, 0, 0)
		if keys, evs := run(false); len(keys) != 0 || len(evs) != 0 {
			t.Errorf("periods after the data: generated %v and published %d events; want nothing", keys, len(evs))
		}
	})
}

func subjects(evs []events.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.SubjectID)
	}
	return out
}
