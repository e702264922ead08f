-- One row per dossier: its current state, merged from dossier_state.
-- Times an event has not happened yet are NULL. The processing clock pauses
-- while the applicant supplements: supplement_pause_seconds sums the closed
-- pauses (each request paired with the next supply, in time order) and
-- adjusted_due_at is the due date moved by them, or the new due date the
-- agency set on supply. awaiting_supplement is 1 while a request is open.
CREATE VIEW IF NOT EXISTS {db}.dossiers AS
SELECT
    dossier_id,
    agency,
    procedure,
    field,
    channel,
    applicant,
    received_at,
    due_at,
    components,
    components_digitised,
    components_reused,
    rejected_at,
    forwarded_to,
    length(requested)                                                   AS supplement_requests,
    toUInt8(length(requested) > length(supplied))                       AS awaiting_supplement,
    arraySum(arrayMap((s, r) -> greatest(toInt64(s) - toInt64(r), toInt64(0)),
        arraySlice(arraySort(supplied), 1, least(length(requested), length(supplied))),
        arraySlice(arraySort(requested), 1, least(length(requested), length(supplied)))))
                                                                        AS supplement_pause_seconds,
    if(toUnixTimestamp(supplied_due) > 0, supplied_due,
       toDateTime(toUnixTimestamp(due_at) + supplement_pause_seconds, 'Asia/Ho_Chi_Minh')) AS adjusted_due_at,
    fee_requests,
    fee_vnd,
    fee_paid_at,
    fee_paid_online,
    stopped_at,
    withdrawn_at,
    apologies,
    apology_due_at,
    resolved_at,
    outcome,
    electronic_result,
    returned_at,
    synced_at,
    rated_at,
    satisfied,
    events,
    last_event_at
FROM
(
    SELECT
        dossier_id,
        argMaxIfMerge(agency)                                           AS agency,
        argMaxIfMerge(procedure)                                        AS procedure,
        argMaxIfMerge(field)                                            AS field,
        argMaxIfMerge(channel)                                          AS channel,
        argMaxIfMerge(applicant)                                        AS applicant,
        nullIf(argMaxIfMerge(received_at), toDateTime(0))               AS received_at,
        argMaxIfMerge(due_at)                                           AS due_at,
        argMaxIfMerge(components)                                       AS components,
        argMaxIfMerge(components_digitised)                             AS components_digitised,
        argMaxIfMerge(components_reused)                                AS components_reused,
        nullIf(minIfMerge(rejected_at), toDateTime(0))                  AS rejected_at,
        argMaxIfMerge(forwarded_to)                                     AS forwarded_to,
        groupUniqArrayIfMerge(supplements_requested)                    AS requested,
        groupUniqArrayIfMerge(supplements_supplied)                     AS supplied,
        argMaxIfMerge(supplied_due_at)                                  AS supplied_due,
        uniqExactIfMerge(fee_requests)                                  AS fee_requests,
        maxIfMerge(fee_vnd)                                             AS fee_vnd,
        nullIf(minIfMerge(fee_paid_at), toDateTime(0))                  AS fee_paid_at,
        maxIfMerge(fee_paid_online)                                     AS fee_paid_online,
        nullIf(minIfMerge(stopped_at), toDateTime(0))                   AS stopped_at,
        nullIf(minIfMerge(withdrawn_at), toDateTime(0))                 AS withdrawn_at,
        uniqExactIfMerge(apologies)                                     AS apologies,
        nullIf(argMaxIfMerge(apology_due_at), toDateTime(0))            AS apology_due_at,
        nullIf(minIfMerge(resolved_at), toDateTime(0))                  AS resolved_at,
        argMaxIfMerge(outcome)                                          AS outcome,
        maxIfMerge(electronic_result)                                   AS electronic_result,
        nullIf(minIfMerge(returned_at), toDateTime(0))                  AS returned_at,
        nullIf(minIfMerge(synced_at), toDateTime(0))                    AS synced_at,
        nullIf(argMaxIfMerge(rated_at), toDateTime(0))                  AS rated_at,
        argMaxIfMerge(satisfied)                                        AS satisfied,
        uniqExactMerge(events)                                          AS events,
        maxMerge(last_event_at)                                         AS last_event_at
    FROM {db}.dossier_state
    GROUP BY dossier_id
)
