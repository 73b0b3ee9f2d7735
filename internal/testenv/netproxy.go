package testenv

import (
	"context"
	"fmt"
	"os"
	"strconv"
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
// The port lies below the kernel's ephemeral range, so while a partition
// has it closed no outgoing connection can be given it, and Heal can
// listen on it again.
func NewNetProxy(t testing.TB, upstream string) *NetProxy {
	t.Helper()
	srv := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	low := ephemeralLow()
	var err error
	for try := range 200 {
		port := 20000 + (os.Getpid()*7+try*131)%(low-20000)
		p := toxiproxy.NewProxy(srv, "temporal", fmt.Sprintf("127.0.0.1:%d", port), upstream)
		if err = p.Start(); err == nil {
			t.Cleanup(p.Stop)
			return &NetProxy{Addr: p.Listen, proxy: p}
		}
	}
	t.Fatalf("start toxiproxy to %s: no free port below %d: %v", upstream, low, err)
	return nil
}

// ephemeralLow is the first port the kernel hands out to outgoing
// connections (Linux's ip_local_port_range), 32768 when it cannot say.
func ephemeralLow() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	if err != nil {
		return 32768
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 32768
	}
	low, err := strconv.Atoi(f[0])
	if err != nil || low <= 21000 {
		return 32768
	}
	return low
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

// Heal ends a partition: the proxy listens again on the same address,
// trying for a few seconds should the port still be busy.
func (p *NetProxy) Heal() error {
	var err error
	for range 50 {
		if err = p.proxy.Start(); err == nil {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("listen again on %s after the partition: %w", p.Addr, err)
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
