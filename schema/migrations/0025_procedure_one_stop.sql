-- What form II.07b counts of each procedure (procedure.published v2 and
-- procedure.amended v2), folded by procedure_one_stop_mv, order- and
-- duplicate-insensitive like procedure_state: one_stop and
-- internal_process_issued as published, then as amended (an amendment
-- changes them only when it lists them in changes), and the earliest
-- decision_date of an event setting internal_process_issued, the day the
-- internal process was issued. Keyed procedure, the name analysts know.
-- A table of its own because 18.16 cannot change a materialized view's
-- query: procedure_state_mv stays as it was.
CREATE TABLE IF NOT EXISTS {db}.procedure_one_stop
(
    procedure                 String,
    one_stop                  AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    internal_process_issued   AggregateFunction(argMaxIf, UInt8, Tuple(DateTime('Asia/Ho_Chi_Minh'), String), UInt8),
    internal_process_on       AggregateFunction(minIf, Date, UInt8)
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY procedure
