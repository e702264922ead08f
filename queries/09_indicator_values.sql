-- Figures reported from outside the event flow (PAR Index, SIPAS, press
-- items, legal documents, …), one row per indicator, name, reporting agency
-- and the period the figure is for: the latest value reported (a correction
-- replaces it), with the figure for the same period a year earlier when
-- there is one, for "tăng 1,78 điểm so với năm 2022".
--   SELECT period_to, value, rank, rank_of, change FROM baocao.indicator_values
--   WHERE indicator = 'par_index' ORDER BY period_to DESC LIMIT 1
CREATE VIEW IF NOT EXISTS {db}.indicator_values AS
SELECT
    indicator, name, agency, period_from, period_to,
    value, unit, rank, rank_of, source, reported_on,
    prev_value, prev_rank,
    if(prev_value IS NULL, NULL, value - assumeNotNull(prev_value)) AS change
FROM
(
    SELECT
        indicator, name, agency, period_from, period_to,
        argMax(events.value, (recorded_at, id))     AS value,
        argMax(unit, (recorded_at, id))             AS unit,
        argMax(events.rank, (recorded_at, id))      AS rank,
        argMax(rank_of, (recorded_at, id))          AS rank_of,
        argMax(source, (recorded_at, id))           AS source,
        toDate(min(occurred_at))                    AS reported_on
    FROM {db}.events
    WHERE type = 'indicator.reported'
    GROUP BY indicator, name, agency, period_from, period_to
) AS v
ANY LEFT JOIN
(
    SELECT
        indicator, name, agency,
        addYears(period_from, 1)                    AS period_from,
        addYears(period_to, 1)                      AS period_to,
        toNullable(argMax(events.value, (recorded_at, id))) AS prev_value,
        toNullable(argMax(events.rank, (recorded_at, id)))  AS prev_rank
    FROM {db}.events
    WHERE type = 'indicator.reported'
    GROUP BY indicator, name, agency, period_from, period_to
) AS prev USING (indicator, name, agency, period_from, period_to)
