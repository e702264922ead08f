package store

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Reopening is a store that keeps trying to open itself in the background
// — a chDB folder it may not write, a full disk, a server down — so that a
// process ("baocao up") serves NATS and HTTP anyway and its health check
// says why. Until it is open every call fails with ErrUnavailable and the
// reason, which the projector retries.
type Reopening struct {
	forward
	mu     sync.Mutex
	st     Store
	err    error
	cancel context.CancelFunc
	done   chan struct{}
}

var _ Store = (*Reopening)(nil)

// OpenInBackground retries open and then prepare (the migrations) after
// firstErr, with backoff from 1 s to 30 s, until both pass or Close is
// called. st is the engine if it opened and only prepare failed: it is
// kept across attempts (chDB opens one folder per process).
func OpenInBackground(open func(context.Context) (Store, error), prepare func(context.Context, Store) error, st Store, firstErr error, log *slog.Logger) *Reopening {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Reopening{err: firstErr, cancel: cancel, done: make(chan struct{})}
	s.forward = forward{func(context.Context) (Store, error) { return s.Current() }}
	log = log.With("component", "store")
	log.Error("cannot open the store; retrying in the background", "err", firstErr)
	go func() {
		defer close(s.done)
		delay, logged := time.Second, time.Now()
		for {
			wait(ctx, delay)
			if ctx.Err() != nil {
				if st != nil {
					st.Close()
				}
				return
			}
			delay = min(2*delay, 30*time.Second)
			var err error
			if st == nil {
				st, err = open(ctx)
			}
			if err == nil {
				err = prepare(ctx, st)
			}
			s.mu.Lock()
			if err == nil {
				s.st, s.err = st, nil
			} else {
				s.err = err
			}
			s.mu.Unlock()
			if err == nil {
				log.Info("store open")
				return
			}
			if time.Since(logged) >= time.Minute {
				log.Error("cannot open the store; retrying", "err", err)
				logged = time.Now()
			}
		}
	}()
	return s
}

func wait(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// Current is the store once open, or ErrUnavailable with the last reason.
func (s *Reopening) Current() (Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, fmt.Errorf("%w: not open: %w", ErrUnavailable, s.err)
	}
	return s.st, nil
}

// Close stops the attempts and closes the store if it was opened.
func (s *Reopening) Close() error {
	s.cancel()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil {
		return s.st.Close()
	}
	return nil
}

// Beside is a store opened from s by open (the analysts' store beside the
// projector's) on first use once s is open; until then every call fails
// with ErrUnavailable, as s's own calls do. Closing it closes only what
// open returned.
func (s *Reopening) Beside(open func(context.Context, Store) (Store, error)) Store {
	b := &beside{base: s, openFor: open}
	b.forward = forward{b.open}
	return b
}

type beside struct {
	forward
	base    *Reopening
	openFor func(context.Context, Store) (Store, error)
	mu      sync.Mutex
	st      Store
}

func (b *beside) open(ctx context.Context) (Store, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.st != nil {
		return b.st, nil
	}
	base, err := b.base.Current()
	if err != nil {
		return nil, err
	}
	if b.st, err = b.openFor(ctx, base); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, err)
	}
	return b.st, nil
}

func (b *beside) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.st == nil {
		return nil
	}
	return b.st.Close()
}

// forward sends every call to the store get returns, or fails with get's
// error.
type forward struct {
	get func(context.Context) (Store, error)
}

func (f forward) Exec(ctx context.Context, query string) error {
	st, err := f.get(ctx)
	if err != nil {
		return err
	}
	return st.Exec(ctx, query)
}

func (f forward) Query(ctx context.Context, query string) (*Result, error) {
	st, err := f.get(ctx)
	if err != nil {
		return nil, err
	}
	return st.Query(ctx, query)
}

func (f forward) InsertEvents(ctx context.Context, db string, rows []EventRow) error {
	st, err := f.get(ctx)
	if err != nil {
		return err
	}
	return st.InsertEvents(ctx, db, rows)
}

func (f forward) InsertDeadLetters(ctx context.Context, db string, rows []DeadLetter) error {
	st, err := f.get(ctx)
	if err != nil {
		return err
	}
	return st.InsertDeadLetters(ctx, db, rows)
}

func (f forward) Engine(ctx context.Context) (string, error) {
	st, err := f.get(ctx)
	if err != nil {
		return "", err
	}
	return st.Engine(ctx)
}

// QueryStream forwards to the store's streaming path (QueryStream).
func (f forward) QueryStream(ctx context.Context, query string, w RowWriter) error {
	st, err := f.get(ctx)
	if err != nil {
		return err
	}
	return QueryStream(ctx, st, query, w)
}
