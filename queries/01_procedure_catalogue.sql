-- The procedure catalogue for analysts: one row per procedure, keyed
-- procedure like every view that names one (dossiers, dossier_periods,
-- dossier_working_days). The projection's own view, procedures, keeps the
-- key procedure_code (ClickHouse 18.16 cannot rename a column, and its
-- migration is fixed once applied); query this one. Columns: procedure,
-- name, field, levels, statutory_days, online_level, online_eligible,
-- fee_vnd, paper_result, internal, published_decision, published_on,
-- last_decision, repealed_on, active (published and not repealed),
-- delegation_kind, delegated_to, delegated_on, review_plan,
-- review_planned_at, reviewed_at, review_outcome, simplification_proposed_at,
-- and, from procedure.published v2 as amended: one_stop (under the one-stop
-- or inter-linked one-stop mechanism), internal_process_issued and
-- internal_process_on (the earliest decision that issued it; NULL if none).
--   SELECT procedure, name, one_stop, internal_process_on FROM baocao.procedure_catalogue
--   WHERE active = 1 AND has(levels, 'commune') ORDER BY procedure
CREATE VIEW IF NOT EXISTS {db}.procedure_catalogue AS
SELECT
    procedure_code                                              AS procedure,
    name, field, levels, statutory_days, online_level, online_eligible, fee_vnd, paper_result, internal,
    published_decision, published_on, last_decision, repealed_on, active,
    delegation_kind, delegated_to, delegated_on,
    review_plan, review_planned_at, reviewed_at, review_outcome, simplification_proposed_at,
    one_stop, internal_process_issued, internal_process_on
FROM {db}.procedures AS pr
ANY LEFT JOIN
(
    SELECT
        procedure                                               AS procedure_code,
        argMaxIfMerge(one_stop)                                 AS one_stop,
        argMaxIfMerge(internal_process_issued)                  AS internal_process_issued,
        nullIf(minIfMerge(internal_process_on), toDate(0))      AS internal_process_on
    FROM {db}.procedure_one_stop
    GROUP BY procedure
) AS os USING (procedure_code)
