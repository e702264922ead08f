package consumers

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// state is what Health reports, updated by the fetch loop, the inserter and
// watchLag.
type state struct {
	mu       sync.Mutex
	cons     jetstream.Consumer
	faults   map[string]*fault // by operation
	lag      uint64            // events not acked, at the last watchLag
	ackFloor uint64
	progress time.Time // the last ack here, or the ack floor moving
}

// fault is an operation failing since a time.
type fault struct {
	what     string
	since    time.Time
	attempts int
	err      error
	logged   time.Time
}

func (s *state) setConsumer(c jetstream.Consumer) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cons = c
}

func (s *state) consumer() jetstream.Consumer {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cons
}

func (s *state) fail(op, what string, err error) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[op]
	if f == nil {
		f = &fault{what: what, since: time.Now()}
		s.faults[op] = f
	}
	f.attempts++
	f.err = err
	return *f
}

func (s *state) logged(op string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f := s.faults[op]; f != nil {
		f.logged = time.Now()
	}
}

// recover ends op's fault and returns it (nil if there was none).
func (s *state) recover(op string) *fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.faults[op]
	delete(s.faults, op)
	return f
}

func (s *state) progressed() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.progress = time.Now()
}

// observe records the consumer's lag and ack floor: a moving floor is
// progress even when another process made it, and no lag is no stall.
func (s *state) observe(lag, ackFloor uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ackFloor != s.ackFloor || lag == 0 {
		s.progress = time.Now()
	}
	s.lag, s.ackFloor = lag, ackFloor
}

func (s *state) health(stallAfter time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []string
	ops := make([]string, 0, len(s.faults))
	for op := range s.faults {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		f := s.faults[op]
		errs = append(errs, fmt.Sprintf("%s failing since %s (%d attempts): %v", f.what, f.since.Format(time.TimeOnly), f.attempts, f.err))
	}
	if len(errs) == 0 && s.lag > 0 && time.Since(s.progress) > stallAfter {
		errs = append(errs, fmt.Sprintf("stalled: %d events waiting, nothing acked since %s", s.lag, s.progress.Format(time.TimeOnly)))
	}
	if len(errs) == 0 {
		return nil
	}
	return errors.New(strings.Join(errs, "; "))
}
