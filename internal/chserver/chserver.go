// Package chserver runs Debian's clickhouse-server (18.16, the oldest engine
// baocao supports) in a folder of its own on free loopback ports: for the
// tests (internal/chtest) and the benchmarks, which need a real server and
// start it themselves. scripts/install-deps installs the package.
package chserver

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/baocao/baocao/internal/serverproc"
)

// Binary is the server executable.
const Binary = "clickhouse-server"

// Server is one clickhouse-server process and its folder.
type Server struct {
	Addr string // host:port of the native protocol
	Dir  string
	cmd  *exec.Cmd
}

const configTemplate = `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>%[1]s/server.log</log><errorlog>%[1]s/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>%[2]d</tcp_port>
  <http_port>%[3]d</http_port>
  <path>%[1]s/data/</path>
  <tmp_path>%[1]s/tmp/</tmp_path>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <profiles><default><allow_experimental_low_cardinality_type>1</allow_experimental_low_cardinality_type>%[5]s</default></profiles>
  <quotas><default/></quotas>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <interserver_http_port>%[4]d</interserver_http_port>
%[6]s
</yandex>
`

// Config is what a server of a cluster adds to the configuration of a lone
// one (internal/chcluster writes it).
type Config struct {
	TCPPort int    // 0: a free port
	Profile string // XML settings added to the default profile
	Extra   string // XML elements added under <yandex>: zookeeper, macros, remote_servers…
}

// Start writes a configuration into dir and runs a server on it.
func Start(dir string) (*Server, error) { return StartConfig(dir, Config{}) }

// StartConfig is Start with a server's part in a cluster.
func StartConfig(dir string, c Config) (*Server, error) {
	if _, err := exec.LookPath(Binary); err != nil {
		return nil, fmt.Errorf("%s not found: scripts/install-deps installs Debian's clickhouse-server", Binary)
	}
	tcp := c.TCPPort
	if tcp == 0 {
		p, err := FreePort()
		if err != nil {
			return nil, err
		}
		tcp = p
	}
	http, err := FreePort()
	if err != nil {
		return nil, err
	}
	interserver, err := FreePort()
	if err != nil {
		return nil, err
	}
	cfg := fmt.Sprintf(configTemplate, dir, tcp, http, interserver, c.Profile, c.Extra)
	if err := os.WriteFile(filepath.Join(dir, "config.xml"), []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp)), Dir: dir}
	return s, s.Restart()
}

// Restart starts the server again on the same data after Stop.
func (s *Server) Restart() error {
	if s.cmd != nil {
		return errors.New("chserver: Restart while running")
	}
	cmd := exec.Command(Binary, "--config-file="+filepath.Join(s.Dir, "config.xml"))
	if err := serverproc.Start(cmd, s.Dir, s.ping, 30*time.Second, 50*time.Millisecond, "server.err.log"); err != nil {
		return err
	}
	s.cmd = cmd
	return nil
}

// PID is the running server's process id, 0 when stopped.
func (s *Server) PID() int {
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// Stop ends the server; the data stays for Restart.
func (s *Server) Stop() { s.stop(syscall.SIGTERM) }

// Kill ends the server as a crash would; the data stays for Restart.
func (s *Server) Kill() { s.stop(syscall.SIGKILL) }

func (s *Server) stop(sig syscall.Signal) {
	if s.cmd == nil {
		return
	}
	serverproc.Stop(s.cmd, sig, 15*time.Second) // it waits for idle client connections
	s.cmd = nil
}

func (s *Server) ping() error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{s.Addr}, DialTimeout: time.Second})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

// FreePort is a loopback TCP port free at the time of asking.
func FreePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
