-- Plan tasks as of each period's end, by plan, lead agency (chủ trì) and
-- reform area: the tasks assigned by then and not cancelled, completed on
-- time or late, and still in progress within the deadline or overdue.
--   assigned = completed + in_progress
--   completed = completed_on_time + completed_late
--   in_progress = in_progress_within_deadline + in_progress_overdue
-- A deadline of a month, quarter, half-year or year ends on its last day.
-- Recurring tasks ("thường xuyên", "định kỳ") have no end: they are never
-- overdue, count as on time once completed, and are also counted in
-- recurring so a report can say how many of the in-progress tasks are.
-- province is the task's (tasks): provinces number plans on their own, so a
-- plan is its province and id, as a task is.
--   SELECT plan_number, sum(assigned), sum(completed) FROM baocao.task_summary
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
--   GROUP BY plan_number
CREATE VIEW IF NOT EXISTS {db}.task_summary AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    province, plan, plan_number, plan_kind, plan_title, plan_year,
    lead, area,
    count()                                                                AS assigned,
    countIf(done_day <= period_end)                                        AS completed,
    countIf(done_day <= period_end AND done_day <= deadline_day)           AS completed_on_time,
    countIf(done_day <= period_end AND done_day > deadline_day)            AS completed_late,
    countIf(done_day > period_end)                                         AS in_progress,
    countIf(done_day > period_end AND deadline_day >= period_end)          AS in_progress_within_deadline,
    countIf(done_day > period_end AND deadline_day < period_end)           AS in_progress_overdue,
    countIf(recurring)                                                     AS recurring
FROM {db}.started_periods AS p
CROSS JOIN
(
    SELECT
        province, plan, plan_number, plan_kind, plan_title, plan_year, lead, area,
        toDate(assumeNotNull(assigned_at))                                 AS assigned_day,
        -- not (yet) completed or cancelled, no single deadline: a day far away
        if(completed_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(completed_at))) AS done_day,
        if(cancelled_at IS NULL, toDate('2105-12-31'), toDate(assumeNotNull(cancelled_at))) AS cancelled_day,
        toUInt8(deadline_end IS NULL)                                      AS recurring,
        if(deadline_end IS NULL, toDate('2105-12-31'), assumeNotNull(deadline_end)) AS deadline_day
    FROM
    (
        SELECT province, task_id, plan, lead, area, assigned_at, completed_at, cancelled_at, deadline_end
        FROM {db}.tasks
        WHERE assigned_at IS NOT NULL
    ) AS t
    ANY LEFT JOIN
    (
        SELECT
            arrayElement(splitByChar('.', agency), -1)   AS province,
            subject_id                                   AS plan,
            argMax(code, (recorded_at, id))              AS plan_number,
            argMax(kind, (recorded_at, id))              AS plan_kind,
            argMax(title, (recorded_at, id))             AS plan_title,
            argMax(events.year, (recorded_at, id))       AS plan_year
        FROM {db}.events
        WHERE type = 'plan.issued'
        GROUP BY province, subject_id
    ) AS pl USING (province, plan)
) AS t
WHERE assigned_day <= period_end AND cancelled_day > period_end
GROUP BY kind, cutoff, year, number, label, period_start, period_end,
         province, plan, plan_number, plan_kind, plan_title, plan_year, lead, area
