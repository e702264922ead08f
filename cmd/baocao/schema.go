package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/events"
)

func newSchemaCmd(g *globals) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Write the JSON Schema of every event type",
		Long: `Schema writes one JSON Schema document (draft 2020-12) per event type and
schema version, named <type>.v<version>.json, for agencies that validate events
in another language. They are the same files as schema/events in the
repository, generated from the Go contract.`,
		Example: `  baocao schema --out ./schemas`,
		RunE: func(*cobra.Command, []string) error {
			docs, err := events.Schemas()
			if err != nil {
				return err
			}
			if err := os.MkdirAll(out, 0o755); err != nil {
				return err
			}
			names := make([]string, 0, len(docs))
			for name := range docs {
				names = append(names, name)
			}
			slices.Sort(names)
			for _, name := range names {
				if err := os.WriteFile(filepath.Join(out, name), docs[name], 0o644); err != nil {
					return err
				}
			}
			fmt.Fprintf(g.stdout, "wrote %d schemas to %s\n", len(names), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "schemas", "directory to write into")
	return cmd
}
