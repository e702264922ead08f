package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Settings come from the command line, then BAOCAO_* variables, then the
// config file, then the defaults.
func TestSettingsPrecedence(t *testing.T) {
	file := filepath.Join(t.TempDir(), "baocao.yaml")
	os.WriteFile(file, []byte(`
nats:
  url: nats://from-file:4222
clickhouse:
  addr: file-ch:9000
  user: analyst
db: filedb
kinds: [reform, procedure_control]
sql:
  format: csv
`), 0o644)
	t.Setenv("BAOCAO_CLICKHOUSE_USER", "from-env")

	flags := func(args ...string) map[string]string {
		t.Helper()
		root := newRootCmd(nil, io.Discard, io.Discard)
		cmd, rest, err := root.Find(args)
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Fatal(err)
		}
		if err := applySettings(cmd); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, name := range []string{"nats-url", "clickhouse-addr", "clickhouse-user", "db", "format", "kinds"} {
			if f := cmd.Flags().Lookup(name); f != nil {
				got[name] = f.Value.String()
			}
		}
		return got
	}
	got := flags("sql", "--config", file, "--db", "fromflag")
	want := map[string]string{"nats-url": "nats://from-file:4222", "clickhouse-addr": "file-ch:9000", "clickhouse-user": "from-env", "db": "fromflag", "format": "csv"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("sql %s = %q, want %q", k, got[k], v)
		}
	}
	// "sql: {format: csv}" is the sql command's alone: schedule keeps its
	// own default format; a list becomes comma-separated.
	got = flags("schedule", "--config", file)
	if got["format"] != "md,html,xlsx" || got["kinds"] != "reform,procedure_control" {
		t.Errorf("schedule: format %q kinds %q", got["format"], got["kinds"])
	}
	// With no --config, baocao.yaml in the current folder is read.
	t.Chdir(filepath.Dir(file))
	if got = flags("sql"); got["db"] != "filedb" {
		t.Errorf("default config file: db %q", got["db"])
	}
}

func TestSettingsErrors(t *testing.T) {
	dir := t.TempDir()
	for name, tc := range map[string]struct{ yaml, want string }{
		"typo":         {"nats:\n  ulr: x\n", "nats.ulr: no flag --nats-ulr"},
		"scoped":       {"sql:\n  grace: 1h\n", "sql.grace: no flag --grace in baocao sql"},
		"bad value":    {"schedule:\n  grace: soon\n", "schedule.grace"},
		"not yaml":     {"nats: [\n", "config"},
		"list of maps": {"kinds:\n  - a: 1\n", "a list of maps is not a setting"},
	} {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".yaml")
		os.WriteFile(file, []byte(tc.yaml), 0o644)
		code, _, errs := baocao(t, "", "schedule", "--config", file, "--once", "--nats-url", "nats://127.0.0.1:1")
		if code != 2 || !strings.Contains(errs, tc.want) || !strings.Contains(errs, file) {
			t.Errorf("%s: exit %d %q; want an error naming %s and %q", name, code, errs, file, tc.want)
		}
	}
	code, _, errs := baocao(t, "", "sql", "--config", filepath.Join(dir, "missing.yaml"), "SELECT 1")
	if code != 2 || !strings.Contains(errs, "missing.yaml") {
		t.Errorf("missing config: exit %d %s", code, errs)
	}
}

// The example config in the repository names only settings that exist.
func TestExampleConfig(t *testing.T) {
	settings, err := readConfig("../../baocao.example.yaml", newRootCmd(nil, io.Discard, io.Discard))
	if err != nil || len(settings) < 5 {
		t.Errorf("baocao.example.yaml: %d settings, %v", len(settings), err)
	}
}
