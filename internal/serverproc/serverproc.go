// Package serverproc runs the servers the tests start as processes of their
// own (clickhouse-server, ZooKeeper): started in their folder with their
// output in stdout.log, never outliving the test, waited for until they
// answer, and stopped or killed as a crash would.
package serverproc

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"
)

// Start runs cmd in dir and waits until ready passes, polling every poll
// for up to limit. A server not ready by then is killed; the error carries
// errLog (a file of dir) so the test says why.
func Start(cmd *exec.Cmd, dir string, ready func() error, limit, poll time.Duration, errLog string) error {
	cmd.Dir = dir
	out, err := os.Create(filepath.Join(dir, "stdout.log"))
	if err != nil {
		return err
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the process that started it
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	deadline := time.Now().Add(limit)
	for {
		err := ready()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, errLog))
			Stop(cmd, syscall.SIGKILL, 0)
			return fmt.Errorf("%s not ready after %v: %w\n%s", filepath.Base(cmd.Path), limit, err, log)
		}
		time.Sleep(poll)
	}
}

// Stop sends sig and waits for the process to end, killing it after grace.
func Stop(cmd *exec.Cmd, sig syscall.Signal, grace time.Duration) {
	_ = cmd.Process.Signal(sig)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		_ = cmd.Process.Kill()
		<-done
	}
}
