package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/schema"
)

func newMigrateCmd(g *globals) *cobra.Command {
	var o storeOptions
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or update the ClickHouse schema",
		Long: `Migrate applies the schema files (schema/migrations) that the database has not
had yet and records each in <db>.schema_migrations. It is safe to run any number
of times and from several processes at once; consume runs it on start.`,
		Example: `  baocao migrate                                   # embedded chDB in ./baocao-data
  baocao migrate --clickhouse-addr 127.0.0.1:9000`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			s, err := o.open(ctx)
			if err != nil {
				return err
			}
			defer s.Close()
			applied, err := schema.Migrate(ctx, s, o.db)
			for _, name := range applied {
				fmt.Fprintf(g.stdout, "applied %s\n", name)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "database %s on %s is up to date (%d applied now)\n", o.db, o.describe(ctx, s), len(applied))
			return nil
		},
	}
	o.flags(cmd.Flags())
	return cmd
}
