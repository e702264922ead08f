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
	"regexp"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

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
	// Layouts are the province's outlines, headers and footers; a kind
	// without one is written in its DefaultLayout.
	Layouts Layouts
	// AsOf is the stream sequence the figures are complete up to, named in
	// the files' metadata; 0 leaves it out.
	AsOf uint64
	// Notice is a line under the subject that qualifies the whole report
	// (Document.Notice): the scheduler's PartialNotice for a report written
	// while its round was open.
	Notice string
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
// report counts every event inserted before it began. A kind not made for
// the period, a directory without the province or a period without events
// is an error (Kind.Allows, Ready), never a document of zeros.
func Generate(ctx context.Context, st store.Store, db string, r Request) ([]File, error) {
	files, _, err := GenerateWithUnplaced(ctx, st, db, r)
	return files, err
}

// GenerateWithUnplaced is Generate, and it also names the contributions
// and indicators no section of the report's outline took (Document's
// Unplaced), for the caller to warn about.
func GenerateWithUnplaced(ctx context.Context, st store.Store, db string, r Request) ([]File, []Unplaced, error) {
	if err := r.Kind.Allows(r.Period); err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	if err := Ready(ctx, st, db, r.Period); err != nil {
		return nil, nil, err
	}
	if _, err := schema.Refresh(ctx, st, db, false); err != nil {
		return nil, nil, fmt.Errorf("report: %w", err)
	}
	d, err := Load(ctx, st, db, r.Period)
	if err != nil {
		return nil, nil, err
	}
	return r.write(d)
}

// Write builds report r from figures already loaded for its period and
// writes it in each format, for callers that also use the figures.
func Write(r Request, d *Data) ([]File, error) {
	files, _, err := r.write(d)
	return files, err
}

// write is Write, and it also names what the document left out
// (Document.Unplaced), from the one document it rendered.
func (r Request) write(d *Data) ([]File, []Unplaced, error) {
	doc, rendered, err := r.render(d)
	if err != nil {
		return nil, nil, err
	}
	var files []File
	for i, format := range r.Formats {
		data := rendered[i]
		rel := r.Key() + "." + format
		path := filepath.Join(r.Dir, filepath.FromSlash(rel))
		// Rewrite only what changed, so a regenerated report leaves
		// identical files untouched.
		old, err := os.ReadFile(path)
		changed := err != nil || !bytes.Equal(old, data)
		if changed {
			if err := writeFileAtomic(path, data); err != nil {
				return files, doc.Unplaced, err
			}
		}
		sum := sha256.Sum256(data)
		files = append(files, File{Format: format, Path: rel, Bytes: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Changed: changed})
	}
	return files, doc.Unplaced, nil
}

// render builds report r from d and renders it in each of r's formats.
func (r Request) render(d *Data) (*Document, [][]byte, error) {
	doc := r.Layouts.For(r.Kind).Build(d)
	doc.AsOf = r.AsOf
	doc.Notice = r.Notice
	out := make([][]byte, len(r.Formats))
	for i, format := range r.Formats {
		var buf bytes.Buffer
		if err := renderers[format](&buf, doc); err != nil {
			return nil, nil, fmt.Errorf("report: %s: %w", format, err)
		}
		out[i] = buf.Bytes()
	}
	return doc, out, nil
}

// Unchanged reports whether the folder holds exactly the files r would
// write from d: the same figures, the same layout and r.AsOf.
func (r Request) Unchanged(d *Data) (bool, error) {
	_, rendered, err := r.render(d)
	if err != nil {
		return false, err
	}
	for i, format := range r.Formats {
		old, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(r.Key()+"."+format)))
		if err != nil || !bytes.Equal(old, rendered[i]) {
			return false, nil
		}
	}
	return true, nil
}

// Written reads the stream sequence named in the metadata of r's files in
// the folder (see AsOfMeta): ok is false unless every format of r is there,
// and asOf is 0 for files that name none (written before reports did, or by
// baocao report).
func (r Request) Written() (asOf uint64, ok bool, err error) {
	for _, f := range r.Formats {
		if _, err := os.Stat(filepath.Join(r.Dir, filepath.FromSlash(r.Key()+"."+f))); err != nil {
			return 0, false, nil
		}
	}
	format := r.Formats[0]
	data, err := os.ReadFile(filepath.Join(r.Dir, filepath.FromSlash(r.Key()+"."+format)))
	if err != nil {
		return 0, false, err
	}
	asOf, err = ReadAsOf(format, data)
	if err != nil {
		return 0, false, fmt.Errorf("report %s.%s: %w", r.Key(), format, err)
	}
	return asOf, true, nil
}

var (
	markdownAsOf = regexp.MustCompile(`\A<!-- baocao as_of_seq: ([0-9]+) -->\n`)
	htmlAsOf     = regexp.MustCompile(`<meta name="` + AsOfMeta + `" content="([0-9]+)">`)
)

// ReadAsOf reads the stream sequence in the metadata of a report file in
// format; 0 when it names none.
func ReadAsOf(format string, data []byte) (uint64, error) {
	var text string
	switch format {
	case FormatMarkdown:
		if m := markdownAsOf.FindSubmatch(data); m != nil {
			text = string(m[1])
		}
	case FormatHTML:
		if i := bytes.Index(data, []byte("</head>")); i >= 0 {
			data = data[:i]
		}
		if m := htmlAsOf.FindSubmatch(data); m != nil {
			text = string(m[1])
		}
	case FormatXLSX:
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return 0, err
		}
		defer f.Close()
		props, err := f.GetCustomProps()
		if err != nil {
			return 0, err
		}
		for _, p := range props {
			if v, ok := p.Value.(string); ok && p.Name == AsOfMeta {
				text = v
			}
		}
	default:
		return 0, fmt.Errorf("format %q: want md, html or xlsx", format)
	}
	if text == "" {
		return 0, nil
	}
	return strconv.ParseUint(text, 10, 64)
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
