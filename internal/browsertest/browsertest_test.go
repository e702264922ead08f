package browsertest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// writePage writes an HTML page with the body into a temporary directory and
// returns its path.
func writePage(t *testing.T, title, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "page.html")
	html := "<!doctype html>\n<html lang=vi><head><meta charset=utf-8><title>" + title + "</title></head>\n<body>" + body + "</body></html>\n"
	if err := os.WriteFile(path, []byte(html), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func containsText(list []string, text string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, text) })
}

func TestCleanPage(t *testing.T) {
	const title = "Báo cáo 6 tháng đầu năm 2024"
	svg := `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>`
	page := Load(t, writePage(t, title, "<h1>Doanh thu</h1>"+svg+"<p>Chi phí</p>"+svg))

	if page.Title != title {
		t.Errorf("Title = %q, want %q", page.Title, title)
	}
	if page.SVGCount != 2 {
		t.Errorf("SVGCount = %d, want 2", page.SVGCount)
	}
	if len(page.ConsoleProblems) > 0 || len(page.FailedLoads) > 0 {
		t.Errorf("clean page has ConsoleProblems %q, FailedLoads %q", page.ConsoleProblems, page.FailedLoads)
	}
	if n := page.Count("svg rect"); n != 2 {
		t.Errorf(`Count("svg rect") = %d, want 2`, n)
	}
	if n := page.Count("table"); n != 0 {
		t.Errorf(`Count("table") = %d, want 0`, n)
	}
}

func TestConsoleError(t *testing.T) {
	page := Load(t, writePage(t, "error", `<script>console.error("boom")</script>`))
	if !containsText(page.ConsoleProblems, "error: boom (file://") {
		t.Errorf("ConsoleProblems = %q, want the console error with its source", page.ConsoleProblems)
	}
}

func TestUncaughtException(t *testing.T) {
	page := Load(t, writePage(t, "exception", `<script>undefinedFunction()</script>`))
	if !containsText(page.ConsoleProblems, "undefinedFunction is not defined") {
		t.Errorf("ConsoleProblems = %q, want the ReferenceError", page.ConsoleProblems)
	}
}

func TestNetworkLoadsFail(t *testing.T) {
	page := Load(t, writePage(t, "network",
		`<link rel=stylesheet href="http://127.0.0.1:1/x.css"><img src="https://cdn.example.invalid/x.png?v=1">`))
	for _, url := range []string{"http://127.0.0.1:1/x.css", "https://cdn.example.invalid/x.png?v=1"} {
		if !containsText(page.FailedLoads, url+": ") {
			t.Errorf("FailedLoads = %q, want %s", page.FailedLoads, url)
		}
	}
}

func TestMissingLocalImage(t *testing.T) {
	page := Load(t, writePage(t, "missing", `<img src="missing.png">`))
	if !containsText(page.FailedLoads, "missing.png: net::ERR_FILE_NOT_FOUND") {
		t.Errorf("FailedLoads = %q, want missing.png", page.FailedLoads)
	}
}

// TestCleanupRemovesBrowser checks that the browser process and its profile
// directory are gone once the test that loaded a page has ended.
func TestCleanupRemovesBrowser(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	page := writePage(t, "cleanup", "<p>x</p>")
	t.Run("load", func(t *testing.T) { Load(t, page) })

	left, err := filepath.Glob(filepath.Join(tmp, "chromedp-runner*"))
	if err != nil || len(left) > 0 {
		t.Errorf("profile directories left: %q (%v)", left, err)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		if cmdline, err := os.ReadFile(p); err == nil && strings.Contains(string(cmdline), tmp) {
			t.Errorf("browser process still runs: %s", strings.ReplaceAll(string(cmdline), "\x00", " "))
		}
	}
}

// fatalRecorder keeps the message of Fatalf and ends the goroutine, as
// testing.T does, without failing the real test.
type fatalRecorder struct {
	testing.TB
	message string
}

func (f *fatalRecorder) Helper() {}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.message = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// TestNoBrowserFails checks that a machine without a browser fails the test,
// and says how to install one, rather than skipping it.
func TestNoBrowserFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Load(rec, writePage(t, "no browser", ""))
	}()
	<-done
	if !strings.Contains(rec.message, "no browser found") || !strings.Contains(rec.message, "run scripts/test") {
		t.Errorf("Load without a browser: Fatalf(%q), want a message that says to run scripts/test", rec.message)
	}
}
