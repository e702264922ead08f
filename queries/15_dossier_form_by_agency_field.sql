-- The Thông tư 01/2020 dossier form by agency, field (lĩnh vực) and desk:
-- one row per period, agency, field and desk ('centre': received at the
-- province's public administration service centre; 'agency': at the
-- agency's own one-stop desk), with the agency's name, level, level_group
-- and parent at the period's end (agency_periods) and the form's columns
-- 3–13 under dossier_form_by_agency's names. Biểu 06/VPCP/KSTT is every
-- desk, an agency's fields within it; form II.06a is desk = 'centre'.
-- Summed over field and desk, a row gives dossier_form_by_agency's; the
-- identities of that view hold on every row.
--   SELECT agency_name, field, sum(received_total), sum(resolved_late)
--   FROM baocao.dossier_form_by_agency_field
--   WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2 AND desk = 'centre'
--   GROUP BY agency_name, field
CREATE VIEW IF NOT EXISTS {db}.dossier_form_by_agency_field AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    agency,
    agency_name,
    level,
    multiIf(level IN ('province', 'department'), 'province', level = 'district', 'district', 'commune') AS level_group,
    parent,
    field,
    desk,
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
        kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
        agency, field, desk,
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
    GROUP BY kind, cutoff, year, number, agency, field, desk
) AS f
ANY LEFT JOIN
(
    SELECT kind, cutoff, year, number, agency, agency_name, level, parent
    FROM {db}.agency_periods
) AS a USING (kind, cutoff, year, number, agency)
