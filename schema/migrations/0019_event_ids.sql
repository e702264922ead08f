-- Every event id projected, with the fingerprint of its body and the first
-- stream sequence it came with: how the projector notices an id seen again
-- with a different body (consumers/identity.go) without scanning events,
-- whose key does not start with id. KSUID ids sort by time, so a batch's ids
-- fall in few granules. One row per (id, fingerprint): two rows for one id
-- mean two different bodies reached events (see the view event_conflicts).
-- The fingerprint is the first 8 bytes (little-endian) of SHA-256 over the
-- row's type, agency, subject_id, occurred_at, recorded_at (Unix seconds)
-- and payload (canonical JSON at its current version), each written as
-- "<byte length>:<value>"; store.Fingerprint computes the same in Go.
-- Created from the events already there, a row each (arrayReduce makes the
-- state without a GROUP BY holding every id in memory; merges and readers
-- combine them); event_ids_mv adds new ones.
CREATE TABLE IF NOT EXISTS {db}.event_ids
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY (id, fingerprint)
AS SELECT
    id,
    reinterpretAsUInt64(substring(SHA256(concat(
        toString(length(type)), ':', type,
        toString(length(agency)), ':', agency,
        toString(length(subject_id)), ':', subject_id,
        toString(length(toString(toUnixTimestamp(occurred_at)))), ':', toString(toUnixTimestamp(occurred_at)),
        toString(length(toString(toUnixTimestamp(recorded_at)))), ':', toString(toUnixTimestamp(recorded_at)),
        toString(length(payload)), ':', payload)), 1, 8))  AS fingerprint,
    type,
    agency,
    subject_id,
    arrayReduce('minState', [stream_seq])                   AS first_seq
FROM {db}.events
