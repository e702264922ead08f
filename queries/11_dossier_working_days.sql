-- One row per received dossier: how many working days it took against the
-- statutory time limit of its procedure (thời hạn giải quyết, in working
-- days). Working days come from the view calendar (weekends, public holidays
-- and the rows users add to holidays).
--   closed_at           the first of result issued, withdrawal and stop of
--                       processing (as in dossier_periods); NULL while open
--   statutory_days      the procedure's time limit; NULL when the procedure is
--                       not in the catalogue
--   working_days_taken  the working days from the day received (counted) to
--                       the day closed (not counted): received on a Friday
--                       and resolved the next Monday is 1, resolved the same
--                       day 0. NULL while open or outside the calendar's years
--   within_statutory    1 when working_days_taken <= ceil(statutory_days);
--                       NULL when either is
--   SELECT agency, countIf(within_statutory = 1) / count() FROM baocao.dossier_working_days
--   WHERE closed_at >= '2024-01-01 00:00:00' AND closed_at < '2024-07-01 00:00:00'
--     AND within_statutory IS NOT NULL
--   GROUP BY agency
CREATE VIEW IF NOT EXISTS {db}.dossier_working_days AS
SELECT
    dossier_id,
    agency,
    procedure,
    received_at,
    closed_at,
    if(procedure_known = 1, p_statutory_days, NULL)                      AS statutory_days,
    if(closed_at IS NULL OR received_known = 0 OR closed_known = 0, NULL,
       toInt32(toInt64(closed_before) - toInt64(received_before)))        AS working_days_taken,
    if(working_days_taken IS NULL OR statutory_days IS NULL, NULL,
       toUInt8(assumeNotNull(working_days_taken) <= ceil(assumeNotNull(statutory_days)))) AS within_statutory
FROM
(
    SELECT
        dossier_id, agency, procedure, received_at, closed_at, closed_day,
        procedure_known, p_statutory_days, received_known, received_before
    FROM
    (
        SELECT
            dossier_id, agency, procedure, received_at, closed_at, received_day, closed_day,
            procedure_known, p_statutory_days
        FROM
        (
            SELECT
                dossier_id, agency, procedure, received_at, closed_at,
                toDate(assumeNotNull(received_at))                        AS received_day,
                -- an open dossier matches no calendar day
                if(closed_at IS NULL, toDate(0), toDate(assumeNotNull(closed_at))) AS closed_day
            FROM
            (
                SELECT
                    dossier_id, agency, procedure, received_at,
                    multiIf(resolved_at IS NOT NULL AND (withdrawn_at IS NULL OR resolved_at <= withdrawn_at)
                                AND (stopped_at IS NULL OR resolved_at <= stopped_at), resolved_at,
                            withdrawn_at IS NOT NULL AND (stopped_at IS NULL OR withdrawn_at <= stopped_at), withdrawn_at,
                            stopped_at)                                   AS closed_at
                FROM {db}.dossiers
                WHERE received_at IS NOT NULL
            )
        ) AS d
        ANY LEFT JOIN
        (
            SELECT procedure_code AS procedure, statutory_days AS p_statutory_days, toUInt8(1) AS procedure_known
            FROM {db}.procedures
        ) AS p USING (procedure)
    ) AS dp
    -- one JOIN per SELECT on 18.16: the calendar twice, nested
    ANY LEFT JOIN
    (
        SELECT day AS received_day, working_days_before AS received_before, toUInt8(1) AS received_known
        FROM {db}.calendar
    ) AS r USING (received_day)
) AS dr
ANY LEFT JOIN
(
    SELECT day AS closed_day, working_days_before AS closed_before, toUInt8(1) AS closed_known
    FROM {db}.calendar
) AS c USING (closed_day)
