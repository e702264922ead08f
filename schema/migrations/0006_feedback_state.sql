-- The current state of every feedback item (PAKN), folded from its events by
-- feedback_state_mv; order- and duplicate-insensitive like dossier_state.
CREATE TABLE IF NOT EXISTS {db}.feedback_state
(
    feedback_id   String,
    agency        AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    channel       AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    topic         AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    procedure     AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    handler       AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    received_at   AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    due_at        AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    answered_at   AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    rejected_at   AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    published_at  AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    satisfied     AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    rated         AggregateFunction(maxIf, UInt8, UInt8),
    events        AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY feedback_id
