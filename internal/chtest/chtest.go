// Package chtest starts a real ClickHouse server for tests: Debian's
// clickhouse-server (18.16, the oldest engine baocao supports) in a temporary
// directory on free loopback ports (internal/chserver), stopped when the test
// ends. scripts/test installs the package.
package chtest

import (
	"testing"

	"github.com/baocao/baocao/internal/chserver"
)

// Server is one running clickhouse-server.
type Server struct {
	Addr string // host:port of the native protocol
	srv  *chserver.Server
	t    testing.TB
}

// Start runs a fresh server for the test and stops it when the test ends.
// A missing server binary fails the test: the suite is meant to run against
// the real engine, and scripts/test installs it.
func Start(t testing.TB) *Server {
	t.Helper()
	srv, err := chserver.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return &Server{Addr: srv.Addr, srv: srv, t: t}
}

// Restart starts the server again on the same data after Stop.
func (s *Server) Restart() {
	s.t.Helper()
	if err := s.srv.Restart(); err != nil {
		s.t.Fatal(err)
	}
}

// Stop ends the server; the data stays for Restart.
func (s *Server) Stop() { s.srv.Stop() }

// Kill ends the server as a crash would; the data stays for Restart.
func (s *Server) Kill() { s.srv.Kill() }

// PID is the running server's process id, to pause it (SIGSTOP) as a hung
// server would be; 0 when stopped.
func (s *Server) PID() int { return s.srv.PID() }
