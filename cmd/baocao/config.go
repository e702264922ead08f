package main

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// Settings come from four places; the first that has one wins:
//
//  1. the command line (--nats-url nats://…)
//  2. the environment, BAOCAO_ and the flag's name in capitals with "_" for
//     "-" (BAOCAO_NATS_URL)
//  3. the YAML file of --config (BAOCAO_CONFIG; default baocao.yaml in the
//     current folder, when there is one)
//  4. the flag's default, which makes a run with no settings work.
//
// In the file, a key is a flag's name, and nested keys join with "-":
// "nats: {url: …}" sets --nats-url. A top-level key naming a subcommand
// holds settings for that subcommand only ("sql: {format: csv}"), for the
// flags some subcommands share with different meanings. A list is joined
// with commas, except for a flag given once per item (the report's Nơi
// nhận, basis documents and signer lines), which takes each item; in the
// environment such a flag takes one item a line. A key no subcommand knows is an error, so a typo is not
// silently ignored.

// defaultConfigFile is read when present and --config is not given.
const defaultConfigFile = "baocao.yaml"

// applySettings fills cmd's flags from the environment and the config file,
// leaving those given on the command line. Flags set here count as Changed,
// so "was this configured?" means the same whatever the source.
func applySettings(cmd *cobra.Command) error {
	fs := cmd.Flags()
	if err := applyEnv(fs); err != nil {
		return err
	}
	path, _ := fs.GetString("config")
	explicit := fs.Changed("config")
	if !explicit {
		if _, err := os.Stat(defaultConfigFile); err != nil {
			return nil
		}
		path = defaultConfigFile
	}
	settings, err := readConfig(path, cmd.Root())
	if err != nil {
		return err
	}
	for _, s := range settings {
		if s.command != "" && s.command != cmd.Name() {
			continue
		}
		f := fs.Lookup(s.flag)
		if f == nil || f.Changed {
			continue
		}
		values := []string{s.value}
		if s.items != nil && f.Value.Type() == "stringArray" {
			values = s.items // a flag given once per item: each its own
		}
		for _, v := range values {
			if err := fs.Set(s.flag, v); err != nil {
				return fmt.Errorf("config %s: %s: %w", path, s.key, err)
			}
		}
	}
	return nil
}

// applyEnv sets every flag not given on the command line from its BAOCAO_*
// environment variable.
func applyEnv(fs *pflag.FlagSet) error {
	var errs []error
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Changed {
			return
		}
		name := envName(f.Name)
		v, ok := os.LookupEnv(name)
		if !ok {
			return
		}
		values := []string{v}
		if f.Value.Type() == "stringArray" {
			values = strings.Split(v, "\n") // one item a line
		}
		for _, v := range values {
			if err := fs.Set(f.Name, v); err != nil {
				errs = append(errs, fmt.Errorf("%s=%q: %w", name, v, err))
			}
		}
	})
	return errors.Join(errs...)
}

func envName(flag string) string {
	return "BAOCAO_" + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// setting is one value of the config file.
type setting struct {
	key     string // as written in the file, for messages: nats.url
	command string // the subcommand it is scoped to, or "" for all
	flag    string // nats-url
	value   string
	items   []string // a list's items, for a flag given once per item
}

// readConfig parses a config file and checks every key against the flags
// of root's subcommands.
func readConfig(path string, root *cobra.Command) ([]setting, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("config %s: %w", path, err)
	}
	commands := map[string]*cobra.Command{}
	for _, c := range root.Commands() {
		commands[c.Name()] = c
	}
	var out []setting
	var errs []error
	var walk func(prefix, key, command string, v any)
	walk = func(prefix, key, command string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, sub := range v {
				k = strings.ReplaceAll(k, "_", "-")
				switch {
				case prefix == "" && command == "" && commands[k] != nil:
					walk("", k, k, sub)
				case prefix == "":
					walk(k, joinKey(key, k), command, sub)
				default:
					walk(prefix+"-"+k, joinKey(key, k), command, sub)
				}
			}
			return
		}
		value, err := scalar(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("config %s: %s: %w", path, key, err))
			return
		}
		if !knownFlag(root, commands, command, prefix) {
			where := "any subcommand"
			if command != "" {
				where = "baocao " + command
			}
			errs = append(errs, fmt.Errorf("config %s: %s: no flag --%s in %s", path, key, prefix, where))
			return
		}
		st := setting{key: key, command: command, flag: prefix, value: value}
		if list, ok := v.([]any); ok {
			st.items = make([]string, len(list))
			for i, x := range list {
				st.items[i], _ = scalar(x)
			}
		}
		out = append(out, st)
	}
	walk("", "", "", map[string]any(doc))
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, errors.Join(errs...)
}

func joinKey(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// scalar turns a YAML value into a flag's text; lists become comma-separated.
func scalar(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			s, err := scalar(x)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return strings.Join(parts, ","), nil
	case map[string]any:
		return "", errors.New("a list of maps is not a setting")
	}
	return fmt.Sprint(v), nil
}

// knownFlag reports whether some subcommand (or the one named) has the flag.
func knownFlag(root *cobra.Command, commands map[string]*cobra.Command, command, flag string) bool {
	if root.PersistentFlags().Lookup(flag) != nil {
		return true
	}
	if c := commands[command]; c != nil {
		return c.Flags().Lookup(flag) != nil
	}
	for _, c := range commands {
		if c.Flags().Lookup(flag) != nil {
			return true
		}
	}
	return false
}
