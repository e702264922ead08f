package stream

import (
	"fmt"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedConfig configures an in-process nats-server with JetStream.
type EmbeddedConfig struct {
	// Dir holds JetStream's files; the stream survives restarts with it.
	Dir string
	// Host and Port to listen on; Port -1 picks a free port. Clients connect
	// over loopback TCP: the in-process connection stalled long consumers
	// with missed heartbeats (see shared/PEERS.md).
	Host string
	Port int
}

// StartEmbedded starts a nats-server in this process and waits until it
// accepts connections. tweak may adjust the options (users, permissions,
// limits) before the start. Call Shutdown and WaitForShutdown to stop it.
func StartEmbedded(cfg EmbeddedConfig, tweak ...func(*server.Options)) (*server.Server, error) {
	if cfg.Host == "" {
		cfg.Host = "127.0.0.1"
	}
	opts := &server.Options{
		ServerName: "baocao-embedded",
		Host:       cfg.Host,
		Port:       cfg.Port,
		JetStream:  true,
		StoreDir:   cfg.Dir,
		NoSigs:     true, // the process that embeds it owns the signals
		NoLog:      true,
		MaxPayload: 1 << 20,
	}
	for _, t := range tweak {
		t(opts)
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 10s (store %s, %s:%d)", cfg.Dir, cfg.Host, cfg.Port)
	}
	return ns, nil
}
