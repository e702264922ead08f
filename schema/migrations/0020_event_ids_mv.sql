-- Folds every inserted event into event_ids (see that file): its id, the
-- fingerprint of its body and the lowest stream sequence it came with.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.event_ids_mv TO {db}.event_ids AS
SELECT
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
    minState(stream_seq)                                    AS first_seq
FROM {db}.events
GROUP BY id, fingerprint, type, agency, subject_id
