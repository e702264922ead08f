package main

// The server deployment (docker-compose.yml, deploy/clickhouse/) is checked
// here without a Docker engine: the file is loaded with the compose-spec
// library Docker Compose itself uses, the baocao services' commands are
// parsed by the real CLI, and the ClickHouse users' grants are compared with
// the views and tables the code defines.

import (
	"context"
	"encoding/xml"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baocao/baocao/consumers"
	"github.com/baocao/baocao/schema"
	"github.com/baocao/baocao/store"
)

const (
	composeDir  = "../.."
	composeFile = composeDir + "/docker-compose.yml"
	clusterFile = composeDir + "/docker-compose.cluster.yml"
	clickhouseD = composeDir + "/deploy/clickhouse"
	usersScript = clickhouseD + "/initdb/10-baocao-users.sh"
)

// composeSecrets are set for the load, so the test sees whether each
// variable reaches the services that need it.
var composeSecrets = map[string]string{
	"BAOCAO_CLICKHOUSE_USER":     "ops",
	"BAOCAO_CLICKHOUSE_PASSWORD": "admin-secret",
	"BAOCAO_ANALYST_PASSWORD":    "analyst-secret",
	"BAOCAO_INGEST_PASSWORD":     "ingest-secret",
}

func loadCompose(t *testing.T, env map[string]string) *types.Project {
	t.Helper()
	return loadComposeFile(t, composeFile, env)
}

// loadComposeFile loads one of the compose files (docker-compose.yml, or
// docker-compose.cluster.yml) as Docker Compose does.
func loadComposeFile(t *testing.T, composeFile string, env map[string]string) *types.Project {
	t.Helper()
	var list []string
	for k, v := range env {
		list = append(list, k+"="+v)
	}
	// Only the given environment: the developer's own BAOCAO_* variables
	// must not change what is checked.
	opts, err := cli.NewProjectOptions([]string{composeFile}, cli.WithWorkingDirectory(composeDir), cli.WithEnv(list))
	if err != nil {
		t.Fatal(err)
	}
	p, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("load %s: %v", composeFile, err)
	}
	return p
}

// isBaocao reports whether s runs the baocao image (built from Dockerfile).
func isBaocao(s types.ServiceConfig) bool { return s.Build != nil }

// composeFiles are the deployments: one server each, and the cluster.
var composeFiles = []string{composeFile, clusterFile}

// eachCompose runs check on every compose file, loaded with composeSecrets.
func eachCompose(t *testing.T, check func(t *testing.T, p *types.Project)) {
	for _, f := range composeFiles {
		t.Run(filepath.Base(f), func(t *testing.T) { check(t, loadComposeFile(t, f, composeSecrets)) })
	}
}

// isClickHouseServer reports whether s is a ClickHouse server (not a Keeper,
// which runs the same image with a command of its own).
func isClickHouseServer(s types.ServiceConfig) bool {
	return strings.HasPrefix(s.Image, "clickhouse/clickhouse-server:") && len(s.Command) == 0
}

func isOneShot(s types.ServiceConfig) bool { return s.Restart == "no" }

func env(s types.ServiceConfig, key string) (string, bool) {
	v, ok := s.Environment[key]
	if !ok || v == nil {
		return "", false
	}
	return *v, true
}

// It loads with no variables set (the defaults are for local use) and with
// them; the admin credentials reach ClickHouse and every baocao service
// that opens the store alike.
func TestComposeLoadsAndSharesCredentials(t *testing.T) {
	for name, vars := range map[string]map[string]string{"defaults": nil, "set": composeSecrets} {
		t.Run(name, func(t *testing.T) {
			p := loadCompose(t, vars)
			want := []string{"auth", "clickhouse", "consume", "migrate", "nats", "schedule", "serve", "streams"}
			if got := slices.Sorted(maps.Keys(p.Services)); !slices.Equal(got, want) {
				t.Fatalf("services %v, want %v", got, want)
			}
			ch := p.Services["clickhouse"]
			user, _ := env(ch, "CLICKHOUSE_USER")
			password, _ := env(ch, "CLICKHOUSE_PASSWORD")
			if user == "" || password == "" {
				t.Fatalf("clickhouse: CLICKHOUSE_USER %q, CLICKHOUSE_PASSWORD %q: want both (the image keeps a password-less default user otherwise)", user, password)
			}
			if v, _ := env(ch, "CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT"); v != "1" {
				t.Errorf("clickhouse: CLICKHOUSE_DEFAULT_ACCESS_MANAGEMENT=%q, want 1 (the init script creates users as the admin)", v)
			}
			if vars != nil {
				if user != vars["BAOCAO_CLICKHOUSE_USER"] || password != vars["BAOCAO_CLICKHOUSE_PASSWORD"] {
					t.Errorf("clickhouse: admin %q/%q, want it from BAOCAO_CLICKHOUSE_USER/PASSWORD", user, password)
				}
				for _, k := range []string{"BAOCAO_ANALYST_PASSWORD", "BAOCAO_INGEST_PASSWORD"} {
					if v, _ := env(ch, k); v != vars[k] {
						t.Errorf("clickhouse: %s=%q, want %q from the environment (initdb reads it)", k, v, vars[k])
					}
				}
			}
			for name, s := range p.Services {
				addr, ok := env(s, "BAOCAO_CLICKHOUSE_ADDR")
				if !isBaocao(s) || !ok {
					continue
				}
				u, _ := env(s, "BAOCAO_CLICKHOUSE_USER")
				pw, _ := env(s, "BAOCAO_CLICKHOUSE_PASSWORD")
				if u != user || pw != password {
					t.Errorf("%s: ClickHouse user %q password %q, want the admin's %q/%q", name, u, pw, user, password)
				}
				if host, _, _ := net.SplitHostPort(addr); host != "clickhouse" {
					t.Errorf("%s: BAOCAO_CLICKHOUSE_ADDR=%q, want the clickhouse service", name, addr)
				}
			}
		})
	}
}

func TestComposePortsBindLoopbackOnly(t *testing.T) { eachCompose(t, checkPortsLoopbackOnly) }

func checkPortsLoopbackOnly(t *testing.T, p *types.Project) {
	published := map[string]string{}
	for name, s := range p.Services {
		for _, port := range s.Ports {
			if port.HostIP != "127.0.0.1" {
				t.Errorf("%s: port %s:%d binds host_ip %q, want 127.0.0.1", name, port.Published, port.Target, port.HostIP)
			}
			if port.Published == "" {
				t.Errorf("%s: port %d published on a random host port", name, port.Target)
			}
			if other, ok := published[port.Published]; ok {
				t.Errorf("%s and %s both publish host port %s", other, name, port.Published)
			}
			published[port.Published] = name
		}
	}
	if ports := p.Services["consume"].Ports; len(ports) > 0 {
		t.Errorf("consume publishes %v: replicas (--scale) would clash", ports)
	}
	if c := p.Services["consume"].ContainerName; c != "" {
		t.Errorf("consume: container_name %q prevents --scale", c)
	}
}

var versionTag = regexp.MustCompile(`^\d+\.\d+\.\d+`)

func TestComposeImagesPinned(t *testing.T) { eachCompose(t, checkImagesPinned) }

func checkImagesPinned(t *testing.T, p *types.Project) {
	for name, s := range p.Services {
		i := strings.LastIndex(s.Image, ":")
		if i < 0 || strings.Contains(s.Image[i:], "/") {
			t.Errorf("%s: image %q has no tag", name, s.Image)
			continue
		}
		tag := s.Image[i+1:]
		switch {
		case tag == "latest":
			t.Errorf("%s: image %q: latest is not a version", name, s.Image)
		case isBaocao(s):
			if s.Image != "baocao:local" {
				t.Errorf("%s: builds image %q, want baocao:local like the other baocao services", name, s.Image)
			}
		case !versionTag.MatchString(tag):
			t.Errorf("%s: image %q: want a full version tag (major.minor.patch), not a moving one", name, s.Image)
		}
	}
}

// Services that run without a healthcheck, and why; each must listen on
// nothing (no ports, no expose), so the exception hides no probe.
var noHealthcheck = map[string]string{
	"schedule": "no listener: it writes files and publishes to NATS",
}

// Long-running services are probed, one-shot ones finish, and each
// dependency waits for the right thing: a healthy server or a one-shot
// that succeeded.
func TestComposeStartupOrder(t *testing.T) { eachCompose(t, checkStartupOrder) }

func checkStartupOrder(t *testing.T, p *types.Project) {
	for name, s := range p.Services {
		probed := s.HealthCheck != nil && !s.HealthCheck.Disable && len(s.HealthCheck.Test) > 0
		switch {
		case isOneShot(s):
			if probed {
				t.Errorf("%s: one-shot with a healthcheck", name)
			}
		case s.Restart != "unless-stopped" && s.Restart != "always":
			t.Errorf("%s: restart %q: want unless-stopped for a long-running service, or \"no\" for a one-shot", name, s.Restart)
		case !probed && noHealthcheck[name] == "":
			t.Errorf("%s: long-running service without a healthcheck", name)
		case !probed && (len(s.Ports) > 0 || len(s.Expose) > 0):
			t.Errorf("%s: listens (ports %v, expose %v) but has no healthcheck", name, s.Ports, s.Expose)
		}
		for dep, d := range s.DependsOn {
			target, ok := p.Services[dep]
			if !ok {
				t.Errorf("%s: depends on unknown service %s", name, dep)
				continue
			}
			want := "service_healthy"
			if isOneShot(target) {
				want = "service_completed_successfully"
			}
			if d.Condition != want {
				t.Errorf("%s: depends on %s with condition %q, want %s", name, dep, d.Condition, want)
			}
			if want == "service_healthy" && target.HealthCheck == nil {
				t.Errorf("%s: waits for %s to be healthy, which has no healthcheck", name, dep)
			}
		}
		if isBaocao(s) && name != "migrate" {
			if _, ok := s.Environment["BAOCAO_CLICKHOUSE_ADDR"]; ok {
				if d, ok := s.DependsOn["migrate"]; !ok || d.Condition != "service_completed_successfully" {
					t.Errorf("%s: opens the store but does not wait for migrate to succeed", name)
				}
			}
		}
	}
	for _, name := range []string{"consume", "schedule"} {
		if d, ok := p.Services[name].DependsOn["streams"]; !ok || d.Condition != "service_completed_successfully" {
			t.Errorf("%s: reads or writes the events stream but does not wait for streams to create it", name)
		}
	}
	// On its first start the image runs a temporary server on 127.0.0.1 only
	// while initdb creates the users; a probe there would pass too early.
	for name, s := range p.Services {
		if !isClickHouseServer(s) {
			continue
		}
		for _, arg := range s.HealthCheck.Test {
			if strings.Contains(arg, "127.0.0.1") || strings.Contains(arg, "localhost") {
				t.Errorf("%s: healthcheck %q probes loopback, where the init-time server answers", name, s.HealthCheck.Test)
			}
		}
	}
}

// baocaoCommand parses a service's command with the real CLI and applies
// its BAOCAO_* environment the way applyEnv does, failing on an unknown
// subcommand, flag or variable.
func baocaoCommand(t *testing.T, name string, s types.ServiceConfig) *cobra.Command {
	t.Helper()
	if len(s.Entrypoint) > 0 {
		t.Fatalf("%s: entrypoint %q overrides the image's baocao", name, s.Entrypoint)
	}
	args := []string(s.Command)
	root := newRootCmd(nil, io.Discard, io.Discard)
	cmd, rest, err := root.Find(args)
	if err != nil {
		t.Fatalf("%s: command %q: %v", name, args, err)
	}
	if cmd == root {
		t.Fatalf("%s: command %q names no subcommand", name, args)
	}
	if err := cmd.ParseFlags(rest); err != nil {
		t.Fatalf("%s: command %q: %v", name, args, err)
	}
	if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
		t.Fatalf("%s: command %q: %v", name, args, err)
	}
	fs := cmd.Flags()
	for key, v := range s.Environment {
		if !strings.HasPrefix(key, "BAOCAO_") {
			continue
		}
		var flag string
		fs.VisitAll(func(f *pflag.Flag) {
			if envName(f.Name) == key {
				flag = f.Name
			}
		})
		if flag == "" {
			t.Errorf("%s: %s names no flag of baocao %s (a typo, or a setting this subcommand ignores)", name, key, cmd.Name())
			continue
		}
		if fs.Changed(flag) || v == nil {
			continue
		}
		if err := fs.Set(flag, *v); err != nil {
			t.Errorf("%s: %s=%q: %v", name, key, *v, err)
		}
	}
	return cmd
}

func TestComposeCommandsParse(t *testing.T) { eachCompose(t, checkCommandsParse) }

func checkCommandsParse(t *testing.T, p *types.Project) {
	for name, s := range p.Services {
		if !isBaocao(s) {
			continue
		}
		t.Run(name, func(t *testing.T) {
			cmd := baocaoCommand(t, name, s)
			// Each service is named after the subcommand it runs.
			top := cmd
			for top.Parent() != nil && top.Parent().Parent() != nil {
				top = top.Parent()
			}
			if top.Name() != name {
				t.Errorf("service %s runs %s", name, cmd.CommandPath())
			}
			fs := cmd.Flags()
			// The image is built without chDB: with no address the store
			// would be the embedded engine, which it refuses.
			if fs.Lookup("clickhouse-addr") != nil && !fs.Changed("clickhouse-addr") {
				t.Errorf("baocao %s opens the store but gets no --clickhouse-addr", cmd.Name())
			}
			// 127.0.0.1 inside a container is the container itself.
			if _, reaches := composeIdentity[name]; reaches && !fs.Changed("nats-url") {
				t.Errorf("baocao %s gets no --nats-url", cmd.Name())
			}
			listening := map[string]bool{}
			for _, f := range []string{"http", "metrics-addr"} {
				if fs.Lookup(f) == nil || !fs.Changed(f) {
					continue
				}
				addr := fs.Lookup(f).Value.String()
				host, port, err := net.SplitHostPort(addr)
				if err != nil {
					t.Errorf("--%s %q: %v", f, addr, err)
					continue
				}
				if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
					t.Errorf("--%s %s: loopback inside the container is unreachable through ports and from other services", f, addr)
				}
				listening[port] = true
			}
			if fs.Lookup("http") != nil && !fs.Changed("http") {
				t.Errorf("baocao %s: --http left at its loopback default", cmd.Name())
			}
			for _, port := range s.Ports {
				if !listening[strconv.Itoa(int(port.Target))] {
					t.Errorf("publishes container port %d, where baocao %s does not listen (%v)", port.Target, cmd.Name(), slices.Collect(maps.Keys(listening)))
				}
			}
			for _, e := range s.Expose {
				if !listening[e] {
					t.Errorf("exposes port %s, where baocao %s does not listen", e, cmd.Name())
				}
			}
			if hc := s.HealthCheck; hc != nil {
				probe := regexp.MustCompile(`http://127\.0\.0\.1:(\d+)/`).FindStringSubmatch(strings.Join(hc.Test, " "))
				if probe == nil || !listening[probe[1]] {
					t.Errorf("healthcheck %q probes no port baocao %s listens on (%v)", hc.Test, cmd.Name(), slices.Collect(maps.Keys(listening)))
				}
			}
			// --out is a mounted volume: read-write for the scheduler that
			// writes it, read-only for the server that serves it.
			if f := fs.Lookup("out"); f != nil && fs.Changed("out") {
				var found bool
				for _, v := range s.Volumes {
					if v.Target == f.Value.String() {
						found = true
						if v.Source != "reports" || v.ReadOnly != (cmd.Name() == "serve") {
							t.Errorf("--out %s: volume %s read-only %v, want the reports volume, read-only only for serve", v.Target, v.Source, v.ReadOnly)
						}
					}
				}
				if !found {
					t.Errorf("--out %s is not a mounted volume: reports would be lost with the container", f.Value)
				}
			}
		})
	}
}

// userSQL is what the users script runs: its statements between <<SQL and
// SQL, without comments, whitespace collapsed.
func userSQL(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(usersScript)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<<SQL\n(.*?)\nSQL\n`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no <<SQL … SQL here-document", usersScript)
	}
	var lines []string
	for _, l := range strings.Split(string(m[1]), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "--") {
			lines = append(lines, l)
		}
	}
	var out []string
	for _, st := range strings.Split(strings.Join(lines, "\n"), ";") {
		if st = strings.Join(strings.Fields(st), " "); st != "" {
			out = append(out, st)
		}
	}
	return out
}

type userGrants struct {
	settings string
	grants   map[string][]string // privilege -> [db.table]
}

var (
	createUserStmt = regexp.MustCompile(`^CREATE USER OR REPLACE (\w+) IDENTIFIED WITH sha256_password BY '\$\{(\w+)\}'(?: SETTINGS (.+))?$`)
	grantStmt      = regexp.MustCompile(`^GRANT ([A-Z]+) ON (\w+\.\w+) TO (\w+)$`)
)

// parseUsers reads the users and grants the script creates. A statement it
// does not recognise fails the test: every grant must be visible here.
func parseUsers(t *testing.T) map[string]*userGrants {
	t.Helper()
	users := map[string]*userGrants{}
	for _, st := range userSQL(t) {
		if m := createUserStmt.FindStringSubmatch(st); m != nil {
			if users[m[1]] != nil {
				t.Errorf("user %s created twice", m[1])
			}
			users[m[1]] = &userGrants{settings: m[3], grants: map[string][]string{}}
			continue
		}
		if m := grantStmt.FindStringSubmatch(st); m != nil {
			u := users[m[3]]
			if u == nil {
				t.Errorf("%q: grant to %s before CREATE USER OR REPLACE (which would drop it)", st, m[3])
				continue
			}
			u.grants[m[1]] = append(u.grants[m[1]], m[2])
			continue
		}
		t.Errorf("%s: statement the test does not understand (add it here): %q", usersScript, st)
	}
	return users
}

// deploymentDB is the database the baocao services use (--db, or BAOCAO_DB).
func deploymentDB(t *testing.T) string {
	t.Helper()
	p := loadCompose(t, composeSecrets)
	cmd := baocaoCommand(t, "migrate", p.Services["migrate"])
	return cmd.Flags().Lookup("db").Value.String()
}

// diff reports what want has that got lacks, and the reverse.
func diff(got, want []string) (missing, extra []string) {
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	return missing, extra
}

// The analyst reads exactly the report views: a new file in queries/
// without its grant fails here, and so does a grant on anything else.
func TestComposeAnalystReadsTheViewsOnly(t *testing.T) {
	db := deploymentDB(t)
	views, err := schema.QueryViews()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, v := range views {
		want = append(want, db+"."+v.Object)
	}
	u := parseUsers(t)["analyst"]
	if u == nil {
		t.Fatalf("%s creates no analyst user", usersScript)
	}
	if !regexp.MustCompile(`(^|, )readonly = 1($|,)`).MatchString(u.settings) {
		t.Errorf("analyst: SETTINGS %q, want readonly = 1", u.settings)
	}
	assertGrantsExactly(t, "analyst", u, "SELECT", want, "a view of queries/")
}

var insertCall = regexp.MustCompile(`s\.insert\(ctx, db\+"\.(\w+)"`)

// projectorTables are the tables the Store's Insert* methods write, read
// from both engines' sources, one per method.
func projectorTables(t *testing.T) []string {
	t.Helper()
	var inserts int
	st := reflect.TypeFor[store.Store]()
	for i := range st.NumMethod() {
		if strings.HasPrefix(st.Method(i).Name, "Insert") {
			inserts++
		}
	}
	var tables []string
	for _, f := range []string{"../../store/clickhouse/clickhouse.go", "../../store/chdb/chdb.go"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range insertCall.FindAllSubmatch(b, -1) {
			got = append(got, string(m[1]))
		}
		slices.Sort(got)
		if len(got) != inserts {
			t.Fatalf("%s: found inserts into %v, want one per Insert method of store.Store (%d)", f, got, inserts)
		}
		if tables != nil && !slices.Equal(got, tables) {
			t.Fatalf("%s inserts into %v, the other engine into %v", f, got, tables)
		}
		tables = got
	}
	return tables
}

// The ingest user may insert into the tables the projector writes, read the
// tables it checks event ids against, and do nothing else.
func TestComposeIngestInsertsOnly(t *testing.T) {
	db := deploymentDB(t)
	ms, err := schema.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, tbl := range projectorTables(t) {
		if !slices.ContainsFunc(ms, func(m schema.Migration) bool { return m.Object == tbl && m.Kind == schema.Table }) {
			t.Errorf("the projector inserts into %s, which no migration creates as a table", tbl)
		}
		want = append(want, db+"."+tbl)
	}
	u := parseUsers(t)["ingest"]
	if u == nil {
		t.Fatalf("%s creates no ingest user", usersScript)
	}
	var reads []string
	for _, tbl := range consumers.ReadTables {
		reads = append(reads, db+"."+tbl)
	}
	assertGrantsExactly(t, "ingest", &userGrants{grants: map[string][]string{"SELECT": u.grants["SELECT"]}}, "SELECT", reads,
		"a table the projector reads")
	delete(u.grants, "SELECT")
	assertGrantsExactly(t, "ingest", u, "INSERT", want, "a table the projector writes")
	for name := range parseUsers(t) {
		if name != "analyst" && name != "ingest" {
			t.Errorf("%s creates user %s, which this test does not check", usersScript, name)
		}
	}
}

// xmlValue returns the text of the element at path in an XML file.
func xmlValue(t *testing.T, file string, path ...string) (string, bool) {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := xml.NewDecoder(f)
	var stack []string
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return "", false
		}
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			stack = append(stack, tok.Name.Local)
			text.Reset()
		case xml.CharData:
			text.Write(tok)
		case xml.EndElement:
			if slices.Equal(stack, path) {
				return strings.TrimSpace(text.String()), true
			}
			stack = stack[:len(stack)-1]
		}
	}
}

// The analyst's grants work only if the views run as their definer (the
// admin that migrate connects as); and the files that say so are mounted.
func TestComposeViewsRunAsDefiner(t *testing.T) {
	config := clickhouseD + "/config.d/baocao.xml"
	users := clickhouseD + "/users.d/baocao.xml"
	if v, _ := xmlValue(t, config, "clickhouse", "ignore_empty_sql_security_in_create_view_query"); v != "false" {
		t.Errorf("%s: ignore_empty_sql_security_in_create_view_query %q, want false (else CREATE VIEW ignores default_normal_view_sql_security)", config, v)
	}
	// The entrypoint gives the admin (CLICKHOUSE_USER) the profile "default".
	if v, _ := xmlValue(t, users, "clickhouse", "profiles", "default", "default_normal_view_sql_security"); v != "DEFINER" {
		t.Errorf("%s: default_normal_view_sql_security %q in profile default, want DEFINER", users, v)
	}
	for _, k := range []string{"select_from_system_db_requires_grant", "select_from_information_schema_requires_grant"} {
		if v, _ := xmlValue(t, config, "clickhouse", "access_control_improvements", k); v != "true" {
			t.Errorf("%s: %s %q, want true (analyst and ingest read no system tables)", config, k, v)
		}
	}

	p := loadCompose(t, composeSecrets)
	mounts := map[string]types.ServiceVolumeConfig{}
	for _, v := range p.Services["clickhouse"].Volumes {
		mounts[v.Target] = v
		if v.Type == types.VolumeTypeBind {
			if _, err := os.Stat(v.Source); err != nil {
				t.Errorf("clickhouse mounts %s: %v", v.Source, err)
			}
		}
	}
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for _, dir := range []string{"config.d", "users.d"} {
		files, _ := filepath.Glob(clickhouseD + "/" + dir + "/*.xml")
		if len(files) == 0 {
			t.Errorf("no %s/*.xml", dir)
		}
		for _, f := range files {
			target := "/etc/clickhouse-server/" + dir + "/" + filepath.Base(f)
			if m, ok := mounts[target]; !ok || m.Source != abs(f) || !m.ReadOnly {
				t.Errorf("clickhouse: %s not mounted read-only at %s", f, target)
			}
		}
	}
	if m, ok := mounts["/docker-entrypoint-initdb.d"]; !ok || m.Source != abs(clickhouseD+"/initdb") {
		t.Errorf("clickhouse: %s/initdb not mounted at /docker-entrypoint-initdb.d", clickhouseD)
	}
	if m, ok := mounts["/var/lib/clickhouse"]; !ok || m.Type != types.VolumeTypeVolume {
		t.Errorf("clickhouse: no named volume on /var/lib/clickhouse (data, and the users initdb creates)")
	}
}

// assertGrantsExactly checks that user holds priv on exactly want (each
// described as what) and no other privilege.
func assertGrantsExactly(t *testing.T, name string, u *userGrants, priv string, want []string, what string) {
	t.Helper()
	for p, objects := range u.grants {
		if p != priv {
			t.Errorf("%s: GRANT %s ON %v: want %s only", name, p, objects, priv)
		}
	}
	missing, extra := diff(u.grants[priv], want)
	for _, m := range missing {
		t.Errorf("%s: no GRANT %s ON %s, %s", name, priv, m, what)
	}
	for _, e := range extra {
		t.Errorf("%s: GRANT %s ON %s, which is not %s", name, priv, e, what)
	}
}
