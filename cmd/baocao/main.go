// Command baocao is the reporting backbone for administrative-procedure
// control: agencies publish events to NATS JetStream, consumers project them
// into ClickHouse, and reports are generated from the projections.
//
// One binary, one file per subcommand. Run "baocao --help" for the list.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signalContext()
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code: 0 on
// success, 1 when the command ran but some input was rejected or failed,
// 2 when it could not run.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	var partial *partialError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &partial):
		return 1
	}
	fmt.Fprintln(stderr, "baocao:", err)
	return 2
}

// partialError marks a command that finished but did not take all its input;
// it has already printed its summary.
type partialError struct{ msg string }

func (e *partialError) Error() string { return e.msg }

// signalContext is cancelled by the first SIGINT or SIGTERM, so commands stop
// taking input, flush and exit cleanly; a second signal exits at once.
func signalContext() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "\nbaocao: %v: finishing in-flight work (again to abort)\n", s)
		cancel()
		<-sig
		fmt.Fprintln(os.Stderr, "baocao: aborted")
		os.Exit(130)
	}()
	return ctx, func() { signal.Stop(sig); cancel() }
}
