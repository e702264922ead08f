package main

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// openingStore is the store "up" keeps trying to open and migrate in the
// background when it cannot at start — a chDB folder it may not write, a
// full disk, a server down — so that NATS and HTTP come up anyway and
// /healthz says why. Until it is open every call fails with
// store.ErrUnavailable and the reason, which the projector retries.
type openingStore struct {
	deferred
	mu     sync.Mutex
	st     store.Store
	err    error
	cancel context.CancelFunc
	done   chan struct{}
}

var _ store.Store = (*openingStore)(nil)

// openInBackground retries o's open and migrations after firstErr, with
// backoff from 1 s to 30 s, until they pass or Close is called. st is the
// engine if it opened and only the migrations failed: it is kept across
// attempts (chDB opens one folder per process).
func (o *storeOptions) openInBackground(st store.Store, firstErr error, log *slog.Logger) *openingStore {
	ctx, cancel := context.WithCancel(context.Background())
	s := &openingStore{err: firstErr, cancel: cancel, done: make(chan struct{})}
	s.deferred = deferred{func(context.Context) (store.Store, error) { return s.get() }}
	log = log.With("component", "store")
	log.Error("cannot open the store; retrying in the background, NATS and HTTP stay up", "err", firstErr)
	go func() {
		defer close(s.done)
		delay, logged := time.Second, time.Now()
		for {
			sleep(ctx, delay)
			if ctx.Err() != nil {
				if st != nil {
					st.Close()
				}
				return
			}
			delay = min(2*delay, 30*time.Second)
			var err error
			if st == nil {
				st, err = o.open(ctx)
			}
			if err == nil {
				_, err = schema.Migrate(ctx, st, o.db)
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

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func (s *openingStore) get() (store.Store, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st == nil {
		return nil, fmt.Errorf("%w: not open: %w", store.ErrUnavailable, s.err)
	}
	return s.st, nil
}

// Close stops the attempts and closes the store if it was opened.
func (s *openingStore) Close() error {
	s.cancel()
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st != nil {
		return s.st.Close()
	}
	return nil
}

// openingAnalyst is the analysts' store beside an openingStore: it is opened
// on first use once the store is, and until then every call fails with
// store.ErrUnavailable, as the store's own calls do.
type openingAnalyst struct {
	deferred
	base    *openingStore
	openFor func(context.Context, store.Store) (store.Store, error) // analystOptions.open
	mu      sync.Mutex
	an      store.Store
}

var _ store.Store = (*openingAnalyst)(nil)

func (a *openingAnalyst) open(ctx context.Context) (store.Store, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.an != nil {
		return a.an, nil
	}
	st, err := a.base.get()
	if err != nil {
		return nil, err
	}
	if a.an, err = a.openFor(ctx, st); err != nil {
		return nil, fmt.Errorf("%w: analysts' store: %w", store.ErrUnavailable, err)
	}
	return a.an, nil
}

// Close closes the analysts' store if it was opened; the base store is
// closed by its owner.
func (a *openingAnalyst) Close() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.an == nil {
		return nil
	}
	return a.an.Close()
}

// deferred forwards every call to the store get returns, or fails with
// get's error.
type deferred struct {
	get func(context.Context) (store.Store, error)
}

func (d deferred) Exec(ctx context.Context, query string) error {
	st, err := d.get(ctx)
	if err != nil {
		return err
	}
	return st.Exec(ctx, query)
}

func (d deferred) Query(ctx context.Context, query string) (*store.Result, error) {
	st, err := d.get(ctx)
	if err != nil {
		return nil, err
	}
	return st.Query(ctx, query)
}

func (d deferred) InsertEvents(ctx context.Context, db string, rows []store.EventRow) error {
	st, err := d.get(ctx)
	if err != nil {
		return err
	}
	return st.InsertEvents(ctx, db, rows)
}

func (d deferred) InsertDeadLetters(ctx context.Context, db string, rows []store.DeadLetter) error {
	st, err := d.get(ctx)
	if err != nil {
		return err
	}
	return st.InsertDeadLetters(ctx, db, rows)
}

func (d deferred) Engine(ctx context.Context) (string, error) {
	st, err := d.get(ctx)
	if err != nil {
		return "", err
	}
	return st.Engine(ctx)
}

// QueryStream forwards to the store's streaming path (store.QueryStream).
func (d deferred) QueryStream(ctx context.Context, query string, w store.RowWriter) error {
	st, err := d.get(ctx)
	if err != nil {
		return err
	}
	return store.QueryStream(ctx, st, query, w)
}
