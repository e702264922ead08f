-- The rates of every agency and period against their targets, and the
-- points QĐ 766 gives them (indicator_targets): one row per period, agency
-- and indicator. ratio_percent is NULL, and earns no points, when the
-- agency had nothing to count (no dossier resolved, no fee paid, …).
-- Province-wide rates sum numerators and denominators over agencies:
--   SELECT indicator, 100 * sum(numerator) / sum(denominator) FROM baocao.agency_scores
--   WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2024 AND number = 1
--   GROUP BY indicator
CREATE VIEW IF NOT EXISTS {db}.agency_scores AS
SELECT
    kind, cutoff, year, number, label, period_start, period_end,
    agency, agency_name, level_group,
    indicator, indicator_label, score_group,
    numerator, denominator,
    if(denominator = 0, NULL, 100 * numerator / denominator)                          AS ratio_percent,
    target_percent,
    if(denominator = 0, NULL, least(max_points, 100 * numerator / denominator / target_percent * max_points)) AS points,
    max_points
FROM
(
    SELECT
        kind, cutoff, year, number, label, period_start, period_end,
        agency, agency_name, level_group,
        tupleElement(r, 1) AS indicator,
        tupleElement(r, 2) AS numerator,
        tupleElement(r, 3) AS denominator
    FROM {db}.dossier_form_by_agency
    ARRAY JOIN [
        ('synced',            dossiers_synced,                     received_online + received_offline),
        ('on_time',           resolved_early + resolved_on_time,   resolved_total),
        ('online',            received_online,                     received_online + received_offline),
        ('online_payment',    fees_paid_online,                    fees_paid),
        ('satisfaction',      ratings_satisfied,                   ratings),
        ('digitised',         dossiers_digitised,                  received_online + received_offline),
        ('electronic_result', electronic_results,                  results_issued),
        ('reuse',             dossiers_reused,                     received_online + received_offline)
    ] AS r
) AS s
ALL INNER JOIN
(
    SELECT indicator, indicator_label, target_percent, score_group, max_points
    FROM {db}.indicator_targets
) AS t USING (indicator)
