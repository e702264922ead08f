package producers_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/producers"
	"github.com/baocao/baocao/stream"
)

// An agency's one-stop system reports that it received a dossier. Against a
// real deployment, connect to its NATS URL with the agency's credentials; the
// embedded server here keeps the example self-contained.
func Example() {
	dir, _ := os.MkdirTemp("", "baocao-example")
	defer os.RemoveAll(dir)
	srv, _ := stream.StartEmbedded(stream.EmbeddedConfig{Dir: dir, Port: -1})
	defer srv.Shutdown()

	nc, err := nats.Connect(srv.ClientURL())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	if _, _, _, err := stream.Provision(ctx, js, stream.DefaultConfig()); err != nil {
		fmt.Println(err)
		return
	}

	p, _ := producers.New(js, producers.Config{})
	defer p.Close(ctx)

	receivedAt := time.Now().In(events.Vietnam).Add(-time.Hour).Truncate(time.Second)
	ev := events.New("000.00.31.H23", "H23.31-240305-0001", receivedAt, events.DossierReceived{
		Procedure:           "1.001234",
		Channel:             events.ChannelOnline,
		Desk:                events.DeskCentre, // received at the province's service centre
		DueAt:               receivedAt.Add(5 * 24 * time.Hour),
		Components:          4,
		ComponentsDigitised: 4,
	})
	r := p.Publish(ctx, ev)
	fmt.Println(r.Outcome, r.Subject)

	// Sending the same event again (a retry after a lost ack, say) stores nothing new.
	fmt.Println(p.Publish(ctx, ev).Outcome)

	// An invalid event never leaves the agency; the error names the field.
	bad := ev
	bad.ID = ""
	bad.Payload = events.DossierReceived{Procedure: "1.001234", Channel: "fax", DueAt: receivedAt.Add(-time.Hour)}
	r = p.Publish(ctx, bad)
	fmt.Println(r.Outcome)
	fmt.Println(r.Err)
	// Output:
	// published baocao.events.000_00_31_H23.dossier.received
	// duplicate
	// rejected
	// invalid event: payload.channel: unknown value "fax"; want one of online, in_person, postal
}
