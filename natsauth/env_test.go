package natsauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/natsauth"
	"github.com/baocao/baocao/stream"
)

const (
	agencyA = "000.00.31.H23"
	agencyB = "000.00.32.H24"
	durable = "baocao-projector"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// env is an embedded nats-server in operator mode trusting a fresh
// authority, with the events and dead-letter streams provisioned by admin.
type env struct {
	t     testing.TB
	a     *natsauth.Authority
	srv   *server.Server
	url   string
	store string
	sc    stream.Config
	admin *client
}

func startEnv(t testing.TB) *env {
	t.Helper()
	a, err := natsauth.Open(filepath.Join(t.TempDir(), "auth"))
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, a: a, store: t.TempDir(), sc: stream.DefaultConfig()}
	e.start()
	e.admin = e.service(natsauth.Admin)
	ctx := context.Background()
	if _, _, _, err := stream.Provision(ctx, e.admin.js, e.sc); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := stream.ProvisionDeadLetters(ctx, e.admin.js, e.sc); err != nil {
		t.Fatal(err)
	}
	return e
}

// start runs the server on e.store with the authority's configuration.
func (e *env) start() {
	e.t.Helper()
	var cerr error
	srv, err := stream.StartEmbedded(stream.EmbeddedConfig{Dir: e.store, Port: -1}, func(o *server.Options) {
		cerr = e.a.Configure(o, filepath.Join(e.store, "jwt"))
	})
	if cerr != nil {
		e.t.Fatal(cerr)
	}
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { srv.Shutdown(); srv.WaitForShutdown() })
	e.srv, e.url = srv, srv.ClientURL()
}

// client is a connection with the asynchronous errors the server sent it
// (permission violations arrive that way).
type client struct {
	nc   *nats.Conn
	js   jetstream.JetStream
	mu   sync.Mutex
	errs []error
}

func (c *client) asyncErrors() []error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]error(nil), c.errs...)
}

// violation waits for the server's permission violation naming subject.
func (c *client) violation(subject string) error {
	deadline := time.Now().Add(3 * time.Second)
	for time.Now().Before(deadline) {
		for _, err := range c.asyncErrors() {
			if errors.Is(err, nats.ErrPermissionViolation) && strings.Contains(err.Error(), `"`+subject+`"`) {
				return err
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// writeCreds puts creds in a 0600 file, as a credential is handed out.
func writeCreds(t testing.TB, creds []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "user.creds")
	if err := os.WriteFile(path, creds, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// connect connects with a .creds file alone, as an agency would (the inbox
// prefix comes from the credential).
func (e *env) connect(url string, creds []byte) (*client, error) {
	e.t.Helper()
	nc, err := stream.Connect(stream.ConnConfig{URL: url, Creds: writeCreds(e.t, creds), Name: "test"}, quiet)
	if err != nil {
		return nil, err
	}
	e.t.Cleanup(nc.Close)
	c := &client{nc: nc}
	nc.SetErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		c.mu.Lock()
		c.errs = append(c.errs, err)
		c.mu.Unlock()
	})
	c.js, err = jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4000))
	if err != nil {
		e.t.Fatal(err)
	}
	return c, nil
}

func (e *env) mustConnect(creds []byte) *client {
	e.t.Helper()
	c, err := e.connect(e.url, creds)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

func (e *env) agency(code string) *client {
	e.t.Helper()
	creds, _, err := e.a.Creds(natsauth.AgencyIdentity(e.sc, code), 0)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.mustConnect(creds)
}

func (e *env) service(s natsauth.Service) *client {
	e.t.Helper()
	creds, _, err := e.a.Creds(natsauth.ServiceIdentity(s, e.sc, durable), time.Hour)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.mustConnect(creds)
}

// count is the number of messages in a stream, read by admin.
func (e *env) count(name string) uint64 {
	e.t.Helper()
	s, err := e.admin.js.Stream(context.Background(), name)
	if err != nil {
		e.t.Fatal(err)
	}
	info, err := s.Info(context.Background())
	if err != nil {
		e.t.Fatal(err)
	}
	return info.State.Msgs
}

func (e *env) counts() [2]uint64 {
	return [2]uint64{e.count(e.sc.Name), e.count(e.sc.DeadLetterStreamConfig().Name)}
}

// event is a valid dossier.received of agency.
func event(agency string) events.Event {
	at := time.Date(2024, 3, 5, 9, 15, 0, 0, events.Vietnam)
	return events.New(agency, "H23.31-240305-0001", at, events.DossierReceived{
		Procedure: "1.001234", Channel: events.ChannelOnline, DueAt: at.Add(72 * time.Hour), Components: 4, ComponentsDigitised: 4,
	})
}

func encode(t testing.TB, e events.Event) []byte {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// mergedEvent is a directory event published by agency: it says another
// agency was merged away.
func mergedEvent(agency, merged string) events.Event {
	at := time.Date(2024, 3, 5, 9, 15, 0, 0, events.Vietnam)
	return events.New(agency, merged, at, events.AgencyMerged{Into: agency, EffectiveFrom: events.NewDate(2024, 3, 1)})
}

// reportEvent is a valid report.generated announced for a province.
func reportEvent(province string) events.Event {
	at := time.Date(2024, 7, 1, 8, 0, 0, 0, events.Vietnam)
	return events.New(province, "reform/2024-H1-official", at, events.ReportGenerated{
		Report: events.ReportReform, PeriodKind: events.PeriodHalfYear, Cutoff: events.CutoffOfficial,
		Year: 2024, Number: 1, PeriodStart: events.NewDate(2023, 12, 15), PeriodEnd: events.NewDate(2024, 6, 14),
		Label: "6 tháng đầu năm 2024", AsOfSeq: 1,
		Files: []events.ReportFile{{Format: events.FormatHTML, Path: "reform/2024-H1-official.html", Bytes: 10, SHA256: strings.Repeat("a", 64)}},
	})
}

func newJS(nc *nats.Conn) (jetstream.JetStream, error) {
	return jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(4000))
}
