package integration

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// copySpec is a pipeline of one IMS copy to name.
func copySpec(t *testing.T, name string) *pipeline.Spec {
	t.Helper()
	return parseSpec(t, "copy.yaml", `name: copy
steps:
  - id: copy
    uses: huawei.copy_image
    with: {image_id: `+huaweisim.DemoSourceImage+`, name: `+name+`}
`)
}

// lockStatus is the state of the name lock on an IMS copy's name; zero if
// it never ran.
func lockStatus(ctx context.Context, c client.Client, name string) enumspb.WorkflowExecutionStatus {
	d, err := c.DescribeWorkflowExecution(ctx, "imagepipe-lock/huawei.image/"+name, "")
	if err != nil {
		return enumspb.WORKFLOW_EXECUTION_STATUS_UNSPECIFIED
	}
	return d.GetWorkflowExecutionInfo().GetStatus()
}

// An IMS copy that IMS throttles, made by the copy's name lock: the
// pipeline's progress still shows the call's attempts and IMS's answer,
// and clears the error once the copy is accepted.
func TestThrottledLockedCopy_ProgressShowsAttemptsAndTheLastError(t *testing.T) {
	c := dial(t)
	v := newVendors(t)
	v.huawei.Sim.Faults().Inject(huaweisim.OpCopyImageInRegion, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, 2)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id, run := startPipeline(ctx, t, c, queue, copySpec(t, "throttled-copy"))
	var seen workflows.StepProgress
	for seen.Attempts < 2 && ctx.Err() == nil {
		if v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery); err == nil {
			var p workflows.Progress
			if v.Get(&p) == nil {
				seen, _ = p.Step("copy")
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	if seen.Attempts < 2 || !strings.Contains(seen.LastError, "429") {
		t.Fatalf("progress while throttled = %+v, want attempt 2 and IMS's 429", seen)
	}
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if st, _ := res.Step("copy"); st.State != workflows.StepSucceeded || st.Attempts != 2 || st.LastError != "" {
		t.Fatalf("final copy = %+v, want succeeded after 2 failed attempts, error cleared", st)
	}
}

// A pipeline cancelled while its name lock is making the IMS copy ends
// with the copy step cancelled and the lock closed, so the next pipeline
// copying to that name takes the name and succeeds.
func TestCancelDuringTheLockedCopy_FreesTheNameForTheNextPipeline(t *testing.T) {
	const name = "cancelled-copy"
	ctx, c, queue, first, run := startLockedCopy(t, name)
	if err := c.CancelWorkflow(ctx, first, ""); err != nil {
		t.Fatal(err)
	}
	var res workflows.PipelineResult
	if err := run.Get(ctx, &res); err == nil {
		t.Fatal("the cancelled pipeline succeeded")
	}
	if st := lockStatus(ctx, c, name); st == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		t.Fatalf("the name lock is %v after its pipeline ended", st)
	}
	p, err := c.QueryWorkflow(ctx, first, "", workflows.ProgressQuery)
	if err != nil {
		t.Fatal(err)
	}
	var prog workflows.Progress
	if err := p.Get(&prog); err != nil {
		t.Fatal(err)
	}
	if st, _ := prog.Step("copy"); st.State != workflows.StepCanceled {
		t.Errorf("copy step %s, want canceled", st.State)
	}
	_, second := startPipeline(ctx, t, c, queue, copySpec(t, name))
	if err := second.Get(ctx, nil); err != nil {
		t.Fatalf("the next pipeline copying to %s: %v", name, err)
	}
}

// A name lock cancelled from outside (the web UI, the CLI) while it makes
// the IMS copy fails the copy step, naming the lock: the pipeline was not
// cancelled, so it must not end as if its step had been.
func TestLockCancelledFromOutside_FailsTheStepNamingTheLock(t *testing.T) {
	const name = "outside-cancelled-copy"
	ctx, c, _, _, run := startLockedCopy(t, name)
	if err := c.CancelWorkflow(ctx, "imagepipe-lock/huawei.image/"+name, ""); err != nil {
		t.Fatal(err)
	}
	err := run.Get(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), "imagepipe-lock/huawei.image/"+name+" was cancelled") {
		t.Fatalf("pipeline ended with %v, want a failure naming the cancelled lock", err)
	}
}

// startLockedCopy starts a pipeline copying to name whose IMS copy takes
// 20 s, and returns once its name lock is running (making the copy), with
// a context good for two minutes of the test.
func startLockedCopy(t *testing.T, name string) (context.Context, client.Client, string, string, client.WorkflowRun) {
	t.Helper()
	c := dial(t)
	v := newVendors(t)
	v.huawei.Sim.Faults().Inject(huaweisim.OpCopyImageInRegion, simkit.Fault{Delay: 20 * time.Second}, 1)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	id, run := startPipeline(ctx, t, c, queue, copySpec(t, name))
	for lockStatus(ctx, c, name) != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		if ctx.Err() != nil {
			t.Fatal("the name lock never ran")
		}
		time.Sleep(100 * time.Millisecond)
	}
	return ctx, c, queue, id, run
}
