package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
)

type publishOptions struct {
	rejects    string
	maxPending int
	dryRun     bool
	progress   string
	drain      time.Duration
}

func newPublishCmd(g *globals) *cobra.Command {
	o := publishOptions{}
	cmd := &cobra.Command{
		Use:   "publish [FILE...]",
		Short: "Publish events from JSON Lines files or standard input",
		Long: `Publish reads events, one JSON object per line, from the files named (or
standard input when none is named, or for "-"), validates each against the
event contract and publishes the valid ones to the events stream with their id
as Nats-Msg-Id, so publishing a file twice stores each event once.

Lines that fail validation, and valid lines the stream could not take, are
written with their file, line number and reason to the rejects file; the
command then exits with status 1. Blank lines are skipped.`,
		Example: `  baocao publish dossiers-2024-06.jsonl
  baocao simulate --from 2024-01-01 --to 2024-01-31 | baocao publish
  baocao publish --dry-run --rejects errors.jsonl export.jsonl`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"-"}
			}
			return runPublish(cmd.Context(), g, o, args)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.rejects, "rejects", "rejected.jsonl", "file for rejected and failed lines (written only if there are any)")
	f.IntVar(&o.maxPending, "max-pending", 4000, "events in flight awaiting the stream's ack")
	f.BoolVar(&o.dryRun, "dry-run", false, "validate only; do not connect to NATS")
	f.StringVar(&o.progress, "progress", "auto", "progress bar: auto (on a terminal), always, never")
	f.DurationVar(&o.drain, "drain-timeout", 30*time.Second, "once the input has ended or was interrupted, how long to wait for the last acks")
	return cmd
}

// publishTally counts what became of the input lines.
type publishTally struct {
	mu                                             sync.Mutex
	lines, published, duplicates, rejected, failed int64
}

func (t *publishTally) add(o producers.Outcome) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch o {
	case producers.Published:
		t.published++
	case producers.Duplicate:
		t.duplicates++
	case producers.Rejected:
		t.rejected++
	case producers.Failed:
		t.failed++
	}
}

func runPublish(ctx context.Context, g *globals, o publishOptions, files []string) error {
	if o.maxPending < 1 {
		return fmt.Errorf("--max-pending %d: want at least 1", o.maxPending)
	}
	var p *producers.Producer
	if !o.dryRun {
		nc, js, err := g.connect("publish", o.maxPending)
		if err != nil {
			return err
		}
		defer nc.Close()
		p, err = producers.New(js, producers.Config{Prefix: g.stream.Prefix, Stream: g.stream.Name, MaxPending: o.maxPending})
		if err != nil {
			return err
		}
	}
	rej := &rejectWriter{path: o.rejects}
	defer rej.close()
	tally := &publishTally{}
	bar := newProgress(g.stderr, o.progress, inputSize(files), "events")
	start := time.Now()

	var readErr error
	for _, name := range files {
		if readErr = publishFile(ctx, g, p, name, tally, rej, bar); readErr != nil {
			break
		}
	}
	if p != nil {
		// Events still unanswered when the drain time ends are counted
		// failed and written to the rejects file: no error of the command.
		if err := closeProducerWithin(ctx, p, o.drain); err != nil && readErr == nil && !errors.Is(err, context.DeadlineExceeded) {
			readErr = err
		}
	}
	bar.finish()
	if err := rej.close(); err != nil && readErr == nil {
		readErr = err
	}

	s := fmt.Sprintf("%d lines: %d published, %d duplicates, %d rejected, %d failed in %v (%.0f events/s)",
		tally.lines, tally.published, tally.duplicates, tally.rejected, tally.failed, since(start),
		float64(tally.published+tally.duplicates)/time.Since(start).Seconds())
	if o.dryRun {
		s = fmt.Sprintf("%d lines: %d valid, %d rejected (dry run, nothing published)", tally.lines, tally.published, tally.rejected)
	}
	fmt.Fprintln(g.stderr, s)
	if rej.count > 0 {
		fmt.Fprintf(g.stderr, "rejected and failed lines, with reasons: %s\n", rej.path)
	}
	switch {
	case readErr != nil:
		return readErr
	case ctx.Err() != nil:
		return &partialError{"interrupted"}
	case tally.rejected+tally.failed > 0:
		return &partialError{fmt.Sprintf("%d rejected, %d failed", tally.rejected, tally.failed)}
	}
	return nil
}

func publishFile(ctx context.Context, g *globals, p *producers.Producer, name string, tally *publishTally, rej *rejectWriter, bar *progress) error {
	var r io.Reader = g.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	lines := newLineReader(r, events.MaxEventBytes)
	for n := 1; ctx.Err() == nil; n++ {
		line, size, err := lines.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: line %d: %w", name, n, err)
		}
		bar.add(size)
		if line != nil && len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		tally.mu.Lock()
		tally.lines++
		tally.mu.Unlock()
		loc := lineRef{File: name, Line: n}
		if line == nil { // longer than any event may be
			tally.add(producers.Rejected)
			rej.write(loc, producers.Result{Outcome: producers.Rejected,
				Err: fmt.Errorf("%w: line is %d bytes; the limit is %d", events.ErrTooLarge, size, events.MaxEventBytes)}, nil)
			continue
		}
		if p == nil { // dry run
			_, err := events.Decode(line, time.Now())
			r := producers.Result{Outcome: producers.Published, Err: err}
			if err != nil {
				r.Outcome = producers.Rejected
				rej.write(loc, r, line)
			}
			tally.add(r.Outcome)
			continue
		}
		data := bytes.Clone(line) // the reader reuses its buffer; the publish keeps the bytes until acked
		err = p.PublishRawAsync(ctx, data, func(r producers.Result) {
			if r.Outcome == producers.Failed && (ctx.Err() != nil || errors.Is(r.Err, producers.ErrClosed)) {
				r.Err = fmt.Errorf("%w: %w", errUnconfirmed, r.Err)
			}
			tally.add(r.Outcome)
			if r.Outcome == producers.Rejected || r.Outcome == producers.Failed {
				rej.write(loc, r, data)
			}
		})
		if err != nil {
			// The line was read and counted but never handed to the server:
			// it waited for a slot while every slot waited for the server.
			r := producers.Result{Outcome: producers.Failed, Err: fmt.Errorf("%w: %w", errNotSent, err)}
			tally.add(r.Outcome)
			rej.write(loc, r, data)
			if ctx.Err() == nil {
				return err
			}
		}
	}
	return nil
}

// Reasons for lines left without an ack by an interrupt or by the end of
// --drain-timeout; publishing them again is safe, as the stream drops a copy
// it already holds.
var (
	errNotSent     = errors.New("not sent: interrupted while the server was unavailable")
	errUnconfirmed = errors.New("not confirmed: the server had not acknowledged it when publish stopped (the stream may hold it; publishing it again is safe)")
)

// closeProducer gives the events in flight a bounded time to be acked once
// the input has ended or was interrupted; a second signal aborts sooner.
func closeProducer(ctx context.Context, p *producers.Producer) error {
	return closeProducerWithin(ctx, p, 30*time.Second)
}

func closeProducerWithin(ctx context.Context, p *producers.Producer, drain time.Duration) error {
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), drain)
	defer cancel()
	if err := p.Close(fctx); err != nil {
		return fmt.Errorf("waiting for the last acks: %w", err)
	}
	return nil
}

// lineReader reads lines of any length without holding more than limit
// bytes of one: a longer line is skipped and reported by its size.
type lineReader struct {
	r     *bufio.Reader
	limit int
	buf   []byte
}

func newLineReader(r io.Reader, limit int) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, 256<<10), limit: limit}
}

// next returns the next line without its line ending, and its size in the
// input. line is nil (with err nil) when the line exceeded the limit.
func (l *lineReader) next() (line []byte, size int, err error) {
	l.buf = l.buf[:0]
	over := false
	for {
		chunk, err := l.r.ReadSlice('\n')
		size += len(chunk)
		if !over {
			if len(l.buf)+len(chunk) > l.limit+2 { // +2 for "\r\n"
				over = true
			} else {
				l.buf = append(l.buf, chunk...)
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			continue
		case err == io.EOF && size == 0:
			return nil, 0, io.EOF
		case err != nil && err != io.EOF:
			return nil, size, err
		}
		if over {
			return nil, size, nil
		}
		return bytes.TrimRight(l.buf, "\r\n"), size, nil
	}
}

// lineRef locates an input line.
type lineRef struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// rejectWriter writes one JSON object per rejected or failed line, creating
// the file on the first one.
type rejectWriter struct {
	path  string
	mu    sync.Mutex
	f     *os.File
	w     *bufio.Writer
	count int
	err   error
}

type rejectRecord struct {
	lineRef
	Outcome string              `json:"outcome"`
	Error   string              `json:"error"`
	Fields  []events.FieldError `json:"fields,omitempty"`
	Event   json.RawMessage     `json:"event,omitempty"` // the line, when it is JSON
	Raw     string              `json:"raw,omitempty"`   // the line, when it is not
}

func (w *rejectWriter) write(loc lineRef, r producers.Result, line []byte) {
	rec := rejectRecord{lineRef: loc, Outcome: r.Outcome.String(), Error: r.Err.Error()}
	var ve *events.ValidationError
	if errors.As(r.Err, &ve) {
		rec.Fields = ve.Fields
	}
	if json.Valid(line) {
		rec.Event = line
	} else if line != nil {
		rec.Raw = string(line)
	}
	b, _ := json.Marshal(rec)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.count++
	if w.err != nil {
		return
	}
	if w.f == nil {
		if w.f, w.err = os.Create(w.path); w.err != nil {
			w.err = fmt.Errorf("rejects file: %w", w.err)
			return
		}
		w.w = bufio.NewWriter(w.f)
	}
	w.w.Write(append(b, '\n'))
}

func (w *rejectWriter) close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f != nil {
		if err := w.w.Flush(); err != nil && w.err == nil {
			w.err = err
		}
		if err := w.f.Close(); err != nil && w.err == nil {
			w.err = err
		}
		w.f = nil
	}
	return w.err
}

// inputSize is the total size of the named files, or -1 when any is a stream.
func inputSize(files []string) int64 {
	var total int64
	for _, name := range files {
		if name == "-" {
			return -1
		}
		st, err := os.Stat(name)
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		total += st.Size()
	}
	return total
}
