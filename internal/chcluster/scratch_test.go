package chcluster

import (
	"os"
	"testing"
	"time"
)

func TestScratch(t *testing.T) {
	f := os.Getenv("SCRATCH")
	if f == "" {
		t.Skip()
	}
	c, err := Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Stop()
	os.WriteFile(f, []byte(c.Addrs()), 0o644)
	for {
		if _, err := os.Stat(f); err != nil {
			return
		}
		time.Sleep(time.Second)
	}
}
