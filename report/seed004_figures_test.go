package report_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baocao/baocao/internal/chtest"
	"github.com/baocao/baocao/internal/enginetest"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/report/reporttest"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden reports under testdata")

// seed004Golden is the six-month report of seed 004's events and
// contributions, as committed; -update rewrites it.
const seed004Golden = "testdata/seed004-reform-2024-H1.md"

// The whole six-month report: from seed 004's events and the agencies'
// parts (delivered twice and shuffled), the generated reform report has
// every section of the outline, states each of the 103 figures of seed 004
// in its own section, none of a replaced or withdrawn part, is the
// committed Markdown byte for byte, and is the same in every format on both
// engines (each fed in another order).
func TestSeed004EveryFigure(t *testing.T) {
	evs := append(reporttest.Seed004(), reporttest.Seed004Contributions()...)
	p, _ := report.ParsePeriod("2024-H1", report.Official)
	outline := report.DefaultOutline(report.Reform)
	var files [][]report.File
	enginetest.Engines(t, func(t *testing.T, s store.Store, _ *chtest.Server) {
		db := storetest.Migrated(t, s)
		// another shuffle on each engine: the same bytes from both say the
		// order of arrival changes nothing
		storetest.InsertTwiceShuffled(t, s, db, evs, uint64(14+27*len(files)))
		d, err := report.Load(context.Background(), s, db, p)
		if err != nil {
			t.Fatal(err)
		}
		doc := report.Build(report.Reform, d)

		var keys, want []string
		for _, s := range doc.Sections {
			keys = append(keys, s.Key)
		}
		for _, s := range outline.Sections {
			want = append(want, s.Key)
		}
		if strings.Join(keys, " ") != strings.Join(want, " ") {
			t.Errorf("the report's sections are\n%s\nthe outline's\n%s", strings.Join(keys, " "), strings.Join(want, " "))
		}
		for i, s := range doc.Sections {
			leaf := i+1 == len(doc.Sections) || doc.Sections[i+1].Level <= s.Level
			if leaf && (len(s.Blocks) == 0 || strings.TrimSpace(treeText(doc, s.Key)) == strings.TrimSpace(s.Heading+"\n"+report.DefaultEmpty)) {
				t.Errorf("section %s (%s) has nothing", s.Key, s.Heading)
			}
		}

		var missing []string
		stated := 0
		for _, f := range reporttest.Seed004Figures {
			text := treeText(doc, f.Section)
			var lacks []string
			for _, ph := range f.Phrases {
				if !strings.Contains(text, ph) {
					lacks = append(lacks, ph)
				}
			}
			if len(lacks) > 0 {
				missing = append(missing, fmt.Sprintf("#%d %s (%s): %q", f.N, f.Section, f.From, lacks))
			} else {
				stated++
			}
		}
		t.Logf("the report states %d of the %d figures of seed 004", stated, len(reporttest.Seed004Figures))
		if len(missing) > 0 {
			t.Errorf("the report lacks %d figures of seed 004 in their sections:\n%s", len(missing), strings.Join(missing, "\n"))
		}
		// a named figure with its comparison, in its section
		if want := "Thu ngân sách nhà nước trên địa bàn (5 tháng): 53.244 tỷ đồng (5 tháng đầu năm 2023: 38.123,3 tỷ đồng)."; !strings.Contains(treeText(doc, "assessment.strengths"), want) {
			t.Errorf("the strengths do not state the named figure %q", want)
		}
		if len(doc.Unplaced) > 0 {
			t.Errorf("parts the report has no place for: %v", doc.Unplaced)
		}
		all := doc.Text()
		for _, s := range reporttest.Seed004Superseded {
			if strings.Contains(all, s) {
				t.Errorf("the report states %q, of a part replaced or withdrawn", s)
			}
		}

		dir := t.TempDir()
		fs, err := report.Generate(context.Background(), s, db, report.Request{Kind: report.Reform, Period: p, Formats: report.AllFormats, Dir: dir})
		if err != nil {
			t.Fatal(err)
		}
		md := generated(t, dir, fs[0])
		if *update && len(files) == 0 {
			if err := os.MkdirAll(filepath.Dir(seed004Golden), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(seed004Golden, md, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		golden, err := os.ReadFile(seed004Golden)
		if err != nil {
			t.Fatalf("%v; run go test ./report -run TestSeed004EveryFigure -update", err)
		}
		if !bytes.Equal(md, golden) {
			t.Errorf("the Markdown differs from %s (%s); run go test ./report -run TestSeed004EveryFigure -update and read the diff", seed004Golden, firstDifference(md, golden))
		}
		assertPageInBrowser(t, filepath.Join(dir, filepath.FromSlash(fs[1].Path)))
		files = append(files, fs)
	})
	if len(files) == 2 {
		for f := range files[0] {
			if files[0][f].SHA256 != files[1][f].SHA256 {
				t.Errorf("%s differs between ClickHouse 18.16 and chDB", files[0][f].Path)
			}
		}
	}
}

// treeText is the running text of the section with key and of the sections
// under it.
func treeText(doc *report.Document, key string) string {
	sub := &report.Document{}
	for _, s := range doc.Sections {
		if s.Key == key || strings.HasPrefix(s.Key, key+".") {
			sub.Sections = append(sub.Sections, s)
		}
	}
	return sub.Text()
}

// firstDifference names the first line where got and want differ.
func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return fmt.Sprintf("line %d: %.120q, golden %.120q", i+1, a, b)
		}
	}
	return "same lines"
}
