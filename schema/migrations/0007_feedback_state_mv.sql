-- Folds every inserted feedback event into feedback_state. The topic is the
-- latest of the one given on receipt and the classification.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.feedback_state_mv TO {db}.feedback_state AS
SELECT
    subject_id                                                                                  AS feedback_id,
    argMaxIfState(agency, (recorded_at, id), type = 'feedback.received')                        AS agency,
    argMaxIfState(channel, (recorded_at, id), type = 'feedback.received')                       AS channel,
    argMaxIfState(topic, (recorded_at, id), type IN ('feedback.received', 'feedback.classified')) AS topic,
    argMaxIfState(procedure, (recorded_at, id), type = 'feedback.received')                     AS procedure,
    argMaxIfState(handler, (recorded_at, id), type = 'feedback.classified')                     AS handler,
    argMaxIfState(occurred_at, (recorded_at, id), type = 'feedback.received')                   AS received_at,
    argMaxIfState(due_at, (recorded_at, id), type = 'feedback.received')                        AS due_at,
    minIfState(occurred_at, type = 'feedback.answered')                                         AS answered_at,
    minIfState(occurred_at, type = 'feedback.rejected')                                         AS rejected_at,
    minIfState(occurred_at, type = 'feedback.published')                                        AS published_at,
    argMaxIfState(satisfied, (recorded_at, id), type = 'feedback.rated')                        AS satisfied,
    maxIfState(toUInt8(1), type = 'feedback.rated')                                             AS rated,
    uniqExactState(id)                                                                          AS events
FROM {db}.events
WHERE type LIKE 'feedback.%'
GROUP BY subject_id
