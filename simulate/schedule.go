package simulate

import "github.com/baocao/baocao/events"

// actor is anything with events still to happen: an open dossier, a task, a
// feedback item, the batch of a decision. The schedule holds one entry per
// actor, keyed by the time of its next event, so its size is the number of
// open things, not the number of future events.
type actor interface {
	// fire returns the actor's next event and the time of the one after it,
	// or more=false when the actor is done. ok=false means the step turned
	// out to be moot (a forward to an agency merged meanwhile) and produced
	// nothing.
	fire(g *generator) (e events.Event, ok bool, next int64, more bool)
}

type entry struct {
	at  int64  // when the actor's next event happens (Unix seconds)
	seq uint64 // creation order: a deterministic tie-break
	a   actor
}

func (e *entry) before(o *entry) bool { return e.at < o.at || e.at == o.at && e.seq < o.seq }

// schedule orders the actors by the time of their next event.
type schedule struct {
	minHeap[entry, *entry]
	seq uint64
	max int // the largest size reached
}

func (s *schedule) add(at int64, a actor) {
	s.seq++
	s.push(entry{at: at, seq: s.seq, a: a})
	s.max = max(s.max, len(s.h))
}

// peek is the time of the earliest entry; ok is false when empty.
func (s *schedule) peek() (int64, bool) {
	if len(s.h) == 0 {
		return 0, false
	}
	return s.h[0].at, true
}

// reschedule moves the earliest entry to the later time at.
func (s *schedule) reschedule(at int64) {
	s.h[0].at = at
	s.down(0)
}

// script is an actor whose events are all known when it starts: a task, a
// feedback item, a decision. Events are in time order.
type script struct {
	evs []events.Event
	i   int
}

func (s *script) fire(g *generator) (events.Event, bool, int64, bool) {
	e := s.evs[s.i]
	s.evs[s.i] = events.Event{} // let the payload go
	s.i++
	// The agency that emits may have been merged since the script was
	// written: its successor carries on.
	e.Agency = g.dir.currentCode(e.Agency)
	if s.i == len(s.evs) {
		return e, true, 0, false
	}
	return e, true, s.evs[s.i].OccurredAt.Unix(), true
}
