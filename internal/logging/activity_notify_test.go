package logging_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/internal/testenv"
)

// notifyApproval tells a webhook that step gate waits for approval, as a
// pipeline does, from an input encoded as inputs recorded before units
// existed were: the step only in the notification's "step".
func notifyApproval(ctx workflow.Context, url string) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: 10 * time.Second,
		RetryPolicy:         &temporal.RetryPolicy{InitialInterval: 100 * time.Millisecond, MaximumAttempts: 3},
	})
	var in activities.NotifyInput
	recorded := `{"url":"` + url + `","notification":{"event":"waiting_for_approval","pipeline":"p","step":"gate"}}`
	if err := json.Unmarshal([]byte(recorded), &in); err != nil {
		return err
	}
	var a *activities.Notifier
	return workflow.ExecuteActivity(ctx, a.Notify, in).Get(ctx, nil)
}

// An approval's notification is logged under its step, as a vendor call
// is: the failed attempt's line and the delivery's both name step gate.
func TestActivityLog_NamesTheApprovalStepOfANotification(t *testing.T) {
	var posts atomic.Int32
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if posts.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	defer hook.Close()
	core, logs := observer.New(zapcore.DebugLevel)
	l := zap.New(core)
	c, err := client.Dial(client.Options{HostPort: testenv.Server(t).HostPort, Logger: logging.Temporal(l)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	queue := "logging-" + t.Name()
	w := worker.New(c, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{logging.ActivityLog(l)}})
	w.RegisterWorkflow(notifyApproval)
	w.RegisterActivity(&activities.Notifier{})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{TaskQueue: queue}, notifyApproval, hook.URL)
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatal(err)
	}
	for _, msg := range []string{"activity attempt failed; Temporal retries it", "notification delivered"} {
		lines := logs.FilterMessage(msg).All()
		if len(lines) != 1 {
			t.Fatalf("want one %q line, got %d", msg, len(lines))
		}
		if m := lines[0].ContextMap(); m["step"] != "gate" {
			t.Errorf("%q names step %v, want gate: %v", msg, m["step"], m)
		}
	}
}
