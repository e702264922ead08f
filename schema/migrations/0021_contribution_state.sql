-- Agencies' contributions to reports, folded from contribution.* events by
-- contribution_state_mv: one row per agency and slot (the subject_id,
-- <report>/<period_kind>/<cutoff>/<year>-<number>/<section>). Events are
-- ordered by (occurred_at, id) — occurred_at is when the agency submitted or
-- withdrew — so the states give the same answer whatever the arrival order
-- and however often an event arrives: the payload of the latest submission,
-- and the keys of the latest submission and of the latest withdrawal, which
-- the view contributions compares. Read it through that view.
CREATE TABLE IF NOT EXISTS {db}.contribution_state
(
    agency        String,
    slot          String,
    payload       AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    submitted_at  AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    submitted_id  AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    withdrawn_at  AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    withdrawn_id  AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    submissions   AggregateFunction(uniqExactIf, String, UInt8)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY (agency, slot)
