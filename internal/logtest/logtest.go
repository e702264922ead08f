// Package logtest catches what a server logs during a test, so a test can
// assert that no secret reaches the log.
package logtest

import (
	"bytes"
	"sync"
)

// Buffer is a log sink the server's goroutines may write to concurrently.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *Buffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *Buffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
