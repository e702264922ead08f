// Package zkserver runs Debian's ZooKeeper (the zookeeper package, which
// scripts/install-deps installs) standalone in a folder of its own on a free
// loopback port: ClickHouse 18.16 keeps its replication log and its
// distributed DDL queue there, so the cluster tests (internal/chcluster) need
// one.
package zkserver

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/baocao/baocao/internal/serverproc"
)

// Jar is the ZooKeeper jar of Debian's package; its manifest names the jars
// it needs, so it alone is the class path.
const Jar = "/usr/share/java/zookeeper.jar"

const mainClass = "org.apache.zookeeper.server.ZooKeeperServerMain"

// Server is one standalone ZooKeeper process and its folder.
type Server struct {
	Addr string // host:port of the client port
	Dir  string
	cmd  *exec.Cmd
}

const configTemplate = `tickTime=2000
dataDir=%[1]s/data
clientPort=%[2]d
clientPortAddress=127.0.0.1
admin.enableServer=false
4lw.commands.whitelist=ruok,srvr
maxClientCnxns=0
`

// Start writes a zoo.cfg into dir and runs ZooKeeper on it.
func Start(dir string) (*Server, error) {
	if _, err := os.Stat(Jar); err != nil {
		return nil, fmt.Errorf("%s not found: scripts/install-deps installs Debian's zookeeper", Jar)
	}
	if _, err := exec.LookPath("java"); err != nil {
		return nil, errors.New("java not found: Debian's zookeeper package depends on it")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "zoo.cfg"), fmt.Appendf(nil, configTemplate, dir, port), 0o644); err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), Dir: dir}
	return s, s.Restart()
}

// Restart starts ZooKeeper again on the same data after Stop or Kill.
func (s *Server) Restart() error {
	if s.cmd != nil {
		return errors.New("zkserver: Restart while running")
	}
	cmd := exec.Command("java", "-Xmx256m", "-Dzookeeper.log.dir="+s.Dir, "-cp", Jar+":/usr/share/java/slf4j-simple.jar", mainClass, filepath.Join(s.Dir, "zoo.cfg"))
	if err := serverproc.Start(cmd, s.Dir, s.ready, 30*time.Second, 100*time.Millisecond, "stdout.log"); err != nil {
		return err
	}
	s.cmd = cmd
	return nil
}

// ready asks the four-letter word "srvr" (whitelisted in zoo.cfg): a
// serving ZooKeeper answers with its Mode. "ruok" is not enough: it answers
// "imok" as soon as the port is open, while sessions are still refused
// ("ZooKeeperServer not running"), and ClickHouse 18.16's DDL worker
// crashes the server (SIGSEGV) when its first session fails that way.
func (s *Server) ready() error {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return err
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("srvr")); err != nil {
		return err
	}
	b, err := io.ReadAll(c)
	if !strings.Contains(string(b), "Mode: ") {
		return fmt.Errorf("srvr answered %q (%v)", b, err)
	}
	return nil
}

// Stop ends ZooKeeper; the data stays for Restart.
func (s *Server) Stop() { s.stop(syscall.SIGTERM) }

// Kill ends ZooKeeper as a crash would; the data stays for Restart.
func (s *Server) Kill() { s.stop(syscall.SIGKILL) }

func (s *Server) stop(sig syscall.Signal) {
	if s.cmd == nil {
		return
	}
	serverproc.Stop(s.cmd, sig, 10*time.Second)
	s.cmd = nil
}

// PID is the running ZooKeeper's process id, 0 when stopped.
func (s *Server) PID() int {
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}
