package schema

import "testing"

func TestMigrationsAreOneObjectEach(t *testing.T) {
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	kinds := map[Kind]int{}
	for _, m := range ms {
		if seen[m.Object] {
			t.Errorf("%s creates %s again", m.Name, m.Object)
		}
		seen[m.Object] = true
		kinds[m.Kind]++
	}
	if kinds[Table] == 0 || kinds[MaterializedView] == 0 || kinds[View] == 0 {
		t.Errorf("kinds %v: want tables, materialized views and views", kinds)
	}
	if ms[0].Object != "events" || ms[0].Kind != Table {
		t.Errorf("first migration creates %s %s; want TABLE events", ms[0].Kind, ms[0].Object)
	}
}
