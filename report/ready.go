package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/baocao/baocao/store"
)

// ErrNoEvents says a report's period has no events to report on: a
// document of zeros would read as an official "nothing happened".
var ErrNoEvents = errors.New("no events in the period")

// Allows checks that kind k is made for periods like p: a reform report
// for a quarter, say, is refused rather than written in a shape no one
// files.
func (k Kind) Allows(p Period) error {
	if slices.Contains(Kinds[k], p.Kind) {
		return nil
	}
	return fmt.Errorf("a %s report is made for %s, not for %s (%s)", k, periodKindNames(Kinds[k]), p.Kind, p)
}

// KindOrder lists the report kinds in the order help texts give them.
var KindOrder = []Kind{ProcedureControl, Reform}

// KindPeriods describes, one line per kind, the periods each report kind
// is made for, with an example of each: the help texts print it.
func KindPeriods() string {
	var b strings.Builder
	for _, k := range KindOrder {
		fmt.Fprintf(&b, "  %-18s %s\n", k, periodKindNames(Kinds[k]))
	}
	return strings.TrimRight(b.String(), "\n")
}

// periodKindNames writes period kinds with examples:
// "months (2024-M03), quarters (2024-Q2) and years (2024)".
func periodKindNames(kinds []string) string {
	example := map[string]string{Month: "months (2024-M03)", Quarter: "quarters (2024-Q2)", HalfYear: "six months (2024-H1, 2024-H2)",
		NineMonths: "nine months (2024-9M)", Year: "years (2024)"}
	var names []string
	for _, pk := range kinds {
		names = append(names, example[pk])
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Ready checks that database db can give period p's report: the agency
// directory names the reporting province, and events happened in the
// period. Each failure says what is missing and where the data is, so a
// wrong data folder, database or period is an error, never a document of
// zeros. (The scheduler reaches only periods within its events' bounds.)
func Ready(ctx context.Context, st store.Store, db string, p Period) error {
	if _, _, err := Province(ctx, st, db); err != nil {
		if errors.Is(err, ErrNoProvince) {
			return fmt.Errorf("report: %w of database %s: the report names its province from the agency.created event of level province; publish the agency directory first (baocao agencies --help), or check --data / --db", err, db)
		}
		return err
	}
	// Events that carry figures: the directory and the reports' own
	// announcements do not.
	const figures = "type NOT LIKE 'agency.%' AND type NOT LIKE 'report.%'"
	// The column compared as it is stored: the partitions (by month of
	// occurred_at) outside the period are skipped, and the first row found
	// ends the read (120 ms → 20 ms for a half-year of a province-year on
	// chDB).
	in := fmt.Sprintf("occurred_at >= toDateTime('%s 00:00:00', 'Asia/Ho_Chi_Minh') AND occurred_at < toDateTime('%s 00:00:00', 'Asia/Ho_Chi_Minh')",
		p.Start().Format("2006-01-02"), p.End().AddDate(0, 0, 1).Format("2006-01-02"))
	res, err := st.Query(ctx, "SELECT count() AS n FROM (SELECT 1 FROM "+db+".events WHERE "+figures+" AND "+in+" LIMIT 1)")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	if len(res.Rows) == 1 && res.Rows[0][0] != "0" {
		return nil
	}
	res, err = st.Query(ctx, "SELECT count() AS n, toString(toDate(min(occurred_at))) AS first, toString(toDate(max(occurred_at))) AS last FROM "+db+".events WHERE "+figures)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	what := fmt.Sprintf("%s (%s – %s) in database %s", p.Label(), Date(p.Start()), Date(p.End()), db)
	if len(res.Rows) == 0 || res.Rows[0][0] == "0" {
		return fmt.Errorf("report: %w: %s, which holds no events yet; check --data / --db, or publish events first", ErrNoEvents, what)
	}
	return fmt.Errorf("report: %w: %s; its events run from %s to %s", ErrNoEvents, what, dashedDate(res.Rows[0][1]), dashedDate(res.Rows[0][2]))
}

// dashedDate rewrites 2024-06-30 as 30/06/2024.
func dashedDate(s string) string {
	if len(s) != len("2006-01-02") {
		return s
	}
	return s[8:10] + "/" + s[5:7] + "/" + s[0:4]
}
