package natsauth

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nats-io/nkeys"
)

// ReturnToGlobalStore undoes AdoptGlobalStore for a server started again
// without authentication (up --insecure-no-auth on a data folder that had
// it): the events account's JetStream folder goes back to $G, where such a
// server looks, instead of the server starting with an empty stream. The
// account is the one of the authority in authDir; without an authority
// there is nothing to return.
func ReturnToGlobalStore(storeDir, authDir string) error {
	b, err := os.ReadFile(filepath.Join(authDir, accountSeedFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("return JetStream store: %w", err)
	}
	kp, err := nkeys.FromSeed([]byte(strings.TrimSpace(string(b))))
	if err != nil {
		return fmt.Errorf("return JetStream store: %s: not an nkey seed: %w", filepath.Join(authDir, accountSeedFile), err)
	}
	account, _ := kp.PublicKey()
	if err := moveAccountStore(storeDir, account, globalAccount); err != nil {
		return fmt.Errorf("return JetStream store: %w", err)
	}
	return nil
}

// moveAccountStore moves one account's JetStream folder to another
// account's name. Nothing to move is not an error; both holding streams is.
func moveAccountStore(storeDir, fromAccount, toAccount string) error {
	js := filepath.Join(storeDir, "jetstream")
	from, to := filepath.Join(js, fromAccount), filepath.Join(js, toAccount)
	if empty, err := emptyStore(from); err != nil || empty {
		return err
	}
	switch toEmpty, err := emptyStore(to); {
	case err != nil:
		return err
	case !toEmpty:
		return fmt.Errorf("both %s and %s hold streams (one written with authentication, one without); "+
			"stop the server and keep one of them (move the other away) before starting it again", from, to)
	}
	if err := os.RemoveAll(to); err != nil { // an empty folder left by an earlier start
		return err
	}
	return os.Rename(from, to)
}
