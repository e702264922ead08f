package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// A feed whose dossiers carry no field (lĩnh vực) is reported under the
// field the procedure catalogue gives their procedure, whether the
// procedure was published before the dossiers arrived or after; a dossier
// that names its own field keeps it; a procedure the catalogue lacks stays
// "(chưa xác định lĩnh vực)".
func TestFieldFromCatalogue(t *testing.T) {
	vn := func(m time.Month, d, h int) time.Time { return time.Date(2024, m, d, h, 0, 0, 0, events.Vietnam) }
	const province, dept = "000.00.00.H23", "000.00.31.H23"
	directory := []events.Event{
		events.New(province, province, vn(1, 2, 9), events.AgencyCreated{Name: "Ủy ban nhân dân thành phố Hải Phòng", Level: events.LevelProvince, EffectiveFrom: events.NewDate(2008, 1, 1)}),
		events.New(province, dept, vn(1, 2, 9), events.AgencyCreated{Name: "Sở Tư pháp", Level: events.LevelDepartment, Parent: province, EffectiveFrom: events.NewDate(2008, 1, 1)}),
	}
	published := func(code, name, field string) events.Event {
		return events.New(province, code, vn(1, 10, 9), events.ProcedurePublished{Name: name, Field: field, Levels: []events.GovLevel{events.GovProvince},
			DecisionNo: "10/QĐ-UBND", DecisionDate: events.NewDate(2024, 1, 10), StatutoryDays: 5, OnlineLevel: events.OnlinePartial})
	}
	catalogue := []events.Event{
		published("1.001", "Đăng ký khai sinh", "Hộ tịch"),
		published("1.002", "Cấp bản sao", "Chứng thực"),
		published("1.003", "Cấp giấy phép xây dựng", "Xây dựng"),
		// the catalogue in force: the field as amended
		events.New(province, "1.003", vn(2, 1, 9), events.ProcedureAmended{DecisionNo: "20/QĐ-UBND", DecisionDate: events.NewDate(2024, 2, 1), Field: "Quy hoạch"}),
	}
	// The catalogue's attributes are the latest recorded: as in a real feed,
	// each event is recorded when it happened (events.New records "now", the
	// same millisecond for all four, and the tie went either way).
	for i := range catalogue {
		catalogue[i].RecordedAt = catalogue[i].OccurredAt
	}
	var dossiers []events.Event
	received := func(id, procedure, field string, day int) {
		at := vn(4, day, 9)
		dossiers = append(dossiers,
			events.New(dept, id, at, events.DossierReceived{Procedure: procedure, Field: field, Channel: events.ChannelInPerson, DueAt: at.Add(96 * time.Hour)}),
			events.New(dept, id, at.Add(24*time.Hour), events.DossierResultIssued{Outcome: events.OutcomeApproved}))
	}
	received("HS-1", "1.001", "", 2)
	received("HS-2", "1.001", "", 3)
	received("HS-3", "1.002", "", 4)
	received("HS-4", "1.002", "Tư pháp", 4) // its own field, not the catalogue's
	received("HS-5", "1.003", "", 8)
	received("HS-6", "9.999", "", 9) // not in the catalogue

	// field → dossiers received in the second quarter (official cut-off)
	want := map[string]int{"Chứng thực": 1, "Hộ tịch": 2, "Quy hoạch": 1, "Tư pháp": 1, "": 1}
	q2, _ := report.ParsePeriod("2024-Q2", report.Official)

	check := func(t *testing.T, s store.Store, db string, want map[string]int) {
		t.Helper()
		var w [][]string
		for f, n := range want {
			w = append(w, []string{"province", f, fmt.Sprint(n)})
		}
		slices.SortFunc(w, func(a, b []string) int { return strings.Compare(a[1], b[1]) })
		got := storetest.Query(t, s, "SELECT level_group, field, toString(received_total) FROM "+db+".dossier_form_by_field "+
			"WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2 ORDER BY level_group, field")
		if fmt.Sprint(got) != fmt.Sprint(w) {
			t.Errorf("the form by field gives %v; want %v", got, w)
		}

		d, err := report.Load(context.Background(), s, db, q2)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]int{}
		for _, f := range d.Fields {
			fields[f.Field] += int(f.ReceivedTotal)
		}
		if fmt.Sprint(fields) != fmt.Sprint(want) {
			t.Errorf("the report's fields are %v; want %v", fields, want)
		}

		// the field table of the written report, row by row
		dir := t.TempDir()
		files, err := report.Generate(context.Background(), s, db, report.Request{Kind: report.ProcedureControl, Period: q2, Formats: []string{report.FormatMarkdown}, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		md, err := os.ReadFile(filepath.Join(dir, files[0].Path))
		if err != nil {
			t.Fatal(err)
		}
		for f, n := range want {
			name := f
			if name == "" {
				name = "(chưa xác định lĩnh vực)"
			}
			if !fieldRow(string(md), name, n) {
				t.Errorf("the report's field table has no row %q with %d dossiers", name, n)
			}
		}
	}

	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		t.Run("published before", func(t *testing.T) {
			db := storetest.Migrated(t, s)
			storetest.InsertTwiceShuffled(t, s, db, slices.Concat(directory, catalogue, dossiers), 11)
			check(t, s, db, want)
		})
		t.Run("published after the dossiers", func(t *testing.T) {
			db := storetest.Migrated(t, s)
			storetest.InsertTwiceShuffled(t, s, db, slices.Concat(directory, dossiers), 12)
			check(t, s, db, map[string]int{"Tư pháp": 1, "": 5})
			storetest.InsertTwiceShuffled(t, s, db, catalogue, 13)
			check(t, s, db, want)
		})
	})
}

// fieldRow says whether the Markdown holds a table row naming field whose
// first figure (the form's column 3) is n.
func fieldRow(md, field string, n int) bool {
	for _, line := range strings.Split(md, "\n") {
		cells := strings.Split(line, "|")
		for i, c := range cells {
			if strings.TrimSpace(c) == field && i+1 < len(cells) && strings.TrimSpace(cells[i+1]) == fmt.Sprint(n) {
				return true
			}
		}
	}
	return false
}
