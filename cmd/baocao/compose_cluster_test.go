package main

// The cluster deployment (docker-compose.cluster.yml, deploy/cluster/) is
// checked here as docker-compose.yml is (compose_test.go runs the checks
// every deployment shares on it too): the servers each configuration file
// names are the services of the file, each node's own identity (shard and
// replica, Keeper id, NATS server name) is unique, the baocao services reach
// every node, and the three NATS servers, started from the cluster's
// nats.conf with the auth service's settings, form a JetStream cluster on
// which `baocao streams` creates the stream with three replicas.

import (
	"bytes"
	"context"
	"encoding/xml"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

const (
	clusterD          = composeDir + "/deploy/cluster"
	clusterCHConfig   = clusterD + "/clickhouse/cluster.xml"
	clusterKeeperConf = clusterD + "/keeper/keeper.xml"
	clusterNATSConf   = clusterD + "/nats/nats.conf"
)

// envAttr is an element whose value may come from the environment
// (<shard from_env="BAOCAO_SHARD"/>), as ClickHouse reads it.
type envAttr struct {
	Value   string `xml:",chardata"`
	FromEnv string `xml:"from_env,attr"`
}

type clusterConfig struct {
	Macros struct {
		Shard   envAttr `xml:"shard"`
		Replica envAttr `xml:"replica"`
	} `xml:"macros"`
	RemoteServers struct {
		Clusters []struct {
			XMLName xml.Name
			Shards  []struct {
				InternalReplication bool `xml:"internal_replication"`
				Replicas            []struct {
					Host     string  `xml:"host"`
					Port     int     `xml:"port"`
					User     envAttr `xml:"user"`
					Password envAttr `xml:"password"`
				} `xml:"replica"`
			} `xml:"shard"`
		} `xml:",any"`
	} `xml:"remote_servers"`
	Keeper []struct {
		Host string `xml:"host"`
		Port int    `xml:"port"`
	} `xml:"zookeeper>node"`
	DistributedDDL string `xml:"distributed_ddl>path"`
}

type keeperConfig struct {
	TCPPort  int     `xml:"keeper_server>tcp_port"`
	ServerID envAttr `xml:"keeper_server>server_id"`
	Ready    int     `xml:"keeper_server>http_control>port"`
	Raft     []struct {
		ID       int    `xml:"id"`
		Hostname string `xml:"hostname"`
		Port     int    `xml:"port"`
	} `xml:"keeper_server>raft_configuration>server"`
}

func readXML(t *testing.T, file string, v any) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
}

// servicesWhere lists the names of p's services for which keep holds, sorted.
func servicesWhere(p *types.Project, keep func(types.ServiceConfig) bool) []string {
	var out []string
	for name, s := range p.Services {
		if keep(s) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func isKeeper(s types.ServiceConfig) bool {
	return strings.HasPrefix(s.Image, "clickhouse/clickhouse-server:") && slices.Contains(s.Command, "keeper")
}

func isNATS(s types.ServiceConfig) bool { return strings.HasPrefix(s.Image, "nats:") }

// mountedAt is the host file s mounts at target, or "".
func mountedAt(s types.ServiceConfig, target string) string {
	for _, v := range s.Volumes {
		if v.Target == target {
			return v.Source
		}
	}
	return ""
}

func TestComposeClusterTopology(t *testing.T) {
	p := loadComposeFile(t, clusterFile, composeSecrets)
	single := loadCompose(t, composeSecrets)
	abs := func(f string) string { a, _ := filepath.Abs(f); return a }

	var cc clusterConfig
	readXML(t, clusterCHConfig, &cc)
	if n := len(cc.RemoteServers.Clusters); n != 1 {
		t.Fatalf("%s: %d clusters in remote_servers, want 1", clusterCHConfig, n)
	}
	cluster := cc.RemoteServers.Clusters[0]
	name := cluster.XMLName.Local

	// The ClickHouse nodes are the cluster's replicas, each knowing its own
	// shard and replica; all run the single deployment's version.
	nodes := servicesWhere(p, isClickHouseServer)
	var replicas []string
	for i, sh := range cluster.Shards {
		if !sh.InternalReplication {
			t.Errorf("%s: shard %d without internal_replication: a Distributed insert would write both replicas and the replicated table copy each row again", clusterCHConfig, i+1)
		}
		if len(sh.Replicas) < 2 {
			t.Errorf("%s: shard %d has %d replica(s): the loss of one node would lose its shard", clusterCHConfig, i+1, len(sh.Replicas))
		}
		for _, r := range sh.Replicas {
			replicas = append(replicas, r.Host)
			s, ok := p.Services[r.Host]
			if !ok {
				t.Errorf("%s: replica %s is no service", clusterCHConfig, r.Host)
				continue
			}
			if r.Port != 9000 {
				t.Errorf("%s: replica %s on port %d, want the native port 9000", clusterCHConfig, r.Host, r.Port)
			}
			if r.User.FromEnv != "CLICKHOUSE_USER" || r.Password.FromEnv != "CLICKHOUSE_PASSWORD" {
				t.Errorf("%s: replica %s: user/password from %q/%q, want the admin's CLICKHOUSE_USER/CLICKHOUSE_PASSWORD", clusterCHConfig, r.Host, r.User.FromEnv, r.Password.FromEnv)
			}
			if v, _ := env(s, cc.Macros.Shard.FromEnv); v != strconv.Itoa(i+1) {
				t.Errorf("%s: %s=%q, want %d (its shard in %s)", r.Host, cc.Macros.Shard.FromEnv, v, i+1, clusterCHConfig)
			}
			if v, _ := env(s, cc.Macros.Replica.FromEnv); v != r.Host {
				t.Errorf("%s: %s=%q, want its own name (unique per shard)", r.Host, cc.Macros.Replica.FromEnv, v)
			}
			if s.Image != single.Services["clickhouse"].Image {
				t.Errorf("%s: image %s, want docker-compose.yml's %s", r.Host, s.Image, single.Services["clickhouse"].Image)
			}
			if mountedAt(s, "/etc/clickhouse-server/config.d/cluster.xml") != abs(clusterCHConfig) {
				t.Errorf("%s does not mount %s", r.Host, clusterCHConfig)
			}
			for _, target := range []string{"/etc/clickhouse-server/config.d/baocao.xml", "/etc/clickhouse-server/users.d/baocao.xml", "/docker-entrypoint-initdb.d"} {
				if got, want := mountedAt(s, target), mountedAt(single.Services["clickhouse"], target); got != want {
					t.Errorf("%s: mounts %q at %s, want %q as docker-compose.yml", r.Host, got, target, want)
				}
			}
			if src := mountedAt(s, "/var/lib/clickhouse"); !strings.HasPrefix(src, r.Host) {
				t.Errorf("%s: data on %q, want a volume of its own", r.Host, src)
			}
		}
	}
	slices.Sort(replicas)
	if !slices.Equal(replicas, nodes) {
		t.Errorf("remote_servers lists %v, the ClickHouse services are %v", replicas, nodes)
	}
	if cc.DistributedDDL == "" {
		t.Errorf("%s: no distributed_ddl path: ON CLUSTER statements would be refused", clusterCHConfig)
	}

	// Keeper: three nodes, each its own id in the raft configuration, all
	// of them in the ClickHouse nodes' zookeeper section.
	var kc keeperConfig
	readXML(t, clusterKeeperConf, &kc)
	keepers := servicesWhere(p, isKeeper)
	if len(keepers) != 3 {
		t.Errorf("keepers %v, want three (a quorum of two survives one lost)", keepers)
	}
	var raftHosts, zkHosts []string
	for _, r := range kc.Raft {
		raftHosts = append(raftHosts, r.Hostname)
		if v, _ := env(p.Services[r.Hostname], kc.ServerID.FromEnv); v != strconv.Itoa(r.ID) {
			t.Errorf("%s: %s=%q, want %d (its id in %s)", r.Hostname, kc.ServerID.FromEnv, v, r.ID, clusterKeeperConf)
		}
		if mountedAt(p.Services[r.Hostname], "/etc/clickhouse-keeper/keeper.xml") != abs(clusterKeeperConf) {
			t.Errorf("%s does not mount %s", r.Hostname, clusterKeeperConf)
		}
	}
	for _, n := range cc.Keeper {
		zkHosts = append(zkHosts, n.Host)
		if n.Port != kc.TCPPort {
			t.Errorf("%s: keeper %s port %d, the keepers listen on %d", clusterCHConfig, n.Host, n.Port, kc.TCPPort)
		}
	}
	slices.Sort(raftHosts)
	slices.Sort(zkHosts)
	if !slices.Equal(raftHosts, keepers) || !slices.Equal(zkHosts, keepers) {
		t.Errorf("raft configuration %v, ClickHouse's zookeeper nodes %v, Keeper services %v: want the same", raftHosts, zkHosts, keepers)
	}
	for _, k := range keepers {
		probe := strings.Join(p.Services[k].HealthCheck.Test, " ")
		if !strings.Contains(probe, ":"+strconv.Itoa(kc.Ready)+"/ready") {
			t.Errorf("%s: healthcheck %q, want Keeper's readiness endpoint on %d", k, probe, kc.Ready)
		}
	}
	for _, n := range nodes {
		for _, k := range keepers {
			if d, ok := p.Services[n].DependsOn[k]; !ok || d.Condition != "service_healthy" {
				t.Errorf("%s does not wait for %s: replicated tables need Keeper", n, k)
			}
		}
	}

	// NATS: three servers named after their services.
	natsNodes := servicesWhere(p, isNATS)
	if len(natsNodes) != 3 {
		t.Errorf("NATS servers %v, want three", natsNodes)
	}
	for _, n := range natsNodes {
		if v, _ := env(p.Services[n], "NATS_SERVER_NAME"); v != n {
			t.Errorf("%s: NATS_SERVER_NAME=%q, want its service name (unique in the cluster)", n, v)
		}
		if mountedAt(p.Services[n], "/etc/nats/nats.conf") != abs(clusterNATSConf) {
			t.Errorf("%s does not mount %s", n, clusterNATSConf)
		}
	}

	// The baocao services reach every node and name the cluster.
	for svc, s := range p.Services {
		if !isBaocao(s) {
			continue
		}
		if u, ok := env(s, "BAOCAO_NATS_URL"); ok {
			var hosts []string
			for _, a := range strings.Split(u, ",") {
				hosts = append(hosts, strings.TrimSuffix(strings.TrimPrefix(a, "nats://"), ":4222"))
			}
			slices.Sort(hosts)
			if !slices.Equal(hosts, natsNodes) {
				t.Errorf("%s: BAOCAO_NATS_URL=%q, want every NATS server %v", svc, u, natsNodes)
			}
		}
		addr, ok := env(s, "BAOCAO_CLICKHOUSE_ADDR")
		if !ok {
			continue
		}
		var hosts []string
		for _, a := range strings.Split(addr, ",") {
			h, _, _ := net.SplitHostPort(a)
			hosts = append(hosts, h)
		}
		slices.Sort(hosts)
		if !slices.Equal(hosts, nodes) {
			t.Errorf("%s: BAOCAO_CLICKHOUSE_ADDR=%q, want every ClickHouse node %v", svc, addr, nodes)
		}
		if v, _ := env(s, "BAOCAO_CLICKHOUSE_CLUSTER"); v != name {
			t.Errorf("%s: BAOCAO_CLICKHOUSE_CLUSTER=%q, want %q (remote_servers)", svc, v, name)
		}
	}
	streams := baocaoCommand(t, "streams", p.Services["streams"])
	if r := streams.Flags().Lookup("replicas").Value.String(); r != "3" {
		t.Errorf("streams: --replicas %s, want 3", r)
	}
	// Every service of the single deployment is here too, doing the same.
	for svc, s := range single.Services {
		if isBaocao(s) && !slices.Equal(p.Services[svc].Command, s.Command) && svc != "streams" {
			t.Errorf("%s: command %q, docker-compose.yml's runs %q", svc, p.Services[svc].Command, s.Command)
		}
	}
	if got := slices.Sorted(maps.Keys(p.Services)); len(got) != len(nodes)+len(keepers)+len(natsNodes)+6 {
		t.Errorf("services %v: want the servers and auth, streams, migrate, consume, schedule, serve", got)
	}
}

// The three NATS servers, each from the cluster's nats.conf with the auth
// service's settings in a folder of its own (its container), find each
// other through the routes and form one JetStream cluster, on which
// `baocao streams --replicas 3` (the streams service's command) places the
// events stream and the dead letters on all three.
func TestComposeClusterNATSFormsCluster(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := loadComposeFile(t, clusterFile, composeSecrets)
	nodes := servicesWhere(p, isNATS)
	dir := t.TempDir()
	var stderr bytes.Buffer
	root := newRootCmd(nil, &bytes.Buffer{}, &stderr)
	root.SetArgs([]string{"auth", "init", "--auth-dir", filepath.Join(dir, "auth"), "--nats-config", filepath.Join(dir, "auth.conf"),
		"--resolver-dir", "/data/jwt", "--services-dir", filepath.Join(dir, "creds"), "--http-users", filepath.Join(dir, "http-users.yaml")})
	if err := root.ExecuteContext(ctx); err != nil {
		t.Fatalf("auth init: %v\n%s", err, stderr.String())
	}
	authConf, err := os.ReadFile(filepath.Join(dir, "auth.conf"))
	if err != nil {
		t.Fatal(err)
	}
	conf, err := os.ReadFile(clusterNATSConf)
	if err != nil {
		t.Fatal(err)
	}
	// Each server's route port, chosen now: the routes name them all.
	routePort := map[string]int{}
	for _, n := range nodes {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		routePort[n] = l.Addr().(*net.TCPAddr).Port
		l.Close()
	}
	var urls []string
	var servers []*server.Server
	for _, n := range nodes {
		nodeDir := filepath.Join(dir, n)
		for _, d := range []string{"etc/auth", "data/jwt"} {
			if err := os.MkdirAll(filepath.Join(nodeDir, d), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		// The container's /data is this server's own folder.
		own := strings.ReplaceAll(string(authConf), `"/data/jwt"`, strconv.Quote(filepath.Join(nodeDir, "data/jwt")))
		if err := os.WriteFile(filepath.Join(nodeDir, "etc/auth/auth.conf"), []byte(own), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(nodeDir, "etc/nats.conf"), conf, 0o644); err != nil {
			t.Fatal(err)
		}
		name, _ := env(p.Services[n], "NATS_SERVER_NAME")
		t.Setenv("NATS_SERVER_NAME", name) // read as the file is parsed
		srv := natstest.StartFromConfig(t, filepath.Join(nodeDir, "etc/nats.conf"), func(opts *server.Options) {
			if opts.ServerName != n {
				t.Fatalf("%s: server_name %q, want %q from NATS_SERVER_NAME", n, opts.ServerName, n)
			}
			if opts.Cluster.Name == "" || opts.Cluster.Port != 6222 || len(opts.Routes) != len(nodes) {
				t.Fatalf("%s: cluster %q on %d with routes %v, want a named cluster on 6222 routing to %v", n, opts.Cluster.Name, opts.Cluster.Port, opts.Routes, nodes)
			}
			for i, r := range opts.Routes {
				host := r.Hostname()
				if _, ok := routePort[host]; !ok {
					t.Fatalf("%s: route %s names no NATS service", n, r)
				}
				opts.Routes[i].Host = "127.0.0.1:" + strconv.Itoa(routePort[host])
			}
			opts.StoreDir, opts.Host, opts.Port, opts.HTTPPort = filepath.Join(nodeDir, "data"), "127.0.0.1", -1, 0
			opts.Cluster.Host, opts.Cluster.Port = "127.0.0.1", routePort[n]
		})
		urls = append(urls, srv.ClientURL())
		servers = append(servers, srv)
	}
	url := strings.Join(urls, ",")
	creds := filepath.Join(dir, "creds", string(natsauth.Admin), string(natsauth.Admin)+".creds")

	// The streams service's command, once the cluster has elected its
	// JetStream leader (it answers the stream create then).
	streams := p.Services["streams"]
	var out bytes.Buffer
	deadline := time.Now().Add(time.Minute)
	for {
		stderr.Reset()
		root := newRootCmd(nil, &out, &stderr)
		root.SetArgs(append(slices.Clone([]string(streams.Command)), "--nats-url", url, "--nats-creds", creds))
		attempt, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := root.ExecuteContext(attempt)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			for _, s := range servers {
				jsz, _ := s.Jsz(&server.JSzOptions{})
				t.Logf("%s: routes %d, jetstream clustered %v, meta %+v", s.Name(), s.NumRoutes(), s.JetStreamIsClustered(), jsz.Meta)
			}
			t.Fatalf("baocao %s: %v\n%s", strings.Join(streams.Command, " "), err, stderr.String())
		}
		time.Sleep(time.Second)
	}
	nc, err := stream.Connect(stream.ConnConfig{URL: url, Creds: creds}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	sc := stream.DefaultConfig()
	for _, name := range []string{sc.Name, sc.DeadLetterStreamConfig().Name} {
		s, err := js.Stream(ctx, name)
		if err != nil {
			t.Fatalf("stream %s: %v", name, err)
		}
		info, err := s.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Config.Replicas != 3 || info.Cluster == nil {
			t.Fatalf("stream %s: %d replicas, cluster %+v: want 3 on the cluster", name, info.Config.Replicas, info.Cluster)
		}
		placed := []string{info.Cluster.Leader}
		for _, r := range info.Cluster.Replicas {
			placed = append(placed, r.Name)
		}
		slices.Sort(placed)
		if !slices.Equal(placed, nodes) {
			t.Errorf("stream %s on %v, want on every server %v", name, placed, nodes)
		}
	}
}

// On the cluster, ingest holds on each <table>_local exactly what it holds on
// the Distributed <table> (a Distributed insert or read does its own node's
// part as the user who sent it), the nodes get the script's cluster part
// (BAOCAO_CLICKHOUSE_CLUSTER), and every user's profile lets the views'
// subqueries over Distributed tables run.
func TestComposeClusterGrants(t *testing.T) {
	b, err := os.ReadFile(usersScript)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?s)<<CLUSTER_SQL\n(.*?)\nCLUSTER_SQL\n`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("%s: no <<CLUSTER_SQL … CLUSTER_SQL here-document", usersScript)
	}
	local := map[string][]string{}
	for _, st := range strings.Split(string(m[1]), ";") {
		if st = strings.Join(strings.Fields(st), " "); st == "" {
			continue
		}
		g := grantStmt.FindStringSubmatch(st)
		if g == nil || g[3] != "ingest" {
			t.Errorf("%s: cluster statement %q: want GRANT … TO ingest only", usersScript, st)
			continue
		}
		local[g[1]] = append(local[g[1]], g[2])
	}
	want := map[string][]string{}
	for priv, objects := range parseUsers(t)["ingest"].grants {
		for _, o := range objects {
			want[priv] = append(want[priv], o+"_local")
		}
	}
	for _, priv := range slices.Sorted(maps.Keys(want)) {
		missing, extra := diff(local[priv], want[priv])
		if len(missing) > 0 || len(extra) > 0 {
			t.Errorf("ingest on the cluster: GRANT %s lacks %v, has beyond ingest's own %v", priv, missing, extra)
		}
	}
	p := loadComposeFile(t, clusterFile, composeSecrets)
	users := clusterD + "/clickhouse/users.xml"
	if v, _ := xmlValue(t, users, "clickhouse", "profiles", "default", "distributed_product_mode"); v != "global" {
		t.Errorf("%s: distributed_product_mode %q, want global (the views' subqueries over Distributed tables)", users, v)
	}
	abs, _ := filepath.Abs(users)
	for _, n := range servicesWhere(p, isClickHouseServer) {
		s := p.Services[n]
		if v, _ := env(s, "BAOCAO_CLICKHOUSE_CLUSTER"); v == "" {
			t.Errorf("%s: no BAOCAO_CLICKHOUSE_CLUSTER: initdb would not grant ingest the local tables", n)
		}
		if mountedAt(s, "/etc/clickhouse-server/users.d/cluster.xml") != abs {
			t.Errorf("%s does not mount %s", n, users)
		}
	}
}
