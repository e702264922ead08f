package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// provinceYearSimulation names what a kept province-year holds; a database
// loaded by an older simulation (before the collection rounds) is loaded
// again.
const provinceYearSimulation = "with-contributions"

// workingDaysPerYear turns a province-year's dossiers into dossiers per
// working day.
const workingDaysPerYear = 250

// reportLatency times the six-month report (figures, agencies' parts,
// document and every format) and the dossier form view over a province-year, loaded straight
// into the engine. The loaded database is kept, with its size, so a later
// run of the same size times the reports again without loading.
func (b *bench) reportLatency(ctx context.Context, e *engine) error {
	const db = "bench_report"
	size := strconv.Itoa(b.cfg.ReportDossiers)
	res, err := e.st.Query(ctx, "SELECT dossiers, simulation FROM "+db+".bench_size")
	loaded := err == nil && len(res.Rows) == 1 && res.Rows[0][0] == size && res.Rows[0][1] == provinceYearSimulation
	if !loaded {
		if err := b.loadProvinceYear(ctx, e, db); err != nil {
			return err
		}
		// CREATE … AS SELECT: a client sends an INSERT's rows as data
		// blocks, and 18.16 waits for them even after inline VALUES.
		if err := e.st.Exec(ctx, "CREATE TABLE "+db+".bench_size ENGINE = TinyLog AS SELECT toUInt64("+size+") AS dossiers, '"+provinceYearSimulation+"' AS simulation"); err != nil {
			return err
		}
	}
	// a kept database gets the schema's newer files
	if _, err := schema.Migrate(ctx, e.st, db); err != nil {
		return err
	}
	res, err = e.st.Query(ctx, "SELECT count() FROM "+db+".events")
	if err != nil {
		return err
	}
	n, _ := strconv.Atoi(res.Rows[0][0])
	res, err = e.st.Query(ctx, "SELECT count() FROM "+db+".contributions WHERE report = 'reform' AND period_kind = 'half_year' AND cutoff = 'official' AND year = 2026 AND number = 1")
	if err != nil {
		return err
	}
	parts := res.Rows[0][0]

	// What new events cost the reports: summing every dossier's periods
	// again into dossier_totals, which consume and up do in the background
	// and report before it reads.
	start := time.Now()
	if _, err := schema.Refresh(ctx, e.st, db, true); err != nil {
		return err
	}
	b.add(Result{Phase: "report: refresh dossier_totals", Engine: e.name, Events: n, Took: time.Since(start),
		Note: "every dossier's state finished and unfolded into its periods, summed and stored"})

	p, _ := report.ParsePeriod("2026-H1", report.Official)
	dir := filepath.Join(b.cfg.Dir, "reports-"+e.name)
	var reports, forms []time.Duration
	for range b.cfg.ReportRuns {
		// Generate checks the snapshot is current before it reads, as the
		// report command does
		start := time.Now()
		if _, err := report.Generate(ctx, e.st, db, report.Request{Kind: report.Reform, Period: p, Formats: report.AllFormats, Dir: dir}); err != nil {
			return err
		}
		reports = append(reports, time.Since(start))

		start = time.Now()
		if _, err := e.st.Query(ctx, "SELECT * FROM "+db+".dossier_form_by_agency WHERE kind = 'half_year' AND cutoff = 'official' AND year = 2026 AND number = 1"); err != nil {
			return err
		}
		forms = append(forms, time.Since(start))
	}
	note := fmt.Sprintf("%d runs over %s dossiers (%d events) of a province-year; %s agencies' parts in the report", b.cfg.ReportRuns, report.Int(int64(b.cfg.ReportDossiers)), n, parts)
	r := Result{Phase: "report: six months, every format", Engine: e.name, Events: n, Note: note}
	percentiles(&r, reports)
	b.add(r)
	r = Result{Phase: "report: dossier form by agency", Engine: e.name, Events: n, Note: note}
	percentiles(&r, forms)
	b.add(r)
	return nil
}

// loadProvinceYear simulates a province receiving ReportDossiers dossiers
// a year (December 2025 to November 2026, so the official 2026 half-year is
// whole) and inserts the events straight into db.
func (b *bench) loadProvinceYear(ctx context.Context, e *engine, db string) error {
	if err := e.st.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		return err
	}
	if _, err := schema.Migrate(ctx, e.st, db); err != nil {
		return err
	}
	cfg := province(max(1, b.cfg.ReportDossiers/workingDaysPerYear))
	cfg.From, cfg.To = events.NewDate(2025, 12, 1), events.NewDate(2026, 11, 30)
	const batch = 20_000
	rows := make([]store.EventRow, 0, batch)
	seq := uint64(0)
	now := time.Now()
	start := time.Now()
	flush := func() error {
		if len(rows) == 0 {
			return nil
		}
		err := e.st.InsertEvents(ctx, db, rows)
		rows = rows[:0]
		return err
	}
	b.say("loading a province-year of %s dossiers into %s", report.Int(int64(b.cfg.ReportDossiers)), e.name)
	err := simulateEvents(ctx, cfg, 0, func(ev events.Event) error {
		if ev.SchemaVersion == 0 {
			ev.SchemaVersion = events.CurrentVersion(ev.Type)
		}
		seq++
		r, err := store.RowFromEvent(ev, seq, now)
		if err != nil {
			return err
		}
		rows = append(rows, r)
		if len(rows) == batch {
			if seq%(50*batch) == 0 {
				b.say("  %s events", report.Int(int64(seq)))
			}
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return err
	}
	b.add(Result{Phase: "report data: simulate and insert", Engine: e.name, Events: int(seq), Took: time.Since(start),
		Note: fmt.Sprintf("%d rows per insert, no NATS", batch)})
	return os.RemoveAll(filepath.Join(b.cfg.Dir, "reports-"+e.name))
}
