package testenv

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
)

// DevServerProcess is the Temporal CLI's dev server run as a child process
// on a file-backed SQLite database, so a test can SIGTERM or SIGKILL it and
// start it again on the same port and file, as an operator restarting
// make up's server would. Its flags are StartDevServer's.
type DevServerProcess struct {
	*Process
	HostPort string
	DBFile   string
}

// NewDevServerProcess prepares (but does not start) a dev server on a free
// loopback port with its database in the test's directory, without the web
// UI. It is killed when the test ends. A test without a Temporal CLI, none
// having been asked for, is skipped.
func NewDevServerProcess(t testing.TB) *DevServerProcess {
	t.Helper()
	cli, err := TemporalCLI()
	if errors.Is(err, ErrNoTemporalCLI) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	port, err := listenablePort()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "temporal.db")
	args := append([]string{"server", "start-dev", "--ip", "127.0.0.1", "--port", port, "--headless",
		"--db-filename", db, "--log-level", "error"}, devServerFlags...)
	d := &DevServerProcess{
		Process:  &Process{Name: "temporal dev server", Path: cli, Args: args, Env: BaseEnv(dir), LogPath: filepath.Join(dir, "temporal.log")},
		HostPort: net.JoinHostPort("127.0.0.1", port),
		DBFile:   db,
	}
	t.Cleanup(func() { _ = d.Kill() })
	return d
}

// StartReady starts the server and waits until its frontend answers a
// health check. A server that exits while starting is started again, a
// few times: the CLI picks its other ports (HTTP, metrics) free when it
// starts, and on a busy machine one may be taken before it binds it.
func (d *DevServerProcess) StartReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	var err error
	for range 5 {
		if err = d.startOnce(ctx); !errors.Is(err, ErrExited) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Second):
		}
	}
	return err
}

func (d *DevServerProcess) startOnce(ctx context.Context) error {
	if err := d.Start(); err != nil {
		return err
	}
	for {
		if err := d.healthy(ctx); err == nil {
			return nil
		}
		if !d.Running() {
			return fmt.Errorf("%s: %w while starting; its log:\n%s", d.Name, ErrExited, d.LogTail())
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s at %s never became healthy: %w", d.Name, d.HostPort, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// listenablePort is a free loopback port below the kernel's ephemeral
// range, so no outgoing connection can take it while the server is down
// between a stop and its restart.
func listenablePort() (string, error) {
	port, err := PortBlock(1)
	if err != nil {
		return "", err
	}
	return strconv.Itoa(port), nil
}

// PortBlock finds n consecutive free loopback ports below the kernel's
// ephemeral range and returns the first: no outgoing connection can take
// one of them while a server on it is down between a stop and its
// restart, as a random free port could be taken.
func PortBlock(n int) (int, error) {
	low := 32768
	if b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range"); err == nil {
		if f := strings.Fields(string(b)); len(f) == 2 {
			if v, err := strconv.Atoi(f[0]); err == nil {
				low = v
			}
		}
	}
	from := max(low/2, 1024)
	for range 200 {
		base := from + rand.IntN(low-from-n)
		free := true
		for p := base; p < base+n && free; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(p)))
			if err != nil {
				free = false
				continue
			}
			l.Close()
		}
		if free {
			return base, nil
		}
	}
	return 0, fmt.Errorf("no %d consecutive free ports between %d and %d", n, from, low)
}

func (d *DevServerProcess) healthy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := client.DialContext(ctx, client.Options{HostPort: d.HostPort, Logger: QuietLogger()})
	if err != nil {
		return err
	}
	defer c.Close()
	_, err = c.CheckHealth(ctx, &client.CheckHealthRequest{})
	return err
}
