package main

import (
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/baocao/baocao/stream"
)

// globals are the settings every subcommand shares. Every flag can also be
// set in the environment or the config file (config.go).
type globals struct {
	nats     stream.ConnConfig
	stream   stream.Config
	logLevel string

	stdin          io.Reader
	stdout, stderr io.Writer
}

func newRootCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	g := &globals{stream: stream.DefaultConfig(), stdin: stdin, stdout: stdout, stderr: stderr}
	root := &cobra.Command{
		Use:   "baocao",
		Short: "Reporting backbone for administrative-procedure control and the one-stop mechanism",
		Long: `baocao collects the events agencies' one-stop systems emit (dossiers, feedback,
plan tasks, the procedure catalogue) in NATS JetStream, the system of record,
and turns them into the periodic reports provinces send.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return applySettings(cmd)
		},
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)

	f := root.PersistentFlags()
	f.String("config", defaultConfigFile, "YAML file of settings (keys are flag names; see README)")
	f.StringVar(&g.nats.URL, "nats-url", stream.DefaultURL, "NATS server URL(s), comma-separated")
	f.StringVar(&g.nats.Creds, "nats-creds", "", "NATS credentials file (JWT and nkey seed)")
	f.StringVar(&g.nats.NKeySeed, "nats-nkey", "", "file holding an NATS nkey seed")
	f.StringVar(&g.nats.User, "nats-user", "", "NATS user")
	f.StringVar(&g.nats.Password, "nats-password", "", "NATS password (prefer BAOCAO_NATS_PASSWORD)")
	f.StringVar(&g.nats.Token, "nats-token", "", "NATS token (prefer BAOCAO_NATS_TOKEN)")
	f.StringVar(&g.nats.TLSCA, "nats-tls-ca", "", "CA bundle to verify the NATS server")
	f.StringVar(&g.nats.TLSCert, "nats-tls-cert", "", "client certificate for NATS mutual TLS")
	f.StringVar(&g.nats.TLSKey, "nats-tls-key", "", "client key for NATS mutual TLS")
	f.StringVar(&g.nats.InboxPrefix, "nats-inbox-prefix", "", "subject prefix replies come back on (default: the one --nats-creds allows, else _INBOX)")
	f.StringVar(&g.stream.Name, "stream", g.stream.Name, "name of the events stream")
	f.StringVar(&g.stream.Prefix, "prefix", g.stream.Prefix, "subject prefix of events")
	f.StringVar(&g.logLevel, "log-level", "info", "log level: debug, info, warn, error")

	root.AddCommand(
		newPublishCmd(g),
		newContributeCmd(g),
		newContributionsCmd(g),
		newSimulateCmd(g),
		newStreamsCmd(g),
		newSchemaCmd(g),
		newMigrateCmd(g),
		newConsumeCmd(g),
		newRebuildCmd(g),
		newSQLCmd(g),
		newReportCmd(g),
		newScheduleCmd(g),
		newAgenciesCmd(g),
		newAuthCmd(g),
		newUpCmd(g),
		newServeCmd(g),
		newDemoCmd(g),
		newBenchCmd(g),
		newUsersCmd(g),
		newNationalCmd(g),
	)
	return root
}

func (g *globals) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(g.stderr, &slog.HandlerOptions{Level: level}))
}

// connect dials NATS with the global settings, naming the connection after
// the subcommand. maxPending sizes the asynchronous publish window.
func (g *globals) connect(name string, maxPending int) (*nats.Conn, jetstream.JetStream, error) {
	cfg := g.nats
	cfg.Name = "baocao " + name
	nc, err := stream.Connect(cfg, g.logger())
	if err != nil {
		return nil, nil, err
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(max(maxPending, 1)))
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	return nc, js, nil
}

// since formats an elapsed time for summaries.
func since(start time.Time) time.Duration {
	d := time.Since(start)
	if d > time.Second {
		return d.Round(10 * time.Millisecond)
	}
	return d.Round(time.Millisecond)
}
