-- The Thông tư 01/2020 dossier form by field (lĩnh vực): one row per period,
-- section (level_group: province, district, commune — the level, at the
-- period's end, of the agency that received the dossiers) and field, with
-- the form's columns 3–13 and the identities of dossier_form_by_agency.
--   SELECT * FROM baocao.dossier_form_by_field
--   WHERE kind = 'quarter' AND cutoff = 'official' AND year = 2024 AND number = 2
--   ORDER BY level_group, field
CREATE VIEW IF NOT EXISTS {db}.dossier_form_by_field AS
SELECT
    kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
    multiIf(level IN ('province', 'department'), 'province', level = 'district', 'district', 'commune') AS level_group,
    field,
    sum(f3)  AS received_total,          -- (3)
    sum(f4)  AS received_online,         -- (4)
    sum(f5)  AS received_offline,        -- (5)
    sum(f6)  AS carried_over,            -- (6)
    sum(f7)  AS resolved_total,          -- (7)
    sum(f8)  AS resolved_early,          -- (8)
    sum(f9)  AS resolved_on_time,        -- (9)
    sum(f10) AS resolved_late,           -- (10)
    sum(f11) AS in_progress_total,       -- (11)
    sum(f12) AS in_progress_within_due,  -- (12)
    sum(f13) AS in_progress_overdue      -- (13)
FROM
(
    -- by agency first: the join below then reads thousands of rows, not millions
    SELECT
        kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
        agency, field,
        sum(dossiers)                AS f3,
        sum(received_online)         AS f4,
        sum(received_offline)        AS f5,
        sum(carried_over)            AS f6,
        sum(resolved)                AS f7,
        sum(resolved_early)          AS f8,
        sum(resolved_on_time)        AS f9,
        sum(resolved_late)           AS f10,
        sum(in_progress)             AS f11,
        sum(in_progress_within_due)  AS f12,
        sum(in_progress_overdue)     AS f13
    FROM {db}.dossier_totals
    GROUP BY kind, cutoff, year, number, agency, field
) AS f
ANY LEFT JOIN
(
    SELECT kind, cutoff, year, number, agency, level
    FROM {db}.agency_periods
) AS a USING (kind, cutoff, year, number, agency)
GROUP BY kind, cutoff, year, number, level_group, field
