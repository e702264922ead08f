// Package producers is how an agency's system publishes events to baocao.
//
// A Producer validates each event against the contract (package events)
// before it leaves the agency, publishes it on the agency's subject with the
// event id as Nats-Msg-Id, waits for the stream's ack, and retries transient
// failures with backoff. Every event ends in one Outcome: Published,
// Duplicate (the stream already had it: nothing lost, nothing doubled),
// Rejected (invalid: the error names each field and the reason) or Failed
// (valid, but the stream could not take it after every retry).
//
// Publish waits for each ack; PublishAsync keeps up to MaxPending events in
// flight and reports each result to a callback, in order — the way to send
// thousands of events a second.
package producers
