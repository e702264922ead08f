//go:build nochdb

package main

import (
	"errors"

	"github.com/baocao/baocao/store"
)

// This build leaves chDB out (see embedded.go): it needs no libchdb and
// works against ClickHouse servers only.
func openEmbedded(string) (store.Store, error) {
	return nil, errors.New("this baocao is built without embedded chDB (-tags nochdb): give --clickhouse-addr")
}

func openEmbeddedAnalyst(store.Store, store.Limits) (store.Store, error) {
	return nil, errors.New("this baocao is built without embedded chDB (-tags nochdb): give --clickhouse-addr")
}
