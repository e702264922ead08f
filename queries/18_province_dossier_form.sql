-- The Thông tư 01/2020 dossier form (Biểu 06, columns 3–13) by province:
-- the national roll-up's view, one row per period and province whose
-- agencies received or held dossiers. On a province's own database it has
-- one row per period, equal to the sum of dossier_form_by_agency.
--   province          the province token of the agencies' official codes
--                     (000.00.31.H23 → H23), which every agency of a
--                     province ends with
--   province_then     the province as it was at the period's end: the
--                     province itself, or, once it has been merged into
--                     another (the agency.merged of its province-level
--                     agency, e.g. Hải Dương 000.00.00.H24 into Hải Phòng
--                     000.00.00.H23 on 1/7/2025), the one that absorbed it
--   province_now      the province today: earlier periods summed by it
--                     compare with the merged province's later ones
-- with their names from the directory (the province-level agency's, as it
-- stands now; the token when the directory lacks it). Sum the rows by
-- province_then or province_now: a merged province's rows and its
-- absorber's then fall under one name.
--   SELECT province_now, province_now_name, sum(received_total)
--   FROM baocao.province_dossier_form
--   WHERE kind = 'year' AND cutoff = 'calendar' AND year = 2024
--   GROUP BY province_now, province_now_name
CREATE VIEW IF NOT EXISTS {db}.province_dossier_form AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    province,
    province_name,
    if(merged_on_or_never <= period_end, province_now, province)             AS province_then,
    if(merged_on_or_never <= period_end, province_now_name, province_name)   AS province_then_name,
    province_now,
    if(province_now_agency_name = '', province_now, province_now_agency_name) AS province_now_name,
    received_total,          -- (3)
    received_online,         -- (4)
    received_offline,        -- (5) in person and by post
    carried_over,            -- (6)
    resolved_total,          -- (7)
    resolved_early,          -- (8)
    resolved_on_time,        -- (9)
    resolved_late,           -- (10)
    in_progress_total,       -- (11)
    in_progress_within_due,  -- (12)
    in_progress_overdue      -- (13)
FROM
(
    SELECT
        kind, cutoff, year, number, label, period_start, period_end, province,
        if(province_agency_name = '', province, province_agency_name)      AS province_name,
        merged_on_or_never,
        if(absorber = '', province, absorber)                              AS province_now,
        received_total, received_online, received_offline, carried_over,
        resolved_total, resolved_early, resolved_on_time, resolved_late,
        in_progress_total, in_progress_within_due, in_progress_overdue
    FROM
    (
        SELECT
            kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
            arrayElement(splitByChar('.', agency), -1)  AS province,
            sum(dossiers)                AS received_total,
            sum(received_online)         AS received_online,
            sum(received_offline)        AS received_offline,
            sum(carried_over)            AS carried_over,
            sum(resolved)                AS resolved_total,
            sum(resolved_early)          AS resolved_early,
            sum(resolved_on_time)        AS resolved_on_time,
            sum(resolved_late)           AS resolved_late,
            sum(in_progress)             AS in_progress_total,
            sum(in_progress_within_due)  AS in_progress_within_due,
            sum(in_progress_overdue)     AS in_progress_overdue
        FROM {db}.dossier_totals
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
