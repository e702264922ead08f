// Package browsertest opens a self-contained HTML file in headless Chromium
// and reports what went wrong there, so that tests of generated reports see
// the page as a reader's browser does: script errors, resources that did not
// load, and what the document holds.
//
// It drives the browser with github.com/chromedp/chromedp because that library
// speaks the DevTools protocol directly over a pipe to a browser that it starts
// itself: it needs no WebDriver server, no Node.js and no download of its own
// browser build, only Debian's chromium package. The protocol also reports
// console messages, uncaught exceptions and failed loads as events, which a
// screenshot or an HTML parser cannot.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
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

// browserNames are the commands tried in order: Debian's package, other
// distributions' name for it, and Google's build.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// Page is what the browser saw when it loaded a file.
type Page struct {
	// Title is the document's title.
	Title string
	// ConsoleProblems holds console errors and warnings, failed
	// console.assert calls, uncaught exceptions and browser log entries of
	// level error or warning, each as "level: text (source)".
	ConsoleProblems []string
	// FailedLoads holds every resource that did not load, each as
	// "URL: reason". A request to the network is always one of them, with
	// the reason net::ERR_NAME_NOT_RESOLVED, as the browser is cut off.
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
	browser := findBrowser(t)
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatalf("browsertest: %v", err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser),
		// A report must be self-contained, so a request to the network
		// must fail even on a machine that is online. No host name or IP
		// address resolves: the request fails with
		// net::ERR_NAME_NOT_RESOLVED, and no traffic leaves the machine,
		// also from frames, which the DevTools URL blocking misses.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"),
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
	err = chromedp.Listen(ctx, rec.record)
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Navigate(fileURL(abs)))
	}
	if !watchdog.Stop() {
		t.Fatalf("browsertest: loading %s took more than %v", path, timeout)
	}
	if err != nil {
		t.Fatalf("browsertest: loading %s in %s: %v", path, browser, err)
	}

	page := &Page{t: t, ctx: ctx}
	page.Title = run(page, chromedp.Title())
	page.SVGCount = page.Count("svg")
	// The listener sees events in order, so every event sent before the
	// replies to the queries above has been recorded by now.
	page.ConsoleProblems, page.FailedLoads = rec.results()
	return page
}

// Count returns the number of elements that match the CSS selector, as the
// browser's document.querySelectorAll finds them now.
func (p *Page) Count(selector string) int {
	p.t.Helper()
	quoted, err := json.Marshal(selector)
	if err != nil {
		p.t.Fatalf("browsertest: selector %q: %v", selector, err)
	}
	return run(p, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%s).length", quoted)))
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

func fileURL(abs string) string {
	return "file://" + filepath.ToSlash(abs)
}

// recorder collects the events of a page. Its record method runs on the
// goroutine that reads the browser's messages, so it only appends.
type recorder struct {
	mu          sync.Mutex
	requestURLs map[network.RequestID]string
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
		if e.Level == log.EntryLevelError || e.Level == log.EntryLevelWarning {
			r.console = append(r.console, fmt.Sprintf("%s: %s (%s %s)", e.Level, e.Text, e.Source, e.URL))
		}
	case *network.EventRequestWillBeSent:
		if r.requestURLs == nil {
			r.requestURLs = make(map[network.RequestID]string)
		}
		r.requestURLs[ev.RequestID] = ev.Request.URL
	case *network.EventLoadingFailed:
		r.failedLoads = append(r.failedLoads, fmt.Sprintf("%s: %s", r.requestURLs[ev.RequestID], ev.ErrorText))
	}
}

func (r *recorder) results() (console, failedLoads []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.console...), append([]string(nil), r.failedLoads...)
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
