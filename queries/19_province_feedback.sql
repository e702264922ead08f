-- Citizen feedback (feedback_summary) by province: the national roll-up's
-- view, one row per period and province whose agencies handled feedback
-- then. On a province's own database it has one row per period, equal to
-- the sum of feedback_summary. The province columns are those of
-- province_dossier_form (18): province, the token of the handling agency's
-- code (000.00.31.H23 → H23); province_then, the province at the period's
-- end (its absorber once its province-level agency's agency.merged took
-- effect); province_now, the province today; names from the directory.
--   received_new + carried_over = completed + in_progress
--   SELECT province_now_name, sum(received_new), sum(in_progress_overdue)
--   FROM baocao.province_feedback
--   WHERE kind = 'year' AND cutoff = 'calendar' AND year = 2024
--   GROUP BY province_now_name
CREATE VIEW IF NOT EXISTS {db}.province_feedback AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    province,
    province_name,
    if(merged_on_or_never <= period_end, province_now, province)             AS province_then,
    if(merged_on_or_never <= period_end, province_now_name, province_name)   AS province_then_name,
    province_now,
    if(province_now_agency_name = '', province_now, province_now_agency_name) AS province_now_name,
    received_new,
    carried_over,
    completed,
    in_progress,
    in_progress_within_due,
    in_progress_overdue,
    published
FROM
(
    SELECT
        kind, cutoff, year, number, label, period_start, period_end, province,
        if(province_agency_name = '', province, province_agency_name)      AS province_name,
        merged_on_or_never,
        if(absorber = '', province, absorber)                              AS province_now,
        received_new, carried_over, completed, in_progress, in_progress_within_due, in_progress_overdue, published
    FROM
    (
        SELECT
            kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
            arrayElement(splitByChar('.', agency), -1)  AS province,
            sum(received_new)              AS received_new,
            sum(carried_over)              AS carried_over,
            sum(completed)                 AS completed,
            sum(in_progress)               AS in_progress,
            sum(in_progress_within_due)    AS in_progress_within_due,
            sum(in_progress_overdue)       AS in_progress_overdue,
            sum(published)                 AS published
        FROM {db}.feedback_summary
        GROUP BY kind, cutoff, year, number, province
    ) AS f
    ANY LEFT JOIN
    (
        -- each province's agency at province level: its name, and the
        -- province it was merged into and when
        SELECT
            arrayElement(splitByChar('.', agency_code), -1)                    AS province,
            name                                                               AS province_agency_name,
            if(merged_into = '', '', arrayElement(splitByChar('.', merged_into), -1)) AS absorber,
            ifNull(merged_on, toDate('2105-12-31'))                            AS merged_on_or_never
        FROM {db}.agencies
        WHERE level = 'province'
    ) AS p USING (province)
) AS r
ANY LEFT JOIN
(
    SELECT
        arrayElement(splitByChar('.', agency_code), -1)   AS province_now,
        name                                              AS province_now_agency_name
    FROM {db}.agencies
    WHERE level = 'province'
) AS n USING (province_now)
