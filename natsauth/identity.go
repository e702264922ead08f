package natsauth

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/stream"
)

// Identity is what one NATS user may do. NATS allows everything a user's
// JWT does not restrict, so every identity lists what it may publish and
// subscribe to (allow lists), and anything else is refused by the server.
type Identity struct {
	// Name is the user's name in the JWT and the server's monitoring.
	Name string
	// Agency is the agency code of an agency's identity, empty for services.
	Agency string
	// InboxPrefix is where the user's replies arrive (publish
	// acknowledgements, API answers): the client must use it
	// (nats.CustomInboxPrefix), it is the only place it may subscribe to
	// besides what Sub allows otherwise, and nobody else may subscribe there.
	InboxPrefix string
	Pub, Sub    jwt.Permission
	// invalid says why the identity was built without permissions (a bad
	// agency code, stream or durable name); Creds refuses it.
	invalid error
}

// Service is a baocao process that connects to NATS with its own identity.
type Service string

const (
	// Projector reads the events through its durable consumer into
	// ClickHouse and publishes dead letters.
	Projector Service = "projector"
	// Scheduler reads the projector's progress and announces reports
	// (report.generated) for every province.
	Scheduler Service = "scheduler"
	// Ingest is the HTTP intake: it publishes events on agencies' behalf,
	// after checking the caller's agency.
	Ingest Service = "ingest"
	// Admin provisions and maintains streams and consumers (streams,
	// rebuild, up's startup): everything in the events account.
	Admin Service = "admin"
)

// Services are the service identities, in the order they are issued.
var Services = []Service{Projector, Scheduler, Ingest, Admin}

// reportFamily is the event family only the scheduler publishes.
const reportFamily = "report"

// AgencyInboxPrefix is the inbox prefix of an agency's identity.
func AgencyInboxPrefix(code string) string { return "_INBOX.agency." + events.AgencyToken(code) }

// AgencyIdentity may publish its own events (<prefix>.<token>.*.*, except
// the report family the scheduler owns) and subscribe to its own inbox: its
// publish acknowledgements. Nothing of the JetStream API: it cannot read,
// delete or purge anything, nor see another agency's events or acks.
func AgencyIdentity(sc stream.Config, code string, grants ...Grant) Identity {
	if err := events.ValidAgencyCode(code); err != nil {
		// "*" would be every agency's subjects
		return Identity{Name: "agency " + code, Agency: code, invalid: fmt.Errorf("agency code: %w", err)}
	}
	if err := sc.Validate(); err != nil {
		return Identity{Name: "agency " + code, Agency: code, invalid: err}
	}
	token := events.AgencyToken(code)
	inbox := AgencyInboxPrefix(code)
	deny := jwt.StringList{sc.Prefix + "." + token + "." + reportFamily + ".*"}
	if !slices.Contains(grants, Directory) {
		deny = append(deny, sc.Prefix+"."+token+"."+directoryFamily+".*")
	}
	for _, g := range grants {
		if g != Directory {
			return Identity{Name: "agency " + code, Agency: code, invalid: fmt.Errorf("grant %q: want %q", g, Directory)}
		}
	}
	return Identity{
		Name:        "agency " + code,
		Agency:      code,
		InboxPrefix: inbox,
		Pub: jwt.Permission{
			// exactly <prefix>.<token>.<family>.<action>: nothing deeper
			Allow: jwt.StringList{sc.Prefix + "." + token + ".*.*"},
			Deny:  deny,
		},
		Sub: jwt.Permission{Allow: jwt.StringList{inbox + ".>"}},
	}
}

// Grant widens an agency's identity beyond its own dossiers, tasks and
// feedback.
type Grant string

// Directory lets an agency publish the agency directory's events
// (agency.created, renamed, merged…, about any agency: their subject_id
// names it): the agency that keeps the province's directory. Without it an
// agency could merge or rename another in the directory.
const Directory Grant = "directory"

// directoryFamily is the agency directory's event family.
const directoryFamily = "agency"

// ServiceIdentity is a service's identity on the events stream sc; durable
// is the projector's durable consumer (consumers.DefaultDurable unless
// configured), which the projector binds and the scheduler reads. Only Admin
// may delete or purge streams and consumers. An unknown service gets an
// identity Creds refuses.
func ServiceIdentity(s Service, sc stream.Config, durable string) Identity {
	inbox := "_INBOX." + string(s)
	id := Identity{Name: string(s), InboxPrefix: inbox}
	if err := sc.Validate(); err != nil {
		return Identity{Name: string(s), invalid: err}
	}
	if (s == Projector || s == Scheduler) && (durable == "" || strings.ContainsAny(durable, ".*> \t\r\n")) {
		return Identity{Name: string(s), invalid: fmt.Errorf("durable %q: want a consumer name without '.', '*', '>' or spaces", durable)}
	}
	api := "$JS.API."
	dl := sc.DeadLetterStreamConfig().Name
	switch s {
	case Projector:
		id.Pub.Allow = jwt.StringList{
			api + "STREAM.INFO." + sc.Name,
			// consumers.bind provisions the dead-letter stream
			api + "STREAM.INFO." + dl,
			api + "STREAM.CREATE." + dl,
			api + "STREAM.UPDATE." + dl,
			// its own durable: created (again after a deletion) with its filter
			// (nats.go: CONSUMER.CREATE.<stream>.<name>.<filter>), read, fetched from
			api + "CONSUMER.CREATE." + sc.Name + "." + durable + ".>",
			api + "CONSUMER.INFO." + sc.Name + "." + durable,
			api + "CONSUMER.MSG.NEXT." + sc.Name + "." + durable,
			// ack, nak, term and in-progress of its deliveries
			"$JS.ACK." + sc.Name + "." + durable + ".>",
			sc.DeadLetterPrefix() + ".>",
		}
	case Scheduler:
		id.Pub.Allow = jwt.StringList{
			api + "STREAM.INFO." + sc.Name,
			api + "CONSUMER.INFO." + sc.Name + "." + durable,
			sc.Prefix + ".*." + reportFamily + ".generated",
		}
	case Ingest:
		// Agencies over HTTP send what an agency without grants may.
		id.Pub.Allow = jwt.StringList{sc.Prefix + ".*.*.*"}
		id.Pub.Deny = jwt.StringList{sc.Prefix + ".*." + reportFamily + ".*", sc.Prefix + ".*." + directoryFamily + ".*"}
	case Admin:
		id.Pub.Allow = jwt.StringList{">"}
		id.Sub.Allow = jwt.StringList{">"}
	default:
		return Identity{Name: string(s), invalid: fmt.Errorf("unknown service %q: want one of %v", s, Services)}
	}
	id.Sub.Allow = append(id.Sub.Allow, inbox+".>")
	return id
}

// validate refuses an identity NATS would read as "allowed everything" by
// accident, or that a server would reject.
func (id Identity) validate() error {
	if id.invalid != nil {
		return fmt.Errorf("identity %q: %w", id.Name, id.invalid)
	}
	if strings.TrimSpace(id.Name) == "" {
		return errors.New("identity: no name")
	}
	if len(id.Pub.Allow) == 0 || len(id.Sub.Allow) == 0 {
		return fmt.Errorf("identity %q: no publish or subscribe allow list (unknown service?); NATS would allow everything", id.Name)
	}
	if err := validInboxPrefix(id.InboxPrefix); err != nil {
		return fmt.Errorf("identity %q: inbox prefix: %w", id.Name, err)
	}
	if !slicesContains(id.Sub.Allow, ">") && !slicesContains(id.Sub.Allow, id.InboxPrefix+".>") {
		return fmt.Errorf("identity %q: may not subscribe to its own inbox %s.>", id.Name, id.InboxPrefix)
	}
	for _, s := range append(append(append(append(jwt.StringList{}, id.Pub.Allow...), id.Pub.Deny...), id.Sub.Allow...), id.Sub.Deny...) {
		if !validSubject(s) {
			return fmt.Errorf("identity %q: subject %q: empty token", id.Name, s)
		}
	}
	return nil
}

func slicesContains(l jwt.StringList, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func validSubject(s string) bool {
	if s == "" {
		return false
	}
	for _, t := range strings.Split(s, ".") {
		if t == "" || strings.ContainsAny(t, " \t\r\n") {
			return false
		}
	}
	return true
}

func validInboxPrefix(p string) error {
	switch {
	case p == "":
		return errors.New("empty")
	case !validSubject(p):
		return fmt.Errorf("%q: not a subject", p)
	case strings.ContainsAny(p, "*>"):
		return fmt.Errorf("%q: wildcards", p)
	}
	return nil
}

// Creds issues a user JWT for id, signed by the events account, with a new
// user key, as a .creds file (JWT and seed: a secret, write it 0600). It
// returns the file's contents and the user's public key, which Revoke takes.
// ttl 0 issues a credential that does not expire.
func (a *Authority) Creds(id Identity, ttl time.Duration) ([]byte, string, error) {
	if err := id.validate(); err != nil {
		return nil, "", err
	}
	if ttl < 0 {
		return nil, "", fmt.Errorf("identity %q: ttl %v: want 0 (no expiry) or positive", id.Name, ttl)
	}
	uc := func(uc *jwt.UserClaims) {
		uc.Name = id.Name
		uc.Pub = id.Pub
		uc.Sub = id.Sub
	}
	return a.issue(a.account, uc, ttl)
}

// SystemCreds issues a system-account user: it may send account JWTs to the
// servers (Push) and read their monitoring. ttl 0 does not expire.
func (a *Authority) SystemCreds(ttl time.Duration) ([]byte, error) {
	if ttl < 0 {
		return nil, fmt.Errorf("system creds: ttl %v: want 0 (no expiry) or positive", ttl)
	}
	creds, _, err := a.issue(a.system, func(uc *jwt.UserClaims) { uc.Name = "baocao system" }, ttl)
	return creds, err
}

func (a *Authority) issue(account nkeys.KeyPair, set func(*jwt.UserClaims), ttl time.Duration) ([]byte, string, error) {
	user, err := nkeys.CreateUser()
	if err != nil {
		return nil, "", fmt.Errorf("create user key: %w", err)
	}
	upub, _ := user.PublicKey()
	seed, err := user.Seed()
	if err != nil {
		return nil, "", fmt.Errorf("create user key: %w", err)
	}
	uc := jwt.NewUserClaims(upub)
	set(uc)
	if ttl > 0 {
		uc.Expires = time.Now().Add(ttl).Unix()
	}
	vr := jwt.CreateValidationResults()
	uc.Validate(vr)
	if errs := vr.Errors(); len(errs) > 0 {
		return nil, "", fmt.Errorf("user %q: %w", uc.Name, errors.Join(errs...))
	}
	token, err := uc.Encode(account)
	if err != nil {
		return nil, "", fmt.Errorf("sign user %q: %w", uc.Name, err)
	}
	creds, err := jwt.FormatUserConfig(token, seed)
	if err != nil {
		return nil, "", fmt.Errorf("user %q: %w", uc.Name, err)
	}
	return creds, upub, nil
}

// InboxPrefix reads a .creds file and returns the inbox prefix its user may
// subscribe under, or "" when the JWT names none (stream.CredsInboxPrefix,
// which stream.Connect uses when ConnConfig.InboxPrefix is empty).
func InboxPrefix(credsFile string) (string, error) { return stream.CredsInboxPrefix(credsFile) }
