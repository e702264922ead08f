package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

// Formats the generator writes.
const (
	FormatMarkdown = "md"
	FormatHTML     = "html"
	FormatXLSX     = "xlsx"
)

// AllFormats lists every format, in the order files are written.
var AllFormats = []string{FormatMarkdown, FormatHTML, FormatXLSX}

var renderers = map[string]func(io.Writer, *Document) error{
	FormatMarkdown: Markdown,
	FormatHTML:     HTML,
	FormatXLSX:     XLSX,
}

// ParseFormats reads a comma-separated list of formats.
func ParseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if _, ok := renderers[f]; !ok {
			return nil, fmt.Errorf("format %q: want md, html or xlsx", f)
		}
		out = append(out, f)
	}
	return out, nil
}

// Request says which report to generate and where.
type Request struct {
	Kind    Kind
	Period  Period
	Formats []string
	Dir     string // output folder; files go to Dir/<kind>/<period>-<cutoff>.<format>
}

// File is one written report file.
type File struct {
	Format  string
	Path    string // relative to the output folder
	Bytes   int64
	SHA256  string
	Changed bool // the folder did not hold these bytes before
}

// Key names a report independently of its formats: reform/2024-H1-official.
func (r Request) Key() string {
	return fmt.Sprintf("%s/%s-%s", r.Kind, r.Period, r.Period.Cutoff)
}

// Generate reads the figures, builds the report and writes it in each
// format. The same data gives byte-identical files, so regenerating a
// report changes nothing unless late events changed its figures. It first
// brings the snapshots up to date with the events (schema.Refresh), so a
// report counts every event inserted before it began.
func Generate(ctx context.Context, st store.Store, db string, r Request) ([]File, error) {
	if _, err := schema.Refresh(ctx, st, db, false); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return generate(ctx, st, db, r)
}

// generate is Generate on the snapshots as they stand.
func generate(ctx context.Context, st store.Store, db string, r Request) ([]File, error) {
	d, err := Load(ctx, st, db, r.Period)
	if err != nil {
		return nil, err
	}
	return Write(r, d)
}

// Write builds report r from figures already loaded for its period and
// writes it in each format, for callers that also use the figures.
func Write(r Request, d *Data) ([]File, error) {
	doc := Build(r.Kind, d)
	var files []File
	for _, format := range r.Formats {
		var buf bytes.Buffer
		if err := renderers[format](&buf, doc); err != nil {
			return files, fmt.Errorf("report: %s: %w", format, err)
		}
		rel := r.Key() + "." + format
		path := filepath.Join(r.Dir, filepath.FromSlash(rel))
		// Rewrite only what changed, so a regenerated report leaves
		// identical files untouched.
		old, err := os.ReadFile(path)
		changed := err != nil || !bytes.Equal(old, buf.Bytes())
		if changed {
			if err := writeFileAtomic(path, buf.Bytes()); err != nil {
				return files, err
			}
		}
		sum := sha256.Sum256(buf.Bytes())
		files = append(files, File{Format: format, Path: rel, Bytes: int64(buf.Len()), SHA256: hex.EncodeToString(sum[:]), Changed: changed})
	}
	return files, nil
}

// writeFileAtomic replaces path with data so that a reader never sees half
// a report.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".report-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
