-- Events the projector could not accept (undecodable, invalid, of an unknown
-- type or version), with the raw bytes and the reason. The same message also
-- goes to the dead-letter stream; nothing is dropped silently.
CREATE TABLE IF NOT EXISTS {db}.dead_letters
(
    stream_seq  UInt64,
    subject     String,
    stored_at   DateTime('Asia/Ho_Chi_Minh'),
    reason      String,
    raw         String
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(stored_at)
ORDER BY stream_seq
