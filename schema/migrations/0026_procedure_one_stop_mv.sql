-- Folds procedure.published and procedure.amended into procedure_one_stop.
-- events has no column for the two flags: the payload (JSON at the current
-- schema version) carries them; visitParamExtractBool reads it on 18.16 and
-- chDB alike.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.procedure_one_stop_mv TO {db}.procedure_one_stop AS
SELECT
    subject_id                                                                              AS procedure,
    argMaxIfState(toUInt8(visitParamExtractBool(payload, 'one_stop')), (recorded_at, id),
        type = 'procedure.published' OR has(changes, 'one_stop'))                          AS one_stop,
    argMaxIfState(toUInt8(visitParamExtractBool(payload, 'internal_process_issued')), (recorded_at, id),
        type = 'procedure.published' OR has(changes, 'internal_process_issued'))           AS internal_process_issued,
    minIfState(decision_date, visitParamExtractBool(payload, 'internal_process_issued') = 1) AS internal_process_on
FROM {db}.events
WHERE type IN ('procedure.published', 'procedure.amended')
GROUP BY subject_id
