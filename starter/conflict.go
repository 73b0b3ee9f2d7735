package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// conflictError is a run refused because its workflow ID is taken by a
// pipeline still running: starting would silently hand back that one.
type conflictError struct {
	id      string
	runID   string
	started time.Time
	running *pipeline.Spec // what the running one runs; nil if unknown
	file    string         // the file the user asked to run
	same    bool           // the running pipeline is this file's
	attach  bool           // --attach was given
	rerunOf string         // the pipeline a refused rerun reruns
}

func (e conflictError) Error() string {
	what := "a pipeline"
	if e.running != nil {
		what = fmt.Sprintf("pipeline %q", e.running.Name)
		if e.running.File != "" {
			what += " from " + e.running.File
		}
	}
	msg := fmt.Sprintf("%s is already running %s (run %s, started %s); nothing started.",
		e.id, what, e.runID, e.started.UTC().Format(time.RFC3339))
	if e.rerunOf != "" {
		return msg + fmt.Sprintf("\n  watch it:            starter watch %s\n  or rerun under another ID: starter rerun %s --id <another ID>", e.id, e.rerunOf)
	}
	switch {
	case e.attach:
		msg += fmt.Sprintf("\n  --attach: it is not the pipeline of %s, so this run did not attach to it.", e.file)
	case e.same:
		msg += fmt.Sprintf("\n  it runs this same pipeline: starter run -f %s --id %s --attach shows its progress.", e.file, e.id)
	}
	return msg + fmt.Sprintf("\n  watch it:        starter watch %s\n  or run %s under another ID: starter run -f %s --id <another ID>",
		e.id, e.file, e.file)
}

// startPipeline starts spec under opts.ID. When a pipeline is already
// running under that ID it refuses with a conflictError, or, with attach
// and the running pipeline the same as spec, returns that one. A run whose
// predecessor under the ID has ended is a new execution.
func startPipeline(ctx context.Context, c client.Client, opts client.StartWorkflowOptions, spec *pipeline.Spec, attach bool) (run client.WorkflowRun, attached bool, err error) {
	return startPipelineInput(ctx, c, opts, workflows.PipelineInput{Spec: *spec}, attach)
}

// startPipelineInput is startPipeline with the whole input, a rerun's
// reused outputs too.
func startPipelineInput(ctx context.Context, c client.Client, opts client.StartWorkflowOptions, in workflows.PipelineInput, attach bool) (run client.WorkflowRun, attached bool, err error) {
	spec := &in.Spec
	opts.WorkflowExecutionErrorWhenAlreadyStarted = true
	// The running pipeline may end between the refusal and the look at it;
	// then the ID is free and a second try starts.
	for range 3 {
		run, err = c.ExecuteWorkflow(ctx, opts, workflows.ImagePipeline, in)
		var taken *serviceerror.WorkflowExecutionAlreadyStarted
		if !errors.As(err, &taken) {
			return run, false, err
		}
		desc, derr := c.DescribeWorkflowExecution(ctx, opts.ID, taken.RunId)
		if derr != nil {
			return nil, false, fmt.Errorf("%s is already running, and describing it failed: %w", opts.ID, derr)
		}
		info := desc.GetWorkflowExecutionInfo()
		if info.GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING {
			continue
		}
		conflict := conflictError{id: opts.ID, runID: taken.RunId, started: info.GetStartTime().AsTime(), file: spec.File, attach: attach}
		if h, herr := history(ctx, c, opts.ID, taken.RunId); herr == nil {
			if in, ierr := startedInput(h); ierr == nil {
				conflict.running = &in.Spec
				conflict.same = sameSpec(in.Spec, *spec)
			}
		}
		if attach && conflict.same {
			return c.GetWorkflow(ctx, opts.ID, taken.RunId), true, nil
		}
		return nil, false, conflict
	}
	return nil, false, fmt.Errorf("start pipeline %s: the ID %s kept being taken", spec.Name, opts.ID)
}

// sameSpec reports whether two specs are the same pipeline: the same
// content, wherever the file was read from.
func sameSpec(a, b pipeline.Spec) bool {
	a.File, b.File = "", ""
	ja, erra := json.Marshal(a)
	jb, errb := json.Marshal(b)
	return erra == nil && errb == nil && string(ja) == string(jb)
}
