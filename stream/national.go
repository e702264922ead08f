package stream

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/crypto/bcrypt"
)

// The national roll-up: every province keeps its own NATS server and stream;
// the Government Office's server is a leaf-node hub to which each province's
// server connects (outbound from the province, the direction a province
// firewall allows), and its stream BAOCAO_NATIONAL sources every province's
// stream across that connection through the province's JetStream domain.
// NATS itself carries the events; no baocao process is in the path.
//
// Least rights, enforced by the servers:
//   - the national server binds each province's leaf connection to a user of
//     its own (allowed_connection_types LEAFNODE, so it cannot log in as a
//     client) whose permissions let the hub send the province only what
//     sourcing needs: the creation of the source consumer on that
//     province's events stream, and flow-control replies; and let the
//     province send back only the deliveries, under the province's own
//     delivery prefix, and the creation's reply;
//   - the province's remote refuses, in its own configuration, every event
//     and dead-letter subject coming from the hub, and the JetStream calls
//     that change or empty its streams (deny_imports), so even a
//     misconfigured or compromised national server cannot publish into the
//     province's stream.

// NationalConfig describes the national server's roll-up.
type NationalConfig struct {
	// Stream is the national stream, e.g. BAOCAO_NATIONAL.
	Stream string `yaml:"stream"`
	// Domain is the national server's JetStream domain.
	Domain string `yaml:"domain"`
	// Source is the name of every province's events stream.
	Source string `yaml:"source"`
	// Prefix is the events' subject prefix (the provinces' --prefix).
	Prefix string `yaml:"prefix"`
	// Provinces are the province tokens (H23 for 000.00.00.H23); each is also
	// the province's JetStream domain and names its leaf user.
	Provinces []string `yaml:"provinces"`
	// Replicas of the national stream: 1 on one server, 3 in a cluster.
	Replicas int `yaml:"replicas"`
}

// DefaultNationalConfig is the national roll-up with no province yet.
func DefaultNationalConfig() NationalConfig {
	d := DefaultConfig()
	return NationalConfig{Stream: "BAOCAO_NATIONAL", Domain: "national", Source: d.Name, Prefix: d.Prefix, Replicas: 1}
}

var (
	provinceToken = regexp.MustCompile(`^[A-Z][A-Z0-9]{1,7}$`)
	domainName    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

// Validate names the first setting that cannot work.
func (c NationalConfig) Validate() error {
	var errs []error
	for _, n := range []struct{ field, v string }{{"stream", c.Stream}, {"source", c.Source}} {
		if n.v == "" || strings.ContainsAny(n.v, " .*>\t\n") {
			errs = append(errs, fmt.Errorf("national %s %q: want a non-empty name without spaces, '.', '*' or '>'", n.field, n.v))
		}
	}
	if !domainName.MatchString(c.Domain) {
		errs = append(errs, fmt.Errorf("national domain %q: want 1–32 letters, digits, '-' or '_'", c.Domain))
	}
	if err := (Config{Name: "X", Prefix: c.Prefix, Replicas: 1, DuplicateWindow: 1e9, MaxBytes: -1}).Validate(); err != nil {
		errs = append(errs, fmt.Errorf("national prefix: %w", err))
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		errs = append(errs, fmt.Errorf("national replicas %d: want 1 to 5", c.Replicas))
	}
	seen := map[string]bool{}
	for _, p := range c.Provinces {
		if !provinceToken.MatchString(p) {
			errs = append(errs, fmt.Errorf("province %q: want a province token such as H23 (the last token of the province's agency code)", p))
		}
		if p == c.Domain {
			errs = append(errs, fmt.Errorf("province %q: the same as the national domain", p))
		}
		if seen[p] {
			errs = append(errs, fmt.Errorf("province %q: listed twice", p))
		}
		seen[p] = true
	}
	return errors.Join(errs...)
}

// DeliverPrefix is where a province's source consumer delivers on the
// national side: one prefix per province, so a province's leaf user may
// publish only its own deliveries.
func (c NationalConfig) DeliverPrefix(province string) string {
	return "baocao.national.deliver." + province
}

// LeafUser is the national server's user for a province's leaf connection.
func LeafUser(province string) string { return "leaf-" + province }

// StreamConfig is the national stream: no subjects of its own, one source
// per province, each reached through the province's JetStream domain. The
// events keep their subjects, so the projector reads them as from a
// province's stream.
func (c NationalConfig) StreamConfig() jetstream.StreamConfig {
	base := DefaultConfig() // kept like a province's: forever, no deletes or purges
	base.Name, base.Prefix, base.Replicas = c.Stream, c.Prefix, c.Replicas
	sc := base.StreamConfig()
	sc.Description = "baocao national roll-up: every province's events, sourced over leaf nodes"
	sc.Subjects = nil
	for _, p := range c.Provinces {
		sc.Sources = append(sc.Sources, &jetstream.StreamSource{
			Name: c.Source,
			External: &jetstream.ExternalStream{
				APIPrefix:     "$JS." + p + ".API",
				DeliverPrefix: c.DeliverPrefix(p),
			},
		})
	}
	return sc
}

// ProvisionNational creates the national stream or updates its sources; a
// province added to Provinces starts being sourced from its first event.
func ProvisionNational(ctx context.Context, js jetstream.JetStream, c NationalConfig) (jetstream.Stream, Action, []string, error) {
	if err := c.Validate(); err != nil {
		return nil, "", nil, fmt.Errorf("provision national stream: %w", err)
	}
	return provision(ctx, js, c.StreamConfig(), func(have, want jetstream.StreamConfig) []string {
		if h, w := sourceDomains(have.Sources), sourceDomains(want.Sources); !slices.Equal(h, w) {
			return []string{fmt.Sprintf("sources %v → %v", h, w)}
		}
		return nil
	})
}

func sourceDomains(ss []*jetstream.StreamSource) []string {
	var out []string
	for _, s := range ss {
		if s.External != nil {
			out = append(out, s.Name+"@"+s.External.APIPrefix+">"+s.External.DeliverPrefix)
		} else {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return out
}

// LeafPermissions are the national leaf user's permissions for a province,
// as NATS reads them for a leaf connection: publish is what the province may
// send to the hub, subscribe what the hub may send to the province.
func (c NationalConfig) LeafPermissions(province string) (publish, subscribe []string) {
	api := "$JS." + province + ".API."
	publish = []string{
		c.DeliverPrefix(province) + ".>", // the sourced events and heartbeats
		"$JSC.R.>",                       // replies to the source consumer's creation
	}
	subscribe = []string{
		api + "CONSUMER.CREATE." + c.Source, // the source consumer (its name is in the request)
		"$JS.FC." + c.Source + ".>",         // flow-control replies
	}
	return publish, subscribe
}

// ProvinceDenyImports are the subjects a province's server refuses from the
// hub whatever the hub allows: its events and dead letters, and the JetStream
// API calls that would change or empty its streams.
func (c NationalConfig) ProvinceDenyImports(province string) []string {
	api := "$JS." + province + ".API."
	return []string{
		c.Prefix + ".>",
		"deadletter." + c.Prefix + ".>",
		"$JS.API.>",
		api + "STREAM.CREATE.>", api + "STREAM.UPDATE.>", api + "STREAM.DELETE.>",
		api + "STREAM.PURGE.>", api + "STREAM.MSG.DELETE.>", api + "STREAM.RESTORE.>",
		api + "STREAM.SNAPSHOT.>", api + "STREAM.PEER.>", api + "STREAM.LEADER.>",
		api + "CONSUMER.DURABLE.>", api + "CONSUMER.DELETE.>", api + "DIRECT.>", api + "ACCOUNT.>",
	}
}

// NationalServerConf is the national nats-server's configuration: the
// JetStream domain, the leaf-node listener and one leaf user per province
// with its password, in the account that holds the national stream. The
// admin user is the one baocao's national commands (streams --national,
// consume) use. Passwords may be bcrypt hashes (nats-server passwd).
func (c NationalConfig) NationalServerConf(clientListen, leafListen, storeDir, adminPassword string, leafPasswords map[string]string) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# The national roll-up's server (generated by baocao national server-conf).\n")
	fmt.Fprintf(&b, "server_name: %s\nlisten: %q\n", confString(c.Domain), clientListen)
	fmt.Fprintf(&b, "jetstream {\n  store_dir: %q\n  domain: %s\n}\n", storeDir, confString(c.Domain))
	fmt.Fprintf(&b, "leafnodes {\n  listen: %q\n}\n", leafListen)
	fmt.Fprintf(&b, "accounts {\n  NATIONAL {\n    jetstream: enabled\n    users: [\n")
	fmt.Fprintf(&b, "      {user: admin, password: %q, allowed_connection_types: [\"STANDARD\"]}\n", adminPassword)
	for _, p := range c.Provinces {
		pw, ok := leafPasswords[p]
		if !ok || pw == "" {
			return "", fmt.Errorf("province %s: no leaf password", p)
		}
		pub, sub := c.LeafPermissions(p)
		fmt.Fprintf(&b, "      {user: %q, password: %q, allowed_connection_types: [\"LEAFNODE\"],\n", LeafUser(p), pw)
		fmt.Fprintf(&b, "       permissions: {publish: {allow: %s}, subscribe: {allow: %s}}}\n", confList(pub), confList(sub))
	}
	fmt.Fprintf(&b, "    ]\n  }\n}\n")
	return b.String(), nil
}

// ProvinceLeafConf is what a province adds to its nats-server configuration
// to join: the outbound leaf connection to the national server (its
// jetstream block must also name the province as its domain), bound to account (empty: the global account of a server
// without accounts), with the imports it refuses.
func (c NationalConfig) ProvinceLeafConf(province, nationalLeafURL, password, account string) (string, error) {
	if err := c.Validate(); err != nil {
		return "", err
	}
	u, err := provinceLeafURL(province, nationalLeafURL, password)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Joins the national roll-up (generated by baocao national province-conf).\n")
	fmt.Fprintf(&b, "# The server's jetstream block must also say: domain: %s\n", province)
	fmt.Fprintf(&b, "leafnodes {\n  remotes: [\n    {\n")
	fmt.Fprintf(&b, "      url: %q\n", u.String())
	if account != "" {
		fmt.Fprintf(&b, "      account: %q\n", account)
	}
	fmt.Fprintf(&b, "      # never accepted from the national server, whatever it allows\n")
	fmt.Fprintf(&b, "      deny_imports: %s\n", confList(c.ProvinceDenyImports(province)))
	fmt.Fprintf(&b, "    }\n  ]\n}\n")
	return b.String(), nil
}

func confString(s string) string { return fmt.Sprintf("%q", s) }

func confList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// LeafPasswords reads each province's leaf password from dir/<province>.password,
// creating a random one (0600, the folder 0700) where none exists yet: the
// national office keeps the folder and hands each province its own file.
func LeafPasswords(dir string, provinces []string) (map[string]string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("leaf passwords: %w", err)
	}
	out := map[string]string{}
	for _, p := range provinces {
		path := filepath.Join(dir, p+".password")
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			if out[p] = strings.TrimSpace(string(b)); out[p] == "" {
				return nil, fmt.Errorf("leaf password of %s: %s is empty", p, path)
			}
		case errors.Is(err, fs.ErrNotExist):
			var r [24]byte
			_, _ = rand.Read(r[:])
			out[p] = base64.RawURLEncoding.EncodeToString(r[:])
			if err := os.WriteFile(path, []byte(out[p]+"\n"), 0o600); err != nil {
				return nil, fmt.Errorf("leaf password of %s: %w", p, err)
			}
		default:
			return nil, fmt.Errorf("leaf password of %s: %w", p, err)
		}
	}
	return out, nil
}

// HashPasswords bcrypts each password for the national server's
// configuration, which then holds no secret.
func HashPasswords(pw map[string]string) (map[string]string, error) {
	out := map[string]string{}
	for k, v := range pw {
		h, err := bcrypt.GenerateFromPassword([]byte(v), 11)
		if err != nil {
			return nil, fmt.Errorf("hash the leaf password of %s: %w", k, err)
		}
		out[k] = string(h)
	}
	return out, nil
}

// ProvinceRemote is ProvinceLeafConf for an embedded server (baocao up): it
// sets the province's JetStream domain and adds the leaf connection to the
// national server, bound to account (empty: the global account), with the
// same refused imports.
func (c NationalConfig) ProvinceRemote(province, nationalLeafURL, password, account string) (func(*server.Options), error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	u, err := provinceLeafURL(province, nationalLeafURL, password)
	if err != nil {
		return nil, err
	}
	deny := c.ProvinceDenyImports(province)
	return func(o *server.Options) {
		o.JetStreamDomain = province
		o.LeafNode.Remotes = append(o.LeafNode.Remotes, &server.RemoteLeafOpts{URLs: []*url.URL{u}, LocalAccount: account, DenyImports: deny})
	}, nil
}

// provinceLeafURL is the URL a province's server dials: the national leaf
// listener, as the province's leaf user.
func provinceLeafURL(province, nationalLeafURL, password string) (*url.URL, error) {
	if !provinceToken.MatchString(province) {
		return nil, fmt.Errorf("province %q: want a province token such as H23 (the last token of the province's agency code)", province)
	}
	host := strings.TrimPrefix(strings.TrimPrefix(nationalLeafURL, "nats-leaf://"), "nats://")
	if host == "" || strings.ContainsAny(host, "@/ ") {
		return nil, fmt.Errorf("national leaf url %q: want nats-leaf://host:port (e.g. nats-leaf://vpcp.gov.vn:7422)", nationalLeafURL)
	}
	if password == "" {
		return nil, fmt.Errorf("leaf password of %s: empty", province)
	}
	return &url.URL{Scheme: "nats-leaf", User: url.UserPassword(LeafUser(province), password), Host: host}, nil
}
