package main

import (
	"context"
	"fmt"
	"strings"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/workflows"
)

// otherWorkflow is a workflow that is not a pipeline but one of a
// pipeline's helpers: a job wait (AwaitJob) or a name lock. status and
// watch say what it is and whose, instead of asking it for a progress it
// does not have.
type otherWorkflow struct {
	ID       string `json:"workflow_id"`
	RunID    string `json:"run_id"`
	Type     string `json:"type"`
	Status   string `json:"status"` // as starter list --status names it
	Parent   string `json:"pipeline_workflow_id,omitempty"`
	Step     string `json:"step,omitempty"`
	Kind     string `json:"job_kind,omitempty"`
	JobID    string `json:"job_id,omitempty"`
	LockName string `json:"name,omitempty"`
}

func (o otherWorkflow) Error() string { return o.String() }

// fine reports whether it is running or completed, the states in
// which status exits 0.
func (o otherWorkflow) fine() bool { return o.Status == "running" || o.Status == "succeeded" }

func (o otherWorkflow) String() string {
	var b strings.Builder
	switch o.Type {
	case "AwaitJob":
		fmt.Fprintf(&b, "%s is not a pipeline: it is a job wait (AwaitJob)", o.ID)
		if o.Parent != "" {
			fmt.Fprintf(&b, " of pipeline %s", o.Parent)
		}
		if o.Step != "" {
			fmt.Fprintf(&b, ", step %q waiting for %s job %s", o.Step, o.Kind, o.JobID)
		}
	case "NameLock", "NameLockWait":
		fmt.Fprintf(&b, "%s is not a pipeline: it is a name lock (%s)", o.ID, o.Type)
		if o.LockName != "" {
			fmt.Fprintf(&b, " on the name %s", o.LockName)
		}
		if o.Parent != "" {
			fmt.Fprintf(&b, ", for pipeline %s", o.Parent)
		}
	default:
		fmt.Fprintf(&b, "%s is not a pipeline: it is a %s workflow", o.ID, o.Type)
	}
	fmt.Fprintf(&b, "\n  state: %s", o.Status)
	if o.Parent != "" {
		fmt.Fprintf(&b, "\n  starter status %s shows the pipeline", o.Parent)
	}
	return b.String()
}

// describeOther reads what a non-pipeline workflow is from its description
// and its first event's input.
func describeOther(ctx context.Context, c client.Client, desc *workflowservice.DescribeWorkflowExecutionResponse) otherWorkflow {
	info := desc.GetWorkflowExecutionInfo()
	o := otherWorkflow{
		ID: info.GetExecution().GetWorkflowId(), RunID: info.GetExecution().GetRunId(),
		Type: info.GetType().GetName(), Status: statusName(info.GetStatus()),
		Parent: info.GetParentExecution().GetWorkflowId(),
	}
	h, err := history(ctx, c, o.ID, o.RunID)
	if err != nil || len(h.GetEvents()) == 0 {
		return o
	}
	in := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetInput()
	dc := converter.GetDefaultDataConverter()
	switch o.Type {
	case "AwaitJob":
		var a workflows.AwaitJobInput
		if dc.FromPayloads(in, &a) == nil {
			o.Step, o.Kind, o.JobID = a.Step, a.Kind, a.JobID
		}
	case "NameLock", "NameLockWait":
		var l workflows.NameLockInput
		if dc.FromPayloads(in, &l) == nil {
			o.LockName = l.Name
		}
	}
	return o
}

// isPipeline says whether a described workflow is a pipeline.
func isPipeline(desc *workflowservice.DescribeWorkflowExecutionResponse) bool {
	return desc.GetWorkflowExecutionInfo().GetType().GetName() == pipelineWorkflowType
}
