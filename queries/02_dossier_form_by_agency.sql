-- The Thông tư 01/2020 dossier form ("tình hình, kết quả giải quyết TTHC")
-- by agency: one row per period and agency that received or held dossiers,
-- with the form's columns 3–13. level_group puts the row in the form's
-- section: province (the province and its departments), district, commune,
-- by the agency's name and level at the period's end (agency_periods).
-- The identities hold on every row:
--   received_total = received_online + received_offline + carried_over
--                  = resolved_total + in_progress_total
--   resolved_total = resolved_early + resolved_on_time + resolved_late
--   in_progress_total = in_progress_within_due + in_progress_overdue
-- The counts behind the rates come along (agency_scores reads them):
-- dossiers received in the period fully digitised, reusing digitised data
-- and synced to the national portal; results issued and those electronic;
-- fees paid and those paid online; ratings and the satisfied ones.
--   SELECT * FROM baocao.dossier_form_by_agency
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.dossier_form_by_agency AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    agency,
    agency_name,
    level,
    multiIf(level IN ('province', 'department'), 'province', level = 'district', 'district', 'commune') AS level_group,
    parent,
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
    in_progress_overdue,     -- (13)
    dossiers_digitised,
    dossiers_reused,
    results_issued,
    electronic_results,
    fees_paid,
    fees_paid_online,
    dossiers_synced,
    ratings,
    ratings_satisfied
FROM
(
    SELECT
        kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
        agency,
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
        sum(in_progress_overdue)     AS in_progress_overdue,
        sum(digitised)               AS dossiers_digitised,
        sum(reused)                  AS dossiers_reused,
        sum(result_issued)           AS results_issued,
        sum(electronic_result)       AS electronic_results,
        sum(fee_paid)                AS fees_paid,
        sum(fee_paid_online)         AS fees_paid_online,
        sum(synced)                  AS dossiers_synced,
        sum(rated)                   AS ratings,
        sum(satisfied)               AS ratings_satisfied
    FROM {db}.dossier_totals
    GROUP BY kind, cutoff, year, number, agency
) AS f
ANY LEFT JOIN
(
    SELECT kind, cutoff, year, number, agency, agency_name, level, parent
    FROM {db}.agency_periods
) AS a USING (kind, cutoff, year, number, agency)
