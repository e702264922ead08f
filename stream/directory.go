package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
)

// ErrUnknownAgency: the stream of record has no agency.created event for
// the code.
var ErrUnknownAgency = errors.New("not in the agency directory")

// DirectoryEntry is what the stream of record says of one agency: the
// directory events are the agency's own subjects, so the last event of
// each type answers without a projection.
type DirectoryEntry struct {
	Code string
	Name string // the latest name: renamed, or as created
	// MergedInto is the absorbing agency's code once the agency was merged.
	MergedInto string
}

// LookupAgency reads the agency's directory events from the stream. It
// returns ErrUnknownAgency when the agency was never created.
func LookupAgency(ctx context.Context, js jetstream.JetStream, cfg Config, code string) (DirectoryEntry, error) {
	if err := events.ValidAgencyCode(code); err != nil {
		return DirectoryEntry{}, fmt.Errorf("agency code: %w", err)
	}
	s, err := js.Stream(ctx, cfg.Name)
	if err != nil {
		return DirectoryEntry{}, fmt.Errorf("stream %s: %w", cfg.Name, err)
	}
	entry := DirectoryEntry{Code: code}
	last := func(t events.Type, into any) (bool, error) {
		m, err := s.GetLastMsgForSubject(ctx, events.SubjectFor(cfg.Prefix, code, t))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read %s of %s: %w", t, code, err)
		}
		var w struct {
			Payload json.RawMessage `json:"payload"`
		}
		if err := json.Unmarshal(m.Data, &w); err != nil {
			return false, fmt.Errorf("%s of %s (sequence %d): %w", t, code, m.Sequence, err)
		}
		return true, json.Unmarshal(w.Payload, into)
	}
	var created events.AgencyCreated
	switch ok, err := last(events.TypeAgencyCreated, &created); {
	case err != nil:
		return DirectoryEntry{}, err
	case !ok:
		return DirectoryEntry{}, fmt.Errorf("agency %s: %w (no %s event on %s)", code, ErrUnknownAgency, events.TypeAgencyCreated, events.SubjectFor(cfg.Prefix, code, events.TypeAgencyCreated))
	}
	entry.Name = created.Name
	var renamed events.AgencyRenamed
	if ok, err := last(events.TypeAgencyRenamed, &renamed); err != nil {
		return DirectoryEntry{}, err
	} else if ok {
		entry.Name = renamed.Name
	}
	var merged events.AgencyMerged
	if ok, err := last(events.TypeAgencyMerged, &merged); err != nil {
		return DirectoryEntry{}, err
	} else if ok {
		entry.MergedInto = merged.Into
	}
	return entry, nil
}
