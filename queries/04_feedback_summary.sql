-- Citizen feedback (phản ánh, kiến nghị) by period and the agency handling
-- it (the one it was classified to, else the one that received it): new in
-- the period, carried over from before, completed (answered or rejected) and
-- still in progress at the period's end, within the deadline or overdue.
--   received_new + carried_over = completed + in_progress
--   in_progress = in_progress_within_due + in_progress_overdue
--   SELECT sum(received_new), sum(carried_over), sum(completed), sum(in_progress)
--   FROM baocao.feedback_summary
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
CREATE VIEW IF NOT EXISTS {db}.feedback_summary AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    agency,
    countIf(received_day >= period_start)                              AS received_new,
    countIf(received_day < period_start)                               AS carried_over,
    countIf(completed_day <= period_end)                               AS completed,
    countIf(completed_day > period_end)                                AS in_progress,
    countIf(completed_day > period_end AND due_day > period_end)       AS in_progress_within_due,
    countIf(completed_day > period_end AND due_day <= period_end)      AS in_progress_overdue,
    countIf(published_day <= period_end AND published_day >= period_start) AS published
FROM {db}.started_periods AS p
CROSS JOIN
(
    SELECT
        if(classified_to != '', classified_to, received_by)                AS agency,
        toDate(assumeNotNull(received_at))                                 AS received_day,
        -- not yet completed or published: a day far away, so no NULL below
        if(completed_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(completed_at))) AS completed_day,
        if(published_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(published_at))) AS published_day,
        toDate(due_at)                                                     AS due_day
    FROM
    (
        SELECT handler AS classified_to, agency AS received_by, received_at, completed_at, published_at, due_at
        FROM {db}.feedback
        WHERE received_at IS NOT NULL
    )
) AS f
WHERE received_day <= period_end AND completed_day >= period_start
GROUP BY kind, cutoff, year, number, label, period_start, period_end, agency
