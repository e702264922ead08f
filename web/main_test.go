package web

import (
	"testing"

	"github.com/baocao/baocao/internal/enginetest"
)

// TestMain opens the package's shared embedded engine (see enginetest).
func TestMain(m *testing.M) { enginetest.Main(m) }
