package main

import "github.com/spf13/cobra"

// newSimulateCmd is wired to package simulate below.
func newSimulateCmd(g *globals) *cobra.Command {
	return &cobra.Command{Use: "simulate", Short: "Generate a realistic province's events"}
}
