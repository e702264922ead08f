-- The current state of every dossier, folded from its events by the
-- materialized view dossier_state_mv. Each column is an aggregate state that
-- gives the same result whatever the order of the events and however often
-- one arrives: the latest value by (recorded_at, id), the earliest time, a
-- set of times, a count of distinct event ids. Read it through the view
-- dossiers, which merges the states.
CREATE TABLE IF NOT EXISTS {db}.dossier_state
(
    dossier_id              String,
    agency                  AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    procedure               AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    field                   AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    channel                 AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    applicant               AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    received_at             AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    due_at                  AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    components              AggregateFunction(argMaxIf, UInt16, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    components_digitised    AggregateFunction(argMaxIf, UInt16, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    components_reused       AggregateFunction(argMaxIf, UInt16, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    rejected_at             AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    forwarded_to            AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    supplements_requested   AggregateFunction(groupUniqArrayIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    supplements_supplied    AggregateFunction(groupUniqArrayIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    supplied_due_at         AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    fee_requests            AggregateFunction(uniqExactIf, String, UInt8),
    fee_vnd                 AggregateFunction(maxIf, Int64, UInt8),
    fee_paid_at             AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    fee_paid_online         AggregateFunction(maxIf, UInt8, UInt8),
    stopped_at              AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    withdrawn_at            AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    apologies               AggregateFunction(uniqExactIf, String, UInt8),
    apology_due_at          AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    resolved_at             AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    outcome                 AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    electronic_result       AggregateFunction(maxIf, UInt8, UInt8),
    returned_at             AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    synced_at               AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    rated_at                AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    satisfied               AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    events                  AggregateFunction(uniqExact, String),
    last_event_at           AggregateFunction(max, DateTime('Asia/Ho_Chi_Minh'))
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY dossier_id
