package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/baocao/baocao/web/auth"
)

// usersOptions locate the HTTP users file.
type usersOptions struct{ dataDir, file string }

func (o *usersOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&o.dataDir, "data", "baocao-data", "data directory of the embedded engine")
	f.StringVar(&o.file, "http-users", "", "HTTP users file (default <data>/auth/http-users.yaml)")
}

func (o *usersOptions) open() (*auth.Users, error) {
	return auth.Open(usersFile(o.file, o.dataDir))
}

func newUsersCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "users",
		Short: "Add, list and remove who may log in to the HTTP server",
		Long: `Users manages the HTTP users file (<data>/auth/http-users.yaml, or
--http-users) that "baocao up" and "baocao serve" ask logins from when they
listen beyond loopback (or with --http-login). The file holds only hashes: a
bcrypt hash of a password, or the SHA-256 of a token. A running server reads
it again within a second or so of a change: no restart.

Roles:
  reader    the report pages, the downloads and /metrics
  analyst   what a reader may, and /sql
  agency    only POST /v1/events, for its own agency (--agency CODE)

People log in from a browser with their name and password. Scripts and
other systems use a token, sent as "Authorization: Bearer <token>" (or as
the password of HTTP Basic, with the user's name).

To rotate a token: add a new user (e.g. ci-2026-12), switch the script to the
new token, then remove the old user.`,
		Example: `  baocao users add lan --role analyst --password-stdin
  baocao users add nightly-report --role analyst          # prints a token once
  baocao users add grafana --role reader
  baocao users list
  baocao users remove nightly-report`,
	}
	cmd.AddCommand(newUsersAddCmd(g), newUsersListCmd(g), newUsersRemoveCmd(g))
	return cmd
}

func newUsersAddCmd(g *globals) *cobra.Command {
	var (
		o             usersOptions
		role, agency  string
		passwordStdin bool
	)
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a user with a password, or with a new token printed once",
		Long: `Add adds NAME with --role. With --password-stdin the password is read from
standard input (asked without echo on a terminal; at least 12 characters) and
stored as a bcrypt hash. Without it a random token is made, printed once on
standard output and stored as its SHA-256: keep it then, it cannot be shown
again.`,
		Example: `  baocao users add lan --role analyst --password-stdin
  baocao users add nightly-report --role analyst > nightly.token
  baocao users add h56 --role agency --agency 000.00.00.H56`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := auth.Role(role)
			users, err := o.open()
			if err != nil {
				return err
			}
			if passwordStdin {
				pw, err := readPassword(g)
				if err != nil {
					return err
				}
				if err := users.AddPassword(args[0], r, agency, pw); err != nil {
					return err
				}
				fmt.Fprintf(g.stderr, "added %s (%s, password) to %s\n", args[0], r, users.Path())
				return nil
			}
			token, err := users.AddToken(args[0], r, agency)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "added %s (%s, token) to %s; the token, shown this once:\n", args[0], r, users.Path())
			fmt.Fprintln(g.stdout, token)
			return nil
		},
	}
	o.flags(cmd.Flags())
	cmd.Flags().StringVar(&role, "role", "", "reader, analyst or agency")
	cmd.Flags().StringVar(&agency, "agency", "", "the agency code of an agency user")
	cmd.Flags().BoolVar(&passwordStdin, "password-stdin", false, "read a password from standard input instead of making a token")
	cmd.MarkFlagRequired("role")
	return cmd
}

// readPassword reads one line of standard input, without echo when it is
// a terminal (asked twice there).
func readPassword(g *globals) (string, error) {
	if f, ok := g.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(g.stderr, "password: ")
		a, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", err
		}
		fmt.Fprint(g.stderr, "again: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(g.stderr)
		if err != nil {
			return "", err
		}
		if string(a) != string(b) {
			return "", errors.New("the passwords differ")
		}
		return string(a), nil
	}
	line, err := bufio.NewReader(g.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", errors.New("--password-stdin: no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func newUsersListCmd(g *globals) *cobra.Command {
	var o usersOptions
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List the users: name, role, agency, password or token, when added",
		Long:    `List prints the users of the HTTP users file; never a hash or a secret.`,
		Example: `  baocao users list --data /var/lib/baocao`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			users, err := o.open()
			if err != nil {
				return err
			}
			list, err := users.List()
			if err != nil {
				return err
			}
			if len(list) == 0 {
				fmt.Fprintf(g.stderr, "no users in %s: add one with \"baocao users add NAME --role analyst\"\n", users.Path())
				return nil
			}
			tw := tabwriter.NewWriter(g.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "NAME\tROLE\tAGENCY\tLOGIN\tADDED")
			for _, u := range list {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role, u.Agency, u.Kind(), u.Created)
			}
			return tw.Flush()
		},
	}
	o.flags(cmd.Flags())
	return cmd
}

func newUsersRemoveCmd(g *globals) *cobra.Command {
	var o usersOptions
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a user: its password or token stops working",
		Long: `Remove removes NAME from the HTTP users file. A running "baocao up" or
"baocao serve" refuses it within a second or two, without a restart.`,
		Example: `  baocao users remove nightly-report`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			users, err := o.open()
			if err != nil {
				return err
			}
			if err := users.Remove(args[0]); err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "removed %s from %s\n", args[0], users.Path())
			return nil
		},
	}
	o.flags(cmd.Flags())
	return cmd
}
