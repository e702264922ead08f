//go:build !nochdb

package main

import (
	"fmt"

	"github.com/baocao/baocao/store"
	"github.com/baocao/baocao/store/chdb"
)

// The default build embeds chDB, the zero-install engine. chdb-go loads
// libchdb.so when the program starts and panics if it is missing, so this
// binary needs the library (scripts/install-deps puts it in /usr/local/lib).
// Build with -tags nochdb for a binary that runs without it, against
// ClickHouse servers only — what agencies publishing events and server
// deployments want.
func openEmbedded(path string) (store.Store, error) {
	s, err := chdb.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w\n(chDB allows one process per data folder: while \"baocao up\" runs on it, \"baocao sql\" goes through up; stop up for other commands, or give another --data)", err)
	}
	return s, nil
}

// openEmbeddedAnalyst opens the analysts' read-only sessions on st's data.
func openEmbeddedAnalyst(st store.Store, l store.Limits) (store.Store, error) {
	s, ok := st.(*chdb.Store)
	if !ok {
		return nil, fmt.Errorf("no analysts' store for %T", st)
	}
	return s.Analyst(l)
}
