-- The current state of every agency in the directory, folded from its events
-- by agency_state_mv. Changes take effect on their effective date, so the
-- latest value is by (effective_from, recorded_at, id); a change dated in the
-- future already shows here. Roll-ups by the organisation valid in a period
-- read the events themselves.
CREATE TABLE IF NOT EXISTS {db}.agency_state
(
    agency_code    String,
    name           AggregateFunction(argMaxIf, String, Tuple(Date, DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    level          AggregateFunction(argMaxIf, String, Tuple(Date, DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    parent         AggregateFunction(argMaxIf, String, Tuple(Date, DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    created_on     AggregateFunction(minIf, Date, UInt8),
    merged_into    AggregateFunction(argMaxIf, String, Tuple(Date, DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    merged_on      AggregateFunction(minIf, Date, UInt8),
    system         AggregateFunction(argMaxIf, String, Tuple(Date, DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    onboarded_on   AggregateFunction(minIf, Date, UInt8),
    events         AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY agency_code
