package zkserver

import "testing"

func TestStartRestart(t *testing.T) {
	s, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if err := s.ready(); err != nil {
		t.Fatal(err)
	}
	s.Kill()
	if err := s.ready(); err == nil {
		t.Fatal("ready after Kill")
	}
	if err := s.Restart(); err != nil {
		t.Fatal(err)
	}
}
