package main

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/ingest"
)

// ingestMaxPending is the intake's window of unacknowledged publishes: a
// batch of up to ingest.DefaultMaxEvents is in flight at once.
const ingestMaxPending = ingest.DefaultMaxEvents

// openIntake is POST /v1/events publishing through js, the ingest
// identity's connection.
func openIntake(js jetstream.JetStream, sc stream.Config, reg prometheus.Registerer, log *slog.Logger) (*ingest.Intake, error) {
	return ingest.New(ingest.Config{JS: js, Stream: sc, Registry: reg, Log: log.With("component", "ingest")})
}

// closeIntake waits a little for publishes still in flight once the HTTP
// server has stopped.
func closeIntake(in *ingest.Intake, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := in.Close(ctx); err != nil {
		log.Warn("ingest: publishes in flight at stop", "err", err)
	}
}

// httpHandler is in as a handler, nil when there is none.
func httpHandler(in *ingest.Intake) http.Handler {
	if in == nil {
		return nil
	}
	return in
}
