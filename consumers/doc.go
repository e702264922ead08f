// Package consumers projects the events stream into ClickHouse.
//
// A Projector reads the stream through a durable pull consumer, in batches
// bounded by count, bytes and time; decodes each event with the stream's
// receipt time as the clock (so a replay decides as the first delivery did);
// inserts the batch into the events table, whose materialized views fold it
// into the current-state projections; and acks only after the insert
// returned. Delivery is at least once and the projections give the same
// answer for duplicates and any order, so a crash anywhere loses nothing and
// counts nothing twice. Events that cannot be projected go, with their raw
// bytes and the reason, to the dead-letter table and stream, and are
// terminated.
package consumers
