package bench

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/simulate"
	"github.com/baocao/baocao/store"
)

// message is one simulated event as a producer sends it.
type message struct {
	subject, id string
	data        []byte
}

// province is the simulated province every phase uses: Hải Phòng's shape
// (simulate.DefaultConfig) from 2026 on, with no duplicate deliveries, so
// that the number of events published is the number a projection must
// hold. Late and out-of-order deliveries stay, as in life.
func province(dossiersPerDay int) simulate.Config {
	cfg := simulate.DefaultConfig()
	cfg.From, cfg.To = events.NewDate(2026, 1, 1), events.NewDate(2026, 12, 31)
	cfg.DossiersPerDay = dossiersPerDay
	cfg.DuplicateRate = 0
	return cfg
}

var errEnough = errors.New("enough events")

// simulateEvents calls emit with the province's events until it has had n
// (all of them when n is 0).
func simulateEvents(ctx context.Context, cfg simulate.Config, n int, emit func(events.Event) error) error {
	count := 0
	_, err := simulate.Run(ctx, cfg, func(e events.Event) error {
		if n > 0 && count == n {
			return errEnough
		}
		count++
		return emit(e)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// makeMessages simulates n events and encodes them as the producers do.
// The seed picks the events; another seed gives other ids.
func makeMessages(ctx context.Context, n int, prefix string, seed int64) ([]message, error) {
	out := make([]message, 0, n)
	cfg := province(2000)
	cfg.Seed = seed
	err := simulateEvents(ctx, cfg, n, func(e events.Event) error {
		if e.SchemaVersion == 0 {
			e.SchemaVersion = events.CurrentVersion(e.Type)
		}
		data, err := json.Marshal(e)
		if err != nil {
			return err
		}
		out = append(out, message{subject: events.Subject(prefix, &e), id: e.ID, data: data})
		return nil
	})
	return out, err
}

// rows decodes the messages into the rows the projector inserts, numbered
// as a stream would.
func rows(msgs []message) ([]store.EventRow, error) {
	out := make([]store.EventRow, 0, len(msgs))
	now := time.Now()
	for i, m := range msgs {
		e, err := events.Decode(m.data, now)
		if err != nil {
			return nil, err
		}
		r, err := store.RowFromEvent(e, uint64(i+1), now)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// meanSize is the mean size of the messages' data in bytes.
func meanSize(msgs []message) int {
	if len(msgs) == 0 {
		return 0
	}
	total := 0
	for _, m := range msgs {
		total += len(m.data)
	}
	return total / len(msgs)
}
