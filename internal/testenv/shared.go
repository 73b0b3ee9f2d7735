package testenv

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/imagepipe/imagepipe/workflows"
)

// The test binary's dev server, started by the first test that asks for it
// and stopped by Main, so a package whose selected tests need no server
// (a -run that picks unit tests, -bench alone) starts none.
var (
	sharedOnce sync.Once
	shared     *DevServer
	sharedErr  error
)

// Main runs a test binary's tests with at most one dev server for all of them:
// call it from TestMain.
func Main(m *testing.M) {
	code := m.Run()
	if shared != nil {
		if err := shared.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stop dev server:", err)
		}
	}
	os.Exit(code)
}

// Server is the dev server Main started. A test is skipped only when no
// Temporal CLI exists and none was asked for (TEMPORAL unset); any other
// failure to start fails it.
func Server(t testing.TB) *DevServer {
	t.Helper()
	sharedOnce.Do(func() { shared, sharedErr = StartDevServer(context.Background()) })
	if errors.Is(sharedErr, ErrNoTemporalCLI) {
		t.Skip(sharedErr)
	}
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return shared
}

// Dial connects to the dev server Main started.
func Dial(t testing.TB) client.Client {
	t.Helper()
	c, err := client.Dial(client.Options{HostPort: Server(t).HostPort, Logger: QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// StartWorker runs a worker as cmd worker does, on queue, with the default
// vendors and the vendor activities acts (see workflows.Register), until the
// test ends.
func StartWorker(t testing.TB, c client.Client, queue string, acts ...any) {
	t.Helper()
	w := worker.New(c, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{workflows.NewAttemptReporter(c)}})
	workflows.Register(w, workflows.Default(), acts...)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
}

// QuietLogger drops the SDK's log lines, which bury test output.
func QuietLogger() log.Logger {
	return log.NewStructuredLogger(slog.New(slog.DiscardHandler))
}
