package simulate

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/segmentio/ksuid"
)

// delivery turns the generated events, which arrive in the order they
// happened, into a feed as an agency's system delivers it: each event is
// recorded a moment after it happens (a few are recorded hours or days
// later: late), some overtake their neighbours (reordered), some are sent
// again later (duplicates, the same bytes). It also gives each event its id.
//
// Memory is bounded by what is held back: late events for at most lateMax,
// duplicates for at most dupMax, reordered ones for a few events.
type delivery struct {
	rng               *rand.Rand
	dupRate, lateRate float64
	reorderRate       float64
	end               time.Time // nothing is recorded after the end of the range
	clock             time.Time // the latest recorded_at delivered in order
	held              heldHeap  // late events and second deliveries, by delivery time
	overtaken         []overtaken
	emit              func(events.Event) error
	stats             *Stats
	// High-water marks of what is held back: memory stays bounded.
	maxHeld, maxOvertaken int
}

// overtaken is a reordered event waiting for n more events to pass it.
type overtaken struct {
	h heldEvent
	n int
}

const (
	lateMin    = time.Hour
	lateMax    = 72 * time.Hour
	dupMax     = 2 * time.Hour
	reorderMax = 8 // events a reordered one lets pass
)

func newDelivery(cfg Config, rng *rand.Rand, end time.Time, emit func(events.Event) error, stats *Stats) *delivery {
	return &delivery{
		rng: rng, dupRate: cfg.DuplicateRate, lateRate: cfg.LateRate, reorderRate: cfg.ReorderRate,
		end: end, emit: emit, stats: stats,
	}
}

// logUniform draws a duration between lo and hi, short ones more often.
func logUniform(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return time.Duration(float64(lo) * math.Exp(r.Float64()*math.Log(float64(hi)/float64(lo))))
}

// send takes the next event in the order of occurrence.
func (d *delivery) send(e events.Event) error {
	r := d.rng
	late := r.Float64() < d.lateRate
	var rec time.Time
	if late {
		rec = e.OccurredAt.Add(logUniform(r, lateMin, lateMax))
	} else {
		rec = e.OccurredAt.Add(logUniform(r, 50*time.Millisecond, 20*time.Second))
	}
	e.RecordedAt = minTime(rec, d.end).Truncate(time.Millisecond)
	e.ID = d.newID(e.RecordedAt)
	again := r.Float64() < d.dupRate
	reorder := !late && r.Float64() < d.reorderRate
	if late {
		d.held.add(heldEvent{at: e.RecordedAt, e: e, late: true, again: again})
		d.maxHeld = max(d.maxHeld, d.held.len())
		return nil
	}
	// What was held back until now goes first.
	for d.held.len() > 0 && !d.held.h[0].at.After(e.RecordedAt) {
		if err := d.deliver(d.held.pop()); err != nil {
			return err
		}
	}
	if d.clock.Before(e.RecordedAt) {
		d.clock = e.RecordedAt
	}
	if reorder {
		d.overtaken = append(d.overtaken, overtaken{h: heldEvent{e: e, reordered: true, again: again}, n: 1 + r.IntN(reorderMax)})
		d.maxOvertaken = max(d.maxOvertaken, len(d.overtaken))
		return nil
	}
	return d.deliver(heldEvent{e: e, again: again})
}

func (d *delivery) newID(t time.Time) string {
	var b [16]byte
	u1, u2 := d.rng.Uint64(), d.rng.Uint64()
	for i := range 8 {
		b[i], b[8+i] = byte(u1>>(8*i)), byte(u2>>(8*i))
	}
	id, err := ksuid.FromParts(t, b[:])
	if err != nil { // unreachable: Validate keeps the range inside ksuid's epoch
		panic(err)
	}
	return id.String()
}

// deliver emits one event, then releases the reordered events it passed.
func (d *delivery) deliver(h heldEvent) error {
	if err := d.out(h); err != nil {
		return err
	}
	// Released in place: out never adds to overtaken.
	n := 0
	for _, o := range d.overtaken {
		if o.n--; o.n > 0 {
			d.overtaken[n] = o
			n++
			continue
		}
		if err := d.out(o.h); err != nil {
			return err
		}
	}
	clear(d.overtaken[n:])
	d.overtaken = d.overtaken[:n]
	return nil
}

// out emits one delivery and, for an event to be delivered twice, holds
// its second delivery for a while after this one.
func (d *delivery) out(h heldEvent) error {
	switch {
	case h.dup:
		d.stats.Duplicates++
	case h.late:
		d.stats.Late++
	case h.reordered:
		d.stats.Reordered++
	}
	d.stats.Events++
	d.stats.ByType[h.e.Type]++
	if h.again {
		after := d.clock
		if after.Before(h.e.RecordedAt) {
			after = h.e.RecordedAt
		}
		again := after.Add(logUniform(d.rng, time.Second, dupMax))
		d.held.add(heldEvent{at: minTime(again, d.end), e: h.e, dup: true})
		d.maxHeld = max(d.maxHeld, d.held.len())
	}
	return d.emit(h.e)
}

// flush delivers everything still held, at the end of the range.
func (d *delivery) flush() error {
	for _, o := range d.overtaken {
		if err := d.out(o.h); err != nil {
			return err
		}
	}
	d.overtaken = nil
	for d.held.len() > 0 {
		if err := d.out(d.held.pop()); err != nil {
			return err
		}
	}
	return nil
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

type heldEvent struct {
	at    time.Time
	seq   uint64
	e     events.Event
	again bool // deliver a second time later
	// How this delivery came about, for the stats.
	dup, late, reordered bool
}

func (h *heldEvent) before(o *heldEvent) bool {
	return h.at.Before(o.at) || h.at.Equal(o.at) && h.seq < o.seq
}

// heldHeap orders held events by delivery time, then by the order they were
// held.
type heldHeap struct {
	minHeap[heldEvent, *heldEvent]
	seq uint64
}

func (q *heldHeap) add(h heldEvent) {
	q.seq++
	h.seq = q.seq
	q.push(h)
}
