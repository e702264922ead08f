-- Folds every inserted contribution event into contribution_state (see that file).
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.contribution_state_mv TO {db}.contribution_state AS
SELECT
    agency,
    subject_id                                                                          AS slot,
    argMaxIfState(payload, (occurred_at, id), type = 'contribution.submitted')          AS payload,
    argMaxIfState(occurred_at, (occurred_at, id), type = 'contribution.submitted')      AS submitted_at,
    argMaxIfState(id, (occurred_at, id), type = 'contribution.submitted')               AS submitted_id,
    argMaxIfState(occurred_at, (occurred_at, id), type = 'contribution.withdrawn')      AS withdrawn_at,
    argMaxIfState(id, (occurred_at, id), type = 'contribution.withdrawn')               AS withdrawn_id,
    uniqExactIfState(id, type = 'contribution.submitted')                               AS submissions
FROM {db}.events
WHERE type LIKE 'contribution.%'
GROUP BY agency, subject_id
