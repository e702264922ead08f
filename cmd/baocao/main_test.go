package main

import (
	"io"
	"os"
	"strings"
	"testing"
)

// TestMain lets tests run this test binary as the baocao command in a child
// process (BAOCAO_TEST_MAIN=1), so crash tests kill a real process without
// building the binary separately.
func TestMain(m *testing.M) {
	if os.Getenv("BAOCAO_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// Every subcommand explains itself: a one-line summary, a description, an
// example, and --help that exits 0.
func TestEverySubcommandHasHelp(t *testing.T) {
	root := newRootCmd(nil, io.Discard, io.Discard)
	for _, c := range root.Commands() {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			continue
		}
		if c.Short == "" || c.Long == "" || c.Example == "" {
			t.Errorf("%s: Short %q, Long %d chars, Example %d chars; want all three", c.Name(), c.Short, len(c.Long), len(c.Example))
		}
		code, out, errs := baocao(t, "", c.Name(), "--help")
		if code != 0 || !strings.Contains(out, "Usage:") || !strings.Contains(out, "--log-level") {
			t.Errorf("%s --help: exit %d %q %s", c.Name(), code, out, errs)
		}
	}
}
