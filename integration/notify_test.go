package integration

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

// hookToken is the secret part of the receiver's URL, held only by the
// worker: finding it in a history means the URL leaked.
const hookToken = "hook-T0KEN-8812"

// hookReceiver is a local webhook: it answers status and hands each
// notification it receives to got.
type hookReceiver struct {
	srv *httptest.Server
	got chan activities.Notification
	mu  sync.Mutex
	n   int
}

func newHookReceiver(t *testing.T, status int) *hookReceiver {
	t.Helper()
	h := &hookReceiver{got: make(chan activities.Notification, 64)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n activities.Notification
		if r.URL.Path != "/"+hookToken || json.NewDecoder(r.Body).Decode(&n) != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		h.mu.Lock()
		h.n++
		h.mu.Unlock()
		h.got <- n
		w.WriteHeader(status)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookReceiver) posts() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// next is the next notification received, waiting up to a minute.
func (h *hookReceiver) next(t *testing.T) activities.Notification {
	t.Helper()
	select {
	case n := <-h.got:
		return n
	case <-time.After(time.Minute):
		t.Fatal("no notification reached the receiver within a minute")
		return activities.Notification{}
	}
}

// notifyStack runs a worker whose IMAGEPIPE_NOTIFY_HOOK is the receiver's
// URL, token included.
func notifyStack(t *testing.T, h *hookReceiver) (client.Client, string) {
	t.Helper()
	c := dial(t)
	v := newVendors(t)
	notifier := &activities.Notifier{
		UIURL: "http://ui.test:8233",
		LookupEnv: func(k string) (string, bool) {
			if k == "IMAGEPIPE_NOTIFY_HOOK" {
				return h.srv.URL + "/" + hookToken, true
			}
			return os.LookupEnv(k)
		},
	}
	queue := t.Name()
	startWorker(t, c, queue, append(v.activities(), notifier)...)
	return c, queue
}

// notifySpec is the oci-move example with the receiver as its webhook,
// image as the image to move and, with gate, an approval first.
func notifySpec(t *testing.T, image string, gate bool) *pipeline.Spec {
	t.Helper()
	b, err := os.ReadFile("../examples/oci-move.yaml")
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Replace(string(b), ocisim.DemoImageID, image, 1)
	src = strings.Replace(src, "steps:\n", "notify:\n  - url_env: IMAGEPIPE_NOTIFY_HOOK\nsteps:\n", 1)
	if gate {
		src = strings.Replace(src, "steps:\n", "steps:\n  - id: gate\n    uses: imagepipe.approval\n    with: {message: \"release the gold image?\", approvers: [alice]}\n", 1)
		src = strings.Replace(src, "  - id: move\n", "  - id: move\n    needs: [gate]\n", 1)
	}
	spec, err := workflows.Default().Catalog().Parse("oci-move-notify.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

func startNotifyPipeline(ctx context.Context, t *testing.T, c client.Client, queue string, spec *pipeline.Spec) client.WorkflowRun {
	t.Helper()
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: workflows.WorkflowID(spec.Name, time.Now()) + "-" + t.Name(), TaskQueue: queue},
		workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestNotify_ReceiverIsToldOfApprovalWaitingThenSuccess(t *testing.T) {
	h := newHookReceiver(t, http.StatusOK)
	c, queue := notifyStack(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := startNotifyPipeline(ctx, t, c, queue, notifySpec(t, ocisim.DemoImageID, true))

	waiting := h.next(t)
	wantCmd := "starter approve " + run.GetID() + " --step gate --by alice"
	if waiting.Event != pipeline.EventWaitingForApproval || waiting.Step != "gate" || waiting.ApproveCommand != wantCmd ||
		!strings.Contains(waiting.Text, wantCmd) || waiting.URL != "http://ui.test:8233/namespaces/default/workflows/"+run.GetID()+"/"+run.GetRunID()+"/history" {
		t.Fatalf("approval notification: %+v", waiting)
	}
	decide(ctx, t, c, run.GetID(), workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "alice"})
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	done := h.next(t)
	if done.Event != pipeline.EventSucceeded || done.Status != workflows.StatusSucceeded || done.WorkflowID != run.GetID() {
		t.Fatalf("end notification: %+v", done)
	}
	// The notifications outlive the pipeline; their histories are whole
	// once they end.
	for _, event := range []string{pipeline.EventWaitingForApproval + "-gate", pipeline.EventSucceeded} {
		notifyID := run.GetID() + "/notify-" + run.GetRunID() + "/" + event
		if err := c.GetWorkflow(ctx, notifyID, "").Get(ctx, nil); err != nil {
			t.Fatalf("notification %s: %v", notifyID, err)
		}
	}
	histories := historiesOf(ctx, t, c, run.GetID())
	record(t, "notify-approval", histories)
	if len(histories) < 3 {
		t.Errorf("found %d histories, want the pipeline's and its two notifications'", len(histories))
	}
	for id, h := range histories {
		if strings.Contains(h.text, hookToken) {
			t.Errorf("history of %s holds the webhook's URL", id)
		}
	}
}

func TestNotify_ReceiverIsToldOfAFailureWithItsError(t *testing.T) {
	h := newHookReceiver(t, http.StatusOK)
	c, queue := notifyStack(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	run := startNotifyPipeline(ctx, t, c, queue, notifySpec(t, "ocid1.image.oc1.iad.aaaaaaaanosuchimage", false))
	if err := run.Get(ctx, nil); err == nil {
		t.Fatal("the pipeline moved a missing image")
	}
	n := h.next(t)
	if n.Event != pipeline.EventFailed || n.Status != workflows.StatusFailed || !strings.Contains(n.Error, "NotAuthorizedOrNotFound") {
		t.Fatalf("failure notification: %+v", n)
	}
}

// A receiver answering 500 forever neither delays nor changes the
// pipeline's result; the notification gives up after its bounded retries,
// and the failure is there to see in its own workflow.
func TestNotify_ReceiverDownForeverLeavesTheResultUnchanged(t *testing.T) {
	h := newHookReceiver(t, http.StatusInternalServerError)
	c, queue := notifyStack(t, h)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	run := startNotifyPipeline(ctx, t, c, queue, notifySpec(t, ocisim.DemoImageID, false))
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err != nil || res.Status != workflows.StatusSucceeded {
		t.Fatalf("pipeline: %s, %v", res.Status, err)
	}
	h.next(t) // the first attempt
	notifyID := run.GetID() + "/notify-" + run.GetRunID() + "/" + pipeline.EventSucceeded
	err := c.GetWorkflow(ctx, notifyID, "").Get(ctx, nil)
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !strings.Contains(err.Error(), "$IMAGEPIPE_NOTIFY_HOOK: answered 500") || strings.Contains(err.Error(), hookToken) {
		t.Fatalf("notification %s ended with %v, want the webhook's 500 naming the variable only", notifyID, err)
	}
	if n := h.posts(); n != 5 {
		t.Errorf("the webhook was posted to %d times, want the 5 attempts of the retry policy", n)
	}
}
