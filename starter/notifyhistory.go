package main

import (
	"context"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/workflows"
)

// notifyCall fills r when it is one of the pipeline's notifications
// rather than a job wait: the pipeline abandons those once they start,
// so how one went, and its delivery attempts, are read from its own
// history.
func notifyCall(ctx context.Context, c client.Client, r *callRecord, pipelineID string, now time.Time) (bool, error) {
	if !notifyRecord(r, pipelineID) {
		return false, nil
	}
	h, err := history(ctx, c, r.WorkflowID, "")
	if err != nil {
		return true, err
	}
	r.Polls = eventCalls(h, now, func(string) string { return "notify" })
	evs := h.GetEvents()
	last := evs[len(evs)-1]
	switch last.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
		r.Outcome = "completed"
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
		r.Outcome = "failed"
		r.Errors = append(r.Errors, last.GetWorkflowExecutionFailedEventAttributes().GetFailure().GetMessage())
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
		r.Outcome = "timed out"
	default:
		return true, nil // still delivering
	}
	end := last.GetEventTime().AsTime()
	r.Duration, r.DurationSeconds = humanDuration(end.Sub(r.Start)), end.Sub(r.Start).Seconds()
	r.Summary = ""
	return true, nil
}

// notifyRecord names r after the event it tells when it is a notification
// child of the pipeline pipelineID, and reports whether it is.
func notifyRecord(r *callRecord, pipelineID string) bool {
	event, ok := workflows.NotificationOf(pipelineID, r.WorkflowID)
	if !ok {
		return false
	}
	r.Step, r.Action, r.Call = "notify", "", "notify: "+strings.ReplaceAll(event, "_", " ")
	r.notify = true
	return true
}
