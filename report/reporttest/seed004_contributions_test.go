package reporttest_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
)

// The contributions decode as the intake would take them, name sections of
// the reform outline, never reuse an id of the event feed, and are the same
// on every call.
func TestSeed004ContributionsValid(t *testing.T) {
	cs := reporttest.Seed004Contributions()
	keys := outlineKeys()
	ids := map[string]bool{}
	for _, e := range feed {
		ids[e.ID] = true
	}
	withdrawn := 0
	for i, e := range cs {
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := events.Decode(data, reporttest.Now)
		if err != nil {
			t.Fatalf("contribution %d (%s %s): %v", i, e.Type, e.SubjectID, err)
		}
		var section string
		switch p := got.Payload.(type) {
		case events.ContributionSubmitted:
			section = p.Section
		case events.ContributionWithdrawn:
			section = p.Section
			withdrawn++
		}
		if !keys[section] {
			t.Errorf("contribution %d: section %q is not in the reform outline", i, section)
		}
		if ids[e.ID] {
			t.Errorf("contribution %d: id %s used twice", i, e.ID)
		}
		ids[e.ID] = true
		if !e.OccurredAt.After(reporttest.PeriodEnd.AddDate(0, 0, 1)) || !e.OccurredAt.Before(reporttest.Now) {
			t.Errorf("contribution %d sent %s, outside the round after the period", i, e.OccurredAt)
		}
		if i > 0 && e.RecordedAt.Before(cs[i-1].RecordedAt) {
			t.Errorf("contribution %d is recorded before the one before it", i)
		}
	}
	if withdrawn < 2 {
		t.Errorf("%d withdrawals; the fixture has two", withdrawn)
	}
	a, _ := json.Marshal(cs)
	b, _ := json.Marshal(reporttest.Seed004Contributions())
	if !bytes.Equal(a, b) {
		t.Error("two calls give different contributions")
	}
}

// The checklist: figures 1–103 once each, in sections of the outline, each
// phrase holding its figure; a figure a contribution states is in the text
// in force for its section (the latest submission, not withdrawn), and no
// superseded phrase is.
func TestSeed004FiguresChecklist(t *testing.T) {
	keys := outlineKeys()
	current := currentText()
	all := strings.Join(slices.Collect(maps.Values(current)), "\n")
	computed, fromEvents := 0, 0
	for i, f := range reporttest.Seed004Figures {
		if f.N != i+1 {
			t.Fatalf("figure %d is numbered %d", i+1, f.N)
		}
		if !keys[f.Section] {
			t.Errorf("#%d: section %q is not in the reform outline", f.N, f.Section)
		}
		if f.Family != "contribution" {
			fromEvents++
		}
		for _, p := range f.Phrases {
			if f.N != 24 && !strings.Contains(p, f.Figure) {
				t.Errorf("#%d: phrase %q does not hold the figure %q", f.N, p, f.Figure)
			}
		}
		switch f.From {
		case "computed":
			computed++
		case "contribution":
			text := current[f.Section]
			for _, p := range f.Phrases {
				if !strings.Contains(text, p) {
					t.Errorf("#%d: no contribution in force for %s says %q", f.N, f.Section, p)
				}
			}
		default:
			t.Errorf("#%d: from %q", f.N, f.From)
		}
	}
	if len(reporttest.Seed004Figures) != 103 || fromEvents != 36 {
		t.Errorf("%d figures, %d from events; SEED004-FIGURES.md numbers 103, 36 from events", len(reporttest.Seed004Figures), fromEvents)
	}
	t.Logf("%d figures computed from the events, %d from contributions", computed, len(reporttest.Seed004Figures)-computed)
	for _, s := range reporttest.Seed004Superseded {
		if strings.Contains(all, s) {
			t.Errorf("%q, of a replaced or withdrawn part, is in a part in force", s)
		}
	}
}

func outlineKeys() map[string]bool {
	keys := map[string]bool{}
	for _, s := range report.DefaultOutline(report.Reform).Sections {
		keys[s.Key] = true
	}
	return keys
}

// currentText folds the contributions in Go as the view does (latest by
// occurred_at then id per agency and slot; a later withdrawal removes it)
// and joins the text in force by section, parents included.
func currentText() map[string]string {
	type key struct{ agency, slot string }
	latest := map[key]events.Event{}
	for _, e := range reporttest.Seed004Contributions() {
		k := key{e.Agency, e.SubjectID}
		if o, ok := latest[k]; !ok || e.OccurredAt.After(o.OccurredAt) || e.OccurredAt.Equal(o.OccurredAt) && e.ID > o.ID {
			latest[k] = e
		}
	}
	out := map[string]string{}
	for _, e := range latest {
		p, ok := e.Payload.(events.ContributionSubmitted)
		if !ok {
			continue
		}
		text := strings.Join(p.Paragraphs, "\n")
		for s := p.Section; ; {
			out[s] += text + "\n"
			i := strings.LastIndexByte(s, '.')
			if i < 0 {
				break
			}
			s = s[:i]
		}
	}
	return out
}
