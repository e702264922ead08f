package main

import (
	"log/slog"
	"net/http"

	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/store"
)

// reportPages are the report pages served at / (TEMPORARY until web.Pages lands).
func reportPages(st store.Store, db string, sched report.Schedule, log *slog.Logger) interface{ Register(*http.ServeMux) } {
	return nil
}
