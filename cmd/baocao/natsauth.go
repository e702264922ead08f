package main

import (
	"fmt"
	"net"
	"path/filepath"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

// natsAuthOptions say whether the embedded NATS of up asks for
// credentials. Beyond loopback it always does unless --insecure-no-auth:
// anyone who reaches the port could otherwise publish as any agency or
// delete the stream of record.
type natsAuthOptions struct {
	dir   string // --auth-dir; default <data>/auth
	force bool   // --nats-auth: on a loopback listener too
}

func (n *natsAuthOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&n.dir, "auth-dir", "", "folder of the NATS authority (keys, issued credentials, services' credentials) and the HTTP users file (default <data>/auth)")
	f.BoolVar(&n.force, "nats-auth", false, "ask for NATS credentials on a loopback --nats-listen too (beyond loopback they are always asked, unless --insecure-no-auth)")
}

// authDir is --auth-dir, or <data>/auth.
func (n *natsAuthOptions) authDir(dataDir string) string {
	if n.dir != "" {
		return n.dir
	}
	return filepath.Join(dataDir, "auth")
}

// enabled says whether an embedded NATS listening on listen asks for
// credentials.
func (n *natsAuthOptions) enabled(listen string, insecure bool) (bool, error) {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return false, fmt.Errorf("--nats-listen %q: want host:port", listen)
	}
	switch {
	case insecure:
		return false, nil
	case n.force:
		return true, nil
	}
	return !loopbackHost(host), nil
}

// loopbackHost reports whether host names only this machine: an empty host
// or 0.0.0.0 listens on every interface.
func loopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// secureEmbeddedNATS prepares an embedded NATS that asks for credentials:
// the authority in authDir (created on first use), the JetStream data
// written without authentication moved to the events account, the account
// JWTs in natsDir/resolver, and every service's credentials written afresh
// in authDir/services. The returned option puts the server in operator
// mode; it is built here so that a failure stops up before NATS listens.
func secureEmbeddedNATS(natsDir, authDir string, sc stream.Config, durable string) (func(*server.Options), map[natsauth.Service]string, error) {
	a, err := natsauth.Open(authDir)
	if err != nil {
		return nil, nil, err
	}
	if err := natsauth.AdoptGlobalStore(natsDir, a.AccountPublicKey()); err != nil {
		return nil, nil, err
	}
	var auth server.Options
	if err := a.Configure(&auth, filepath.Join(natsDir, "resolver")); err != nil {
		return nil, nil, err
	}
	creds, err := a.WriteServiceCreds(filepath.Join(authDir, "services"), sc, durable, natsauth.Services...)
	if err != nil {
		return nil, nil, err
	}
	return func(o *server.Options) {
		o.TrustedOperators, o.SystemAccount, o.AccountResolver = auth.TrustedOperators, auth.SystemAccount, auth.AccountResolver
	}, creds, nil
}

// hostOf is the host of a host:port address, or the address.
func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
