package main

import (
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
)

// ending is how a pipeline's run ended, read from its history: the close
// status Temporal gives it and why.
type ending struct {
	Status   string    `json:"status"` // Completed, Failed, Canceled, Terminated, TimedOut, ContinuedAsNew
	Reason   string    `json:"reason,omitempty"`
	By       string    `json:"by,omitempty"` // who terminated or cancelled it
	NewRunID string    `json:"new_run_id,omitempty"`
	At       time.Time `json:"at,omitzero"`
}

// succeeded reports whether the run ended as a pipeline that worked.
func (e ending) succeeded() bool {
	return e.Status == enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED.String()
}

// endingOf reads how the run of h ended; ok is false while it runs.
func endingOf(h *historypb.History) (e ending, ok bool) {
	events := h.GetEvents()
	last := events[len(events)-1]
	e.At = last.GetEventTime().AsTime()
	switch last.GetEventType() {
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
		e.Status = enumspb.WORKFLOW_EXECUTION_STATUS_COMPLETED.String()
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
		a := last.GetWorkflowExecutionFailedEventAttributes()
		e.Status, e.Reason, e.NewRunID = enumspb.WORKFLOW_EXECUTION_STATUS_FAILED.String(), a.GetFailure().GetMessage(), a.GetNewExecutionRunId()
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
		e.Status = enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED.String()
		for _, ev := range events {
			if a := ev.GetWorkflowExecutionCancelRequestedEventAttributes(); a != nil {
				e.Reason, e.By = a.GetCause(), a.GetIdentity()
			}
		}
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
		a := last.GetWorkflowExecutionTerminatedEventAttributes()
		e.Status, e.Reason, e.By = enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED.String(), a.GetReason(), a.GetIdentity()
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
		a := last.GetWorkflowExecutionTimedOutEventAttributes()
		e.Status, e.NewRunID = enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT.String(), a.GetNewExecutionRunId()
		e.Reason = "the workflow's execution or run timeout passed"
	case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
		a := last.GetWorkflowExecutionContinuedAsNewEventAttributes()
		e.Status, e.NewRunID = enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW.String(), a.GetNewExecutionRunId()
		e.Reason = "continued as new run " + a.GetNewExecutionRunId()
	default:
		return ending{}, false
	}
	return e, true
}

// verb says how the pipeline ended, for "pipeline NAME <verb>".
func (e ending) verb() string {
	var v string
	switch e.Status {
	case enumspb.WORKFLOW_EXECUTION_STATUS_FAILED.String():
		v = "failed"
	case enumspb.WORKFLOW_EXECUTION_STATUS_CANCELED.String():
		v = "was cancelled"
	case enumspb.WORKFLOW_EXECUTION_STATUS_TERMINATED.String():
		v = "was terminated"
	case enumspb.WORKFLOW_EXECUTION_STATUS_TIMED_OUT.String():
		v = "timed out"
	case enumspb.WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW.String():
		return "continued as new run " + e.NewRunID
	default:
		v = "ended " + e.Status
	}
	if e.Reason != "" && e.Status != enumspb.WORKFLOW_EXECUTION_STATUS_FAILED.String() {
		v += fmt.Sprintf(" (%s)", e.Reason)
	}
	if e.By != "" {
		v += " by " + e.By
	}
	return v
}
