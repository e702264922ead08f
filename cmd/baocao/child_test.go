package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// child is this test binary running as the baocao command in its own
// process (see TestMain), for commands that hold chDB or run until stopped.
type child struct {
	cmd *exec.Cmd
	log string
}

func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	log := filepath.Join(t.TempDir(), "baocao.log")
	f, err := os.Create(log)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(childBinary(), args...)
	cmd.Env = append(os.Environ(), "BAOCAO_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, log: log}
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			c.cmd.Process.Kill()
			c.cmd.Wait()
		}
	})
	return c
}

// childBinary is the baocao the children run: this test binary, or the
// build named by BAOCAO_TEST_BIN (an older commit, to see a test fail there).
func childBinary() string {
	if bin := os.Getenv("BAOCAO_TEST_BIN"); bin != "" {
		return bin
	}
	return os.Args[0]
}

// output is what the child has written so far.
func (c *child) output() string {
	b, _ := os.ReadFile(c.log)
	return string(b)
}

// wait waits for the child to exit by itself and returns its exit code.
func (c *child) wait(t *testing.T, limit time.Duration) int {
	t.Helper()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(limit):
		c.cmd.Process.Kill()
		<-done
		t.Fatalf("%v did not finish within %v; output:\n%s", c.cmd.Args[1:], limit, c.output())
	}
	return c.cmd.ProcessState.ExitCode()
}

// stop sends SIGTERM, as a supervisor does, and expects a clean exit.
func (c *child) stop(t *testing.T) {
	t.Helper()
	c.cmd.Process.Signal(syscall.SIGTERM)
	if code := c.wait(t, time.Minute); code != 0 {
		t.Fatalf("exit %d after SIGTERM; output:\n%s", code, c.output())
	}
}

// exited reports whether the child has ended, waited for or not (a zombie
// counts): ProcessState is set only by Wait.
func (c *child) exited() bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.cmd.Process.Pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(b, ')') // the state follows the command's name
	return i < 0 || i+2 >= len(b) || b[i+2] == 'Z'
}

// waitFor polls cond until it holds or limit passes.
func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
