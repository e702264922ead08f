package natstest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/stream"
)

// A cluster node runs in a process of its own, so that a test can kill it
// with SIGKILL as a crash would: the test binary runs itself again with
// nodeEnv set, and init below turns that process into the node before any
// TestMain runs (no package needs to opt in, and chDB is never opened there).
const nodeEnv = "BAOCAO_NATSTEST_NODE"

// nodeConfig is what a node process is told through nodeEnv.
type nodeConfig struct {
	Name        string   `json:"name"`
	Dir         string   `json:"dir"`
	Port        int      `json:"port"`
	ClusterPort int      `json:"cluster_port"`
	HTTPPort    int      `json:"http_port"`
	Routes      []string `json:"routes"`
}

func init() {
	if spec := os.Getenv(nodeEnv); spec != "" {
		os.Exit(runNode(spec))
	}
}

// ClusterName is the NATS cluster the test nodes form.
const ClusterName = "baocao"

// nodeOptions are a cluster node's options: the embedded server's, with a
// name, routes to every node (its own is ignored) and a monitoring port
// for /healthz.
func nodeOptions(c nodeConfig) (*server.Options, error) {
	opts := &server.Options{
		ServerName: c.Name,
		Host:       "127.0.0.1",
		Port:       c.Port,
		HTTPHost:   "127.0.0.1",
		HTTPPort:   c.HTTPPort,
		JetStream:  true,
		StoreDir:   filepath.Join(c.Dir, "jetstream"),
		MaxPayload: 1 << 20,
		LogFile:    filepath.Join(c.Dir, "server.log"),
		Cluster:    server.ClusterOpts{Name: ClusterName, Host: "127.0.0.1", Port: c.ClusterPort},
	}
	for _, r := range c.Routes {
		u, err := url.Parse(r)
		if err != nil {
			return nil, fmt.Errorf("route %q: %w", r, err)
		}
		opts.Routes = append(opts.Routes, u)
	}
	return opts, nil
}

func runNode(spec string) int {
	var c nodeConfig
	if err := json.Unmarshal([]byte(spec), &c); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", nodeEnv, err)
		return 2
	}
	opts, err := nodeOptions(c)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	ns.ConfigureLogger()
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		fmt.Fprintf(os.Stderr, "node %s not ready after 30s\n", c.Name)
		return 2
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	ns.Shutdown()
	ns.WaitForShutdown()
	return 0
}

// Cluster is a JetStream cluster of nodes in separate processes on loopback
// ports, each with its own store folder, stopped when the test ends.
type Cluster struct {
	Nodes []*Node
	// URLs lists every node's client URL, comma-separated, as clients are
	// given them (--nats-url).
	URLs string
}

// Node is one nats-server process of a Cluster.
type Node struct {
	Name string
	URL  string
	cfg  nodeConfig
	cmd  *exec.Cmd
	done chan struct{}
}

// StartCluster starts n nodes (3 for R3 streams) and waits until JetStream
// answers on each, its meta leader elected. A port found free can be taken
// before its node binds it (by any outgoing connection's ephemeral port):
// a node that exits while the cluster starts makes it start again on other
// ports.
func StartCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	var err error
	for attempt := 1; attempt <= 3; attempt++ {
		var c *Cluster
		if c, err = startCluster(t, n); err == nil {
			return c
		}
		t.Logf("cluster start, attempt %d: %v", attempt, err)
	}
	t.Fatal(err)
	return nil
}

func startCluster(t testing.TB, n int) (*Cluster, error) {
	ports := make([][3]int, n)
	var routes []string
	for i := range ports {
		for j := range ports[i] {
			ports[i][j] = freePort(t)
		}
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", ports[i][1]))
	}
	c := &Cluster{}
	var urls []string
	for i, p := range ports {
		cfg := nodeConfig{Name: fmt.Sprintf("n%d", i+1), Dir: t.TempDir(), Port: p[0], ClusterPort: p[1], HTTPPort: p[2], Routes: routes}
		node := &Node{Name: cfg.Name, URL: fmt.Sprintf("nats://127.0.0.1:%d", p[0]), cfg: cfg}
		if err := node.start(); err != nil {
			c.kill()
			return nil, err
		}
		c.Nodes = append(c.Nodes, node)
		urls = append(urls, node.URL)
	}
	c.URLs = strings.Join(urls, ",")
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		ready := 0
		var last error
		for _, node := range c.Nodes {
			select {
			case <-node.done:
				c.kill()
				return nil, fmt.Errorf("node %s exited: %s", node.Name, node.Log())
			default:
			}
			if last = node.jsReady(); last == nil {
				ready++
			}
		}
		if ready == len(c.Nodes) {
			break
		}
		if time.Now().After(deadline) {
			c.kill()
			return nil, fmt.Errorf("JetStream not ready on every node after 60 s: %v\n%s", last, c.Nodes[0].Log())
		}
	}
	t.Cleanup(c.kill)
	return c, nil
}

func (c *Cluster) kill() {
	for _, node := range c.Nodes {
		node.Kill()
	}
}

func (n *Node) start() error {
	spec, err := json.Marshal(n.cfg)
	if err != nil {
		return err
	}
	out, err := os.OpenFile(filepath.Join(n.cfg.Dir, "stdout.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$") // init turns it into the node first
	cmd.Env = append(os.Environ(), nodeEnv+"="+string(spec))
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // never outlive the test
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start node %s: %w", n.Name, err)
	}
	n.cmd, n.done = cmd, make(chan struct{})
	go func(done chan struct{}) { _ = cmd.Wait(); close(done) }(n.done)
	return nil
}

// Kill ends the node with SIGKILL, as a crash would; its store stays for
// Restart.
func (n *Node) Kill() { n.stop(syscall.SIGKILL) }

// Stop ends the node cleanly (SIGTERM).
func (n *Node) Stop() { n.stop(syscall.SIGTERM) }

func (n *Node) stop(sig syscall.Signal) {
	if n.cmd == nil {
		return
	}
	_ = n.cmd.Process.Signal(sig)
	select {
	case <-n.done:
	case <-time.After(30 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.done
	}
	n.cmd = nil
}

// Running reports whether the node's process is up.
func (n *Node) Running() bool { return n.cmd != nil }

// Restart starts a stopped node again on the same store and ports, and
// waits until it accepts clients (not until its streams caught up: see
// WaitHealthy).
func (n *Node) Restart(t testing.TB) {
	t.Helper()
	if n.cmd != nil {
		t.Fatalf("node %s: Restart while running", n.Name)
	}
	if err := n.start(); err != nil {
		t.Fatal(err)
	}
	n.WaitReady(t, 60*time.Second)
}

// WaitReady waits until the node answers JetStream requests.
func (n *Node) WaitReady(t testing.TB, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		select {
		case <-n.done:
			t.Fatalf("node %s exited: %s", n.Name, n.Log())
		default:
		}
		if last = n.jsReady(); last == nil {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("node %s: JetStream not ready after %v: %v\n%s", n.Name, limit, last, n.Log())
}

func (n *Node) jsReady() error {
	nc, err := nats.Connect(n.URL, nats.Timeout(time.Second))
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err = js.AccountInfo(ctx)
	return err
}

// WaitHealthy waits until the node's /healthz says its JetStream assets are
// current: after Restart, its replicas have caught up with their leaders.
func (n *Node) WaitHealthy(t testing.TB, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	u := fmt.Sprintf("http://127.0.0.1:%d/healthz", n.cfg.HTTPPort)
	status := ""
	for time.Now().Before(deadline) {
		if r, err := http.Get(u); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return
			}
			status = r.Status
		} else {
			status = err.Error()
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("node %s not healthy after %v: %s", n.Name, limit, status)
}

// Log is the node's server log.
func (n *Node) Log() string {
	b, _ := os.ReadFile(filepath.Join(n.cfg.Dir, "server.log"))
	o, _ := os.ReadFile(filepath.Join(n.cfg.Dir, "stdout.log"))
	return string(b) + string(o)
}

// Node returns the node named name (a stream's leader, a client's server).
func (c *Cluster) Node(t testing.TB, name string) *Node {
	t.Helper()
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	t.Fatalf("no node named %q", name)
	return nil
}

// Connect connects to the cluster through every node's URL, with the
// options every baocao client uses (stream.Connect); both end with the test.
func (c *Cluster) Connect(t testing.TB) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	return connect(t, stream.ConnConfig{URL: c.URLs, Name: t.Name()})
}

// StreamInfo reads a stream's info, retrying while the cluster elects a
// leader for it.
func StreamInfo(t testing.TB, js jetstream.JetStream, name string) *jetstream.StreamInfo {
	t.Helper()
	var last error
	for range 100 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		s, err := js.Stream(ctx, name)
		if err == nil {
			var info *jetstream.StreamInfo
			if info, err = s.Info(ctx); err == nil && info.Cluster != nil && info.Cluster.Leader != "" {
				cancel()
				return info
			}
			if err == nil {
				err = fmt.Errorf("stream %s has no leader", name)
			}
		}
		cancel()
		last = err
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("stream %s info: %v", name, last)
	return nil
}

// Current reports whether a stream has all its replicas, each current.
func Current(info *jetstream.StreamInfo) bool {
	if info.Cluster == nil || info.Cluster.Leader == "" || len(info.Cluster.Replicas)+1 != info.Config.Replicas {
		return false
	}
	for _, p := range info.Cluster.Replicas {
		if !p.Current || p.Offline {
			return false
		}
	}
	return true
}

func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// Port is the node's client port.
func (n *Node) Port() int { return n.cfg.Port }

// ClientNode is the running node a client connection named name (its
// nats.Name, e.g. "baocao consume") is connected to, read from the nodes'
// /connz; nil when no node has it (the client is reconnecting).
func (c *Cluster) ClientNode(name string) *Node {
	for _, n := range c.Nodes {
		if n.cmd == nil {
			continue
		}
		r, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/connz?limit=4096", n.cfg.HTTPPort))
		if err != nil {
			continue
		}
		var connz struct {
			Conns []struct {
				Name string `json:"name"`
			} `json:"connections"`
		}
		err = json.NewDecoder(r.Body).Decode(&connz)
		r.Body.Close()
		if err != nil {
			continue
		}
		for _, conn := range connz.Conns {
			if conn.Name == name {
				return n
			}
		}
	}
	return nil
}
