package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"

	"go.uber.org/zap"
)

var (
	server    *testenv.DevServer
	serverErr error
)

func TestMain(m *testing.M) {
	server, serverErr = testenv.StartDevServer(context.Background())
	code := m.Run()
	if server != nil {
		if err := server.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "stop dev server:", err)
		}
	}
	os.Exit(code)
}

// dial connects to the package's dev server, skipping the test only when no
// Temporal CLI exists and none was asked for.
func dial(t *testing.T) client.Client {
	t.Helper()
	if errors.Is(serverErr, testenv.ErrNoTemporalCLI) {
		t.Skip(serverErr)
	}
	if serverErr != nil {
		t.Fatal(serverErr)
	}
	c, err := client.Dial(client.Options{HostPort: server.HostPort, Logger: logging.Temporal(zap.NewNop())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// startWorker runs a worker like cmd worker does, on its own task queue.
func startWorker(t *testing.T, c client.Client, queue string, acts *activities.Activities) {
	t.Helper()
	w := worker.New(c, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{workflows.NewAttemptReporter(c)}})
	workflows.Register(w, acts)
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Stop)
}
