package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/baocao/baocao/events"
	"github.com/baocao/baocao/internal/natstest"
	"github.com/baocao/baocao/stream"
)

func TestLookupAgencyReadsTheDirectoryFromTheStream(t *testing.T) {
	ctx := context.Background()
	s := natstest.StartWithStream(t)
	cfg := stream.DefaultConfig()
	at := time.Date(2025, 1, 2, 8, 0, 0, 0, events.Vietnam)
	// The province keeps the directory: it publishes every agency's events.
	publish := func(code string, p events.Payload) {
		t.Helper()
		e := events.New("000.00.00.H23", code, at, p)
		data, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.JS.Publish(ctx, events.Subject(cfg.Prefix, &e), data); err != nil {
			t.Fatal(err)
		}
	}
	publish("000.00.31.H23", events.AgencyCreated{Name: "Sở Tư pháp", Level: events.LevelDepartment, Parent: "000.00.00.H23", EffectiveFrom: events.NewDate(2020, 1, 1)})
	publish("000.00.31.H23", events.AgencyRenamed{Name: "Sở Tư pháp tỉnh", EffectiveFrom: events.NewDate(2024, 1, 1)})
	publish("000.31.01.H23", events.AgencyCreated{Name: "UBND xã A", Level: events.LevelCommune, Parent: "000.00.00.H23", EffectiveFrom: events.NewDate(2020, 1, 1)})
	publish("000.31.01.H23", events.AgencyMerged{Into: "000.31.02.H23", EffectiveFrom: events.NewDate(2025, 7, 1)})

	got, err := stream.LookupAgency(ctx, s.JS, cfg, "000.00.31.H23")
	if err != nil || got.Name != "Sở Tư pháp tỉnh" || got.MergedInto != "" {
		t.Fatalf("renamed agency: %+v, %v", got, err)
	}
	got, err = stream.LookupAgency(ctx, s.JS, cfg, "000.31.01.H23")
	if err != nil || got.Name != "UBND xã A" || got.MergedInto != "000.31.02.H23" {
		t.Fatalf("merged agency: %+v, %v", got, err)
	}
	if _, err := stream.LookupAgency(ctx, s.JS, cfg, "000.99.99.H23"); !errors.Is(err, stream.ErrUnknownAgency) {
		t.Fatalf("unknown agency: %v; want ErrUnknownAgency", err)
	}
	if _, err := stream.LookupAgency(ctx, s.JS, cfg, "bad code"); err == nil || errors.Is(err, stream.ErrUnknownAgency) {
		t.Fatalf("malformed code: %v; want a code error", err)
	}
}
