// Package contributions turns an agency's part of a report — a Markdown file
// in the subset the event contract accepts, and named figures — into
// contribution.submitted events, and reads the contributions in force from
// the view contributions (Current, the reader report.Load uses too, since
// the report package cannot import this one). `baocao contribute` is its
// command line.
package contributions
