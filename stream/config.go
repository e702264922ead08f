package stream

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
)

// Config describes the events stream.
type Config struct {
	// Name of the stream.
	Name string `yaml:"name"`
	// Prefix of event subjects; the stream captures "<Prefix>.>".
	Prefix string `yaml:"prefix"`
	// Replicas is 1 on a single server, 3 in a cluster.
	Replicas int `yaml:"replicas"`
	// DuplicateWindow is how long JetStream remembers event ids to drop a
	// re-published event. The server keeps ~200 bytes per id in the window:
	// 2 minutes at 10,000 events/s is 1.2M ids, about 240 MB.
	DuplicateWindow time.Duration `yaml:"duplicate_window"`
	// MaxAge of events; 0 keeps them forever so projections can be rebuilt
	// from the start.
	MaxAge time.Duration `yaml:"max_age"`
	// MaxBytes caps the stream's size; -1 is unlimited. When set, new events
	// are refused rather than old ones discarded: history is never lost
	// silently.
	MaxBytes int64 `yaml:"max_bytes"`
	// Compress stores events S2-compressed: about a third of the disk for
	// JSON events, for some CPU.
	Compress bool `yaml:"compress"`
}

// DefaultConfig returns the settings used when nothing is configured.
func DefaultConfig() Config {
	return Config{
		Name:            "BAOCAO_EVENTS",
		Prefix:          events.DefaultPrefix,
		Replicas:        1,
		DuplicateWindow: 2 * time.Minute,
		MaxBytes:        -1,
	}
}

// Validate names the first setting that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.Name == "" || strings.ContainsAny(c.Name, " .*>\t\n") {
		errs = append(errs, fmt.Errorf("stream name %q: want a non-empty name without spaces, '.', '*' or '>'", c.Name))
	}
	if c.Prefix == "" || strings.ContainsAny(c.Prefix, " *>\t\n") || strings.HasPrefix(c.Prefix, ".") || strings.HasSuffix(c.Prefix, ".") || strings.Contains(c.Prefix, "..") {
		errs = append(errs, fmt.Errorf("subject prefix %q: want dot-separated tokens without spaces or wildcards", c.Prefix))
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("replicas %d: want 1 to 5", c.Replicas))
	}
	if c.DuplicateWindow < time.Second {
		errs = append(errs, fmt.Errorf("duplicate window %v: want at least 1s", c.DuplicateWindow))
	}
	if c.MaxAge != 0 && c.MaxAge < c.DuplicateWindow {
		errs = append(errs, fmt.Errorf("max age %v: want 0 (forever) or at least the duplicate window %v", c.MaxAge, c.DuplicateWindow))
	}
	if c.MaxBytes == 0 || c.MaxBytes < -1 {
		errs = append(errs, fmt.Errorf("max bytes %d: want -1 (unlimited) or a positive size", c.MaxBytes))
	}
	return errors.Join(errs...)
}

// DeadLetterStreamConfig is the stream of events the projector could not
// accept: kept like the events, under <name>_DEADLETTER on
// deadletter.<prefix>.>, outside the events' subjects.
func (c Config) DeadLetterStreamConfig() jetstream.StreamConfig {
	sc := c.StreamConfig()
	sc.Name = c.Name + "_DEADLETTER"
	sc.Description = "baocao dead letters: events the projector could not accept, with the reason"
	sc.Subjects = []string{c.DeadLetterPrefix() + ".>"}
	sc.MaxMsgSize = 2 * sc.MaxMsgSize // the original message may itself exceed the event limit
	return sc
}

// Following is c with the settings "baocao streams" sets (replicas,
// duplicate window, max age, max bytes, compression) taken from the events
// stream as it is: a process that provisions the dead-letter stream with its
// own defaults (the projector) then keeps it like the events, instead of
// moving an R3 dead-letter stream back to R1.
func (c Config) Following(events jetstream.StreamConfig) Config {
	c.Replicas = max(events.Replicas, 1)
	c.DuplicateWindow = events.Duplicates
	c.MaxAge = events.MaxAge
	c.MaxBytes = events.MaxBytes
	c.Compress = events.Compression == jetstream.S2Compression
	return c
}

// DeadLetterPrefix is the subject prefix of dead letters.
func (c Config) DeadLetterPrefix() string { return "deadletter." + c.Prefix }

// Subjects is the subject filter of the stream.
func (c Config) Subjects() string { return c.Prefix + ".>" }

// StreamConfig is the JetStream configuration for c.
func (c Config) StreamConfig() jetstream.StreamConfig {
	comp := jetstream.NoCompression
	if c.Compress {
		comp = jetstream.S2Compression
	}
	return jetstream.StreamConfig{
		Name:        c.Name,
		Description: "baocao events: the system of record; ClickHouse projections are rebuilt from it",
		Subjects:    []string{c.Subjects()},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		Replicas:    c.Replicas,
		Duplicates:  c.DuplicateWindow,
		MaxAge:      c.MaxAge,
		MaxBytes:    c.MaxBytes,
		MaxMsgs:     -1,
		// No per-subject limit: a subject is one agency's events of one type,
		// and every one of them counts in the reports.
		MaxMsgsPerSubject: -1,
		Discard:           jetstream.DiscardNew,
		MaxMsgSize:        events.MaxEventBytes + 4<<10, // the event plus its headers
		// The record may only grow: nobody deletes or purges events.
		DenyDelete:  true,
		DenyPurge:   true,
		AllowRollup: false,
		Compression: comp,
		// Direct gets let readers fetch one event by sequence from any replica.
		AllowDirect: true,
	}
}
