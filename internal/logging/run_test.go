package logging_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/internal/testenv"
)

// runLogged runs wf with args to its end on a worker whose client and
// activity interceptor log through one observed logger, as the worker
// binary wires them, and returns what was logged and the run.
func runLogged(t *testing.T, wf any, acts []any, args ...any) (*observer.ObservedLogs, client.WorkflowRun) {
	t.Helper()
	core, logs := observer.New(zapcore.DebugLevel)
	l := zap.New(core)
	c, err := client.Dial(client.Options{HostPort: testenv.Server(t).HostPort, Logger: logging.Temporal(l)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	queue := "logging-" + t.Name()
	w := worker.New(c, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{logging.ActivityLog(l)}})
	w.RegisterWorkflow(wf)
	for _, a := range acts {
		w.RegisterActivity(a)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, wf, args...)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	return logs, run
}
