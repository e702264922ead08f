package stream

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// HasState reports whether info holds the consumer's state. Right after a
// consumer is created on a JetStream cluster, a server that has been
// assigned it but has not started it yet answers an info request with the
// consumer's configuration, a zero state (nothing delivered, nothing
// pending) and no cluster information (nats-server's jetstream_api.go:
// "return our config and defaults for state and no cluster info"). Read as
// it is, a new consumer on a full stream looks caught up. A running
// consumer's answer names its leader, on a single server too.
func HasState(info *jetstream.ConsumerInfo) bool {
	return info != nil && info.Cluster != nil && info.Cluster.Leader != ""
}

// ConsumerState asks for c's info until the answer holds its state
// (HasState), for up to 10 s: a consumer just created gets a leader within
// a second or two.
func ConsumerState(ctx context.Context, c jetstream.Consumer) (*jetstream.ConsumerInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		info, err := c.Info(ctx)
		if err != nil {
			return nil, err
		}
		if HasState(info) {
			return info, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("consumer %s has no leader yet: %w", info.Name, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
