package main

import (
	"os"
	"testing"
)

// TestMain lets tests run this test binary as the baocao command in a child
// process (BAOCAO_TEST_MAIN=1), so crash tests kill a real process without
// building the binary separately.
func TestMain(m *testing.M) {
	if os.Getenv("BAOCAO_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}
