package contributions

import (
	"context"

	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// Contribution is an agency's part of a section in force; the report
// generator reads the same rows (report.ReadContributions).
type Contribution = report.Contribution

// Current returns the contributions in force for a report kind and period,
// ordered by section and agency.
func Current(ctx context.Context, s store.Store, db string, kind report.Kind, p report.Period) ([]Contribution, error) {
	return report.ReadContributions(ctx, s, db, kind, p)
}
