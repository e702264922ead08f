-- Folds every inserted procedure event into procedure_state. An amendment
-- changes only the fields it lists in changes.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.procedure_state_mv TO {db}.procedure_state AS
SELECT
    subject_id                                                                               AS procedure_code,
    argMaxIfState(name, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'name')))            AS name,
    argMaxIfState(field, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'field')))           AS field,
    argMaxIfState(levels, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'levels')))          AS levels,
    argMaxIfState(statutory_days, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'statutory_days')))  AS statutory_days,
    argMaxIfState(online_level, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'online_level')))    AS online_level,
    argMaxIfState(online_eligible, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'online_eligible'))) AS online_eligible,
    argMaxIfState(fee_vnd, (recorded_at, id),
        type = 'procedure.published' OR (type = 'procedure.amended' AND has(changes, 'fee_vnd')))         AS fee_vnd,
    argMaxIfState(paper_result, (recorded_at, id), type = 'procedure.published')             AS paper_result,
    maxIfState(internal, type IN ('procedure.published', 'procedure.review_planned',
        'procedure.reviewed', 'procedure.simplification_proposed'))                          AS internal,
    argMaxIfState(decision_no, (recorded_at, id), type = 'procedure.published')              AS published_decision,
    argMaxIfState(decision_date, (recorded_at, id), type = 'procedure.published')            AS published_on,
    argMaxIfState(decision_no, (recorded_at, id),
        type IN ('procedure.published', 'procedure.amended', 'procedure.repealed'))          AS last_decision_no,
    minIfState(decision_date, type = 'procedure.repealed')                                   AS repealed_on,
    argMaxIfState(kind, (recorded_at, id), type = 'procedure.delegated')                     AS delegation_kind,
    argMaxIfState(to_agency, (recorded_at, id), type = 'procedure.delegated')                AS delegated_to,
    minIfState(decision_date, type = 'procedure.delegated')                                  AS delegated_on,
    argMaxIfState(review_plan, (recorded_at, id), type = 'procedure.review_planned')         AS review_plan,
    minIfState(occurred_at, type = 'procedure.review_planned')                               AS review_planned_at,
    minIfState(occurred_at, type = 'procedure.reviewed')                                     AS reviewed_at,
    argMaxIfState(outcome, (recorded_at, id), type = 'procedure.reviewed')                   AS review_outcome,
    minIfState(occurred_at, type = 'procedure.simplification_proposed')                      AS simplification_proposed_at,
    uniqExactState(id)                                                                       AS events
FROM {db}.events
WHERE type LIKE 'procedure.%'
GROUP BY subject_id
