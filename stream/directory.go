package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
)

// ErrUnknownAgency: the stream of record has no agency.created event for
// the code.
var ErrUnknownAgency = errors.New("not in the agency directory")

// DirectoryEntry is what the stream of record says of one agency.
type DirectoryEntry struct {
	Code string
	Name string // the latest name: renamed, or as created
	// MergedInto is the absorbing agency's code once the agency was merged.
	MergedInto string
}

// LookupAgency reads the agency's directory events (agency.*, whose
// subject_id is the agency's code, published by whichever agency keeps the
// directory) from the stream, in stream order. It returns
// ErrUnknownAgency when the agency was never created. The server filters
// the directory's subjects, so the read is as long as the directory, not
// the stream.
func LookupAgency(ctx context.Context, js jetstream.JetStream, cfg Config, code string) (DirectoryEntry, error) {
	if err := events.ValidAgencyCode(code); err != nil {
		return DirectoryEntry{}, fmt.Errorf("agency code: %w", err)
	}
	filter := cfg.Prefix + ".*.agency.>"
	cons, err := js.OrderedConsumer(ctx, cfg.Name, jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}})
	if err != nil {
		return DirectoryEntry{}, fmt.Errorf("read the directory (%s) of stream %s: %w", filter, cfg.Name, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return DirectoryEntry{}, fmt.Errorf("read the directory (%s) of stream %s: %w", filter, cfg.Name, err)
	}
	entry, created := DirectoryEntry{Code: code}, false
	for left := info.NumPending; left > 0; {
		batch, err := cons.Fetch(int(min(left, 1000)), jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			return DirectoryEntry{}, fmt.Errorf("read the directory: %w", err)
		}
		n := 0
		for m := range batch.Messages() {
			n++
			var e struct {
				Type      events.Type     `json:"type"`
				SubjectID string          `json:"subject_id"`
				Payload   json.RawMessage `json:"payload"`
			}
			if json.Unmarshal(m.Data(), &e) != nil || e.SubjectID != code {
				continue // the projector dead-letters what does not decode
			}
			switch e.Type {
			case events.TypeAgencyCreated:
				var p events.AgencyCreated
				if json.Unmarshal(e.Payload, &p) == nil {
					entry.Name, created = p.Name, true
				}
			case events.TypeAgencyRenamed:
				var p events.AgencyRenamed
				if json.Unmarshal(e.Payload, &p) == nil {
					entry.Name = p.Name
				}
			case events.TypeAgencyMerged:
				var p events.AgencyMerged
				if json.Unmarshal(e.Payload, &p) == nil {
					entry.MergedInto = p.Into
				}
			}
		}
		if err := batch.Error(); err != nil {
			return DirectoryEntry{}, fmt.Errorf("read the directory: %w", err)
		}
		if n == 0 {
			return DirectoryEntry{}, fmt.Errorf("read the directory: %d events left but none delivered in 5s", left)
		}
		left -= uint64(n)
	}
	if !created {
		return DirectoryEntry{}, fmt.Errorf("agency %s: %w (no %s event with subject_id %s on %s)", code, ErrUnknownAgency, events.TypeAgencyCreated, code, filter)
	}
	return entry, nil
}
