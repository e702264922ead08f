// Package browsertest opens a self-contained HTML file, or a page of a web
// server on the loopback address, in headless Chromium and reports what went
// wrong there, so that tests of generated reports see the page as a reader's
// browser does: script errors, resources that did not load, what the
// document holds, and how it looks.
//
// It drives the browser with github.com/chromedp/chromedp because that library
// speaks the DevTools protocol directly over a pipe to a browser that it starts
// itself: it needs no WebDriver server, no Node.js and no download of its own
// browser build, only Debian's chromium package. The protocol also reports
// console messages, uncaught exceptions and failed loads as events, which a
// screenshot or an HTML parser cannot.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// timeout bounds the start of the browser and the load of a page, and each
// later query, so that a hung browser fails the test instead of the whole
// go test run.
const timeout = 60 * time.Second

// windowWidth and windowHeight are the size of every page's viewport, so that
// the layout, and with it a screenshot, does not depend on the browser's
// default or the machine.
const (
	windowWidth  = 1280
	windowHeight = 900
)

// hostResolverRules cuts the browser off from the network. A report must be
// self-contained, so a request to the network must fail even on a machine
// that is online: no host name or IP address resolves, the request fails with
// net::ERR_NAME_NOT_RESOLVED, and no traffic leaves the machine, also from
// frames, which the DevTools URL blocking misses. Only 127.0.0.1 is left
// out of the rule, for the test's own web server (httptest).
const hostResolverRules = "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"

// browserNames are the commands tried in order: Debian's package, other
// distributions' name for it, and Google's build.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// Page is what the browser saw when it loaded a file or URL.
type Page struct {
	// Title is the document's title.
	Title string
	// Status is the HTTP status of the document, 0 for a file.
	Status int
	// ConsoleProblems holds console errors and warnings, failed
	// console.assert calls, uncaught exceptions and browser log entries of
	// level error or warning, each as "level: text (source)".
	ConsoleProblems []string
	// FailedLoads holds every resource that did not load, each as
	// "URL: reason". A request to the network is always one of them, with
	// the reason net::ERR_NAME_NOT_RESOLVED, as the browser is cut off. A
	// resource that the server answered with a 4xx or 5xx status is one of
	// them too, as "URL: HTTP 404", since the browser counts it as loaded.
	FailedLoads []string
	// SVGCount is the number of svg elements in the document.
	SVGCount int

	t   testing.TB
	ctx context.Context
}

// Load opens the file at path in a new headless Chromium, waits until the page
// has loaded, and returns what happened. It fails the test if no browser is
// installed or the page cannot be loaded. The browser stays up for Count until
// the test ends; then it is killed and its profile directory removed.
func Load(t testing.TB, path string) *Page {
	t.Helper()
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}
	return load(t, fileURL(abs), path)
}

// LoadURL is Load for a page of a web server on 127.0.0.1, such as an
// httptest.Server's URL plus a path; other hosts do not resolve. A 4xx or 5xx
// answer for the page does not fail the test: Status holds it.
func LoadURL(t testing.TB, url string) *Page {
	t.Helper()
	return load(t, url, url)
}

// load opens url in a new browser; name is what error messages call it.
func load(t testing.TB, url, name string) *Page {
	t.Helper()
	browser := findBrowser(t)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		chromedp.Flag("host-resolver-rules", hostResolverRules),
		// Headless Chromium keeps room for a toolbar that it does not draw,
		// so the viewport is smaller than this window (1280×757 in
		// Chromium 156); EmulateViewport below sets the viewport itself.
		chromedp.WindowSize(windowWidth, windowHeight),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox on, and CI
		// runs as root.
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	t.Cleanup(cancelBrowser)

	// The first chromedp call on ctx starts the browser, and a deadline on
	// that call's context would end the browser with it; so a watchdog
	// bounds the start and the load instead.
	watchdog := time.AfterFunc(timeout, cancelAlloc)
	var rec recorder
	err := chromedp.Listen(ctx, rec.record)
	if err == nil {
		// The viewport has a device scale factor of 1, so that a CSS
		// pixel is a pixel of the screenshot.
		err = chromedp.Do(ctx, chromedp.EmulateViewport(windowWidth, windowHeight), chromedp.Navigate(url))
	}
	if !watchdog.Stop() {
		t.Fatalf("browsertest: loading %s took more than %v", name, timeout)
	}
	if err != nil {
		t.Fatalf("browsertest: loading %s in %s: %v", name, browser, err)
	}

	page := &Page{t: t, ctx: ctx}
	page.Title = run(page, chromedp.Title())
	page.SVGCount = page.Count("svg")
	// The listener sees events in order, so every event sent before the
	// replies to the queries above has been recorded by now.
	page.Status, page.ConsoleProblems, page.FailedLoads = rec.results()
	return page
}

// Count returns the number of elements that match the CSS selector, as the
// browser's document.querySelectorAll finds them now.
func (p *Page) Count(selector string) int {
	p.t.Helper()
	return run(p, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%s).length", p.quote(selector))))
}

// Texts returns the innerText of each element that matches the CSS selector,
// in document order: the text as rendered, with the line breaks of the layout
// and without hidden descendants. (Of an element that is not rendered at all
// it is the textContent.)
func (p *Page) Texts(selector string) []string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[[]string](fmt.Sprintf(
		"Array.from(document.querySelectorAll(%s), e => e.innerText)", p.quote(selector))))
}

// Attrs returns the attribute attr of each element that matches the CSS
// selector, in document order, as written in the document (an href is not
// made absolute); "" where an element has no such attribute.
func (p *Page) Attrs(selector, attr string) []string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[[]string](fmt.Sprintf(
		`Array.from(document.querySelectorAll(%s), e => e.getAttribute(%s) ?? "")`, p.quote(selector), p.quote(attr))))
}

// Eval evaluates a JavaScript expression whose value is a string on the
// loaded page, such as JSON.stringify of what a test measures there
// (element boxes, computed styles).
func (p *Page) Eval(expression string) string {
	p.t.Helper()
	return run(p, chromedp.Evaluate[string](expression))
}

// Screenshot returns the whole page, not only the window, as the browser
// draws it now; it is windowWidth pixels wide unless the page is wider.
func (p *Page) Screenshot() image.Image {
	p.t.Helper()
	// Quality 100 makes a PNG, which is lossless.
	data := run(p, chromedp.FullScreenshot(100))
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		p.t.Fatalf("browsertest: decoding the screenshot: %v", err)
	}
	return img
}

// quote makes s a JavaScript string literal.
func (p *Page) quote(s string) []byte {
	p.t.Helper()
	quoted, err := json.Marshal(s)
	if err != nil {
		p.t.Fatalf("browsertest: %q: %v", s, err)
	}
	return quoted
}

// run runs one query on the loaded page, failing the test on an error.
func run[T any](p *Page, action chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, action)
	if err != nil {
		p.t.Fatalf("browsertest: %v", err)
	}
	return v
}

func findBrowser(t testing.TB) string {
	t.Helper()
	for _, name := range browserNames {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatalf("browsertest: no browser found (tried %s); run scripts/test, which installs Debian's chromium package",
		strings.Join(browserNames, ", "))
	return ""
}

// isDefaultFavicon reports whether rawURL is the /favicon.ico that the
// browser asks a web server for, of its own accord, when a page names no
// icon. The page did not ask for it, and whether its 404 arrives before Load
// returns is a matter of timing, so it is not a problem of the page. (A page
// that names /favicon.ico as its icon loses the report of a 404 with it.)
func isDefaultFavicon(rawURL string) bool {
	u, err := url.Parse(rawURL)
	return err == nil && isHTTP(rawURL) && u.Path == "/favicon.ico" && u.RawQuery == ""
}

func isHTTP(rawURL string) bool {
	return strings.HasPrefix(rawURL, "http://") || strings.HasPrefix(rawURL, "https://")
}

func fileURL(abs string) string {
	return "file://" + filepath.ToSlash(abs)
}

// recorder collects the events of a page. Its record method runs on the
// goroutine that reads the browser's messages, so it only appends.
type recorder struct {
	mu          sync.Mutex
	requestURLs map[network.RequestID]string
	sawDocument bool
	status      int
	console     []string
	failedLoads []string
}

func (r *recorder) record(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		switch ev.Type {
		case runtime.ConsoleAPICalledTypeError, runtime.ConsoleAPICalledTypeWarning, runtime.ConsoleAPICalledTypeAssert:
			r.console = append(r.console, fmt.Sprintf("%s: %s (%s)", ev.Type, argsText(ev.Args), stackSource(ev.StackTrace)))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		r.console = append(r.console, fmt.Sprintf("exception: %s (%s:%d:%d)", text, d.URL, d.LineNumber+1, d.ColumnNumber+1))
	case *log.EventEntryAdded:
		e := ev.Entry
		if (e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning) &&
			!(e.Source == log.EntrySourceNetwork && isDefaultFavicon(e.URL)) {
			r.console = append(r.console, fmt.Sprintf("%s: %s (%s %s)", e.Level, e.Text, e.Source, e.URL))
		}
	case *network.EventRequestWillBeSent:
		if r.requestURLs == nil {
			r.requestURLs = make(map[network.RequestID]string)
		}
		r.requestURLs[ev.RequestID] = ev.Request.URL
	case *network.EventResponseReceived:
		switch {
		case !r.sawDocument && ev.Type == network.ResourceTypeDocument:
			// The page's own document is the first document to arrive;
			// frames' documents come after it. Chromium reports 200 for a
			// file, which no server sent.
			r.sawDocument = true
			if isHTTP(ev.Response.URL) {
				r.status = int(ev.Response.Status)
			}
		case ev.Response.Status >= 400 && !isDefaultFavicon(ev.Response.URL):
			r.failedLoads = append(r.failedLoads, fmt.Sprintf("%s: HTTP %d", ev.Response.URL, ev.Response.Status))
		}
	case *network.EventLoadingFailed:
		r.failedLoads = append(r.failedLoads, fmt.Sprintf("%s: %s", r.requestURLs[ev.RequestID], ev.ErrorText))
	}
}

func (r *recorder) results() (status int, console, failedLoads []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, append([]string(nil), r.console...), append([]string(nil), r.failedLoads...)
}

// argsText renders console arguments as the DevTools console does for the
// common cases: strings as they are, other values by their description.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		switch {
		case a.Type == runtime.RemoteObjectTypeString && json.Unmarshal(a.Value, &s) == nil:
		case a.Description != "":
			s = a.Description
		case a.UnserializableValue != "":
			s = string(a.UnserializableValue)
		default:
			s = string(a.Value)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// stackSource names where a console call was made, as "URL:line:column".
func stackSource(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return "unknown source"
	}
	f := st.CallFrames[0]
	return fmt.Sprintf("%s:%d:%d", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}
