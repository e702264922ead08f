-- Where each dossier was received (dossier.received v3's desk: 'centre', the
-- province's public administration service centre, or 'agency', its own
-- one-stop desk), folded by dossier_desk_mv: the latest receipt's by
-- (recorded_at, id), order- and duplicate-insensitive like dossier_state.
-- A table of its own because 18.16 cannot change a materialized view's
-- query: dossier_state_mv stays as it was. A dossier without a row here (its
-- events inserted before this table existed, upgraded from v1/v2) was
-- received at its agency's desk; dossier_periods reads it so.
CREATE TABLE IF NOT EXISTS {db}.dossier_desk
(
    dossier_id  String,
    desk        AggregateFunction(argMax, String, Tuple(DateTime('Asia/Ho_Chi_Minh'), String))
)
ENGINE = AggregatingMergeTree()
PARTITION BY tuple()
ORDER BY dossier_id
