-- The causes of late dossiers, from the agencies' apologies (thư xin lỗi,
-- dossier.apology_issued): one row per period, agency and reason with
-- apologies, the distinct dossiers the agency apologised for in the period
-- (the apology's occurred_at) giving that reason. A dossier apologised for
-- twice with the same reason counts once; with two reasons, once under each.
-- An event inserted twice counts once. The reason is the agency's text,
-- trimmed (version 2 bounds it to 300 characters); the same cause in other
-- words is another row. agency_name and level_group are the agency's at the
-- period's end (agency_periods).
--   SELECT reason, sum(apologies) FROM baocao.late_causes
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
--   GROUP BY reason ORDER BY 2 DESC
CREATE VIEW IF NOT EXISTS {db}.late_causes AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    agency,
    agency_name,
    multiIf(level IN ('province', 'department'), 'province', level = 'district', 'district', 'commune') AS level_group,
    reason,
    apologies
FROM
(
    SELECT
        kind, cutoff, year, number, label, period_start, period_end, agency, reason,
        uniqExact(dossier_id)                                                  AS apologies
    FROM
    (
        SELECT subject_id AS dossier_id, agency, replaceRegexpAll(reason, '^\\s+|\\s+$', '') AS reason, toDate(occurred_at) AS apology_day
        FROM {db}.events
        WHERE type = 'dossier.apology_issued'
    ) AS a
    CROSS JOIN
    (
        SELECT kind, cutoff, year, number, label, period_start, period_end
        FROM {db}.started_periods
    ) AS p
    WHERE apology_day BETWEEN period_start AND period_end
    GROUP BY kind, cutoff, year, number, label, period_start, period_end, agency, reason
) AS l
ANY LEFT JOIN
(
    SELECT kind, cutoff, year, number, agency, agency_name, level
    FROM {db}.agency_periods
) AS ap USING (kind, cutoff, year, number, agency)
