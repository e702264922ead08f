package stream

import (
	"fmt"
	"os"
	"strings"

	"github.com/nats-io/jwt/v2"
)

// CredsInboxPrefix reads a .creds file and returns the inbox prefix its user
// may subscribe under: the subscribe allow entry "_INBOX.<...>.>" of its
// JWT (natsauth issues one for every identity). It returns "" when the JWT
// names none, e.g. a credential issued elsewhere: the default inbox then.
func CredsInboxPrefix(credsFile string) (string, error) {
	b, err := os.ReadFile(credsFile)
	if err != nil {
		return "", fmt.Errorf("nats creds: %w", err)
	}
	token, err := jwt.ParseDecoratedJWT(b)
	if err != nil {
		return "", fmt.Errorf("nats creds %s: %w", credsFile, err)
	}
	uc, err := jwt.DecodeUserClaims(token)
	if err != nil {
		return "", fmt.Errorf("nats creds %s: not a user JWT: %w", credsFile, err)
	}
	for _, s := range uc.Sub.Allow {
		p, ok := strings.CutSuffix(s, ".>")
		if ok && strings.HasPrefix(p, "_INBOX.") && !strings.ContainsAny(p, "*> \t\r\n") && !strings.Contains(p, "..") {
			return p, nil
		}
	}
	return "", nil
}
