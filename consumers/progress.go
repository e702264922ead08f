package consumers

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"
)

// Progress is how far the projections are with the stream.
type Progress struct {
	// StreamSeq is the stream's last sequence when it was read.
	StreamSeq uint64
	// Behind counts the events up to StreamSeq the projector has not
	// acknowledged yet; 0 means the projections hold every one of them.
	Behind uint64
}

// ReadProgress reads the stream's last sequence S, then the state of the
// projector's durable consumer. The projector acks an event only once
// ClickHouse has its row (or the dead-letter table has it), so the
// projections hold every event up to S when the consumer's ack floor has
// reached S. The ack floor is the server's, shared by every projector on
// the durable, and it stops below the oldest delivery any of them still
// holds: it is right with several projectors, and it keeps moving while
// agencies publish. "Nothing pending and nothing unacknowledged", observed
// after S was read, is sound as well but may never be seen on a busy
// stream; it is kept as the second test, with "and delivered up to S": on a
// cluster, a consumer just created is answered for, for a moment, by
// servers assigned it but not running it yet, with a zero state (nothing
// delivered, nothing pending), which must not read as caught up.
func ReadProgress(ctx context.Context, js jetstream.JetStream, streamName, durable string) (Progress, error) {
	s, err := js.Stream(ctx, streamName)
	if err != nil {
		return Progress{}, fmt.Errorf("stream %s: %w", streamName, err)
	}
	si, err := s.Info(ctx)
	if err != nil {
		return Progress{}, fmt.Errorf("stream %s: %w", streamName, err)
	}
	p := Progress{StreamSeq: si.State.LastSeq}
	if si.State.Msgs == 0 {
		return p, nil
	}
	c, err := s.Consumer(ctx, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		p.Behind = si.State.Msgs // no projector has started under that name
		return p, nil
	}
	if err != nil {
		return Progress{}, fmt.Errorf("consumer %s: %w", durable, err)
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return Progress{}, fmt.Errorf("consumer %s: %w", durable, err)
	}
	if ci.AckFloor.Stream >= p.StreamSeq || (ci.NumPending == 0 && ci.NumAckPending == 0 && ci.Delivered.Stream >= p.StreamSeq) {
		return p, nil
	}
	p.Behind = ci.NumPending + uint64(ci.NumAckPending)
	if p.Behind == 0 || p.Behind > p.StreamSeq-ci.AckFloor.Stream {
		p.Behind = p.StreamSeq - ci.AckFloor.Stream
	}
	return p, nil
}
