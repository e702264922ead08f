-- The agencies existing at each period's end — created by then and not yet
-- merged away — with the name, level and parent then in force
-- (agency_periods): those a collection round for the period can ask for
-- their part of the report (contributions.Round).
--   SELECT agency, agency_name, level FROM baocao.period_agencies
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.period_agencies AS
SELECT kind, cutoff, year, number, period_end, agency, agency_name, level, parent
FROM {db}.agency_periods AS p
ANY LEFT JOIN
(
    SELECT
        agency_code                                   AS agency,
        ifNull(created_on, toDate('1970-01-01'))      AS created_day,
        ifNull(merged_on, toDate('2105-12-31'))       AS merged_day
    FROM {db}.agencies
) AS a USING (agency)
WHERE created_day <= period_end AND merged_day > period_end
