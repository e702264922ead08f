-- Folds every inserted agency directory event into agency_state.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.agency_state_mv TO {db}.agency_state AS
SELECT
    subject_id                                                                                          AS agency_code,
    argMaxIfState(name, (effective_from, recorded_at, id), type IN ('agency.created', 'agency.renamed'))     AS name,
    argMaxIfState(level, (effective_from, recorded_at, id), type IN ('agency.created', 'agency.level_changed')) AS level,
    argMaxIfState(parent, (effective_from, recorded_at, id), type IN ('agency.created', 'agency.level_changed')) AS parent,
    minIfState(effective_from, type = 'agency.created')                                                 AS created_on,
    argMaxIfState(into, (effective_from, recorded_at, id), type = 'agency.merged')                      AS merged_into,
    minIfState(effective_from, type = 'agency.merged')                                                  AS merged_on,
    argMaxIfState(system, (effective_from, recorded_at, id), type = 'agency.onboarded')                 AS system,
    minIfState(effective_from, type = 'agency.onboarded')                                               AS onboarded_on,
    uniqExactState(id)                                                                                  AS events
FROM {db}.events
WHERE type LIKE 'agency.%'
GROUP BY subject_id
