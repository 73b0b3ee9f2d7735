package main

import (
	"context"
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/workflows"
)

// history reads one run's whole event history.
func history(ctx context.Context, c client.Client, id, runID string) (*historypb.History, error) {
	it := c.GetWorkflowHistory(ctx, id, runID, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	h := &historypb.History{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, fmt.Errorf("history of %s: %w", id, err)
		}
		h.Events = append(h.Events, ev)
	}
	if len(h.Events) == 0 {
		return nil, fmt.Errorf("history of %s: no events", id)
	}
	return h, nil
}

// startedInput decodes the input a run was started with: the pipeline
// spec it runs, as the worker received it.
func startedInput(h *historypb.History) (workflows.PipelineInput, error) {
	var in workflows.PipelineInput
	start := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes()
	if start == nil {
		return in, errors.New("history does not begin with the workflow's start")
	}
	if err := converter.GetDefaultDataConverter().FromPayloads(start.GetInput(), &in); err != nil {
		return in, fmt.Errorf("decode pipeline input: %w", err)
	}
	return in, nil
}
