package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// The demo runs the main job end to end on the embedded default and says
// where the files are; run again, it starts afresh in its own folder. The
// reports follow the province's layout (--document-*).
func TestDemo(t *testing.T) {
	data := filepath.Join(t.TempDir(), "demo")
	var summary string
	for run := range 2 {
		c := startChild(t, "demo", "--data", data, "--dossiers-per-day", "40", "--progress", "never", "--document-signer-name", "Nguyễn Văn Demo")
		if code := c.wait(t, 5*time.Minute); code != 0 {
			t.Fatalf("run %d: exit %d:\n%s", run, code, c.output())
		}
		out := c.output()
		summary = out
		for _, want := range []string{"baocao demo: thành phố Hải Phòng, 6 tháng đầu năm 2024", "dossiers received", "Tỷ lệ hồ sơ giải quyết trước và đúng hạn", "agencies' parts",
			"baocao up --data " + data} {
			if !strings.Contains(out, want) {
				t.Errorf("run %d: the summary lacks %q:\n%s", run, want, lastLines(out, 30))
			}
		}
		for _, key := range []string{"reform/2024-H1-official", "procedure_control/2024-Q1-official", "procedure_control/2024-Q2-official"} {
			for _, ext := range []string{"md", "html", "xlsx"} {
				path := filepath.Join(data, "reports", key+"."+ext)
				if !strings.Contains(out, path) {
					t.Errorf("run %d: the summary does not list %s", run, path)
				}
				if st, err := os.Stat(path); err != nil || st.Size() < 1000 {
					t.Errorf("run %d: %s: %v", run, path, err)
				}
			}
		}
	}
	md, err := os.ReadFile(filepath.Join(data, "reports", "reform", "2024-H1-official.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(md), "Nguyễn Văn Demo") {
		t.Error("the reform report lacks the signer --document-signer-name gave")
	}
	// one online share: the summary's is the report's (the indicator's, of
	// the newly received dossiers), in its sentence and its indicator table
	if m := regexp.MustCompile(`online (\d+,\d%)`).FindStringSubmatch(summary); m == nil {
		t.Error("the summary states no online share")
	} else if !strings.Contains(string(md), "chiếm "+m[1]+" số hồ sơ mới tiếp nhận") || !strings.Contains(string(md), "| Tỷ lệ hồ sơ trực tuyến | "+m[1]+" |") {
		t.Errorf("the summary's online share %s is not the report's sentence's and indicator table's", m[1])
	}
	// the simulated departments' parts (simulate/contributions.go)
	if !strings.Contains(string(md), "Công tác thông tin, tuyên truyền được đẩy mạnh trong 6 tháng đầu năm 2024") {
		t.Error("the reform report lacks the agencies' parts")
	}
	f, err := excelize.OpenFile(filepath.Join(data, "reports", "reform", "2024-H1-official.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.GetSheetList()) < 2 {
		t.Errorf("xlsx sheets: %v", f.GetSheetList())
	}
	f.Close()

	// A folder the demo did not make is never emptied.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "keep.txt"), []byte("mine"), 0o644)
	code, _, errs := baocao(t, "", "demo", "--data", other)
	if code != 2 || !strings.Contains(errs, "holds files the demo did not make") {
		t.Errorf("demo in a foreign folder: exit %d %s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(other, "keep.txt")); err != nil {
		t.Error(err)
	}
}
