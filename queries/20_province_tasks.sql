-- Plan tasks (task_summary) by the province of their lead agency (chủ
-- trì): the national roll-up's view, one row per period and province whose
-- agencies led tasks assigned by the period's end. On a province's own
-- database it has one row per period, equal to the sum of task_summary over
-- every plan and area. The province columns are those of
-- province_dossier_form (18): province, the token of the lead agency's code
-- (000.00.31.H23 → H23); province_then, the province at the period's end
-- (its absorber once its province-level agency's agency.merged took
-- effect); province_now, the province today; names from the directory.
--   assigned = completed + in_progress
--   SELECT province_now_name, sum(assigned), sum(in_progress_overdue)
--   FROM baocao.province_tasks
--   WHERE kind = 'year' AND cutoff = 'calendar' AND year = 2024
--   GROUP BY province_now_name
CREATE VIEW IF NOT EXISTS {db}.province_tasks AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    province,
    province_name,
    if(merged_on_or_never <= period_end, province_now, province)             AS province_then,
    if(merged_on_or_never <= period_end, province_now_name, province_name)   AS province_then_name,
    province_now,
    if(province_now_agency_name = '', province_now, province_now_agency_name) AS province_now_name,
    assigned,
    completed,
    completed_on_time,
    completed_late,
    in_progress,
    in_progress_within_deadline,
    in_progress_overdue,
    recurring
FROM
(
    SELECT
        kind, cutoff, year, number, label, period_start, period_end, province,
        if(province_agency_name = '', province, province_agency_name)      AS province_name,
        merged_on_or_never,
        if(absorber = '', province, absorber)                              AS province_now,
        assigned, completed, completed_on_time, completed_late, in_progress, in_progress_within_deadline, in_progress_overdue, recurring
    FROM
    (
        SELECT
            kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
            arrayElement(splitByChar('.', lead), -1)  AS province,
            sum(assigned)                       AS assigned,
            sum(completed)                      AS completed,
            sum(completed_on_time)              AS completed_on_time,
            sum(completed_late)                 AS completed_late,
            sum(in_progress)                    AS in_progress,
            sum(in_progress_within_deadline)    AS in_progress_within_deadline,
            sum(in_progress_overdue)            AS in_progress_overdue,
            sum(recurring)                      AS recurring
        FROM {db}.task_summary
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
