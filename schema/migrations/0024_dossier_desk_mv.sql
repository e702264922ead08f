-- Folds every inserted dossier.received into dossier_desk. events has no
-- desk column (no ALTER in the migrations): the payload, JSON at the current
-- schema version, always carries it; visitParamExtractString reads it on
-- 18.16 and chDB alike.
CREATE MATERIALIZED VIEW IF NOT EXISTS {db}.dossier_desk_mv TO {db}.dossier_desk AS
SELECT
    subject_id                                                            AS dossier_id,
    argMaxState(visitParamExtractString(payload, 'desk'), (recorded_at, id)) AS desk
FROM {db}.events
WHERE type = 'dossier.received'
GROUP BY subject_id
