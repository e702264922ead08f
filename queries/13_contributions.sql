-- The contributions in force: per agency and slot, the latest submission by
-- (occurred_at, id), unless a withdrawal later by the same order removed it
-- (a submission after that brings it back). Duplicates and arrival order
-- change nothing (contribution_state).
--   agency        the contributing agency's code
--   report, period_kind, cutoff, year, number   the report, as report.generated names it
--   section       the section key, e.g. results.institutions
--   paragraphs    JSON array of strings, in the Markdown subset of the event contract
--   figures       JSON array of {name, value, unit?, compare?: {label, value}}
--   submitted_at  occurred_at of the submission in force
--   event_id      its event id
--   submissions   how many distinct submissions the agency made for the slot
-- ClickHouse 18.16 has no JSONExtract; newer servers and chDB read the
-- arrays with JSONExtract(paragraphs, 'Array(String)').
--   SELECT agency, section, submitted_at FROM baocao.contributions
--   WHERE report = 'reform' AND period_kind = 'half_year' AND year = 2024 AND number = 1 ORDER BY section, agency
CREATE VIEW IF NOT EXISTS {db}.contributions AS
SELECT
    agency,
    parts[1]                                          AS report,
    parts[2]                                          AS period_kind,
    parts[3]                                          AS cutoff,
    toUInt16(splitByChar('-', parts[4])[1])           AS year,
    toUInt8(splitByChar('-', parts[4])[2])            AS number,
    parts[5]                                          AS section,
    visitParamExtractRaw(body, 'paragraphs')          AS paragraphs,
    if(visitParamExtractRaw(body, 'figures') = '', '[]', visitParamExtractRaw(body, 'figures')) AS figures,
    sub_at                                            AS submitted_at,
    sub_id                                            AS event_id,
    submissions
FROM
(
    SELECT
        agency,
        slot,
        splitByChar('/', slot)                        AS parts,
        argMaxIfMerge(payload)                        AS body,
        argMaxIfMerge(submitted_at)                   AS sub_at,
        argMaxIfMerge(submitted_id)                   AS sub_id,
        argMaxIfMerge(withdrawn_at)                   AS wd_at,
        argMaxIfMerge(withdrawn_id)                   AS wd_id,
        uniqExactIfMerge(submissions)                 AS submissions
    FROM {db}.contribution_state
    GROUP BY agency, slot
)
WHERE sub_id != '' AND (sub_at > wd_at OR (sub_at = wd_at AND sub_id > wd_id))
