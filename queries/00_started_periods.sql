-- The periods that have begun by today, with the columns the summary views
-- repeat on every row: the periods a summary can say something about.
CREATE VIEW IF NOT EXISTS {db}.started_periods AS
SELECT kind, cutoff, year, number, label, period_start, period_end
FROM {db}.periods
WHERE period_start <= today()
