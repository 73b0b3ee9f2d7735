package logging_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
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
	logs, _ := runLogged(t, notifyApproval, []any{&activities.Notifier{}}, hook.URL)
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
