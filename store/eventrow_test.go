package store

import (
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
)

func TestRowFromEventReportGenerated(t *testing.T) {
	at := time.Date(2024, 7, 1, 6, 0, 0, 0, events.Vietnam)
	e := events.New("000.00.00.H23", "reform/half_year/official/2024-1", at, events.ReportGenerated{
		Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial, Year: 2024, Number: 1,
		PeriodStart: events.NewDate(2023, 12, 15), PeriodEnd: events.NewDate(2024, 6, 14), Label: "6 tháng đầu năm 2024",
		Files: []events.ReportFile{{Format: events.FormatHTML, Path: "2024/reform-half_year-official-2024-1.html", Bytes: 5120, SHA256: strings.Repeat("ab", 32)}},
	})
	if err := e.Validate(time.Now()); err != nil {
		t.Fatal(err)
	}
	r, err := RowFromEvent(e, 7, at)
	if err != nil {
		t.Fatal(err)
	}
	if r.Type != "report.generated" || r.Kind != "reform" || r.Year != 2024 ||
		!r.PeriodFrom.Equal(events.NewDate(2023, 12, 15).Time) || !r.PeriodTo.Equal(events.NewDate(2024, 6, 14).Time) {
		t.Errorf("typed columns: %+v", r)
	}
	if !strings.Contains(r.Payload, `"label":"6 tháng đầu năm 2024"`) || !strings.Contains(r.Payload, `"format":"html"`) {
		t.Errorf("payload %s lacks the label or the files", r.Payload)
	}
	if r.Levels == nil || r.Coordinating == nil || r.Changes == nil {
		t.Error("array columns must be empty, not nil")
	}
}
