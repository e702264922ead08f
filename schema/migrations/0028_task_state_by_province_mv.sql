-- baocao:replaces task_state_mv
-- Folds every inserted task event into task_state_by_province. Progress is
-- the latest report by occurred_at: the agency's newest word on the task.
-- An alias must not reuse the name of a column another expression reads
-- (ClickHouse substitutes aliases everywhere): the completion product is
-- completion_product because product is read twice.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.task_state_by_province_mv TO {db}.task_state_by_province AS
SELECT
    arrayElement(splitByChar('.', agency), -1)                                          AS province,
    subject_id                                                                          AS task_id,
    argMaxIfState(plan, (recorded_at, id), type = 'task.assigned')                      AS plan,
    argMaxIfState(code, (recorded_at, id), type = 'task.assigned')                      AS code,
    argMaxIfState(title, (recorded_at, id), type = 'task.assigned')                     AS title,
    argMaxIfState(lead, (recorded_at, id), type = 'task.assigned')                      AS lead,
    argMaxIfState(coordinating, (recorded_at, id), type = 'task.assigned')              AS coordinating,
    argMaxIfState(area, (recorded_at, id), type = 'task.assigned')                      AS area,
    argMaxIfState(product, (recorded_at, id), type = 'task.assigned')                   AS expected_product,
    argMaxIfState(occurred_at, (recorded_at, id), type = 'task.assigned')               AS assigned_at,
    argMaxIfState(deadline_kind, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))    AS deadline_kind,
    argMaxIfState(deadline_date, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))    AS deadline_date,
    argMaxIfState(deadline_year, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))    AS deadline_year,
    argMaxIfState(deadline_month, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))   AS deadline_month,
    argMaxIfState(deadline_quarter, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed')) AS deadline_quarter,
    argMaxIfState(deadline_half, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))    AS deadline_half,
    argMaxIfState(recurrence, (recorded_at, id), type IN ('task.assigned', 'task.deadline_changed'))       AS recurrence,
    uniqExactIfState(id, type = 'task.deadline_changed')                                AS deadline_changes,
    argMaxIfState(percent, (occurred_at, id), type = 'task.progress_reported')          AS progress_percent,
    maxIfState(occurred_at, type = 'task.progress_reported')                            AS progress_at,
    minIfState(occurred_at, type = 'task.completed')                                    AS completed_at,
    argMaxIfState(product, (recorded_at, id), type = 'task.completed')                  AS completion_product,
    minIfState(occurred_at, type = 'task.cancelled')                                    AS cancelled_at,
    uniqExactState(id)                                                                  AS events
FROM {db}.events
WHERE type LIKE 'task.%'
GROUP BY province, task_id
