package simulate

import (
	"testing"

	"github.com/baocao/baocao/events"
)

// The fields forms II.06a and II.07b and the causes of late dossiers read:
// departments' dossiers mostly at the centre, districts' and communes' at
// their own desks; procedures mostly one-stop, most with their internal
// process; apologies giving one of a few causes.
func TestFormFields(t *testing.T) {
	all, _ := collect(t, small(date(2024, 1, 1), date(2024, 3, 31)))
	evs := unique(all)
	levels := map[string]events.AgencyLevel{}
	centre := map[events.AgencyLevel][2]int{} // level → centre, all
	var procs, oneStop, process, external int
	reasons := map[string]int{}
	apologies := 0
	for _, e := range evs {
		switch p := e.Payload.(type) {
		case events.AgencyCreated:
			levels[e.SubjectID] = p.Level
		case events.DossierReceived:
			c := centre[levels[e.Agency]]
			c[1]++
			if p.Desk == events.DeskCentre {
				c[0]++
			} else if p.Desk != events.DeskAgency {
				t.Fatalf("dossier %s: desk %q", e.SubjectID, p.Desk)
			}
			centre[levels[e.Agency]] = c
		case events.ProcedurePublished:
			procs++
			if p.Internal {
				if p.OneStop || p.InternalProcessIssued {
					t.Errorf("internal procedure %s published one-stop or with a process", e.SubjectID)
				}
				continue
			}
			external++
			if p.OneStop {
				oneStop++
			}
			if p.InternalProcessIssued {
				process++
			}
		case events.DossierApologyIssued:
			apologies++
			reasons[p.Reason]++
		}
	}
	share := func(name string, n, of int, lo, hi float64) {
		t.Helper()
		r := float64(n) / float64(of)
		t.Logf("%-44s %d/%d = %.3f", name, n, of, r)
		if of == 0 || r < lo || r > hi {
			t.Errorf("%s: %d/%d; want %.2f–%.2f", name, n, of, lo, hi)
		}
	}
	d := centre[events.LevelDepartment]
	share("departments' dossiers at the centre", d[0], d[1], 0.75, 0.85)
	for _, l := range []events.AgencyLevel{events.LevelDistrict, events.LevelCommune} {
		if c := centre[l]; c[1] == 0 || c[0] != 0 {
			t.Errorf("%s dossiers at the centre: %d of %d; want none", l, c[0], c[1])
		}
	}
	share("external procedures one-stop", oneStop, external, 0.9, 1)
	share("external procedures with an internal process", process, external, 0.75, 0.95)
	if apologies == 0 || len(reasons) < 3 || len(reasons) > len(apologyReasons) {
		t.Errorf("%d apologies with reasons %v; want a few causes", apologies, reasons)
	}
}
