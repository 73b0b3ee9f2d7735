package main

import (
	"testing"
	"time"

	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/imagepipe/imagepipe/workflows"
)

// awaitJobStarted is a pipeline's history that starts one AwaitJob child
// with in, under childID.
func awaitJobStarted(t *testing.T, childID string, in workflows.AwaitJobInput) *historypb.History {
	t.Helper()
	payloads, err := converter.GetDefaultDataConverter().ToPayloads(in)
	if err != nil {
		t.Fatal(err)
	}
	return &historypb.History{Events: []*historypb.HistoryEvent{{
		EventId: 5, EventTime: timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)),
		EventType: enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED,
		Attributes: &historypb.HistoryEvent_StartChildWorkflowExecutionInitiatedEventAttributes{
			StartChildWorkflowExecutionInitiatedEventAttributes: &historypb.StartChildWorkflowExecutionInitiatedEventAttributes{
				WorkflowId:   childID,
				WorkflowType: &commonpb.WorkflowType{Name: "AwaitJob"},
				Input:        payloads,
			},
		},
	}}}
}

// A job wait of an older pipeline, for an item labelled with a path, is
// named after its item, its role and its job's kind as the pipeline gave
// them, though its workflow ID holds more slashes than it has parts.
func TestHistory_NamesAnOlderWaitForAnItemWhoseLabelHoldsASlash(t *testing.T) {
	for _, c := range []struct {
		role, call string
	}{
		{"", "wait for the fpp.import job"},
		{"undone", "undone: wait for the fpp.import job"},
	} {
		childID := "pipe-1/import[1:/images/b.qcow2]/fpp.import"
		if c.role != "" {
			childID = "pipe-1/import[1:/images/b.qcow2]/" + c.role + "/fpp.import"
		}
		h := awaitJobStarted(t, childID, workflows.AwaitJobInput{
			Step: "import[1:/images/b.qcow2]", Kind: "fpp.import", JobID: "j-7",
			Report: &workflows.JobReport{Step: "import", Item: 1},
		})
		calls := eventCalls(h, time.Now(), func(string) string { return "" })
		if len(calls) != 1 || !waitChild(&calls[0], "pipe-1") {
			t.Fatalf("role %q: calls %+v are not one wait", c.role, calls)
		}
		if r := calls[0]; r.Step != "import[1:/images/b.qcow2]" || r.Call != c.call || r.unit.StepID != "import" {
			t.Errorf("role %q: the wait is step %q (of step %q), call %q; want import[1:/images/b.qcow2] of import, %q", c.role, r.Step, r.unit.StepID, r.Call, c.call)
		}
	}
}
