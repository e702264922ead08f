-- One row per feedback item: its current state. completed_at is the answer or
-- the rejection, whichever came first; NULL while in progress.
CREATE VIEW IF NOT EXISTS {db}.feedback AS
SELECT
    feedback_id,
    agency,
    channel,
    topic,
    procedure,
    handler,
    received_at,
    due_at,
    answered_at,
    rejected_at,
    published_at,
    if(answered_at IS NULL, rejected_at, if(rejected_at IS NULL, answered_at, least(answered_at, rejected_at))) AS completed_at,
    rated,
    satisfied,
    events
FROM
(
    SELECT
        feedback_id,
        argMaxIfMerge(agency)                                 AS agency,
        argMaxIfMerge(channel)                                AS channel,
        argMaxIfMerge(topic)                                  AS topic,
        argMaxIfMerge(procedure)                              AS procedure,
        argMaxIfMerge(handler)                                AS handler,
        nullIf(argMaxIfMerge(received_at), toDateTime(0))     AS received_at,
        argMaxIfMerge(due_at)                                 AS due_at,
        nullIf(minIfMerge(answered_at), toDateTime(0))        AS answered_at,
        nullIf(minIfMerge(rejected_at), toDateTime(0))        AS rejected_at,
        nullIf(minIfMerge(published_at), toDateTime(0))       AS published_at,
        maxIfMerge(rated)                                     AS rated,
        argMaxIfMerge(satisfied)                              AS satisfied,
        uniqExactMerge(events)                                AS events
    FROM {db}.feedback_state
    GROUP BY feedback_id
)
