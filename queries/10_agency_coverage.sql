-- The agencies on the one-stop information system at each period's end, by
-- level: those existing then (created, not yet merged away) and those of
-- them onboarded by then — "35/35 sở, ban, ngành, quận, huyện; 217/217 xã".
-- Levels are the agencies' current ones.
--   SELECT level, agencies, onboarded FROM baocao.agency_coverage
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.agency_coverage AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    level,
    count()                               AS agencies,
    countIf(onboarded_day <= period_end)  AS onboarded
FROM {db}.started_periods AS p
CROSS JOIN
(
    SELECT
        level,
        ifNull(created_on, toDate('1970-01-01'))    AS created_day,
        ifNull(merged_on, toDate('2105-12-31'))     AS merged_day,
        ifNull(onboarded_on, toDate('2105-12-31'))  AS onboarded_day
    FROM {db}.agencies
) AS a
WHERE created_day <= period_end AND merged_day > period_end
GROUP BY kind, cutoff, year, number, label, period_start, period_end, level
