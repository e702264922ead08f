// Package chcluster runs a ClickHouse 18.16 cluster on loopback for the
// tests: one ZooKeeper (internal/zkserver) and four clickhouse-server
// processes (internal/chserver), two shards of two replicas, every server
// knowing the cluster by the name Name.
package chcluster

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/baocao/baocao/internal/chserver"
	"github.com/baocao/baocao/internal/zkserver"
)

// Name is the cluster's name in remote_servers, what --clickhouse-cluster takes.
const Name = "baocao"

const (
	Shards   = 2
	Replicas = 2
)

// Cluster is the running ZooKeeper and servers.
type Cluster struct {
	ZK *zkserver.Server
	// Servers[shard*Replicas+replica]
	Servers []*chserver.Server
}

// Profile holds the settings every connection to a cluster server gets:
// an insert into a Distributed table returns once every shard wrote its part
// (a projector acks a JetStream message only after that), and a subquery over
// a Distributed table inside a query over another one runs once, with its
// result sent to every shard, rather than being refused; and a connection's
// reads go to the replica its inserts went to (the first that lives), so what
// was written is read next — with the default, random, a read could reach
// the other replica before replication brought the rows there
// (deploy/cluster/clickhouse/users.xml says the same for the deployment).
const Profile = `<insert_distributed_sync>1</insert_distributed_sync><distributed_product_mode>global</distributed_product_mode>` +
	`<load_balancing>in_order</load_balancing>`

// Start runs ZooKeeper and the four servers in folders under dir.
func Start(dir string) (*Cluster, error) {
	zk, err := zkserver.Start(mkdir(dir, "zookeeper"))
	if err != nil {
		return nil, err
	}
	c := &Cluster{ZK: zk}
	ports := make([]int, Shards*Replicas)
	for i := range ports {
		if ports[i], err = chserver.FreePort(); err != nil {
			c.Stop()
			return nil, err
		}
	}
	zkHost, zkPort, _ := net.SplitHostPort(zk.Addr)
	var remote strings.Builder
	fmt.Fprintf(&remote, "<remote_servers><%s>", Name)
	for s := range Shards {
		remote.WriteString("<shard><internal_replication>true</internal_replication>")
		for r := range Replicas {
			fmt.Fprintf(&remote, "<replica><host>127.0.0.1</host><port>%d</port></replica>", ports[s*Replicas+r])
		}
		remote.WriteString("</shard>")
	}
	fmt.Fprintf(&remote, "</%s></remote_servers>", Name)
	c.Servers = make([]*chserver.Server, len(ports))
	errs := make([]error, len(ports))
	var wg sync.WaitGroup
	for i := range ports {
		s, r := i/Replicas, i%Replicas
		extra := fmt.Sprintf(`  <zookeeper><node><host>%s</host><port>%s</port></node></zookeeper>
  <macros><shard>%02d</shard><replica>r%d</replica></macros>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  %s
`, zkHost, zkPort, s+1, r+1, remote.String())
		wg.Go(func() {
			c.Servers[i], errs[i] = chserver.StartConfig(mkdir(dir, "s"+strconv.Itoa(s+1)+"r"+strconv.Itoa(r+1)), chserver.Config{TCPPort: ports[i], Profile: Profile, Extra: extra})
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			c.Stop()
			return nil, err
		}
	}
	return c, nil
}

func mkdir(dir, name string) string {
	d := filepath.Join(dir, name)
	_ = os.MkdirAll(d, 0o755)
	return d
}

// Addrs are the servers' native addresses, comma-separated as
// --clickhouse-addr takes them.
func (c *Cluster) Addrs() string {
	var a []string
	for _, s := range c.Servers {
		a = append(a, s.Addr)
	}
	return strings.Join(a, ",")
}

// Server is replica r (0-based) of shard s (0-based).
func (c *Cluster) Server(s, r int) *chserver.Server { return c.Servers[s*Replicas+r] }

// Stop ends every server, then ZooKeeper.
func (c *Cluster) Stop() {
	var wg sync.WaitGroup
	for _, s := range c.Servers {
		if s != nil {
			wg.Go(s.Stop)
		}
	}
	wg.Wait()
	if c.ZK != nil {
		c.ZK.Stop()
	}
}

// Logs is the end of every server's error log, for a failing test to show.
func (c *Cluster) Logs() string {
	var b strings.Builder
	if c.ZK != nil {
		log, _ := os.ReadFile(filepath.Join(c.ZK.Dir, "stdout.log"))
		if len(log) > 3000 {
			log = log[len(log)-3000:]
		}
		fmt.Fprintf(&b, "== %s\n%s\n", c.ZK.Dir, log)
	}
	for _, s := range c.Servers {
		if s == nil {
			continue
		}
		log, _ := os.ReadFile(filepath.Join(s.Dir, "server.err.log"))
		if len(log) > 3000 {
			log = log[len(log)-3000:]
		}
		fmt.Fprintf(&b, "== %s\n%s\n", s.Dir, log)
	}
	return b.String()
}

// Sync waits until every live replica of db's Replicated tables holds what
// the other replica of its shard wrote (SYSTEM SYNC REPLICA), so a read on
// any replica sees every insert made so far.
func (c *Cluster) Sync(ctx context.Context, db string) error {
	for _, s := range c.Servers {
		if s.PID() == 0 {
			continue
		}
		if err := syncServer(ctx, s.Addr, db); err != nil {
			return fmt.Errorf("%s: %w", s.Addr, err)
		}
	}
	return nil
}

func syncServer(ctx context.Context, addr, db string) error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}})
	if err != nil {
		return err
	}
	defer conn.Close()
	rows, err := conn.Query(ctx, "SELECT table FROM system.replicas WHERE database = ?", db)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	for _, t := range tables {
		if err := conn.Exec(ctx, "SYSTEM SYNC REPLICA "+db+"."+t); err != nil {
			return fmt.Errorf("sync %s.%s: %w", db, t, err)
		}
	}
	return nil
}
