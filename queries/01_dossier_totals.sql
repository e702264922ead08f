-- A snapshot, not a view: dossier_periods summed by period, agency, field and
-- desk ('centre' | 'agency', where the dossiers were received), stored; sum
-- over desk for an agency's figures. The forms and the report generator read it, so a report over a
-- province-year sums a few thousand stored rows instead of finishing every
-- dossier's state and unfolding it into its periods (seconds to minutes).
-- dossiers counts the dossiers taking part in the period (the form's
-- received total); every other column is the sum of dossier_periods' flag
-- of that name.
--
-- schema.Refresh builds it again from this statement, into a new table
-- swapped in by RENAME, whenever the tables it derives from have changed
-- (their newest data part) or the day has (open dossiers enter new periods):
-- consume and up refresh it in the background (--snapshot-every), report,
-- schedule and sql before they read. Between refreshes it lags the events.
CREATE TABLE IF NOT EXISTS {db}.dossier_totals
ENGINE = MergeTree()
PARTITION BY tuple()
ORDER BY (kind, cutoff, year, number, agency, field, desk)
AS SELECT
    kind, cutoff, year, number,
    any(label)                   AS label,
    any(period_start)            AS period_start,
    any(period_end)              AS period_end,
    agency, field, desk,
    count()                      AS dossiers,
    sum(received_online)         AS received_online,
    sum(received_offline)        AS received_offline,
    sum(carried_over)            AS carried_over,
    sum(resolved)                AS resolved,
    sum(resolved_early)          AS resolved_early,
    sum(resolved_on_time)        AS resolved_on_time,
    sum(resolved_late)           AS resolved_late,
    sum(in_progress)             AS in_progress,
    sum(in_progress_within_due)  AS in_progress_within_due,
    sum(in_progress_overdue)     AS in_progress_overdue,
    sum(digitised)               AS digitised,
    sum(reused)                  AS reused,
    sum(result_issued)           AS result_issued,
    sum(electronic_result)       AS electronic_result,
    sum(fee_paid)                AS fee_paid,
    sum(fee_paid_online)         AS fee_paid_online,
    sum(synced)                  AS synced,
    sum(rated)                   AS rated,
    sum(satisfied)               AS satisfied
FROM {db}.dossier_periods
GROUP BY kind, cutoff, year, number, agency, field, desk
