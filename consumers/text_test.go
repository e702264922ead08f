package consumers_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/store/storetest"
)

// An event already in the stream from before the control-character rule
// (an ESC in an agency's name) is a dead letter with its reason when the
// stream is replayed; the events around it are projected.
func TestReplayedControlCharacterIsADeadLetter(t *testing.T) {
	s := enginetest.Embedded()
	n := startNATS(t)
	evs := storetest.Lifecycle()
	n.publishEvents(t, evs)
	bad := evs[0]
	p, ok := bad.Payload.(events.AgencyCreated)
	if !ok {
		t.Fatalf("the first lifecycle event is %s; want agency.created", bad.Type)
	}
	bad.ID, bad.SubjectID = events.NewID(bad.RecordedAt), "000.00.77.H23"
	p.Name = "Sở\x1b[2J Tư pháp"
	bad.Payload = p
	raw, err := json.Marshal(bad)
	if err != nil {
		t.Fatal(err)
	}
	n.publishRaw(t, events.Subject(n.cfg.Prefix, &bad), raw)

	db := storetest.Migrated(t, s)
	runProjector(t, n, s, consumers.Config{DB: db, BatchMax: 50, BatchWait: 20 * time.Millisecond})
	dead := storetest.Query(t, s, "SELECT reason FROM "+db+".dead_letters")
	if len(dead) != 1 || !strings.Contains(dead[0][0], "payload.name: control character U+001B at offset 2") {
		t.Errorf("dead letters %v; want the event with the ESC, its field and offset named", dead)
	}
	if got := storetest.Query(t, s, "SELECT uniqExact(id) FROM "+db+".events"); got[0][0] != strconv.Itoa(len(evs)) {
		t.Errorf("events table holds %v distinct events; want the %d valid ones", got, len(evs))
	}
}
