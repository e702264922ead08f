-- The current state of every plan task, folded from its events by
-- task_state_mv; order- and duplicate-insensitive like dossier_state. The
-- deadline is the latest of the one assigned and any changes.
CREATE TABLE IF NOT EXISTS {db}.task_state
(
    task_id           String,
    plan              AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    code              AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    title             AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    lead              AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    coordinating      AggregateFunction(argMaxIf, Array(String), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    area              AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    expected_product  AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    assigned_at       AggregateFunction(argMaxIf, DateTime('Asia/Ho_Chi_Minh'), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_kind     AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_date     AggregateFunction(argMaxIf, Date, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_year     AggregateFunction(argMaxIf, UInt16, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_month    AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_quarter  AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_half     AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    recurrence        AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    deadline_changes  AggregateFunction(uniqExactIf, String, UInt8),
    progress_percent  AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    progress_at       AggregateFunction(maxIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    completed_at      AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    completion_product AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    cancelled_at      AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    events            AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY task_id
