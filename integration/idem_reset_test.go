package integration

import (
	"context"
	"slices"
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// Resetting a pipeline runs its steps again as the same execution: every
// mutating call must carry the key the first run sent, so the vendor
// answers with the first call's result instead of acting twice.
func TestIdem_ResetPipelineSendsTheSameKeys(t *testing.T) {
	c := dial(t)
	v := newKeyedVendors(t)
	queue := t.Name()
	startWorker(t, c, queue, &activities.OCI{Client: v.oci.Client}, &activities.ZStack{Client: v.zstack.Client})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	id := workflows.WorkflowID("reset", time.Now())
	run, err := runPipeline(ctx, t, c, queue, id, `name: reset
steps:
  - id: attributes
    uses: zstack.update_image
    with: {image_uuid: `+zstacksim.DemoImage+`, description: reset me}
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+ocisim.DemoTenancyID+`, name: reset-target, description: Reset}
`)
	if err != nil {
		t.Fatalf("first run: %v", err)
	}
	first := v.keys.distinct()
	if len(first) != 2 {
		t.Fatalf("first run sent keys %q, want one X-Job-UUID and one opc-retry-token", first)
	}

	var resetTo int64
	for _, ev := range fullHistory(ctx, t, c, id).Events {
		if ev.GetEventType() == enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED {
			resetTo = ev.GetEventId()
			break
		}
	}
	reset, err := c.ResetWorkflowExecution(ctx, &workflowservice.ResetWorkflowExecutionRequest{
		Namespace:                 "default",
		WorkflowExecution:         &commonpb.WorkflowExecution{WorkflowId: id, RunId: run.GetRunID()},
		Reason:                    "replay the pipeline from its start",
		WorkflowTaskFinishEventId: resetTo,
		RequestId:                 id + "-reset",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.GetWorkflow(ctx, id, reset.GetRunId()).Get(ctx, nil); err != nil {
		t.Fatalf("reset run: %v", err)
	}
	if again := v.keys.distinct(); !slices.Equal(again, first) {
		t.Errorf("after the reset the vendors saw keys %q, want only the first run's %q", again, first)
	}
	if got := v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage); got != 1 {
		t.Errorf("ZStack applied the update %d times, want once", got)
	}
}
