-- baocao:replaces tasks, task_state
-- One row per plan task: its current state. A task is its province and id
-- (task_state_by_province): the same id from two provinces is two rows.
-- deadline_end is the last day the deadline allows (the date; the month's,
-- quarter's, half-year's or year's last day); NULL for recurring tasks
-- ("thường xuyên", "định kỳ"), which have no single end and are judged per
-- period by the reports.
CREATE VIEW IF NOT EXISTS {db}.tasks AS
SELECT
    province,
    task_id,
    plan,
    code,
    title,
    lead,
    coordinating,
    area,
    expected_product,
    assigned_at,
    deadline_kind,
    deadline_date,
    deadline_year,
    deadline_month,
    deadline_quarter,
    deadline_half,
    recurrence,
    multiIf(
        deadline_kind = 'date',      deadline_date,
        deadline_kind = 'month',     subtractDays(addMonths(toDate(concat(y, '-', if(m < 10, '0', ''), toString(m), '-01')), 1), 1),
        deadline_kind = 'quarter',   subtractDays(addMonths(toDate(concat(y, '-', if(q < 4, '0', ''), toString(q * 3 - 2), '-01')), 3), 1),
        deadline_kind = 'half_year', subtractDays(addMonths(toDate(concat(y, '-', if(deadline_half = 2, '07', '01'), '-01')), 6), 1),
        deadline_kind = 'year',      toDate(concat(y, '-12-31')),
        NULL)                                                  AS deadline_end,
    deadline_changes,
    progress_percent,
    progress_at,
    completed_at,
    product,
    cancelled_at,
    events
FROM
(
    SELECT
        province,
        task_id,
        argMaxIfMerge(plan)                                   AS plan,
        argMaxIfMerge(code)                                   AS code,
        argMaxIfMerge(title)                                  AS title,
        argMaxIfMerge(lead)                                   AS lead,
        argMaxIfMerge(coordinating)                           AS coordinating,
        argMaxIfMerge(area)                                   AS area,
        argMaxIfMerge(expected_product)                       AS expected_product,
        nullIf(argMaxIfMerge(assigned_at), toDateTime(0))     AS assigned_at,
        argMaxIfMerge(deadline_kind)                          AS deadline_kind,
        argMaxIfMerge(deadline_date)                          AS deadline_date,
        argMaxIfMerge(deadline_year)                          AS deadline_year,
        argMaxIfMerge(deadline_month)                         AS deadline_month,
        argMaxIfMerge(deadline_quarter)                       AS deadline_quarter,
        argMaxIfMerge(deadline_half)                          AS deadline_half,
        argMaxIfMerge(recurrence)                             AS recurrence,
        -- multiIf evaluates every branch on 18.16: keep each date string valid
        toString(greatest(deadline_year, 1970))               AS y,
        greatest(deadline_month, 1)                           AS m,
        greatest(deadline_quarter, 1)                         AS q,
        uniqExactIfMerge(deadline_changes)                    AS deadline_changes,
        argMaxIfMerge(progress_percent)                       AS progress_percent,
        nullIf(maxIfMerge(progress_at), toDateTime(0))        AS progress_at,
        nullIf(minIfMerge(completed_at), toDateTime(0))       AS completed_at,
        argMaxIfMerge(completion_product)                     AS product,
        nullIf(minIfMerge(cancelled_at), toDateTime(0))       AS cancelled_at,
        uniqExactMerge(events)                                AS events
    FROM {db}.task_state_by_province
    GROUP BY province, task_id
)
