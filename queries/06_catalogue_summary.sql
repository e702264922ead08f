-- The procedure catalogue by period: decisions publishing procedures (công
-- bố: new, amended or repealed) dated in the period; procedures published in
-- it; those in force at its end serving citizens and businesses, by level of
-- government and online service (full / partial; online_eligible: eligible
-- for full online service) — internal procedures between state bodies are
-- not among them, as in form II.07b (procedure_counts), so the report's
-- sentence and the form agree; internal procedures in force and those with a
-- simplification proposal by the end; procedures put in a review plan, reviewed and delegated (ủy
-- quyền, phân cấp) in the period.
--   SELECT decisions, full_online, partial_online, internal_simplified, internal_procedures
--   FROM baocao.catalogue_summary
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.catalogue_summary AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    countIf(is_decision AND published_day BETWEEN period_start AND period_end)          AS decisions,
    countIf(NOT is_decision AND published_day BETWEEN period_start AND period_end)      AS published,
    countIf(is_in_force AND internal = 0)                                                  AS in_force,
    countIf(is_in_force AND internal = 0 AND has(levels, 'province'))                      AS at_province,
    countIf(is_in_force AND internal = 0 AND has(levels, 'district'))                      AS at_district,
    countIf(is_in_force AND internal = 0 AND has(levels, 'commune'))                       AS at_commune,
    countIf(is_in_force AND online_level = 'full')                                         AS full_online,
    countIf(is_in_force AND online_level = 'partial')                                      AS partial_online,
    countIf(is_in_force AND online_eligible = 1)                                           AS eligible_online,
    countIf(is_in_force AND online_eligible = 1 AND online_level = 'full')                 AS eligible_full_online,
    countIf(is_in_force AND internal = 1)                                                  AS internal_procedures,
    countIf(is_in_force AND internal = 1 AND simplification_day <= period_end)             AS internal_simplified,
    countIf(review_planned_day BETWEEN period_start AND period_end)                     AS review_planned,
    countIf(reviewed_day BETWEEN period_start AND period_end)                           AS reviewed,
    countIf(delegated_day BETWEEN period_start AND period_end)                          AS delegated
FROM
(
    SELECT *, toUInt8(NOT is_decision AND published_day <= period_end AND repealed_day > period_end) AS is_in_force
    FROM {db}.started_periods AS p
    CROSS JOIN
    (
        -- one row per decision (the day it is dated) …
        SELECT
            toUInt8(1) AS is_decision, min(decision_date) AS published_day, toDate('2105-12-31') AS repealed_day,
            emptyArrayString() AS levels, '' AS online_level, toUInt8(0) AS online_eligible, toUInt8(0) AS internal,
            toDate('2105-12-31') AS simplification_day, toDate('2105-12-31') AS review_planned_day,
            toDate('2105-12-31') AS reviewed_day, toDate('2105-12-31') AS delegated_day
        FROM {db}.events
        WHERE type IN ('procedure.published', 'procedure.amended', 'procedure.repealed')
        -- decision numbers restart every year: 807/QĐ-UBND of 2022 and of 2024 are two
        GROUP BY decision_no, toYear(decision_date)
        UNION ALL
        -- … and one per procedure; days that have not come are far away
        SELECT
            toUInt8(0), ifNull(published_on, toDate('2105-12-31')), ifNull(repealed_on, toDate('2105-12-31')),
            levels, online_level, online_eligible, internal,
            if(simplification_proposed_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(simplification_proposed_at))),
            if(review_planned_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(review_planned_at))),
            if(reviewed_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(reviewed_at))),
            ifNull(delegated_on, toDate('2105-12-31'))
        FROM {db}.procedures
    ) AS c
)
GROUP BY kind, cutoff, year, number, label, period_start, period_end
