package integration

import (
	"slices"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"

	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// Resetting a pipeline runs its steps again as the same execution: every
// mutating call must carry the key the first run sent, so the vendor
// answers with the first call's result instead of acting twice.
func TestIdem_ResetPipelineSendsTheSameKeys(t *testing.T) {
	k := startKeyed(t, "reset")
	ctx, c, v, id := k.ctx, k.c, k.v, k.id
	run, err := k.run(t, keyedSteps("reset", "reset me", "reset-target", "Reset"))
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
