package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress shows how far a long command is, with its rate, on a terminal.
// With a known input size it fills a bar by bytes read and names the items
// and their rate in its description; otherwise it counts items. A nil bar
// (no terminal, or --progress never) makes every method a no-op.
type progress struct {
	bar       *progressbar.ProgressBar
	byBytes   bool
	unit      string
	start     time.Time
	items     int64
	described time.Time
}

func newProgress(w io.Writer, mode string, totalBytes int64, unit string) *progress {
	p := &progress{unit: unit, start: time.Now()}
	show := mode == "always"
	if mode == "auto" {
		f, ok := w.(*os.File)
		show = ok && term.IsTerminal(int(f.Fd()))
	}
	if !show {
		return p
	}
	opts := []progressbar.Option{
		progressbar.OptionSetWriter(w),
		progressbar.OptionThrottle(100 * time.Millisecond),
		progressbar.OptionSetWidth(30),
		progressbar.OptionShowElapsedTimeOnFinish(),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
	}
	if totalBytes > 0 {
		p.byBytes = true
		opts = append(opts, progressbar.OptionShowBytes(true), progressbar.OptionSetPredictTime(true))
		p.bar = progressbar.NewOptions64(totalBytes, opts...)
	} else {
		opts = append(opts, progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString(unit),
			progressbar.OptionSpinnerType(14))
		p.bar = progressbar.NewOptions64(-1, opts...)
	}
	return p
}

// add records one item of size bytes.
func (p *progress) add(size int) {
	if p.bar == nil {
		return
	}
	p.items++
	if !p.byBytes {
		p.bar.Add(1)
		return
	}
	p.bar.Add(size)
	if now := time.Now(); now.Sub(p.described) > 250*time.Millisecond {
		p.described = now
		p.bar.Describe(fmt.Sprintf("%d %s, %.0f/s", p.items, p.unit, float64(p.items)/now.Sub(p.start).Seconds()))
	}
}

// set shows done of total items, for work measured by position (a replay's
// stream sequence) rather than counted one by one.
func (p *progress) set(done, total int64) {
	if p.bar == nil {
		return
	}
	if p.bar.GetMax64() != total {
		p.bar.ChangeMax64(total)
	}
	_ = p.bar.Set64(done)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
