package testenv

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
)

// ErrNoTemporalCLI means no Temporal CLI was found to run a dev server.
var ErrNoTemporalCLI = errors.New("no Temporal CLI: set TEMPORAL to its path or run the tests with make test, which builds it")

// TemporalCLI finds the Temporal CLI: $TEMPORAL, then ./bin/temporal at the
// repository root, then PATH.
func TemporalCLI() (string, error) {
	if p := os.Getenv("TEMPORAL"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TEMPORAL=%s: %w", p, err)
		}
		return p, nil
	}
	_, file, _, _ := runtime.Caller(0)
	local := filepath.Join(filepath.Dir(file), "..", "..", "bin", "temporal")
	if _, err := os.Stat(local); err == nil {
		return local, nil
	}
	if p, err := exec.LookPath("temporal"); err == nil {
		return p, nil
	}
	return "", ErrNoTemporalCLI
}

// devServerFlags configure every dev server the tests start as make up
// configures its own.
var devServerFlags = []string{
	"--sqlite-pragma", "journal_mode=wal", "--sqlite-pragma", "synchronous=normal",
	"--dynamic-config-value", "system.enableActivityEagerExecution=true",
	"--search-attribute", "ImagepipePipeline=Keyword", "--search-attribute", "ImagepipeStatus=Keyword",
}

// DevServer is a Temporal dev server configured as make up configures it:
// file-backed SQLite with WAL, eager activities, imagepipe's search
// attributes registered.
type DevServer struct {
	*testsuite.DevServer
	HostPort string
	// UIURL is the web UI, e.g. http://127.0.0.1:41234.
	UIURL string
	dir   string
}

// StartDevServer starts a dev server on a free port. Stop it with Stop.
func StartDevServer(ctx context.Context) (*DevServer, error) {
	cli, err := TemporalCLI()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "imagepipe-temporal-")
	if err != nil {
		return nil, err
	}
	uiPort, err := freePort()
	if err != nil {
		return nil, err
	}
	srv, err := testsuite.StartDevServer(ctx, testsuite.DevServerOptions{
		ExistingPath:  cli,
		EnableUI:      true,
		UIPort:        uiPort,
		DBFilename:    filepath.Join(dir, "temporal.db"),
		LogLevel:      "error",
		Stdout:        io.Discard, // its banner would land in test and benchmark output
		Stderr:        os.Stderr,
		ClientOptions: &client.Options{Logger: log.NewStructuredLogger(slog.New(slog.DiscardHandler))},
		ExtraArgs:     devServerFlags,
	})
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, fmt.Errorf("start temporal dev server (%s): %w", cli, err)
	}
	return &DevServer{DevServer: srv, HostPort: srv.FrontendHostPort(), UIURL: "http://127.0.0.1:" + uiPort, dir: dir}, nil
}

// Stop stops the server and removes its database.
func (d *DevServer) Stop() error {
	err := d.DevServer.Stop()
	_ = os.RemoveAll(d.dir)
	return err
}

// freePort asks the kernel for a free loopback port.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}
