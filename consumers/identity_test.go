package consumers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

// reuse is the Lifecycle events and three messages that reuse their ids,
// published without Msg-Id (so outside JetStream's duplicate window):
// another body for dossier HS-1's receipt (another channel and due date),
// an id of HS-2 reused for a dossier HS-9, and HS-4's receipt re-sent
// identically but formatted otherwise.
type reuse struct {
	base            []events.Event
	received        int          // index in base of HS-1's receipt
	other           events.Event // its id with another body
	foreign         events.Event // HS-2's id on HS-9
	resent          []byte       // HS-4's receipt, indented
	resentSubject   string
	otherSubject    string
	foreignSubject  string
	foreignReusedID string
}

func newReuse(t *testing.T, prefix string) reuse {
	t.Helper()
	r := reuse{base: storetest.Lifecycle()}
	find := func(subject string, typ events.Type) int {
		i := slices.IndexFunc(r.base, func(e events.Event) bool { return e.SubjectID == subject && e.Type == typ })
		if i < 0 {
			t.Fatalf("Lifecycle has no %s %s", typ, subject)
		}
		return i
	}
	r.received = find("HS-1", events.TypeDossierReceived)
	r.other = r.base[r.received]
	p := r.other.Payload.(events.DossierReceived)
	p.Channel, p.DueAt = events.ChannelPostal, p.DueAt.Add(72*time.Hour)
	r.other.Payload = p
	r.otherSubject = events.Subject(prefix, &r.other)

	hs2 := r.base[find("HS-2", events.TypeDossierReceived)]
	r.foreign = hs2
	r.foreign.SubjectID = "HS-9"
	r.foreignSubject, r.foreignReusedID = events.Subject(prefix, &r.foreign), hs2.ID

	hs4 := r.base[find("HS-4", events.TypeDossierReceived)]
	b, err := json.MarshalIndent(hs4, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	r.resent, r.resentSubject = b, events.Subject(prefix, &hs4)
	return r
}

// kept is base with HS-1's receipt replaced by the body that comes first.
func (r reuse) kept(otherFirst bool) []events.Event {
	evs := slices.Clone(r.base)
	if otherFirst {
		evs[r.received] = r.other
	}
	return evs
}

// An id reused with another body, in either order of arrival, in one batch
// or several: the figures are those of the body the stream recorded first,
// the other is a dead letter saying why, counted, and listed in the view
// event_conflicts; an id reused for another dossier counts it once; an
// identical re-send is no conflict; a rebuild gives the same figures.
func TestReusedIDKeepsTheFirstBody(t *testing.T) {
	engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		for _, otherFirst := range []bool{false, true} {
			for _, batchMax := range []int{7, 1000} {
				t.Run(fmt.Sprintf("other_first=%v/batch=%d", otherFirst, batchMax), func(t *testing.T) {
					n := startNATS(t)
					r := newReuse(t, n.cfg.Prefix)
					first, second := r.base[r.received], r.other
					secondSubject := r.otherSubject
					if otherFirst {
						first, second = second, first
						secondSubject = events.Subject(n.cfg.Prefix, &second)
					}
					feed := slices.Clone(r.base)
					feed[r.received] = first
					n.publishEvents(t, feed)
					b, _ := json.Marshal(second)
					n.publishRaw(t, secondSubject, b)
					b, _ = json.Marshal(r.foreign)
					n.publishRaw(t, r.foreignSubject, b)
					n.publishRaw(t, r.resentSubject, r.resent)

					db := storetest.Migrated(t, s)
					reg := runProjectorMetrics(t, n, s, consumers.Config{DB: db, BatchMax: batchMax, BatchWait: 50 * time.Millisecond})
					want := expected(t, s, r.kept(otherFirst))
					assertSameProjections(t, storetest.Snapshot(t, s, db), want)

					firstSeq := uint64(r.received + 1)
					dead := storetest.Query(t, s, "SELECT stream_seq, reason FROM "+db+".dead_letters ORDER BY stream_seq")
					wantDead := [][]string{
						{fmt.Sprint(len(feed) + 1), fmt.Sprintf("event id %s was recorded at stream sequence %d with a different body (payload.channel, payload.due_at differ)", first.ID, firstSeq)},
						{fmt.Sprint(len(feed) + 2), fmt.Sprintf("event id %s was recorded at stream sequence %d with a different body (subject_id", r.foreignReusedID,
							slices.IndexFunc(feed, func(e events.Event) bool { return e.ID == r.foreignReusedID })+1)},
					}
					if len(dead) != len(wantDead) {
						t.Fatalf("dead letters %v; want the other body and the reused id", dead)
					}
					for i, w := range wantDead {
						if dead[i][0] != w[0] || !strings.HasPrefix(dead[i][1], w[1]) {
							t.Errorf("dead letter %v; want %v…", dead[i], w)
						}
					}
					if got := counter(t, reg, "baocao_projector_conflicts_total"); got != 2 {
						t.Errorf("conflicts counted %v; want 2", got)
					}
					if got := counter(t, reg, "baocao_projector_conflicts_out_of_order_total"); got != 0 {
						t.Errorf("out-of-order conflicts counted %v; want 0", got)
					}
					view := storetest.Query(t, s, "SELECT event_id, stream_seq, kept_seq, differs, out_of_order, status FROM "+db+".event_conflicts ORDER BY stream_seq")
					wantView := [][]string{
						{first.ID, fmt.Sprint(len(feed) + 1), fmt.Sprint(firstSeq), "payload.channel, payload.due_at differ", "0", "refused"},
					}
					if len(view) != 2 || !slices.Equal(view[0], wantView[0]) || view[1][0] != r.foreignReusedID {
						t.Errorf("event_conflicts\n got %v\nwant %v and the reused id %s", view, wantView, r.foreignReusedID)
					}
					if got := storetest.Query(t, s, "SELECT count() FROM "+db+".dossiers WHERE dossier_id IN ('HS-2', 'HS-9')"); got[0][0] != "1" {
						t.Errorf("dossiers HS-2 and HS-9: %s rows; want HS-2 alone", got[0][0])
					}

					if batchMax != 7 {
						return // one rebuild per order is enough
					}
					if _, err := consumers.Rebuild(context.Background(), n.js, s, consumers.RebuildConfig{
						Config: consumers.Config{Stream: n.cfg, DB: db, BatchMax: batchMax, BatchWait: 20 * time.Millisecond},
					}, discardLog()); err != nil {
						t.Fatal(err)
					}
					assertSameProjections(t, storetest.Snapshot(t, s, db), want)
					if got := storetest.Query(t, s, "SELECT count() FROM "+db+".event_conflicts WHERE status = 'refused'"); got[0][0] != "2" {
						t.Errorf("after the rebuild event_conflicts lists %s refused bodies; want 2", got[0][0])
					}
				})
			}
		}
	})
}

// Another projector sharing the durable inserted the later body first: the
// body in events stays (nothing can be retracted), the earlier one is a dead
// letter flagged out of stream order, and a rebuild, which replays in stream
// order, keeps the earlier body.
func TestReusedIDOutOfStreamOrder(t *testing.T) {
	engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		n := startNATS(t)
		r := newReuse(t, n.cfg.Prefix)
		n.publishEvents(t, r.base)
		b, _ := json.Marshal(r.other)
		n.publishRaw(t, r.otherSubject, b)
		otherSeq := uint64(len(r.base) + 1)

		db := storetest.Migrated(t, s)
		rows := storetest.Rows(t, []events.Event{r.other})
		rows[0].StreamSeq = otherSeq
		if err := s.InsertEvents(context.Background(), db, rows); err != nil { // the other projector
			t.Fatal(err)
		}
		reg := runProjectorMetrics(t, n, s, consumers.Config{DB: db, BatchMax: 1000, BatchWait: 50 * time.Millisecond})
		assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, r.kept(true)))
		dead := storetest.Query(t, s, "SELECT stream_seq, reason FROM "+db+".dead_letters")
		if len(dead) != 1 || dead[0][0] != fmt.Sprint(r.received+1) || !strings.Contains(dead[0][1],
			fmt.Sprintf("recorded at stream sequence %d with a different body", otherSeq)) || !strings.Contains(dead[0][1], "out of stream order") {
			t.Errorf("dead letters %v; want the earlier body, flagged out of stream order", dead)
		}
		if got := counter(t, reg, "baocao_projector_conflicts_out_of_order_total"); got != 1 {
			t.Errorf("out-of-order conflicts counted %v; want 1", got)
		}
		if got := storetest.Query(t, s, "SELECT out_of_order FROM "+db+".event_conflicts"); len(got) != 1 || got[0][0] != "1" {
			t.Errorf("event_conflicts out_of_order %v; want one row, 1", got)
		}

		if _, err := consumers.Rebuild(context.Background(), n.js, s, consumers.RebuildConfig{
			Config: consumers.Config{Stream: n.cfg, DB: db, BatchMax: 1000, BatchWait: 20 * time.Millisecond},
		}, discardLog()); err != nil {
			t.Fatal(err)
		}
		assertSameProjections(t, storetest.Snapshot(t, s, db), expected(t, s, r.base))
		if got := storetest.Query(t, s, "SELECT stream_seq, out_of_order FROM "+db+".event_conflicts"); len(got) != 1 ||
			!slices.Equal(got[0], []string{fmt.Sprint(otherSeq), "0"}) {
			t.Errorf("after the rebuild event_conflicts %v; want the later body refused in order", got)
		}
	})
}

// runProjectorMetrics is runProjector with the metrics kept.
func runProjectorMetrics(t *testing.T, n natsEnv, s store.Store, cfg consumers.Config) *prometheus.Registry {
	t.Helper()
	cfg.Stream = n.cfg
	reg := prometheus.NewRegistry()
	p, err := consumers.New(n.js, s, cfg, testLog(t), consumers.NewMetrics(reg))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var runErr error
	wg.Add(1)
	go func() { defer wg.Done(); runErr = p.Run(ctx) }()
	waitCaughtUp(t, n, cfg.Durable)
	cancel()
	wg.Wait()
	if runErr != nil {
		t.Fatalf("projector: %v", runErr)
	}
	return reg
}
