-- One row per agency: its current name, level and parent, and when it was
-- created, merged away and onboarded on the one-stop system (NULL if not).
CREATE VIEW IF NOT EXISTS {db}.agencies AS
SELECT
    agency_code,
    argMaxIfMerge(name)                              AS name,
    argMaxIfMerge(level)                             AS level,
    argMaxIfMerge(parent)                            AS parent,
    nullIf(minIfMerge(created_on), toDate(0))        AS created_on,
    argMaxIfMerge(merged_into)                       AS merged_into,
    nullIf(minIfMerge(merged_on), toDate(0))         AS merged_on,
    argMaxIfMerge(system)                            AS system,
    nullIf(minIfMerge(onboarded_on), toDate(0))      AS onboarded_on,
    uniqExactMerge(events)                           AS events
FROM {db}.agency_state
GROUP BY agency_code
