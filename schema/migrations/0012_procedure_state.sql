-- The current state of every procedure in the catalogue, folded from its
-- events by procedure_state_mv: the published attributes as amended since,
-- repeal, delegation and review. Order- and duplicate-insensitive like
-- dossier_state.
CREATE TABLE IF NOT EXISTS {db}.procedure_state
(
    procedure_code     String,
    name               AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    field              AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    levels             AggregateFunction(argMaxIf, Array(String), Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    statutory_days     AggregateFunction(argMaxIf, Float64, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    online_level       AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    online_eligible    AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    fee_vnd            AggregateFunction(argMaxIf, Int64, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    paper_result       AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    internal           AggregateFunction(maxIf, UInt8, UInt8),
    published_decision AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    published_on       AggregateFunction(argMaxIf, Date, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    last_decision_no   AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    repealed_on        AggregateFunction(minIf, Date, UInt8),
    delegation_kind    AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    delegated_to       AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    delegated_on       AggregateFunction(minIf, Date, UInt8),
    review_plan        AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    review_planned_at  AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    reviewed_at        AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    review_outcome     AggregateFunction(argMaxIf, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    simplification_proposed_at AggregateFunction(minIf, DateTime('Asia/Ho_Chi_Minh'), UInt8),
    events             AggregateFunction(uniqExact, String)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY procedure_code
