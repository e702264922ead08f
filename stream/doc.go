// Package stream holds everything baocao does with NATS JetStream, the system
// of record: connecting with credentials and TLS, provisioning the events
// stream idempotently, and running an embedded nats-server for the zero-install
// default and the tests.
package stream
