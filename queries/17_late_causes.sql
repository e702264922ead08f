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
        kind, cutoff, year, number, any(label) AS label, any(period_start) AS period_start, any(period_end) AS period_end,
        agency, reason,
        uniqExact(dossier_id)                                                  AS apologies
    FROM
    (
        -- each apology's ten periods (five kinds, two cut-offs) as period
        -- codes, computed rather than found by joining every period: 18.16
        -- would pair each apology with all of them first
        SELECT dossier_id, agency, reason, toUInt32(key + cutoff_code) AS period_code
        FROM
        (
            SELECT
                dossier_id, agency, reason,
                tupleElement(span, 1)                                          AS cutoff_code,
                -- the month number (year * 12 + month - 1) in the cut-off
                tupleElement(span, 2)                                          AS i,
                [1000000 + intDiv(i, 12) * 100 + i % 12 + 1,
                 2000000 + intDiv(i, 12) * 100 + intDiv(i % 12, 3) + 1,
                 3000000 + intDiv(i, 12) * 100 + intDiv(i % 12, 6) + 1,
                 -- nine months: January to September only (0 matches no period)
                 if(i % 12 < 9, 4000000 + intDiv(i, 12) * 100 + 1, 0),
                 5000000 + intDiv(i, 12) * 100 + 1]                            AS keys
            FROM
            (
                SELECT
                    subject_id                                                 AS dossier_id,
                    agency,
                    replaceRegexpAll(reason, '^\\s+|\\s+$', '')                AS reason,
                    toDate(occurred_at)                                        AS day,
                    toUInt32(toYear(day) * 12 + toMonth(day) - 1)              AS month_index,
                    -- an official month runs from the 15th of the month before
                    [(toUInt32(10000000), month_index),
                     (toUInt32(20000000), toUInt32(month_index + (toDayOfMonth(day) >= 15)))] AS spans
                FROM {db}.events
                WHERE type = 'dossier.apology_issued'
            )
            -- one ARRAY JOIN per SELECT on 18.16
            ARRAY JOIN spans AS span
        )
        ARRAY JOIN keys AS key
    ) AS a
    -- ALL, not ANY: chDB 26.5 reads ANY INNER as one row per key on both sides
    ALL INNER JOIN
    (
        SELECT period_code, kind, cutoff, year, number, label, period_start, period_end
        FROM {db}.periods
        WHERE period_start <= today()
    ) AS p USING (period_code)
    GROUP BY kind, cutoff, year, number, agency, reason
) AS l
ANY LEFT JOIN
(
    SELECT kind, cutoff, year, number, agency, agency_name, level
    FROM {db}.agency_periods
) AS ap USING (kind, cutoff, year, number, agency)
