package web

import (
	"fmt"
	"strings"
	"unicode"
)

// ReadOnlyQuery checks that query is one statement that only reads, and
// returns it without a trailing semicolon. It gives the SQL endpoint's
// friendlier first message; it is not the guard. The engine is: the
// analysts' store runs every query with readonly = 1 fixed where the query
// cannot change it (store.Limits.Settings), and refuses writes, DDL, table
// functions and changed settings whatever this parser let through. The one
// thing only this check stops is chDB's scalar function file(path), which
// reads any file the process can, read-only or not (store/chdb.Analyst).
//
// Allowed: SELECT, WITH … SELECT, SHOW, DESCRIBE, EXPLAIN, EXISTS. Refused:
// more than one statement, INTO OUTFILE, a closing FORMAT clause (the
// endpoint picks the format), and the table functions that read or write files, URLs or
// other servers.
func ReadOnlyQuery(query string) (string, error) {
	toks, err := tokenize(query)
	if err != nil {
		return "", err
	}
	for len(toks) > 0 && toks[len(toks)-1].text == ";" {
		toks = toks[:len(toks)-1]
	}
	if len(toks) == 0 {
		return "", fmt.Errorf("query: empty")
	}
	if first := strings.ToUpper(toks[0].text); !readStatements[first] {
		return "", fmt.Errorf("query: %s is not allowed here: the endpoint is read-only (SELECT, WITH, SHOW, DESCRIBE, EXPLAIN, EXISTS)", first)
	}
	for i, t := range toks {
		word := strings.ToUpper(t.text)
		switch {
		case t.text == ";":
			return "", fmt.Errorf("query: one statement at a time (a ';' at offset %d)", t.pos)
		case t.word && word == "INTO" && i+1 < len(toks) && strings.EqualFold(toks[i+1].text, "OUTFILE"):
			return "", fmt.Errorf("query: INTO OUTFILE is not allowed: the result comes back in the response")
		case t.word && word == "FORMAT" && i == len(toks)-2:
			return "", fmt.Errorf("query: FORMAT is set by the endpoint: use ?format=csv, tsv or json")
		case i+1 < len(toks) && toks[i+1].text == "(" && externalFunctions[strings.ToLower(unquote(t))]:
			return "", fmt.Errorf("query: table function %s() is not allowed: it reaches outside the database", t.text)
		}
	}
	end := toks[len(toks)-1]
	return strings.TrimSpace(query[:end.pos+len(end.text)]), nil
}

var readStatements = map[string]bool{
	"SELECT": true, "WITH": true, "SHOW": true, "DESCRIBE": true, "DESC": true, "EXPLAIN": true, "EXISTS": true,
}

// externalFunctions are table functions that touch files, URLs, processes
// or other servers (ClickHouse's docs, "Table Functions").
var externalFunctions = map[string]bool{
	"file": true, "filecluster": true, "url": true, "urlcluster": true, "s3": true, "s3cluster": true,
	"gcs": true, "oss": true, "cosn": true, "azureblobstorage": true, "azureblobstoragecluster": true,
	"hdfs": true, "hdfscluster": true, "remote": true, "remotesecure": true, "cluster": true,
	"clusterallreplicas": true, "mysql": true, "postgresql": true, "mongodb": true, "redis": true,
	"sqlite": true, "jdbc": true, "odbc": true, "executable": true, "input": true, "deltalake": true,
	"iceberg": true, "icebergs3": true, "hudi": true, "python": true, "arrowflight": true, "ytsaurus": true,
}

// unquote is a word, or a back- or double-quoted identifier without its
// quotes: `file`(…) and "file"(…) call file(…).
func unquote(t token) string {
	if !t.word && len(t.text) >= 2 && (t.text[0] == '`' || t.text[0] == '"') {
		return t.text[1 : len(t.text)-1]
	}
	if !t.word {
		return ""
	}
	return t.text
}

type token struct {
	text string
	pos  int
	word bool // an unquoted word, not a literal or quoted identifier
}

// tokenize splits SQL into words and punctuation, skipping comments and
// reading string literals and quoted identifiers whole, so that a keyword
// inside a string is not taken for one.
func tokenize(q string) ([]token, error) {
	var out []token
	for i := 0; i < len(q); {
		c := q[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case strings.HasPrefix(q[i:], "--") || c == '#':
			for i < len(q) && q[i] != '\n' {
				i++
			}
		case strings.HasPrefix(q[i:], "/*"):
			end := strings.Index(q[i+2:], "*/")
			if end < 0 {
				return nil, fmt.Errorf("query: unterminated comment at offset %d", i)
			}
			i += end + 4
		case c == '\'' || c == '"' || c == '`':
			j := i + 1
			for ; j < len(q); j++ {
				if q[j] == '\\' {
					j++
					continue
				}
				if q[j] == c {
					if j+1 < len(q) && q[j+1] == c { // doubled quote
						j++
						continue
					}
					break
				}
			}
			if j >= len(q) {
				return nil, fmt.Errorf("query: unterminated %c at offset %d", c, i)
			}
			out = append(out, token{text: q[i : j+1], pos: i})
			i = j + 1
		case c == '_' || c >= 0x80 || unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)):
			j := i
			for j < len(q) && (q[j] == '_' || q[j] == '$' || q[j] >= 0x80 || unicode.IsLetter(rune(q[j])) || unicode.IsDigit(rune(q[j]))) {
				j++
			}
			out = append(out, token{text: q[i:j], pos: i, word: true})
			i = j
		default:
			out = append(out, token{text: q[i : i+1], pos: i})
			i++
		}
	}
	return out, nil
}
