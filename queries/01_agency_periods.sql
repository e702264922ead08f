-- Every agency as it was at the end of each period: the name and the level
-- (and parent) then in force, from the effective dates of agency.created,
-- agency.renamed and agency.level_changed — a 2024 report puts a district
-- under the districts even if it became a commune on 1/7/2025. Before an
-- agency's first effective date, its current entry stands in.
--   SELECT agency, agency_name, level FROM baocao.agency_periods
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2025 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.agency_periods AS
SELECT
    kind, cutoff, year, number, period_end,
    agency,
    if(name_index = 0, current_name, arrayElement(names, name_index))      AS agency_name,
    if(level_index = 0, current_level, arrayElement(levels, level_index))  AS level,
    if(level_index = 0, current_parent, arrayElement(parents, level_index)) AS parent
FROM
(
    SELECT
        kind, cutoff, year, number, period_end, agency, current_name, current_level, current_parent,
        names, levels, parents,
        -- the versions are sorted by date: count those in force by the end.
        -- "* (period_end > '1970-01-01')" is always × 1: it names period_end
        -- outside the lambda, without which 18.16 drops the column from the
        -- subquery below when the outer query does not select it
        arrayCount(d -> d <= period_end, name_dates) * (period_end > toDate('1970-01-01'))  AS name_index,
        arrayCount(d -> d <= period_end, level_dates) * (period_end > toDate('1970-01-01')) AS level_index
    FROM
    (
    SELECT
        kind, cutoff, year, number, period_end, agency, current_name, current_level, current_parent,
        names, levels, parents, name_dates, level_dates
    FROM {db}.started_periods AS p
    CROSS JOIN
    (
        SELECT
            agency_code AS agency, current_name, current_level, current_parent,
            arrayMap(v -> tupleElement(v, 1), name_versions)               AS name_dates,
            arrayMap(v -> tupleElement(v, 2), name_versions)               AS names,
            arrayMap(v -> tupleElement(v, 1), level_versions)              AS level_dates,
            arrayMap(v -> tupleElement(v, 2), level_versions)              AS levels,
            arrayMap(v -> tupleElement(v, 3), level_versions)              AS parents
        FROM
        (
            SELECT agency_code, name AS current_name, level AS current_level, parent AS current_parent
            FROM {db}.agencies
        ) AS a
        ANY LEFT JOIN
        (
            -- a version delivered twice counts once; versions sharing a
            -- date sort by value, whatever order they arrived in
            SELECT
                subject_id                                                 AS agency_code,
                arraySort(groupUniqArrayIf((effective_from, name),
                    type IN ('agency.created', 'agency.renamed')))         AS name_versions,
                arraySort(groupUniqArrayIf((effective_from, events.level, events.parent),
                    type IN ('agency.created', 'agency.level_changed')))   AS level_versions
            FROM {db}.events
            WHERE type IN ('agency.created', 'agency.renamed', 'agency.level_changed')
            GROUP BY subject_id
        ) AS h USING (agency_code)
    ) AS v
    )
)
