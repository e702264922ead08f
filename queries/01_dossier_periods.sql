-- One row per dossier and reporting period it takes part in: every period
-- (months, quarters, half-years, nine months, years; calendar and official
-- cut-offs) that overlaps the dossier's life, from the day it was received to
-- the day it was closed (today while it is open). The flags say which column
-- of the Thông tư 01/2020 form the dossier counts in for that period; the
-- form views sum them. Periods that have not started yet have no rows.
--
-- field is the dossier's own (dossier.received's field) or, when it gave none,
-- its procedure's field in the catalogue as it stands now (procedures:
-- published, as amended; repealed procedures keep theirs), '' when the
-- procedure is not in the catalogue.
--
-- desk is where the dossier was received: 'centre' (the province's public
-- administration service centre) or 'agency' (its agency's own one-stop
-- desk; every dossier received before dossier.received v3 said).
--
-- closed_at is the first of result issued, withdrawal and stop of processing.
-- Before / on / after the due date compares days with adjusted_due_at (the
-- due date moved by the time the applicant spent supplementing); more than
-- one supplement request counts as late (and in progress: overdue).
CREATE VIEW IF NOT EXISTS {db}.dossier_periods AS
SELECT
    kind,
    cutoff,
    year,
    number,
    label,
    period_start,
    period_end,
    dossier_id,
    agency,
    field,
    desk,
    procedure,
    channel,
    received_at,
    closed_at,
    adjusted_due_at,
    toUInt8(received_day >= period_start AND is_online)                           AS received_online,
    toUInt8(received_day >= period_start AND NOT is_online)                       AS received_offline,
    toUInt8(received_day < period_start)                                         AS carried_over,
    toUInt8(closed_day <= period_end)                                            AS resolved,
    toUInt8(closed_day <= period_end AND NOT late AND closed_day < due_day)      AS resolved_early,
    toUInt8(closed_day <= period_end AND NOT late AND closed_day = due_day)      AS resolved_on_time,
    toUInt8(closed_day <= period_end AND (late OR closed_day > due_day))         AS resolved_late,
    toUInt8(closed_day > period_end)                                             AS in_progress,
    toUInt8(closed_day > period_end AND NOT late AND due_day > period_end)       AS in_progress_within_due,
    toUInt8(closed_day > period_end AND (late OR due_day <= period_end))         AS in_progress_overdue,
    toUInt8(received_day >= period_start AND is_digitised)                        AS digitised,
    toUInt8(received_day >= period_start AND is_reused)                           AS reused,
    toUInt8(closed_day <= period_end AND has_result)                              AS result_issued,
    toUInt8(closed_day <= period_end AND is_electronic)                           AS electronic_result,
    toUInt8(fee_paid_day BETWEEN period_start AND period_end)                    AS fee_paid,
    toUInt8(fee_paid_day BETWEEN period_start AND period_end AND paid_online)    AS fee_paid_online,
    toUInt8(received_day >= period_start AND synced_day <= period_end)           AS synced,
    toUInt8(rated_day BETWEEN period_start AND period_end)                       AS rated,
    toUInt8(rated_day BETWEEN period_start AND period_end AND is_satisfied)      AS satisfied
FROM
(
    -- 18.16 drops a subquery column only a lambda reads: add the cut-off here
    SELECT *, toUInt32(key + cutoff_code) AS period_code
    FROM
    (
        SELECT
            *,
            -- the periods of each kind that hold a month of the span
            arrayMap(j -> j + month_from, range(toUInt32(month_to - month_from + 1)))  AS months,
            arrayMap(j -> j + intDiv(month_from, 3), range(toUInt32(intDiv(month_to, 3) - intDiv(month_from, 3) + 1))) AS quarters,
            arrayMap(j -> j + intDiv(month_from, 6), range(toUInt32(intDiv(month_to, 6) - intDiv(month_from, 6) + 1))) AS halves,
            arrayMap(j -> j + intDiv(month_from, 12), range(toUInt32(intDiv(month_to, 12) - intDiv(month_from, 12) + 1))) AS years,
            -- as period_code less the cut-off (see periods): numbers, cheaper
            -- to unfold than tuples
            arrayConcat(
                arrayMap(i -> 1000000 + intDiv(i, 12) * 100 + i % 12 + 1, months),
                arrayMap(i -> 2000000 + intDiv(i, 4) * 100 + i % 4 + 1, quarters),
                arrayMap(i -> 3000000 + intDiv(i, 2) * 100 + i % 2 + 1, halves),
                arrayMap(i -> 4000000 + i * 100 + 1, arrayFilter(i -> month_from <= i * 12 + 8, years)),
                arrayMap(i -> 5000000 + i * 100 + 1, years)
            )                                                                     AS keys
        FROM
        (
            SELECT
                *,
                tupleElement(span, 1)                                             AS cutoff_code,
                tupleElement(span, 2)                                             AS month_from,
                tupleElement(span, 3)                                             AS month_to
            FROM
            (
                SELECT
                    dossier_id, agency,
                    -- the dossier's own field, else its procedure's in the catalogue
                    if(own_field != '', own_field, catalogue_field)               AS field,
                    desk, procedure, channel, received_at, closed_at, adjusted_due_at,
                    -- what the flags need, as narrow columns: every column here
                    -- is copied to each of the dossier's periods
                    toUInt8(channel = 'online')                                   AS is_online,
                    toUInt8(components > 0 AND components_digitised >= components) AS is_digitised,
                    toUInt8(components_reused > 0)                                AS is_reused,
                    toUInt8(outcome != '')                                        AS has_result,
                    toUInt8(electronic_result = 1)                                AS is_electronic,
                    toUInt8(fee_paid_online = 1)                                  AS paid_online,
                    toUInt8(satisfied = 1)                                        AS is_satisfied,
                    toUInt8(supplement_requests > 1)                              AS late,
                    toDate(assumeNotNull(received_at))                            AS received_day,
                    -- an open dossier's "closed" day is far away: comparisons need no NULL
                    if(closed_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(closed_at))) AS closed_day,
                    toDate(adjusted_due_at)                                       AS due_day,
                    if(fee_paid_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(fee_paid_at))) AS fee_paid_day,
                    if(synced_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(synced_at)))     AS synced_day,
                    if(rated_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(rated_at)))       AS rated_day,
                    -- the dossier's life as month numbers (year * 12 + month - 1)
                    -- in each cut-off; an official month runs from the 15th of
                    -- the month before to the 14th
                    least(closed_day, greatest(today(), received_day))            AS last_day,
                    toUInt32(toYear(received_day) * 12 + toMonth(received_day) - 1) AS calendar_from,
                    toUInt32(toYear(last_day) * 12 + toMonth(last_day) - 1)       AS calendar_to,
                    [(toUInt32(10000000), calendar_from, calendar_to),
                     (toUInt32(20000000), calendar_from + (toDayOfMonth(received_day) >= 15), calendar_to + (toDayOfMonth(last_day) >= 15))] AS spans
                FROM
                (
                    SELECT
                        dossier_id, agency, own_field, catalogue_field, desk, procedure, channel, received_at, adjusted_due_at,
                        components, components_digitised, components_reused, outcome, electronic_result,
                        fee_paid_at, fee_paid_online, synced_at, rated_at, satisfied, supplement_requests,
                        multiIf(resolved_at IS NOT NULL AND (withdrawn_at IS NULL OR resolved_at <= withdrawn_at)
                                    AND (stopped_at IS NULL OR resolved_at <= stopped_at), resolved_at,
                                withdrawn_at IS NOT NULL AND (stopped_at IS NULL OR withdrawn_at <= stopped_at), withdrawn_at,
                                stopped_at)                                       AS closed_at
                    FROM
                    (
                        SELECT
                            dossier_id, agency, field AS own_field, procedure, channel, received_at, adjusted_due_at,
                            components, components_digitised, components_reused, outcome, electronic_result,
                            fee_paid_at, fee_paid_online, synced_at, rated_at, satisfied, supplement_requests,
                            resolved_at, withdrawn_at, stopped_at,
                            -- no row in dossier_desk (received before v3): the agency's desk
                            if(received_desk = 'centre', 'centre', 'agency')      AS desk
                        FROM
                        (
                            SELECT *
                            FROM {db}.dossiers
                            WHERE received_at IS NOT NULL
                        ) AS ds
                        ANY LEFT JOIN
                        (
                            SELECT dossier_id, argMaxMerge(desk) AS received_desk
                            FROM {db}.dossier_desk
                            GROUP BY dossier_id
                        ) AS dk USING (dossier_id)
                    ) AS dd
                    -- read at query time, so a procedure published after its
                    -- dossiers arrived gives them its field; a procedure the
                    -- catalogue lacks gives ''
                    ANY LEFT JOIN
                    (
                        SELECT procedure_code AS procedure, field AS catalogue_field
                        FROM {db}.procedures
                    ) AS pc USING (procedure)
                )
            )
            -- one ARRAY JOIN per SELECT on 18.16
            ARRAY JOIN spans AS span
        )
    )
    ARRAY JOIN keys AS key
) AS d
-- ALL, not ANY: chDB 26.5 reads ANY INNER as one row per key on both sides
ALL INNER JOIN
(
    SELECT period_code, kind, cutoff, year, number, label, period_start, period_end
    FROM {db}.periods
) AS p USING (period_code)
