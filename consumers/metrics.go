package consumers

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the projector's Prometheus metrics, registered on the registry
// given (never the global one).
type Metrics struct {
	events          prometheus.Counter
	deadLetters     prometheus.Counter
	batches         prometheus.Histogram
	insert          prometheus.Histogram
	failures        *prometheus.CounterVec
	fault           *prometheus.GaugeVec
	consumerCreated prometheus.Counter
	lastInsert      prometheus.Gauge
	lag             prometheus.Gauge
	ackPending      prometheus.Gauge
	// events whose id already named another body (consumers/identity.go)
	conflicts           prometheus.Counter
	conflictsOutOfOrder prometheus.Counter
}

// NewMetrics creates the metrics and registers them on reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		events: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baocao_projector_events_total", Help: "Events inserted into ClickHouse (re-deliveries included)."}),
		deadLetters: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baocao_projector_dead_letters_total", Help: "Events sent to the dead-letter stream and table."}),
		batches: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "baocao_projector_batch_events", Help: "Events per inserted batch.",
			Buckets: prometheus.ExponentialBuckets(1, 4, 9)}),
		insert: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "baocao_projector_batch_seconds", Help: "Time to decode, insert and ack one batch.",
			Buckets: prometheus.ExponentialBuckets(0.001, 3, 12)}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baocao_projector_failures_total", Help: "Failed attempts, each retried, by operation: insert (events, dead letters), dead_letter_publish, consumer (finding the stream, creating the consumer), fetch."}, []string{"op"}),
		fault: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "baocao_projector_fault", Help: "1 while the operation is failing (retried until it passes; /healthz says why), else 0."}, []string{"op"}),
		consumerCreated: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baocao_projector_consumer_created_total", Help: "Times the durable consumer was created or bound: 1 at start, one more each time it had been deleted."}),
		lastInsert: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "baocao_projector_last_insert_timestamp_seconds", Help: "Unix time of the last successful insert: a stall shows as a growing gap."}),
		lag: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "baocao_projector_lag_events", Help: "Events in the stream not yet acked by the projectors: pending delivery, or delivered and not acked."}),
		ackPending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "baocao_projector_ack_pending_events", Help: "Events delivered and not yet acked."}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baocao_projector_conflicts_total",
			Help: "Events not projected because their id was first recorded with a different body (they are dead letters)."}),
		conflictsOutOfOrder: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baocao_projector_conflicts_out_of_order_total",
			Help: "Conflicts where the body kept came later in the stream than the one refused (projectors sharing the durable); a rebuild keeps the first."}),
	}
	if reg != nil {
		reg.MustRegister(m.events, m.deadLetters, m.batches, m.insert, m.failures, m.fault, m.consumerCreated, m.lastInsert, m.lag, m.ackPending,
			m.conflicts, m.conflictsOutOfOrder)
	}
	for _, op := range []string{"insert", "lookup", "dead_letter_publish", "consumer", "fetch"} {
		m.failures.WithLabelValues(op)
		m.fault.WithLabelValues(op)
	}
	return m
}

func (m *Metrics) observeBatch(events, dead int, took time.Duration) {
	m.events.Add(float64(events))
	m.deadLetters.Add(float64(dead))
	m.batches.Observe(float64(events + dead))
	m.insert.Observe(took.Seconds())
	m.lastInsert.SetToCurrentTime()
}
