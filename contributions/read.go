package contributions

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// Contribution is one row of the view contributions, its JSON decoded.
type Contribution struct {
	Agency      string
	Section     string
	Paragraphs  []string
	Figures     []events.Figure
	SubmittedAt time.Time
	EventID     string
	Submissions int
}

// Current returns the contributions in force for a report kind and period,
// ordered by section and agency.
func Current(ctx context.Context, s store.Store, db string, kind report.Kind, p report.Period) ([]Contribution, error) {
	q := fmt.Sprintf(`SELECT agency, section, paragraphs, figures, toString(toUnixTimestamp(submitted_at)), event_id, toString(submissions)
FROM %s.contributions
WHERE report = '%s' AND period_kind = '%s' AND cutoff = '%s' AND year = %d AND number = %d
ORDER BY section, agency`, db, sqlString(string(kind)), sqlString(p.Kind), sqlString(p.Cutoff), p.Year, p.Number)
	res, err := s.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("contributions: %w", err)
	}
	out := make([]Contribution, 0, len(res.Rows))
	for _, r := range res.Rows {
		c := Contribution{Agency: r[0], Section: r[1], EventID: r[5]}
		if err := json.Unmarshal([]byte(r[2]), &c.Paragraphs); err != nil {
			return nil, fmt.Errorf("contributions: %s %s: paragraphs: %w", r[0], r[1], err)
		}
		if err := json.Unmarshal([]byte(r[3]), &c.Figures); err != nil {
			return nil, fmt.Errorf("contributions: %s %s: figures: %w", r[0], r[1], err)
		}
		var sec int64
		fmt.Sscan(r[4], &sec)
		c.SubmittedAt = time.Unix(sec, 0).In(events.Vietnam)
		fmt.Sscan(r[6], &c.Submissions)
		out = append(out, c)
	}
	return out, nil
}

// sqlString escapes s for a single-quoted SQL literal.
func sqlString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s)
}
