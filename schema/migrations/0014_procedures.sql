-- One row per procedure: its current catalogue entry. published_decision is
-- the decision that published it, last_decision the latest that published,
-- amended or repealed it. Dates not (yet) set are NULL; active is 1 while
-- published and not repealed.
CREATE VIEW IF NOT EXISTS {db}.procedures AS
SELECT
    procedure_code,
    name,
    field,
    levels,
    statutory_days,
    online_level,
    online_eligible,
    fee_vnd,
    paper_result,
    internal,
    published_decision,
    published_on,
    last_decision,
    repealed_on,
    toUInt8(published_on IS NOT NULL AND repealed_on IS NULL) AS active,
    delegation_kind,
    delegated_to,
    delegated_on,
    review_plan,
    review_planned_at,
    reviewed_at,
    review_outcome,
    simplification_proposed_at,
    events
FROM
(
    SELECT
        procedure_code,
        argMaxIfMerge(name)                                      AS name,
        argMaxIfMerge(field)                                     AS field,
        argMaxIfMerge(levels)                                    AS levels,
        argMaxIfMerge(statutory_days)                            AS statutory_days,
        argMaxIfMerge(online_level)                              AS online_level,
        argMaxIfMerge(online_eligible)                           AS online_eligible,
        argMaxIfMerge(fee_vnd)                                   AS fee_vnd,
        argMaxIfMerge(paper_result)                              AS paper_result,
        maxIfMerge(internal)                                     AS internal,
        argMaxIfMerge(published_decision)                        AS published_decision,
        nullIf(argMaxIfMerge(published_on), toDate(0))           AS published_on,
        argMaxIfMerge(last_decision_no)                          AS last_decision,
        nullIf(minIfMerge(repealed_on), toDate(0))               AS repealed_on,
        argMaxIfMerge(delegation_kind)                           AS delegation_kind,
        argMaxIfMerge(delegated_to)                              AS delegated_to,
        nullIf(minIfMerge(delegated_on), toDate(0))              AS delegated_on,
        argMaxIfMerge(review_plan)                               AS review_plan,
        nullIf(minIfMerge(review_planned_at), toDateTime(0))     AS review_planned_at,
        nullIf(minIfMerge(reviewed_at), toDateTime(0))           AS reviewed_at,
        argMaxIfMerge(review_outcome)                            AS review_outcome,
        nullIf(minIfMerge(simplification_proposed_at), toDateTime(0)) AS simplification_proposed_at,
        uniqExactMerge(events)                                   AS events
    FROM {db}.procedure_state
    GROUP BY procedure_code
)
