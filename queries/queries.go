// Package queries holds the SQL views analysts query and the report
// generator reads: NN_name.sql, one CREATE VIEW IF NOT EXISTS {db}.name per
// file, applied in file order (a view may read the views before it) by
// schema.Migrate after the migrations. A CREATE TABLE … AS SELECT file is a
// snapshot of the views before it, built again by schema.Refresh. They read the projections of schema/
// and run unchanged on ClickHouse 18.16 and chDB 26.5. README.md lists them.
package queries

import "embed"

// Files holds the view files.
//
//go:embed *.sql
var Files embed.FS
