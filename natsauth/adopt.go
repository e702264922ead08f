package natsauth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// globalAccount is the account of a server without accounts.
const globalAccount = "$G"

// AdoptGlobalStore moves the JetStream data a server kept without
// authentication, in the global account's folder <store>/jetstream/$G, to
// the account's folder <store>/jetstream/<account>, where the server looks
// once the account owns the streams: enabling authentication on an existing
// data folder loses no event. storeDir is the server's store_dir (the
// embedded server's EmbeddedConfig.Dir). Nothing to move, or moved already,
// is not an error; both folders holding streams is: the events published
// meanwhile without authentication would be hidden.
func AdoptGlobalStore(storeDir, account string) error {
	if account == "" || account == globalAccount || filepath.Base(account) != account {
		return fmt.Errorf("adopt JetStream store: account %q: want an account public key", account)
	}
	if err := moveAccountStore(storeDir, globalAccount, account); err != nil {
		return fmt.Errorf("adopt JetStream store: %w", err)
	}
	return nil
}

// emptyStore says whether an account's JetStream folder holds no stream.
func emptyStore(dir string) (bool, error) {
	entries, err := os.ReadDir(filepath.Join(dir, "streams"))
	if errors.Is(err, fs.ErrNotExist) {
		return true, nil
	}
	if err != nil {
		return false, err
	}
	return len(entries) == 0, nil
}
