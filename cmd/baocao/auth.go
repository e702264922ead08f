package main

import (
	"cmp"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/web/auth"
)

func newAuthCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "The NATS authority of a server deployment: keys, server configuration, services' credentials",
		Long: `Auth prepares NATS authentication where NATS runs as its own server
(docker-compose.yml): "baocao up" does the same for its embedded NATS by
itself. Agencies' credentials are issued with "baocao agencies credentials".`,
		Example: `  baocao auth init --auth-dir /auth --nats-config /nats-auth/auth.conf --services-dir /creds`,
	}
	cmd.AddCommand(newAuthInitCmd(g))
	return cmd
}

func newAuthInitCmd(g *globals) *cobra.Command {
	var (
		authDir, natsConfig, resolverDir, servicesDir, users, durable string
	)
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Create the NATS authority, write the server's auth configuration and each service's credentials",
		Long: `Init prepares NATS authentication for a server deployment (docker-compose.yml
runs it before NATS starts):

  --auth-dir      the authority: operator, events-account and system-account
                  keys (created on the first run, 0600 in a 0700 folder) and
                  the registry of agencies' credentials
  --nats-config   the authentication part of nats-server.conf (operator,
                  system account, a full resolver in --resolver-dir with the
                  account JWTs preloaded); include it from the server's config
  --services-dir  <dir>/<service>/<service>.creds for admin, projector,
                  scheduler and ingest, each only what that service needs;
                  mount each folder into its service only. An existing file
                  is kept; to rotate one, revoke its key (baocao agencies
                  credentials revoke <service>), delete the file, run init
  --http-users    the HTTP users file, created empty when absent

Running it again keeps the keys and the services' credentials, so
everything issued stays valid.`,
		Example: `  baocao auth init --auth-dir /auth --nats-config /nats-auth/auth.conf --resolver-dir /data/jwt --services-dir /creds`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if authDir == "" {
				return fmt.Errorf("--auth-dir: required")
			}
			a, err := natsauth.Open(authDir)
			if err != nil {
				return err
			}
			if natsConfig != "" {
				conf, err := a.ServerConfig(resolverDir)
				if err != nil {
					return err
				}
				// JWTs and public keys only: the server's user may read it.
				if err := os.WriteFile(natsConfig, []byte(conf), 0o644); err != nil {
					return fmt.Errorf("--nats-config: %w", err)
				}
				fmt.Fprintf(g.stderr, "wrote NATS authentication %s (operator %s, events account %s)\n", natsConfig, a.OperatorPublicKey(), a.AccountPublicKey())
			}
			if servicesDir != "" {
				kept, err := a.KeepServiceCreds(servicesDir, g.stream, cmp.Or(durable, consumers.DefaultDurable), natsauth.Services...)
				for _, k := range kept {
					if k.Issued == nil {
						fmt.Fprintf(g.stderr, "kept %s's credentials %s\n", k.Service, k.Path)
					} else {
						fmt.Fprintf(g.stderr, "wrote %s's credentials %s (key %s)\n", k.Service, k.Path, k.Issued.PublicKey)
					}
				}
				if err != nil {
					return err
				}
			}
			if users != "" {
				if _, err := os.Stat(users); os.IsNotExist(err) {
					u, err := auth.Open(users)
					if err != nil {
						return err
					}
					if err := u.Init(); err != nil {
						return err
					}
					fmt.Fprintf(g.stderr, "created the HTTP users file %s: add users with baocao users add\n", users)
				}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&authDir, "auth-dir", "", "folder of the NATS authority (created with its keys when absent)")
	f.StringVar(&natsConfig, "nats-config", "", "file to write the NATS server's authentication settings to")
	f.StringVar(&resolverDir, "resolver-dir", "/data/jwt", "folder, as the NATS server sees it, where its resolver keeps the account JWTs")
	f.StringVar(&servicesDir, "services-dir", "", "folder to write each service's credentials under, one subfolder per service")
	f.StringVar(&users, "http-users", "", "HTTP users file to create when absent")
	f.StringVar(&durable, "durable", consumers.DefaultDurable, "the projector's durable consumer, which its credentials may use")
	return cmd
}
