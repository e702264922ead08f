package browsertest

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden screenshots under testdata")

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
	if page.Status != 0 {
		t.Errorf("Status = %d for a file, want 0", page.Status)
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

// serve starts a web server on 127.0.0.1 that answers each path of pages with
// its HTML and every other path with 404, and returns its URL.
func serve(t *testing.T, pages map[string]string) string {
	t.Helper()
	mux := http.NewServeMux()
	for path, html := range pages {
		mux.HandleFunc("GET "+path+"{$}", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		})
	}
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL
}

func htmlPage(title, body string) string {
	return "<!doctype html>\n<html lang=vi><head><meta charset=utf-8><title>" + title + "</title></head>\n<body>" + body + "</body></html>\n"
}

func TestLoadURL(t *testing.T) {
	const title = "Doanh thu theo tháng"
	url := serve(t, map[string]string{"/report/": htmlPage(title,
		`<h1>Doanh thu</h1><svg width="40" height="20"><rect width="40" height="20" fill="teal"/></svg>`+
			`<p class=note>Đơn vị: <b>triệu đồng</b><span hidden> ẩn</span></p><p class=note>Nguồn:<br>Tổng cục</p>`+
			`<a href="/report/2024/">Năm 2024</a> <a href="https://example.com/a?b=1">Nguồn</a> <a name=x>x</a>`)})
	page := LoadURL(t, url+"/report/")

	if page.Status != 200 {
		t.Errorf("Status = %d, want 200", page.Status)
	}
	if page.Title != title || page.SVGCount != 1 {
		t.Errorf("Title = %q, SVGCount = %d, want %q, 1", page.Title, page.SVGCount, title)
	}
	if len(page.ConsoleProblems) > 0 || len(page.FailedLoads) > 0 {
		t.Errorf("clean page has ConsoleProblems %q, FailedLoads %q", page.ConsoleProblems, page.FailedLoads)
	}
	// innerText leaves out hidden text and keeps line breaks.
	if got, want := page.Texts("p.note"), []string{"Đơn vị: triệu đồng", "Nguồn:\nTổng cục"}; !slices.Equal(got, want) {
		t.Errorf(`Texts("p.note") = %q, want %q`, got, want)
	}
	if got, want := page.Attrs("a", "href"), []string{"/report/2024/", "https://example.com/a?b=1", ""}; !slices.Equal(got, want) {
		t.Errorf(`Attrs("a", "href") = %q, want %q`, got, want)
	}
	if got := page.Texts("table"); len(got) != 0 {
		t.Errorf(`Texts("table") = %q, want none`, got)
	}
}

func TestLoadURLNotFound(t *testing.T) {
	url := serve(t, map[string]string{"/": htmlPage("root", "")})
	page := LoadURL(t, url+"/missing/")
	if page.Status != 404 {
		t.Errorf("Status = %d, want 404", page.Status)
	}
}

func TestLoadURLSubresourceNotFound(t *testing.T) {
	url := serve(t, map[string]string{"/": htmlPage("img", `<img src="/missing.png" alt="">`)})
	page := LoadURL(t, url+"/")
	if page.Status != 200 {
		t.Errorf("Status = %d, want 200", page.Status)
	}
	if !containsText(page.FailedLoads, url+"/missing.png: HTTP 404") {
		t.Errorf("FailedLoads = %q, want %s/missing.png: HTTP 404", page.FailedLoads, url)
	}
}

// TestLoadURLNetworkCutOff checks that opening the loopback server leaves the
// rest of the network cut off.
func TestLoadURLNetworkCutOff(t *testing.T) {
	url := serve(t, map[string]string{"/": htmlPage("network", `<img src="http://example.com/x" alt="">`)})
	page := LoadURL(t, url+"/")
	if !containsText(page.FailedLoads, "http://example.com/x: net::ERR_NAME_NOT_RESOLVED") {
		t.Errorf("FailedLoads = %q, want http://example.com/x not resolved", page.FailedLoads)
	}
}

// blocksPage is a page of coloured blocks and some text, whose screenshot
// has a known height: the window's, as the blocks fit into it.
var blocksPage = htmlPage("blocks", `<style>body{margin:0;font:16px sans-serif}div{height:200px}</style>`+
	`<h1 style="margin:0;height:100px">Báo cáo</h1><div style="background:#c33"></div><div style="background:#3a3;width:50%"></div><p>Chi phí</p>`)

func TestScreenshot(t *testing.T) {
	url := serve(t, map[string]string{"/": blocksPage})
	img := LoadURL(t, url+"/").Screenshot()
	b := img.Bounds()
	if b.Dx() != 1280 || b.Dy() != 900 {
		t.Errorf("screenshot is %dx%d, want 1280x900", b.Dx(), b.Dy())
	}
	first := img.At(b.Min.X, b.Min.Y)
	same := true
	for y := b.Min.Y; y < b.Max.Y && same; y += 7 {
		for x := b.Min.X; x < b.Max.X && same; x += 7 {
			same = img.At(x, y) == first
		}
	}
	if same {
		t.Errorf("screenshot is all one colour %v", first)
	}
}

// TestScreenshotLong checks that the screenshot holds the whole page, beyond
// the window.
func TestScreenshotLong(t *testing.T) {
	url := serve(t, map[string]string{"/": htmlPage("long", `<div style="height:2000px;background:teal"></div>`)})
	b := LoadURL(t, url+"/").Screenshot().Bounds()
	if b.Dx() != 1280 || b.Dy() < 2000 {
		t.Errorf("screenshot is %dx%d, want 1280 wide and at least 2000 high", b.Dx(), b.Dy())
	}
}

// TestScreenshotGolden compares with a committed golden, so that a change of
// the screenshot between runs of the same browser shows.
func TestScreenshotGolden(t *testing.T) {
	url := serve(t, map[string]string{"/": blocksPage})
	MatchGolden(t, LoadURL(t, url+"/").Screenshot(), filepath.Join("testdata", "blocks.png"), *update)
}

func TestMatchGoldenItself(t *testing.T) {
	url := serve(t, map[string]string{"/": blocksPage})
	shot := LoadURL(t, url+"/").Screenshot()
	golden := filepath.Join(t.TempDir(), "new", "dir", "blocks.png")
	MatchGolden(t, shot, golden, true)
	info, err := os.Stat(golden)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > 50_000 {
		t.Errorf("golden is %d bytes, want it small", info.Size())
	}
	MatchGolden(t, shot, golden, false)
	if _, err := os.Stat(golden + ".actual.png"); err == nil {
		t.Errorf("%s.actual.png left after a match", golden)
	}
}

// blocks returns a white w×h image with a black rectangle.
func blocks(w, h int, black image.Rectangle) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{255, 255, 255, 255}
			if (image.Point{x, y}).In(black) {
				c = color.RGBA{0, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	return img
}

func TestCompareGolden(t *testing.T) {
	golden := filepath.Join(t.TempDir(), "g.png")
	want := blocks(1280, 900, image.Rect(0, 0, 640, 900))
	if err := writeGolden(want, golden); err != nil {
		t.Fatal(err)
	}
	actual := golden + ".actual.png"

	for _, tc := range []struct {
		name string
		got  image.Image
		want []string // in the error; none for a match
	}{
		{"same", want, nil},
		{"small change", blocks(1280, 900, image.Rect(0, 0, 660, 900)), nil},
		{"slightly higher", blocks(1280, 920, image.Rect(0, 0, 640, 920)), nil},
		{"other half", blocks(1280, 900, image.Rect(640, 0, 1280, 900)), []string{
			"height 225 px against 225 px, 0.0 %", "mean pixel difference 100.0 % of 255", actual, "-update"}},
		{"higher", blocks(1280, 1000, image.Rect(0, 0, 640, 1000)), []string{
			"height 250 px against 225 px, 11.1 % apart (limit 3 %)", "mean pixel difference 0.0 %"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := compareGolden(tc.got, golden)
			_, statErr := os.Stat(actual)
			if tc.want == nil {
				if err != nil {
					t.Errorf("compareGolden: %v, want a match", err)
				}
				if statErr == nil {
					t.Errorf("%s left after a match", actual)
				}
				return
			}
			if err == nil {
				t.Fatalf("compareGolden matched, want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("compareGolden: %v, want it to say %q", err, w)
				}
			}
			if statErr != nil {
				t.Errorf("no reduced screenshot to inspect: %v", statErr)
			}
		})
	}

	if err := writeGolden(want, golden); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(actual); err == nil {
		t.Errorf("%s left after an update", actual)
	}
}

func TestCompareGoldenMissing(t *testing.T) {
	golden := filepath.Join(t.TempDir(), "missing.png")
	err := compareGolden(blocks(1280, 900, image.Rect(0, 0, 1, 1)), golden)
	if err == nil || !strings.Contains(err.Error(), golden+" is missing") || !strings.Contains(err.Error(), "-update") {
		t.Errorf("compareGolden: %v, want it to say the golden is missing and to run with -update", err)
	}
}

// TestMatchGoldenFails checks that a mismatch fails the test with the
// reason.
func TestMatchGoldenFails(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		MatchGolden(rec, blocks(10, 10, image.Rect(0, 0, 0, 0)), filepath.Join(t.TempDir(), "none.png"), false)
	}()
	<-done
	if !strings.HasPrefix(rec.message, "browsertest: golden ") || !strings.Contains(rec.message, "-update") {
		t.Errorf("MatchGolden: Fatalf(%q), want the missing golden", rec.message)
	}
}

func TestReduce(t *testing.T) {
	// Four columns of gray 0, 100, 200, 255, two rows high.
	src := image.NewGray(image.Rect(10, 20, 14, 22))
	for y := 20; y < 22; y++ {
		for x, g := range []uint8{0, 100, 200, 255} {
			src.SetGray(10+x, y, color.Gray{g})
		}
	}
	got := Reduce(src, 2)
	if got.Bounds() != image.Rect(0, 0, 2, 1) {
		t.Fatalf("Reduce bounds = %v, want 2×1", got.Bounds())
	}
	if got.Pix[0] != 50 || got.Pix[1] != 228 {
		t.Errorf("Reduce = %v, want [50 228]", got.Pix[:2])
	}
	if b := Reduce(blocks(1280, 2001, image.Rectangle{}), 320).Bounds(); b.Dx() != 320 || b.Dy() != 500 {
		t.Errorf("Reduce of 1280×2001 to 320 wide is %v, want 320×500", b)
	}
}

func TestIsDefaultFavicon(t *testing.T) {
	for url, want := range map[string]bool{
		"http://127.0.0.1:8080/favicon.ico":       true,
		"https://127.0.0.1/favicon.ico":           true,
		"http://127.0.0.1:8080/favicon.ico?v=2":   false,
		"http://127.0.0.1:8080/img/favicon.ico":   false,
		"file:///favicon.ico":                     false,
		"http://127.0.0.1:8080/report/index.html": false,
	} {
		if got := isDefaultFavicon(url); got != want {
			t.Errorf("isDefaultFavicon(%q) = %v, want %v", url, got, want)
		}
	}
}
