package store

import "strings"

var literalEscaper = strings.NewReplacer(`\`, `\\`, `'`, `\'`)

// Quote writes s as a ClickHouse string literal, for the values our own
// statements carry (agency codes, event ids); analysts' text is never
// spliced into SQL.
func Quote(s string) string {
	return "'" + literalEscaper.Replace(s) + "'"
}
