package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web/auth"
)

// credentialsOptions locate the NATS authority and the HTTP users file.
type credentialsOptions struct {
	dataDir, authDir, users string
}

func (o *credentialsOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&o.dataDir, "data", "baocao-data", "data directory of baocao up (its auth/ folder is the default --auth-dir)")
	f.StringVar(&o.authDir, "auth-dir", "", "folder of the NATS authority: its keys and the registry of issued credentials (default <data>/auth)")
	f.StringVar(&o.users, "http-users", "", "HTTP users file, where agencies' HTTP tokens are kept hashed (default <data>/auth/http-users.yaml)")
}

func (o *credentialsOptions) authority() (*natsauth.Authority, error) {
	return natsauth.Open((&natsAuthOptions{dir: o.authDir}).authDir(o.dataDir))
}

// credentials opens the authority and lists what it issued.
func (o *credentialsOptions) credentials() (*natsauth.Authority, []natsauth.Credential, error) {
	a, err := o.authority()
	if err != nil {
		return nil, nil, err
	}
	list, err := a.Credentials()
	return a, list, err
}

func (o *credentialsOptions) httpUsers() (*auth.Users, error) {
	return auth.Open(usersFile(o.users, o.dataDir))
}

// session connects to NATS as a short-lived admin, or system user, the
// authority signs (natsauth.Authority.Session).
func (o *credentialsOptions) session(g *globals, a *natsauth.Authority, system bool) (*nats.Conn, func(), error) {
	cfg := g.nats
	cfg.Name = "baocao agencies credentials"
	return a.Session(cfg, system, g.logger())
}

func newAgenciesCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "agencies",
		Short: "The agencies of the directory: their credentials",
		Long: `Agencies acts on the agencies of the directory (the agency.* events of the
stream of record). Its subcommand credentials issues, lists and revokes the
credentials agencies send their events with.`,
		Example: `  baocao agencies credentials issue 000.00.31.H23 --http-token
  baocao agencies credentials list
  baocao agencies credentials revoke 000.00.31.H23`,
	}
	creds := &cobra.Command{
		Use:   "credentials",
		Short: "Issue, list and revoke agencies' credentials (NATS .creds, HTTP tokens)",
		Long: `Credentials issues each agency of the directory the credentials it sends its
events with, lists them and revokes them.

A NATS credential (.creds file: a JWT signed by the authority in --auth-dir
and the user's secret key) may publish only the agency's own events
(<prefix>.<agency token>.>, not report.generated) and receive only its own
publish acknowledgements (inbox _INBOX.agency.<agency token>): nothing of
another agency, the dead letters, the reports or the JetStream API. An HTTP
token (--http-token) may only POST the agency's own events to /v1/events.

The agency must be in the directory: the stream of record holds its
agency.created event (read through NATS at --nats-url).

A revoked NATS credential stops working at once on a running server: the
re-signed account is pushed to NATS (--nats-url), which closes the agency's
connections. A server that cannot be reached gets it when it next starts
(up) or at the next push (run revoke again). A revoked HTTP token is removed
from the users file; up and serve read it again within seconds.`,
		Example: `  baocao agencies credentials issue 000.00.31.H23 --http-token > token
  baocao agencies credentials issue 000.00.00.H23 --directory     # the province keeps the directory
  baocao agencies credentials list --agency 000.00.31.H23 --all
  baocao agencies credentials revoke 000.00.31.H23`,
	}
	creds.AddCommand(newCredentialsIssueCmd(g), newCredentialsListCmd(g), newCredentialsRevokeCmd(g))
	cmd.AddCommand(creds)
	return cmd
}

func newCredentialsIssueCmd(g *globals) *cobra.Command {
	var (
		o         credentialsOptions
		out       string
		httpToken bool
		directory bool
	)
	cmd := &cobra.Command{
		Use:   "issue CODE",
		Short: "Issue an agency a NATS credential (and with --http-token an HTTP token)",
		Example: `  baocao agencies credentials issue 000.00.31.H23                     # writes 000_00_31_H23.creds
  baocao agencies credentials issue 000.00.31.H23 --http-token > token   # and an HTTP token, printed once`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			code := args[0]
			if err := events.ValidAgencyCode(code); err != nil {
				return fmt.Errorf("agency code: %w", err)
			}
			a, err := o.authority()
			if err != nil {
				return err
			}
			entry, err := lookupAgency(ctx, g, &o, a, code)
			if err != nil {
				return err
			}
			var users *auth.Users
			if httpToken {
				if users, err = o.httpUsers(); err != nil {
					return err
				}
			}
			if out == "" {
				out = events.AgencyToken(code) + ".creds"
			}
			if out == "-" && users != nil {
				return errors.New("--out -: the .creds and the HTTP token would share standard output; give --out FILE")
			}
			var grants []natsauth.Grant
			if directory {
				grants = append(grants, natsauth.Directory)
			}
			c, err := issueCreds(a, g.stream, code, out, g.stdout, grants...)
			if err != nil {
				return err
			}
			not := "report.*, agency.*"
			if directory {
				not = "report.*"
			}
			fmt.Fprintf(g.stderr, "issued a NATS credential for %s (%s) to %s\n  key    %s\n  inbox  %s\n  may publish %s.<family>.<action>, not %s\n",
				code, entry.Name, out, c.PublicKey, natsauth.AgencyInboxPrefix(code), strings.TrimSuffix(events.AgencySubjects(g.stream.Prefix, code), ".>"), not)
			if users != nil {
				name := agencyTokenName(code, c.Issued)
				token, err := users.AddToken(name, auth.Agency, code)
				if err != nil {
					return fmt.Errorf("HTTP token: %w", err)
				}
				fmt.Fprintln(g.stdout, token)
				fmt.Fprintf(g.stderr, "issued an HTTP token for %s as user %s (printed on standard output, once)\n", code, name)
			}
			return nil
		},
	}
	o.flags(cmd.Flags())
	cmd.Flags().StringVar(&out, "out", "", "file the .creds is written to, 0600 (default <agency token>.creds; - for standard output); never overwritten")
	cmd.Flags().BoolVar(&directory, "directory", false, "also let it publish the agency directory's events (agency.*, about any agency): for the agency that keeps the province's directory")
	cmd.Flags().BoolVar(&httpToken, "http-token", false, "also issue an HTTP token for POST /v1/events, printed once on standard output")
	return cmd
}

// issueCreds issues the agency a NATS credential into the file out (made
// first, 0600, never written over: an agency never gets a credential the
// registry lists but nobody holds), or onto stdout for "-".
func issueCreds(a *natsauth.Authority, sc stream.Config, code, out string, stdout io.Writer, grants ...natsauth.Grant) (natsauth.Credential, error) {
	if out == "-" {
		data, c, err := a.IssueAgency(sc, code, grants...)
		if err == nil {
			_, err = stdout.Write(data)
		}
		return c, err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return natsauth.Credential{}, fmt.Errorf("--out: %w", err)
	}
	data, c, err := a.IssueAgency(sc, code, grants...)
	if err == nil {
		_, err = f.Write(data)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(out)
	}
	return c, err
}

// agencyTokenName names an agency's HTTP token in the users file.
func agencyTokenName(code string, issued time.Time) string {
	return "agency-" + code + "-" + issued.UTC().Format("20060102T150405")
}

// lookupAgency finds the agency in the directory the stream holds.
func lookupAgency(ctx context.Context, g *globals, o *credentialsOptions, a *natsauth.Authority, code string) (stream.DirectoryEntry, error) {
	nc, done, err := o.session(g, a, false)
	if err != nil {
		return stream.DirectoryEntry{}, fmt.Errorf("read the agency directory: %w", err)
	}
	defer done()
	js, err := jetstream.New(nc)
	if err != nil {
		return stream.DirectoryEntry{}, err
	}
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	entry, err := stream.LookupAgency(cctx, js, g.stream, code)
	switch {
	case errors.Is(err, stream.ErrUnknownAgency):
		return entry, fmt.Errorf("%w: publish its agency.created event first (the directory is the stream's agency events)", err)
	case err != nil:
		return entry, err
	case entry.MergedInto != "":
		return entry, fmt.Errorf("agency %s (%s) was merged into %s: issue the credential to %s", code, entry.Name, entry.MergedInto, entry.MergedInto)
	}
	return entry, nil
}

func newCredentialsListCmd(g *globals) *cobra.Command {
	var (
		o      credentialsOptions
		agency string
		all    bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the agencies' credentials: NATS keys and HTTP tokens, when issued and revoked",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, list, err := o.credentials()
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(g.stdout, 2, 8, 2, ' ', 0)
			fmt.Fprintln(tw, "AGENCY\tKIND\tKEY OR NAME\tISSUED\tREVOKED")
			for _, c := range list {
				if agency != "" && c.Agency != agency || c.Revoked != nil && !all {
					continue
				}
				kind := "nats"
				if c.Service != "" {
					c.Agency = "(" + string(c.Service) + ")"
				}
				for _, gr := range c.Grants {
					kind += "+" + string(gr)
				}
				revoked := "-"
				if c.Revoked != nil {
					revoked = c.Revoked.Format(time.RFC3339)
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.Agency, kind, c.PublicKey, c.Issued.Format(time.RFC3339), revoked)
			}
			if users, err := o.httpUsers(); err == nil {
				list, err := users.List()
				if err != nil {
					return err
				}
				for _, u := range list {
					if u.Role != auth.Agency || agency != "" && u.Agency != agency {
						continue
					}
					fmt.Fprintf(tw, "%s\thttp\t%s\t%s\t-\n", u.Agency, u.Name, u.Created)
				}
			}
			return tw.Flush()
		},
	}
	o.flags(cmd.Flags())
	cmd.Flags().StringVar(&agency, "agency", "", "only this agency's credentials")
	cmd.Flags().BoolVar(&all, "all", false, "also the revoked NATS credentials")
	return cmd
}

func newCredentialsRevokeCmd(g *globals) *cobra.Command {
	var o credentialsOptions
	cmd := &cobra.Command{
		Use:   "revoke CODE|KEY|NAME...",
		Short: "Revoke credentials: every credential of an agency, one NATS key, or one HTTP token's user",
		Long: `Revoke revokes each argument: an agency code (all its NATS credentials and
HTTP tokens), a NATS credential's public key (U…), an HTTP token's user
name (agency-<code>-<time>), or a service's name (projector, scheduler,
ingest, admin: the credentials baocao auth init recorded for it). The re-signed NATS account is pushed to
--nats-url at once, where NATS closes the revoked connections; if the push
fails the command says so and exits 1: the revocation is recorded and a later
revoke (of anything, or the same again) pushes it.`,
		Example: `  baocao agencies credentials revoke 000.00.31.H23
  baocao agencies credentials revoke UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, list, err := o.credentials()
			if err != nil {
				return err
			}
			users, err := o.httpUsers()
			if err != nil {
				return err
			}
			httpUsers, err := users.List()
			if err != nil {
				return err
			}
			var keys, names []string
			for _, arg := range args {
				found := false
				for _, c := range list {
					if c.PublicKey == arg || c.Agency != "" && c.Agency == arg || c.Service != "" && string(c.Service) == arg {
						keys, found = append(keys, c.PublicKey), true
					}
				}
				for _, u := range httpUsers {
					if u.Role == auth.Agency && (u.Name == arg || u.Agency == arg) {
						names, found = append(names, u.Name), true
					}
				}
				if !found {
					return fmt.Errorf("%s: no agency credential has this agency code, key or name (baocao agencies credentials list --all)", arg)
				}
			}
			for _, n := range slices.Compact(slices.Sorted(slices.Values(names))) {
				if err := users.Remove(n); err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "revoked HTTP token %s\n", n)
			}
			keys = slices.Compact(slices.Sorted(slices.Values(keys)))
			if len(keys) == 0 {
				return nil
			}
			revoked, err := a.Revoke(keys...)
			if err != nil {
				return err
			}
			for _, c := range revoked {
				fmt.Fprintf(g.stderr, "revoked NATS credential %s of %s\n", c.PublicKey, cmp.Or(c.Agency, string(c.Service)))
			}
			nc, done, err := o.session(g, a, true)
			if err == nil {
				defer done()
				ctx, cancel := context.WithTimeout(cmd.Context(), 10*time.Second)
				defer cancel()
				err = a.Push(ctx, nc)
			}
			if err != nil {
				return fmt.Errorf("revocation recorded, but not yet applied by NATS at %s (up applies it when it next starts; or run revoke again when NATS is reachable): %w", g.nats.URL, err)
			}
			fmt.Fprintf(g.stderr, "applied by NATS at %s: the revoked credentials' connections are closed\n", g.nats.URL)
			return nil
		},
	}
	o.flags(cmd.Flags())
	return cmd
}
