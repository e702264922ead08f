package main

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/stream"
)

func newStreamsCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "streams",
		Short: "Create or update the events stream and the dead-letter stream",
		Long: `Streams creates the events stream and the dead-letter stream, or brings existing
ones to the settings given. It is safe to run any number of times: an unchanged
stream is left as it is, and a change is listed setting by setting.

The stream is the system of record: file storage, kept forever by default
(--max-age 0), deletes and purges refused, and a duplicate window within which
an event re-published with the same id is dropped. The dead-letter stream keeps
the events the projector could not accept, with the same settings.

On a JetStream cluster, give --replicas 3: each stream is then kept on three
servers and survives the loss of one. Running it with --replicas 3 on streams
created with one replica moves them to three in place, while producers and
projectors go on: JetStream copies every event to the two new servers (the
whole stream crosses the network once, and each new server needs the disk the
stream takes), and the streams report their new replicas once the copies have
caught up (nats stream info BAOCAO_EVENTS lists them).`,
		Example: `  baocao streams
  baocao streams --replicas 3 --duplicate-window 5m --nats-url nats://n1:4222,nats://n2:4222,nats://n3:4222`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			nc, js, err := g.connect("streams", 1)
			if err != nil {
				return err
			}
			defer nc.Close()
			for _, provision := range []func(context.Context, jetstream.JetStream, stream.Config) (jetstream.Stream, stream.Action, []string, error){
				stream.Provision, stream.ProvisionDeadLetters,
			} {
				s, action, changes, err := provision(cmd.Context(), js, g.stream)
				if err != nil {
					return err
				}
				c := s.CachedInfo().Config
				fmt.Fprintf(g.stdout, "stream %s %s: subjects %v, %d replica(s), duplicate window %v, max age %s, max bytes %s, compression %v\n",
					c.Name, action, c.Subjects, c.Replicas, c.Duplicates, ageText(c.MaxAge.String(), c.MaxAge == 0), bytesText(c.MaxBytes), c.Compression)
				for _, ch := range changes {
					fmt.Fprintf(g.stdout, "  changed: %s\n", ch)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&g.stream.Replicas, "replicas", g.stream.Replicas, "replicas of the stream (3 in a cluster)")
	f.DurationVar(&g.stream.DuplicateWindow, "duplicate-window", g.stream.DuplicateWindow, "how long re-published event ids are remembered and dropped")
	f.DurationVar(&g.stream.MaxAge, "max-age", g.stream.MaxAge, "how long events are kept; 0 keeps them forever")
	f.Int64Var(&g.stream.MaxBytes, "max-bytes", g.stream.MaxBytes, "size cap of the stream, -1 for none; when full, new events are refused")
	f.BoolVar(&g.stream.Compress, "compress", g.stream.Compress, "store events S2-compressed")
	return cmd
}

func ageText(s string, forever bool) string {
	if forever {
		return "forever"
	}
	return s
}

func bytesText(n int64) string {
	if n < 0 {
		return "unlimited"
	}
	return fmt.Sprintf("%d", n)
}
