package testenv

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/rs/zerolog"
	"go.temporal.io/sdk/client"
)

// NetProxy is a toxiproxy TCP proxy running in the test process, between a
// client and a server (a worker and the Temporal dev server): connections
// through Addr reach the upstream, as slow, reset or cut off as the test
// makes them.
type NetProxy struct {
	Addr  string
	mu    sync.Mutex
	proxy *toxiproxy.Proxy
	n     int
}

// NewNetProxy proxies a free loopback port to upstream until the test ends.
func NewNetProxy(t testing.TB, upstream string) *NetProxy {
	t.Helper()
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	p := toxiproxy.NewProxy(srv, "temporal", "127.0.0.1:0", upstream)
	if err := p.Start(); err != nil {
		t.Fatalf("start toxiproxy to %s: %v", upstream, err)
	}
	t.Cleanup(p.Stop)
	return &NetProxy{Addr: p.Listen, proxy: p}
}

// Latency delays the data through the proxy by d in each direction until
// the returned function removes it.
func (p *NetProxy) Latency(d time.Duration) (remove func(), err error) {
	return p.toxic("latency", fmt.Sprintf(`{"latency": %d}`, d.Milliseconds()))
}

// Reset resets every connection (TCP RST) as soon as data crosses it, for
// as long as the toxic stays: clients see their calls fail with a reset
// and reconnect.
func (p *NetProxy) Reset() (remove func(), err error) {
	return p.toxic("reset_peer", `{"timeout": 0}`)
}

// Cut partitions the client from the server: the proxy stops listening
// (new connections are refused) and closes every connection through it.
func (p *NetProxy) Cut() { p.proxy.Stop() }

// Heal ends a partition: the proxy listens again on the same address.
func (p *NetProxy) Heal() error {
	if err := p.proxy.Start(); err != nil {
		return fmt.Errorf("listen again on %s after the partition: %w", p.Addr, err)
	}
	return nil
}

// toxic adds a toxic of typ with attributes on both directions.
func (p *NetProxy) toxic(typ, attributes string) (func(), error) {
	p.mu.Lock()
	p.n++
	n := p.n
	p.mu.Unlock()
	var names []string
	for _, stream := range []string{"upstream", "downstream"} {
		name := fmt.Sprintf("%s-%s-%d", typ, stream, n)
		body := fmt.Sprintf(`{"name": %q, "type": %q, "stream": %q, "toxicity": 1, "attributes": %s}`, name, typ, stream, attributes)
		if _, err := p.proxy.Toxics.AddToxicJson(strings.NewReader(body)); err != nil {
			return nil, fmt.Errorf("add %s toxic: %w", typ, err)
		}
		names = append(names, name)
	}
	return func() {
		for _, name := range names {
			_ = p.proxy.Toxics.RemoveToxic(context.Background(), name)
		}
	}, nil
}

// Dial connects a Temporal client through the proxy.
func (p *NetProxy) Dial(t testing.TB) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: p.Addr, Logger: QuietLogger()})
	if err != nil {
		t.Fatalf("dial temporal through the proxy: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
