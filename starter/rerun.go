package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/workflows"
)

// cmdRerun runs again the spec a pipeline ran, read from its history, so
// the original YAML is not needed. It is a new execution: its idempotency
// keys come from its own workflow and run IDs, so every vendor call is
// made anew. With --from-failed the steps that succeeded are not run: the
// new execution reuses their outputs (PipelineInput.Reuse) and runs only
// what failed, was cancelled, skipped, rolled back or never ran.
func cmdRerun(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("rerun")
	runID := fs.String("run", "", "rerun this run of the workflow rather than its latest")
	newID := fs.String("id", "", "workflow ID of the new execution (default: pipeline-<name>-<time>)")
	fromFailed := fs.Bool("from-failed", false, "reuse the outputs of the steps that succeeded; run only the rest")
	asJSON := fs.Bool("json", false, "print progress and the result as JSON lines")
	detach := fs.Bool("detach", false, "start the new execution and return without watching it")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	if err := checkNewID(*newID); err != nil {
		return err
	}
	return withConfig(ctx, func(c client.Client, conf temporalconf.Config) error {
		in, queue, err := rerunInput(ctx, c, id, *runID, *fromFailed)
		if err != nil {
			return err
		}
		spec := in.Spec
		if *newID == "" {
			*newID = workflows.WorkflowID(spec.Name, time.Now())
		}
		attrs, summary, details := pipelineLabels(&spec)
		run, _, err := startPipelineInput(ctx, c, client.StartWorkflowOptions{
			ID:                    *newID,
			TaskQueue:             queue,
			TypedSearchAttributes: attrs,
			StaticSummary:         summary + " (rerun of " + id + ")",
			StaticDetails:         details,
		}, in, false)
		var conflict conflictError
		if errors.As(err, &conflict) {
			conflict.rerunOf = id
			return conflict
		}
		if err != nil {
			return fmt.Errorf("rerun %s: start pipeline %s: %w", id, spec.Name, err)
		}
		reused := slices.Sorted(maps.Keys(in.Reuse))
		if !*asJSON {
			fmt.Fprintf(stdout, "started %s, a rerun of %s", run.GetID(), id)
			if len(reused) > 0 {
				fmt.Fprintf(stdout, " reusing %s", strings.Join(reused, ", "))
			}
			fmt.Fprintf(stdout, "\n  web UI: %s\n", conf.WorkflowURL(run.GetID()))
		}
		if *detach {
			if *asJSON {
				return json.NewEncoder(stdout).Encode(map[string]any{"workflow_id": run.GetID(), "run_id": run.GetRunID(), "rerun_of": id, "reused": reused})
			}
			return nil
		}
		return watch(ctx, c, run.GetID(), newRenderer(stdout, *asJSON))
	})
}

// rerunInput is the input of a rerun of id, and the task queue the
// original ran on (its worker's).
func rerunInput(ctx context.Context, c client.Client, id, runID string, fromFailed bool) (workflows.PipelineInput, string, error) {
	desc, err := c.DescribeWorkflowExecution(ctx, id, runID)
	if err != nil {
		return workflows.PipelineInput{}, "", asNotFound(fmt.Errorf("rerun %s: %w", id, err), id, runID)
	}
	if !isPipeline(desc) {
		return workflows.PipelineInput{}, "", usageError{fmt.Errorf("rerun: %s", describeOther(ctx, c, desc))}
	}
	info := desc.GetWorkflowExecutionInfo()
	runID = info.GetExecution().GetRunId()
	h, err := history(ctx, c, id, runID)
	if err != nil {
		return workflows.PipelineInput{}, "", err
	}
	orig, err := startedInput(h)
	if err != nil {
		return workflows.PipelineInput{}, "", fmt.Errorf("rerun %s: %w", id, err)
	}
	queue := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetTaskQueue().GetName()
	// Only the spec: what an earlier rerun reused is not carried over
	// unless --from-failed finds it succeeded again below.
	in := workflows.PipelineInput{Spec: orig.Spec}
	if !fromFailed {
		return in, queue, nil
	}
	if info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
		return in, "", usageError{fmt.Errorf("rerun --from-failed: %s is still running, so nothing has failed yet (starter watch %s)", id, id)}
	}
	rep, err := pipelineStatus(ctx, c, id, runID)
	if err != nil {
		return in, "", err
	}
	if rep.Ending != nil && rep.Ending.succeeded() {
		return in, "", usageError{fmt.Errorf("rerun --from-failed: %s succeeded, nothing failed (starter rerun %s runs every step again)", id, id)}
	}
	if rep.ProgressFrom == fromHistory {
		return in, "", fmt.Errorf("rerun --from-failed: which steps of %s succeeded is unknown: no worker answered and its history could not be replayed (start a worker, or rerun without --from-failed)", id)
	}
	in.Reuse = map[string]map[string]string{}
	for _, s := range rep.Progress.Steps {
		if s.State == workflows.StepSucceeded {
			outs := s.Outputs
			if outs == nil {
				outs = map[string]string{}
			}
			in.Reuse[s.ID] = outs
		}
	}
	return in, queue, nil
}
