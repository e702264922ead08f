package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/contributions"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/report"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/stream"
	"github.com/baocao/baocao/web"
	"github.com/baocao/baocao/web/auth"
	"github.com/baocao/baocao/web/ingest"
)

func newUpCmd(g *globals) *cobra.Command {
	var (
		o            storeOptions
		cc           consumers.Config
		refreshEvery time.Duration
		so           scheduleOptions
		h            httpOptions
		ao           analystOptions
		natsListen   string
		na           natsAuthOptions
		nj           nationalJoin
	)
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run everything in one process: NATS, the store, consumers, scheduler, HTTP",
		Long: `Up runs the whole product in this process with nothing to install: NATS with
JetStream embedded (listening on --nats-listen, so agencies and "baocao
publish" can reach it), chDB as the store, the migrations, the projector, the
report scheduler (it writes a report only once the projector has caught up
with the stream, and rewrites it when later events change its figures; see
"baocao schedule --help") and an HTTP server on --http with
  /          the report pages: periods, generated reports, drill-down by agency
  /sql       read-only SQL for analysts (CSV, TSV or JSON)
  /healthz   health of NATS, the store and the projector (why it is stuck)
  /metrics   Prometheus metrics
  /v1/events agencies' events over HTTP, with an agency's token
             (/v1/openapi.yaml describes it)
Beyond loopback (--http 0.0.0.0:8080) all but /healthz ask for a login from
the users of "baocao users"; --http-tls-cert/--http-tls-key serve HTTPS.
Beyond loopback (--nats-listen 0.0.0.0:4222) NATS asks every client for a
credential: agencies' from "baocao agencies credentials", up's own services'
in <data>/auth/services (admin.creds for other commands on this machine).
Everything lives under --data (nats/, chdb/, reports/, auth/) and survives
restarts.

--national-url, --national-password-file and --national-province join the
embedded NATS to the national roll-up as a leaf node (see "baocao national
--help").

Given --nats-url, up uses that NATS instead of starting one; given
--clickhouse-addr, that ClickHouse server instead of chDB. While up runs,
"baocao sql" on the same --data goes through its HTTP server.`,
		Example: `  baocao up
  baocao up --data /var/lib/baocao --http 127.0.0.1:8080
  baocao up --nats-listen 0.0.0.0:4222 --http 0.0.0.0:8443 --http-tls-cert cert.pem --http-tls-key key.pem
  baocao up --nats-url nats://n1:4222 --clickhouse-addr ch1:9000`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := g.logger()
			if err := so.prepare(o.dataDir); err != nil {
				return err
			}
			if err := os.MkdirAll(o.dataDir, 0o755); err != nil {
				return err
			}
			embed := !cmd.Flags().Changed("nats-url")
			durable := cmp.Or(cc.Durable, consumers.DefaultDurable)
			secure, err := na.enabled(natsListen, h.insecureNoAuth)
			if err != nil {
				return err
			}
			if embed && !secure && !loopbackHost(hostOf(natsListen)) {
				log.Warn("--insecure-no-auth: the embedded NATS asks for no credentials; anyone who reaches " + natsListen + " can publish as any agency and delete the stream of record")
			}
			sk, err := openStack(ctx, g, &o, stackOptions{name: "up", embedNATS: embed, natsListen: natsListen, maxPending: 16,
				auth: embed && secure, authDir: na.authDir(o.dataDir), durable: durable, national: nj})
			if err != nil {
				return err
			}
			defer sk.close()
			st := sk.st
			_, schedJS, err := sk.connectAs(g, natsauth.Scheduler, 16)
			if err != nil {
				return err
			}
			_, projJS, err := sk.connectAs(g, natsauth.Projector, 1)
			if err != nil {
				return err
			}
			so.s.DB = o.db
			so.progress(schedJS, g.stream.Name, durable)

			reg := newRegistry()
			cc.Stream, cc.DB = g.stream, o.db
			proj, err := consumers.New(projJS, st, cc, log, consumers.NewMetrics(reg))
			if err != nil {
				return err
			}
			checks := healthChecks(st)
			checks["projector"] = proj.Health
			checks["nats"] = sk.natsHealth
			an, err := ao.open(ctx, st)
			if err != nil {
				return err
			}
			defer an.Close()
			_, ingestJS, err := sk.connectAs(g, natsauth.Ingest, ingestMaxPending)
			if err != nil {
				return err
			}
			intake, err := openIntake(ingestJS, g.stream, reg, log)
			if err != nil {
				return err
			}
			defer closeIntake(intake, log)
			h.sqlTimeout = ao.limits.MaxExecutionTime
			srv, err := h.listen(o, an, so.s, reg, checks, intake, log)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "baocao up\n  NATS        %s\n  ClickHouse  %s\n  reports     %s\n  web         %s\n  SQL         %s/sql\nCtrl-C stops.\n",
				sk.natsWhere, o.where(ctx, st), so.s.Dir, srv.where(), srv.url)

			// Only a signal ends these: the projector retries what fails and
			// reports it on /healthz, the refresher and the scheduler log and
			// retry at their next tick, so a storage fault never takes NATS
			// and HTTP down with it.
			grp, gctx := errgroup.WithContext(ctx)
			grp.Go(func() error { return proj.Run(gctx) })
			grp.Go(func() error { consumers.KeepSnapshotsFresh(gctx, st, o.db, refreshEvery, log); return nil })
			grp.Go(func() error { return so.loop(gctx, g, schedJS, st, false, newScheduleMetrics(reg)) })
			grp.Go(func() error { return srv.serve(gctx) })
			err = grp.Wait()
			if ctx.Err() != nil { // stopped by a signal: a clean exit
				return nil
			}
			return err
		},
	}
	f := cmd.Flags()
	o.flags(f)
	consumerFlags(f, &cc, &refreshEvery)
	so.flags(f)
	h.flags(f)
	ao.flags(f)
	na.flags(f)
	nj.flags(f)
	f.StringVar(&natsListen, "nats-listen", "127.0.0.1:4222", "address of the embedded NATS (when no --nats-url is given); beyond loopback it asks for credentials")
	return cmd
}

func newServeCmd(g *globals) *cobra.Command {
	var (
		o  storeOptions
		h  httpOptions
		ao analystOptions
		so scheduleOptions

		withIntake bool
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the report pages, read-only SQL, health and metrics over HTTP",
		Long: `Serve runs only the HTTP server of "baocao up" against the configured store,
for deployments where the projector and the scheduler run as their own
services (docker-compose.yml): the report pages from --out, /sql (read-only),
/healthz and /metrics. Beyond loopback all but /healthz ask for a login from
the users file (--http-users, see "baocao users").`,
		Example: `  baocao serve --clickhouse-addr 127.0.0.1:9000 --http 127.0.0.1:8080 --out /srv/reports`,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := g.logger()
			var err error
			if so.s.Kinds, err = parseKinds(so.kinds); err != nil {
				return err
			}
			so.s.Dir = reportsDir(so.s.Dir, o.dataDir)
			if so.s.Layouts, err = so.doc.layouts(); err != nil {
				return err
			}
			rounds, err := so.round.rounds(so.s.Layouts)
			if err != nil {
				return err
			}
			so.s.Rounds = rounds
			st, err := o.openMigrated(ctx)
			if err != nil {
				return err
			}
			defer st.Close()
			an, err := ao.open(ctx, st)
			if err != nil {
				return err
			}
			defer an.Close()
			reg, checks := newRegistry(), healthChecks(st)
			var intake *ingest.Intake
			if withIntake {
				nc, js, err := g.connect("serve", ingestMaxPending)
				if err != nil {
					return err
				}
				defer nc.Close()
				checks["nats"] = func(context.Context) error {
					if s := nc.Status(); s != nats.CONNECTED {
						return fmt.Errorf("%v", s)
					}
					return nil
				}
				if intake, err = openIntake(js, g.stream, reg, log); err != nil {
					return err
				}
				defer closeIntake(intake, log)
			}
			h.sqlTimeout = ao.limits.MaxExecutionTime
			srv, err := h.listen(o, an, so.s, reg, checks, httpHandler(intake), log)
			if err != nil {
				return err
			}
			fmt.Fprintf(g.stderr, "baocao serve: %s (ClickHouse %s, reports %s)\n", srv.where(), o.where(ctx, st), so.s.Dir)
			if err := srv.serve(ctx); err != nil && ctx.Err() == nil {
				return err
			}
			return nil
		},
	}
	f := cmd.Flags()
	o.flags(f)
	h.flags(f)
	ao.flags(f)
	f.StringVar(&so.kinds, "kinds", "procedure_control,reform", "report kinds listed, comma-separated")
	f.StringVar(&so.s.Cutoff, "cutoff", report.Official, "cut-off of the periods listed: official or calendar")
	f.StringVar(&so.s.Dir, "out", "", "folder of generated reports (default <data>/reports)")
	so.doc.flags(f)   // the previews of reports not written yet
	so.round.flags(f) // the collection rounds' pages
	f.BoolVar(&withIntake, "ingest", false, "also take agencies' events on POST /v1/events, publishing them to NATS (--nats-url, with the ingest identity's --nats-creds)")
	return cmd
}

// stack is what up and demo run on: NATS (embedded, or the configured
// server), the events stream, and the migrated store.
type stack struct {
	ns        *server.Server // nil with an external NATS
	nc        *nats.Conn     // the admin's connection (provisioning)
	js        jetstream.JetStream
	st        store.Store
	natsWhere string
	// creds are the services' credentials when the embedded NATS asks for
	// them; each service then connects as itself (connectAs).
	creds map[natsauth.Service]string
	conns []*nats.Conn // every connection, closed by close
}

// stackOptions say how openStack starts.
type stackOptions struct {
	name       string // the subcommand, naming the connections
	embedNATS  bool
	natsListen string
	maxPending int
	// auth asks the embedded NATS for credentials (natsAuthOptions.enabled).
	auth    bool
	authDir string
	durable string // the projector's durable consumer, for its identity
	// national joins the embedded NATS to the national roll-up.
	national nationalJoin
}

func openStack(ctx context.Context, g *globals, o *storeOptions, so stackOptions) (_ *stack, err error) {
	sk := &stack{natsWhere: g.nats.URL}
	defer func() {
		if err != nil {
			sk.close()
		}
	}()
	if !so.embedNATS && so.national.url != "" {
		return nil, fmt.Errorf("--national-url joins the embedded NATS; a NATS server of its own joins by its configuration (baocao national province-conf)")
	}
	if so.embedNATS {
		dir := filepath.Join(o.dataDir, "nats")
		var tweak []func(*server.Options)
		if so.auth {
			secure, creds, err := secureEmbeddedNATS(dir, so.authDir, g.stream, so.durable)
			if err != nil {
				return nil, err
			}
			tweak, sk.creds = append(tweak, secure), creds
			g.nats = stream.ConnConfig{URL: g.nats.URL, Creds: sk.creds[natsauth.Admin]}
		} else if err = natsauth.ReturnToGlobalStore(dir, so.authDir); err != nil {
			return nil, err
		}
		account := "" // the leaf connection's account: the events account with credentials
		if so.auth {
			if account, err = eventsAccount(so.authDir); err != nil {
				return nil, err
			}
		}
		join, err := so.national.tweak(g.stream, account)
		if err != nil {
			return nil, err
		}
		if join != nil {
			tweak = append(tweak, join)
		}
		if sk.ns, g.nats.URL, err = startEmbeddedNATS(dir, so.natsListen, tweak...); err != nil {
			return nil, err
		}
		sk.natsWhere = g.nats.URL + " (embedded, " + dir + ")"
		if so.auth {
			sk.natsWhere += ", credentials required"
		}
	}
	if sk.nc, sk.js, err = g.connect(so.name, so.maxPending); err != nil {
		return nil, err
	}
	sk.conns = append(sk.conns, sk.nc)
	if _, _, _, err = stream.Provision(ctx, sk.js, g.stream); err != nil {
		return nil, err
	}
	// up stays up when the store cannot open or migrate (a folder it may
	// not write, a full disk, a server down): it keeps trying and /healthz
	// says why. Other commands need the store at once.
	st, err := o.open(ctx)
	if err == nil {
		if _, err = schema.Migrate(ctx, st, o.db); err != nil && so.name != "up" {
			st.Close()
		}
	}
	if err != nil {
		if so.name != "up" {
			return nil, err
		}
		migrate := func(ctx context.Context, st store.Store) error { _, err := schema.Migrate(ctx, st, o.db); return err }
		st, err = store.OpenInBackground(o.open, migrate, st, err, g.logger()), nil
	}
	sk.st = st
	return sk, nil
}

// connectAs is a JetStream connection with the service's own identity when
// the embedded NATS asks for credentials, and the stack's connection
// otherwise.
func (sk *stack) connectAs(g *globals, s natsauth.Service, maxPending int) (*nats.Conn, jetstream.JetStream, error) {
	if sk.creds == nil {
		return sk.nc, sk.js, nil
	}
	as := *g
	as.nats = stream.ConnConfig{URL: g.nats.URL, Creds: sk.creds[s]}
	nc, js, err := as.connect(string(s), maxPending)
	if err != nil {
		return nil, nil, err
	}
	sk.conns = append(sk.conns, nc)
	return nc, js, nil
}

// natsHealth is the "nats" health check: every connection of the stack is
// connected.
func (sk *stack) natsHealth(context.Context) error {
	for _, nc := range sk.conns {
		if s := nc.Status(); s != nats.CONNECTED {
			return fmt.Errorf("%s: %v", nc.Opts.Name, s)
		}
	}
	return nil
}

func (sk *stack) close() {
	if sk.st != nil {
		sk.st.Close()
	}
	for _, nc := range slices.Backward(sk.conns) {
		nc.Close()
	}
	if sk.ns != nil {
		sk.ns.Shutdown()
		sk.ns.WaitForShutdown()
	}
}

// startEmbeddedNATS starts the in-process NATS server on listen with its
// store in dir and returns its client URL.
func startEmbeddedNATS(dir, listen string, tweak ...func(*server.Options)) (*server.Server, string, error) {
	host, portText, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, "", fmt.Errorf("--nats-listen %q: want host:port", listen)
	}
	port, err := strconv.Atoi(portText)
	if err != nil {
		return nil, "", fmt.Errorf("--nats-listen %q: want host:port", listen)
	}
	if l, err := net.Listen("tcp", listen); err != nil {
		return nil, "", fmt.Errorf("embedded NATS cannot listen on %s (%v): is another baocao up or NATS server running? Give another --nats-listen, or --nats-url to use that server", listen, err)
	} else {
		l.Close()
	}
	if port == 0 {
		port = server.RANDOM_PORT // nats-server reads 0 as its default, 4222
	}
	ns, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: dir, Host: host, Port: port}, tweak...)
	if err != nil {
		return nil, "", err
	}
	return ns, ns.ClientURL(), nil
}

func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}

func healthChecks(st store.Store) map[string]func(context.Context) error {
	return map[string]func(context.Context) error{
		"store": func(ctx context.Context) error {
			_, err := st.Query(ctx, "SELECT 1")
			return err
		},
	}
}

// httpOptions are the HTTP server's settings, shared by "up" and "serve".
type httpOptions struct {
	addr string
	tls  tlsFlags
	// users is the users file (default <data>/auth/http-users.yaml).
	users string
	// login asks for a login on loopback too; beyond loopback it is
	// always asked unless insecureNoAuth.
	login, insecureNoAuth bool
	// sqlTimeout is the analysts' --sql-timeout: the handler waits a minute
	// longer, so the engine is what stops a query.
	sqlTimeout time.Duration
}

func (h *httpOptions) flags(f *pflag.FlagSet) {
	f.StringVar(&h.addr, "http", "127.0.0.1:8080", "address of the HTTP server (pages, /sql, /healthz, /metrics)")
	h.tls.flags(f, "http", "http")
	f.StringVar(&h.users, "http-users", "", "HTTP users file, see \"baocao users\" (default <data>/auth/http-users.yaml)")
	f.BoolVar(&h.login, "http-login", false, "ask for a login on a loopback --http too (beyond loopback it is always asked)")
	f.BoolVar(&h.insecureNoAuth, "insecure-no-auth", false, "serve without any login even beyond loopback (anyone who reaches the port reads everything)")
}

// usersFile is the HTTP users file of a data folder, unless given.
func usersFile(given, dataDir string) string {
	if given != "" {
		return given
	}
	return filepath.Join(dataDir, "auth", "http-users.yaml")
}

// tlsFlags are a certificate and key for an HTTP listener; every listener
// (up's and serve's --http, consume's --metrics-addr) takes them.
type tlsFlags struct{ cert, key string }

// flags adds --<prefix>-tls-cert and --<prefix>-tls-key for the listener
// of the flag addr.
func (t *tlsFlags) flags(f *pflag.FlagSet, prefix, addr string) {
	f.StringVar(&t.cert, prefix+"-tls-cert", "", "PEM certificate (chain) to serve --"+addr+" over HTTPS; re-read when the file changes")
	f.StringVar(&t.key, prefix+"-tls-key", "", "PEM private key of --"+prefix+"-tls-cert")
}

// httpServer is a listening HTTP server. With the embedded engine it
// leaves its URL in the data folder, so "baocao sql" finds it.
type httpServer struct {
	srv     *http.Server
	l       net.Listener
	url     string
	urlFile string
	log     *slog.Logger
	login   bool // asks for a login
}

// where is the server's URL for the banners, saying whether it asks for a
// login.
func (s *httpServer) where() string {
	if s.login {
		return s.url + " (login required)"
	}
	return s.url
}

// listen serves analyst, the analysts' store (analystOptions.open), on /sql
// and the report pages; the health checks keep the projector's store.
func (h *httpOptions) listen(o storeOptions, analyst store.Store, sched report.Schedule, reg *prometheus.Registry, checks map[string]func(context.Context) error, intake http.Handler, log *slog.Logger) (*httpServer, error) {
	l, url, err := web.Listen(h.addr, h.tls.cert, h.tls.key)
	if err != nil {
		return nil, fmt.Errorf("--http %s: %w", h.addr, err)
	}
	// Beyond loopback anyone on the network reaches the port: a login is
	// asked unless the operator says otherwise, loudly.
	login := h.login || !web.Loopback(l)
	rounds, _ := sched.Rounds.(contributions.Rounds) // nil: the default rounds
	if login && h.insecureNoAuth {
		log.Warn("--insecure-no-auth: the HTTP server asks for no login; anyone who reaches " + l.Addr().String() + " reads the reports and queries /sql")
		login = false
	}
	// Read even without a login asked: agencies' tokens are always needed.
	users, err := auth.Open(usersFile(h.users, o.dataDir))
	if err != nil {
		l.Close()
		return nil, fmt.Errorf("--http-users: %w", err)
	}
	users.Log = log.With("component", "auth")
	handler := web.Handler(web.Config{Store: analyst, Registry: reg, Checks: checks, QueryTimeout: h.sqlTimeout + time.Minute,
		Pages:        &web.Pages{Store: analyst, DB: o.db, Dir: sched.Dir, Kinds: sched.Kinds, Cutoff: sched.Cutoff, Layouts: sched.Layouts, Rounds: rounds, Log: log.With("component", "pages")},
		RequireLogin: login, Users: users, Intake: intake, Log: log.With("component", "web")})
	s := &httpServer{
		// A body must arrive within ReadTimeout: a slow sender cannot hold
		// an agency's intake slots (or a connection) indefinitely. Answers
		// have no bound: /sql streams large results.
		srv: &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 2 * time.Minute, IdleTimeout: 2 * time.Minute},
		l:   l, url: url, log: log, login: login,
	}
	if o.embedded() {
		s.urlFile = serverURLFile(o.dataDir)
		if err := os.WriteFile(s.urlFile, []byte(s.url+"\n"), 0o644); err != nil {
			l.Close()
			return nil, err
		}
	}
	return s, nil
}

// serve answers requests until ctx ends, then shuts down gracefully.
func (s *httpServer) serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.l) }()
	defer func() {
		if s.urlFile != "" {
			os.Remove(s.urlFile)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		s.log.Warn("http shutdown", "err", err)
	}
	return nil
}

// serverURLFile is where a running "up" or "serve" on the embedded engine
// leaves its HTTP address.
func serverURLFile(dataDir string) string { return filepath.Join(dataDir, "http.url") }
