-- Form II.07b's procedures by level: one row per period and level_group
-- (province, district, commune, and total: each procedure once, whatever
-- the levels carrying it out — the form's "Tổng số" columns) with
--   procedures          procedures in force at the period's end (published
--                       by then, not repealed by then) carried out at that
--                       level (levels has it), internal procedures between
--                       state bodies (internal = 1) not counted;
--   one_stop            of those, under the one-stop or inter-linked
--                       one-stop mechanism at that level's one-stop desk
--                       (procedure.published v2's one_stop, as amended);
--   internal_processes  of those, with their internal process issued
--                       (internal_process_issued, as amended) by the period's
--                       end: the earliest decision_date that set it.
-- A procedure carried out at several levels counts at each, so the levels
-- sum to more than total, which equals catalogue_summary.in_force.
-- Attributes are as the catalogue stands now, as in catalogue_summary;
-- procedures published before version 2 count as neither one-stop nor with
-- an internal process until an amendment says so.
--   SELECT level_group, procedures, one_stop, internal_processes FROM baocao.procedure_counts
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.procedure_counts AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    level_group,
    countIf(is_in_force)                                                      AS procedures,
    countIf(is_in_force AND is_one_stop = 1)                                  AS one_stop,
    countIf(is_in_force AND has_process = 1 AND process_day <= period_end)    AS internal_processes
FROM
(
    SELECT
        *,
        toUInt8(published_day <= period_end AND repealed_day > period_end) AS is_in_force
    FROM {db}.started_periods AS p
    CROSS JOIN
    (
        -- one row per procedure and level that carries it out; never issued: far away
        SELECT
            procedure,
            ifNull(published_on, toDate('2105-12-31'))                  AS published_day,
            ifNull(repealed_on, toDate('2105-12-31'))                   AS repealed_day,
            -- not named one_stop: the outer alias would replace the column
            one_stop                                                    AS is_one_stop,
            internal_process_issued                                     AS has_process,
            ifNull(internal_process_on, toDate('2105-12-31'))           AS process_day,
            level_group
        FROM {db}.procedure_catalogue
        ARRAY JOIN arrayPushFront(levels, 'total') AS level_group
        WHERE internal = 0
    ) AS c
)
GROUP BY kind, cutoff, year, number, label, period_start, period_end, level_group
