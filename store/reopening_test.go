package store_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baocao/baocao/store"
)

// fakeStore answers Engine with its name and counts Close.
type fakeStore struct {
	name   string
	closed atomic.Int32
}

func (f *fakeStore) Exec(context.Context, string) error { return nil }
func (f *fakeStore) Query(context.Context, string) (*store.Result, error) {
	return &store.Result{Columns: []string{"x"}, Rows: [][]string{{f.name}}}, nil
}
func (f *fakeStore) InsertEvents(context.Context, string, []store.EventRow) error { return nil }
func (f *fakeStore) InsertDeadLetters(context.Context, string, []store.DeadLetter) error {
	return nil
}
func (f *fakeStore) Engine(context.Context) (string, error) { return f.name, nil }
func (f *fakeStore) Close() error                           { f.closed.Add(1); return nil }

// A store that cannot open at first answers ErrUnavailable with the reason,
// then works once the engine opens and the migrations pass; the store
// beside it opens on first use after that; Close closes what was opened.
func TestReopening(t *testing.T) {
	ctx := context.Background()
	engine, analyst := &fakeStore{name: "engine"}, &fakeStore{name: "analyst"}
	var opens, prepares atomic.Int32
	open := func(context.Context) (store.Store, error) {
		if opens.Add(1) == 1 {
			return nil, errors.New("disk full")
		}
		return engine, nil
	}
	prepare := func(context.Context, store.Store) error {
		if prepares.Add(1) == 1 {
			return errors.New("migration 0003 failed")
		}
		return nil
	}
	s := store.OpenInBackground(open, prepare, nil, errors.New("first: folder not writable"), slog.New(slog.NewTextHandler(io.Discard, nil)))
	beside := s.Beside(func(_ context.Context, base store.Store) (store.Store, error) {
		if base != engine {
			t.Errorf("beside opened from %v, want the engine", base)
		}
		return analyst, nil
	})

	if _, err := s.Engine(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("before opening: %v, want ErrUnavailable", err)
	}
	if _, err := beside.Engine(ctx); !errors.Is(err, store.ErrUnavailable) {
		t.Fatalf("beside, before opening: %v, want ErrUnavailable", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		name, err := s.Engine(ctx)
		if err == nil && name == "engine" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not open after 30s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if opens.Load() != 2 || prepares.Load() != 2 {
		t.Errorf("opened %d times, prepared %d times; want 2 and 2 (the engine kept once open)", opens.Load(), prepares.Load())
	}
	if name, err := beside.Engine(ctx); err != nil || name != "analyst" {
		t.Errorf("beside: %q %v", name, err)
	}
	if err := beside.Close(); err != nil || analyst.closed.Load() != 1 || engine.closed.Load() != 0 {
		t.Errorf("closing beside closed analyst %d engine %d times (%v); want 1 and 0", analyst.closed.Load(), engine.closed.Load(), err)
	}
	if err := s.Close(); err != nil || engine.closed.Load() != 1 {
		t.Errorf("Close closed the engine %d times (%v), want 1", engine.closed.Load(), err)
	}
}
