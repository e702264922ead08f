package stream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Action says what Provision did.
type Action string

const (
	Created   Action = "created"
	Updated   Action = "updated"
	Unchanged Action = "unchanged"
)

// Provision creates the events stream, or updates it to cfg. Running it twice
// is harmless: the second run reports Unchanged. Settings JetStream cannot
// change on a live stream (storage, retention) come back as an error naming
// them.
func Provision(ctx context.Context, js jetstream.JetStream, cfg Config) (jetstream.Stream, Action, []string, error) {
	if err := cfg.Validate(); err != nil {
		return nil, "", nil, fmt.Errorf("provision stream: %w", err)
	}
	return provision(ctx, js, cfg.StreamConfig())
}

// ProvisionDeadLetters creates or updates the dead-letter stream, like
// Provision.
func ProvisionDeadLetters(ctx context.Context, js jetstream.JetStream, cfg Config) (jetstream.Stream, Action, []string, error) {
	if err := cfg.Validate(); err != nil {
		return nil, "", nil, fmt.Errorf("provision dead-letter stream: %w", err)
	}
	return provision(ctx, js, cfg.DeadLetterStreamConfig())
}

// placementWait bounds how long provisioning waits for a cluster to be able
// to place the stream's replicas.
const placementWait = time.Minute

// provision creates the stream want or updates it to want; more names
// differences the settings diff does not look at (the national stream's
// sources). A cluster that cannot place the replicas yet — just formed, a
// server restarting, a leader being elected — is waited for, up to
// placementWait or ctx: "streams --replicas 3" run as the cluster comes up
// succeeds once it can, instead of failing the deployment.
func provision(ctx context.Context, js jetstream.JetStream, want jetstream.StreamConfig, more ...func(have, want jetstream.StreamConfig) []string) (jetstream.Stream, Action, []string, error) {
	deadline := time.Now().Add(placementWait)
	for {
		s, action, changes, err := provisionOnce(ctx, js, want, more...)
		if err == nil || !notPlacedYet(ctx, err) || time.Now().After(deadline) {
			return s, action, changes, err
		}
		select {
		case <-ctx.Done():
			return s, action, changes, err
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// notPlacedYet reports whether err says the cluster cannot place or answer
// for the stream for now: no server with room for a replica (10005, a peer
// offline), JetStream not ready (503), or no meta leader to answer (no
// responders, or the request timed out while ctx did not).
func notPlacedYet(ctx context.Context, err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode == jsClusterNoPeers || apiErr.Code == 503
	}
	return errors.Is(err, nats.ErrNoResponders) || errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil
}

// jsClusterNoPeers is JSClusterNoPeersErrF (nats-server's errors.json),
// which nats.go does not name.
const jsClusterNoPeers jetstream.ErrorCode = 10005

func provisionOnce(ctx context.Context, js jetstream.JetStream, want jetstream.StreamConfig, more ...func(have, want jetstream.StreamConfig) []string) (jetstream.Stream, Action, []string, error) {
	s, err := js.Stream(ctx, want.Name)
	switch {
	case errors.Is(err, jetstream.ErrStreamNotFound):
		s, err = js.CreateStream(ctx, want)
		if err != nil {
			return nil, "", nil, fmt.Errorf("create stream %s: %w", want.Name, err)
		}
		return s, Created, nil, nil
	case err != nil:
		return nil, "", nil, fmt.Errorf("look up stream %s: %w", want.Name, err)
	}
	changes := diff(s.CachedInfo().Config, want)
	for _, f := range more {
		changes = append(changes, f(s.CachedInfo().Config, want)...)
	}
	if len(changes) == 0 {
		return s, Unchanged, nil, nil
	}
	s, err = js.UpdateStream(ctx, want)
	if err != nil {
		return nil, "", changes, fmt.Errorf("update stream %s (%s): %w", want.Name, strings.Join(changes, "; "), err)
	}
	return s, Updated, changes, nil
}

// diff lists, readably, the settings of have that differ from want.
func diff(have, want jetstream.StreamConfig) []string {
	var out []string
	add := func(name string, a, b any) { out = append(out, fmt.Sprintf("%s %v → %v", name, a, b)) }
	if !slices.Equal(have.Subjects, want.Subjects) {
		add("subjects", have.Subjects, want.Subjects)
	}
	if have.Storage != want.Storage {
		add("storage", have.Storage, want.Storage)
	}
	if have.Retention != want.Retention {
		add("retention", have.Retention, want.Retention)
	}
	if have.Replicas != want.Replicas {
		add("replicas", have.Replicas, want.Replicas)
	}
	if have.Duplicates != want.Duplicates {
		add("duplicate window", have.Duplicates, want.Duplicates)
	}
	if have.MaxAge != want.MaxAge {
		add("max age", have.MaxAge, want.MaxAge)
	}
	if have.MaxBytes != want.MaxBytes {
		add("max bytes", have.MaxBytes, want.MaxBytes)
	}
	if have.MaxMsgSize != want.MaxMsgSize {
		add("max message size", have.MaxMsgSize, want.MaxMsgSize)
	}
	if have.Discard != want.Discard {
		add("discard", have.Discard, want.Discard)
	}
	if have.DenyDelete != want.DenyDelete || have.DenyPurge != want.DenyPurge {
		add("deny delete/purge", []bool{have.DenyDelete, have.DenyPurge}, []bool{want.DenyDelete, want.DenyPurge})
	}
	if have.Compression != want.Compression {
		add("compression", have.Compression, want.Compression)
	}
	if have.AllowDirect != want.AllowDirect {
		add("direct get", have.AllowDirect, want.AllowDirect)
	}
	if have.Description != want.Description {
		add("description", fmt.Sprintf("%q", have.Description), fmt.Sprintf("%q", want.Description))
	}
	return out
}
