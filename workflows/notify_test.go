package workflows_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// receiver is a webhook that answers status and keeps every notification
// it was sent, by path.
type receiver struct {
	mu  sync.Mutex
	got map[string][]activities.Notification
	srv *httptest.Server
}

func newReceiver(t *testing.T, status int) *receiver {
	r := &receiver{got: map[string][]activities.Notification{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var n activities.Notification
		if err := json.NewDecoder(req.Body).Decode(&n); err != nil {
			t.Errorf("a notification that is not JSON: %v", err)
		}
		r.mu.Lock()
		r.got[req.URL.Path] = append(r.got[req.URL.Path], n)
		r.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *receiver) events(path string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, n := range r.got[path] {
		out = append(out, n.Event)
	}
	return out
}

func (r *receiver) last(path string) activities.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	ns := r.got[path]
	if len(ns) == 0 {
		return activities.Notification{}
	}
	return ns[len(ns)-1]
}

// withNotify puts a notify section in front of a pipeline's steps.
func withNotify(spec, notify string) string {
	return strings.Replace(spec, "steps:\n", "notify:\n"+notify+"steps:\n", 1)
}

const rolloutYAML = `name: rollout
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: ` + tenancyID + `, name: gold-images, description: Gold images}
  - id: move
    uses: oci.move_image
    with: {image_id: IMAGE, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`

func rolloutWithNotify(t *testing.T, rcv *receiver, image string) string {
	return withNotify(strings.Replace(rolloutYAML, "IMAGE", image, 1),
		"  - url: "+rcv.srv.URL+"/ok\n    on: [succeeded]\n"+
			"  - url: "+rcv.srv.URL+"/bad\n    on: [failed, canceled]\n")
}

func TestImagePipeline_NotifiesOnSuccessOnlyTheTargetsThatAskedForIt(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK)
	f := newFixture(t, options{})
	if _, err := f.run(t, parse(t, rolloutWithNotify(t, rcv, imageID))); err != nil {
		t.Fatal(err)
	}
	if got := rcv.events("/ok"); len(got) != 1 || got[0] != "succeeded" {
		t.Errorf("the succeeded target got %v", got)
	}
	if got := rcv.events("/bad"); len(got) != 0 {
		t.Errorf("the failed target got %v on a success", got)
	}
	n := rcv.last("/ok")
	if n.Pipeline != "rollout" || n.Status != workflows.StatusSucceeded || n.WorkflowID == "" || !strings.Contains(n.URL, "/workflows/"+n.WorkflowID) {
		t.Errorf("notification: %+v", n)
	}
}

func TestImagePipeline_NotifiesOnFailureWithTheError(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK)
	f := newFixture(t, options{})
	_, err := f.run(t, parse(t, rolloutWithNotify(t, rcv, "ocid1.image.oc1.iad.aaaaaaaanosuchimage")))
	if err == nil {
		t.Fatal("the pipeline succeeded moving a missing image")
	}
	if got := rcv.events("/bad"); len(got) != 1 || got[0] != "failed" {
		t.Fatalf("the failed target got %v", got)
	}
	if n := rcv.last("/bad"); !strings.Contains(n.Error, "NotAuthorizedOrNotFound") || n.Status != workflows.StatusFailed {
		t.Errorf("notification: %+v", n)
	}
	if got := rcv.events("/ok"); len(got) != 0 {
		t.Errorf("the succeeded target got %v on a failure", got)
	}
}

func TestImagePipeline_NotifiesAWaitingApprovalWithTheCommandToApprove(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK)
	f := newFixture(t, options{jobDuration: time.Second})
	f.decide(t, time.Hour, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "bob"})
	spec := withNotify(approvalSpec("stop"), "  - url: "+rcv.srv.URL+"/all\n")
	if _, err := f.run(t, parse(t, spec)); err != nil {
		t.Fatal(err)
	}
	got := rcv.events("/all")
	if len(got) != 2 || got[0] != "waiting_for_approval" || got[1] != "succeeded" {
		t.Fatalf("events = %v, want waiting_for_approval then succeeded", got)
	}
	rcv.mu.Lock()
	n := rcv.got["/all"][0]
	rcv.mu.Unlock()
	want := "starter approve " + n.WorkflowID + " --step gate --by YOUR_NAME"
	if n.Step != "gate" || n.ApproveCommand != want || !strings.Contains(n.Text, want) || n.Message != "check the release notes" ||
		n.Deadline.IsZero() || !strings.Contains(n.Text, "Deadline: ") || !strings.Contains(n.Text, "Who may approve: alice, bob") {
		t.Errorf("approval notification: %+v", n)
	}
}

// A webhook that answers 500 to every attempt is retried a bounded number
// of times and leaves the pipeline's result as it was.
func TestImagePipeline_AWebhookDownForeverLeavesTheResultUnchanged(t *testing.T) {
	rcv := newReceiver(t, http.StatusInternalServerError)
	f := newFixture(t, options{})
	spec := withNotify(strings.Replace(rolloutYAML, "IMAGE", imageID, 1), "  - url: "+rcv.srv.URL+"/down\n")
	res, err := f.run(t, parse(t, spec))
	if err != nil {
		t.Fatalf("a notification that cannot be delivered failed the pipeline: %v", err)
	}
	if res.Status != workflows.StatusSucceeded {
		t.Errorf("status = %s", res.Status)
	}
	if got := rcv.events("/down"); len(got) != 5 {
		t.Errorf("the webhook was tried %d times, want 5 (the bounded retries)", len(got))
	}
}

func TestImagePipeline_WithoutNotifyNoNotificationChildRuns(t *testing.T) {
	f := newFixture(t, options{})
	started := 0
	f.env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		if info.WorkflowType.Name == "PipelineNotify" {
			started++
		}
	})
	if _, err := f.run(t, rolloutSpec(t)); err != nil {
		t.Fatal(err)
	}
	if started != 0 {
		t.Errorf("%d notification children started", started)
	}
}

func TestImagePipeline_NotifiesARolledBackFailureWithTheRollback(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK)
	f := newFixture(t, options{jobDuration: time.Second})
	f.decide(t, time.Hour, workflows.RejectUpdate, workflows.ApprovalInput{Step: "gate", By: "alice", Comment: "notes missing"})
	spec := withNotify(approvalSpec("rollback"),
		"  - url: "+rcv.srv.URL+"/failed\n    on: [failed]\n"+
			"  - url: "+rcv.srv.URL+"/other\n    on: [succeeded, canceled]\n")
	if _, err := f.run(t, parse(t, spec)); err == nil {
		t.Fatal("a rejected pipeline succeeded")
	}
	if got := rcv.events("/failed"); len(got) != 1 || got[0] != "failed" {
		t.Fatalf("the failed target got %v", got)
	}
	n := rcv.last("/failed")
	if !strings.Contains(n.Error, "rejected by alice: notes missing") || len(n.Rollback) != 2 {
		t.Errorf("failure notification: error %q, rollback %q", n.Error, n.Rollback)
	}
	if got := rcv.events("/other"); len(got) != 0 {
		t.Errorf("the other target got %v", got)
	}
}

func TestImagePipeline_NotifiesACancellation(t *testing.T) {
	rcv := newReceiver(t, http.StatusOK)
	f := newFixture(t, options{jobDuration: time.Second})
	f.at(time.Hour, func() { f.env.CancelWorkflow() })
	spec := withNotify(approvalSpec("stop"),
		"  - url: "+rcv.srv.URL+"/canceled\n    on: [canceled]\n"+
			"  - url: "+rcv.srv.URL+"/failed\n    on: [failed]\n")
	f.env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{Spec: parse(t, spec)})
	if got := rcv.events("/canceled"); len(got) != 1 || got[0] != "canceled" || rcv.last("/canceled").Status != workflows.StatusCanceled {
		t.Errorf("the canceled target got %v", got)
	}
	if got := rcv.events("/failed"); len(got) != 0 {
		t.Errorf("the failed target got %v on a cancellation", got)
	}
}

// An approver the webhook could not reach is why a pipeline would wait for
// ever: the waiting step's progress says the notification failed.
func TestImagePipeline_AWaitingApprovalShowsAFailedNotification(t *testing.T) {
	rcv := newReceiver(t, http.StatusNotFound)
	f := newFixture(t, options{jobDuration: time.Second})
	var detail string
	f.at(time.Hour, func() {
		p := f.progress(t)
		gate, _ := p.Step("gate")
		detail = gate.Detail
		f.env.UpdateWorkflow(workflows.ApproveUpdate, "", &updateOutcome{}, workflows.ApprovalInput{Step: "gate", By: "bob"})
	})
	spec := withNotify(approvalSpec("stop"), "  - url: "+rcv.srv.URL+"/gone\n    on: [waiting_for_approval]\n")
	if _, err := f.run(t, parse(t, spec)); err != nil {
		t.Fatalf("a failed notification failed the pipeline: %v", err)
	}
	if !strings.Contains(detail, "notification failed:") || !strings.Contains(detail, "answered 404 Not Found") {
		t.Errorf("the waiting step's detail: %q", detail)
	}
}

func TestNotificationOf_TellsANotificationFromAJobWait(t *testing.T) {
	for _, c := range []struct {
		child, event string
		ok           bool
	}{
		{"p-1/notify-01a231a7-96bd-7cbf-bdb9-fa9710ccc763/succeeded", "succeeded", true},
		{"p-1/notify-01a231a7-96bd-7cbf-bdb9-fa9710ccc763/waiting_for_approval-gate", "waiting_for_approval-gate", true},
		{"p-1/notify-x/oci.compartment", "", false}, // the job wait of a step named notify-x
		{"p-1/copy/huawei.job", "", false},
		{"p-2/notify-r/failed", "", false}, // another pipeline's
	} {
		event, ok := workflows.NotificationOf("p-1", c.child)
		if event != c.event || ok != c.ok {
			t.Errorf("NotificationOf(%q) = %q, %v; want %q, %v", c.child, event, ok, c.event, c.ok)
		}
	}
}
