-- Event ids seen with more than one body. The projector keeps the first body
-- the stream recorded under an id and refuses a later, different one
-- (consumers/identity.go): it is a dead letter, and a row here.
--   event_id      the reused id
--   stream_seq    the stream sequence of the body refused
--   kept_seq      the stream sequence of the body the figures use
--   differs       what differs, e.g. "subject_id, payload.channel differ"
--   out_of_order  1 when the body refused is the earlier one: projectors
--                 sharing the stream inserted the later first; a rebuild
--                 keeps the earlier
--   status        'refused': not projected; 'both projected': two bodies
--                 reached events (inserted before the check existed, or by
--                 two projectors at the same instant), so the figures mix
--                 them until a rebuild
--   subject, stored_at, body  the refused message as the stream holds it
-- A status 'both projected' row lists the id once, kept_seq and stream_seq
-- being the lowest and highest sequences of its bodies.
--   SELECT event_id, kept_seq, stream_seq, differs FROM baocao.event_conflicts ORDER BY stored_at DESC
CREATE VIEW IF NOT EXISTS {db}.event_conflicts AS
SELECT
    extract(reason, '^event id ([^ ]+) was recorded')                       AS event_id,
    stream_seq,
    toUInt64OrZero(extract(reason, 'at stream sequence ([0-9]+) with'))      AS kept_seq,
    extract(reason, 'with a different body \\(([^)]*)\\)')                   AS differs,
    toUInt8(position(reason, 'out of stream order') > 0)                    AS out_of_order,
    'refused'                                                               AS status,
    subject,
    stored_at,
    raw                                                                     AS body
FROM {db}.dead_letters
WHERE reason LIKE 'event id % was recorded at stream sequence % with a different body%'
UNION ALL
SELECT
    id                                                                      AS event_id,
    max(seq)                                                                AS stream_seq,
    min(seq)                                                                AS kept_seq,
    ''                                                                      AS differs,
    toUInt8(0)                                                              AS out_of_order,
    'both projected'                                                        AS status,
    ''                                                                      AS subject,
    toDateTime(0, 'Asia/Ho_Chi_Minh')                                       AS stored_at,
    ''                                                                      AS body
FROM
(
    SELECT id, fingerprint, minMerge(first_seq) AS seq
    FROM {db}.event_ids
    GROUP BY id, fingerprint
)
GROUP BY id
HAVING count() > 1
