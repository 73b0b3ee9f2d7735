package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/workflows"
)

// Who told a status report the pipeline's progress.
const (
	fromWorker  = "worker"  // a worker answered the progress query
	fromReplay  = "replay"  // this starter replayed the history
	fromResult  = "result"  // the pipeline's own result
	fromHistory = "history" // the history alone: steps unknown
)

// closedQueryTimeout bounds the wait for a worker to replay a closed
// pipeline for its progress; without one the starter replays it itself.
const closedQueryTimeout = 10 * time.Second

// statusReport is a pipeline's state: how its run ended, if it has, its
// progress, and what stays applied when it did not succeed.
type statusReport struct {
	WorkflowID string             `json:"workflow_id"`
	RunID      string             `json:"run_id"`
	Status     string             `json:"status"` // Running, Completed, Failed, Canceled, Terminated, TimedOut, ContinuedAsNew
	Ending     *ending            `json:"ending,omitempty"`
	Progress   workflows.Progress `json:"progress"`
	// ProgressFrom says who gave the progress: worker, replay, result or
	// history (no one could replay it; stays comes from its events).
	ProgressFrom string `json:"progress_from"`
	Stays        []stay `json:"stays,omitempty"`
	// failure is the run's failure as an error chain, when it failed:
	// where the vendor's answer is found.
	failure error
}

func cmdStatus(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("status")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	runID := fs.String("run", "", "a run of the workflow ID (default: its latest run)")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		rep, err := pipelineStatus(ctx, c, id, *runID)
		var other otherWorkflow
		if errors.As(err, &other) {
			return reportOther(stdout, other, *asJSON)
		}
		if err != nil {
			return err
		}
		if *asJSON {
			if err := json.NewEncoder(stdout).Encode(rep); err != nil {
				return err
			}
		} else {
			newRenderer(stdout, false).final(rep.Progress)
		}
		if rep.Ending == nil || rep.Ending.succeeded() {
			return nil
		}
		return pipelineFailed{id: id, report: &rep}
	})
}

// pipelineStatus reports on run runID of id (its latest run when empty).
// A running pipeline's progress comes from a worker; a closed one's from
// its result, a worker's replay, this starter's replay, or, failing all
// of them, what its history shows.
func pipelineStatus(ctx context.Context, c client.Client, id, runID string) (statusReport, error) {
	desc, err := c.DescribeWorkflowExecution(ctx, id, runID)
	if err != nil {
		return statusReport{}, asNotFound(fmt.Errorf("describe %s: %w", id, err), id, runID)
	}
	if !isPipeline(desc) {
		return statusReport{}, describeOther(ctx, c, desc)
	}
	info := desc.GetWorkflowExecutionInfo()
	rep := statusReport{WorkflowID: id, RunID: info.GetExecution().GetRunId(), Status: info.GetStatus().String()}
	if info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING || info.GetStatus() == enumspb.WORKFLOW_EXECUTION_STATUS_PAUSED {
		p, err := queryProgress(ctx, c, id, rep.RunID)
		if err == nil {
			applyJobWaits(&p, desc.GetPendingActivities())
			rep.Progress, rep.ProgressFrom = p, fromWorker
			return rep, nil
		}
		// No worker has run it yet: its history still says where it is.
		h, herr := history(ctx, c, id, rep.RunID)
		if herr != nil {
			return rep, err
		}
		if p, rerr := replayProgress(h, id, rep.RunID); rerr == nil {
			rep.Progress, rep.ProgressFrom = p, fromReplay
			return rep, nil
		}
		return rep, err
	}

	h, err := history(ctx, c, id, rep.RunID)
	if err != nil {
		return rep, err
	}
	e, _ := endingOf(h)
	rep.Ending, rep.Status = &e, e.Status
	if f := h.GetEvents()[len(h.GetEvents())-1].GetWorkflowExecutionFailedEventAttributes().GetFailure(); f != nil {
		rep.failure = temporal.GetDefaultFailureConverter().FailureToError(f)
	}
	if e.succeeded() {
		var res workflows.PipelineResult
		payloads := h.GetEvents()[len(h.GetEvents())-1].GetWorkflowExecutionCompletedEventAttributes().GetResult()
		if err := converter.GetDefaultDataConverter().FromPayloads(payloads, &res); err != nil {
			return rep, fmt.Errorf("decode the result of %s: %w", id, err)
		}
		rep.Progress, rep.ProgressFrom = res.Progress, fromResult
		return rep, nil
	}
	p, err := workerProgress(ctx, c, h, id, rep.RunID)
	if err == nil {
		rep.Progress, rep.ProgressFrom = p, fromWorker
	} else if p, err = replayProgress(h, id, rep.RunID); err == nil {
		rep.Progress, rep.ProgressFrom = p, fromReplay
	}
	if err != nil {
		in, ierr := startedInput(h)
		if ierr != nil {
			return rep, unreadableProgress(id, err, ierr)
		}
		rep.Progress = workflows.Progress{Pipeline: in.Spec.Name}
		rep.ProgressFrom, rep.Stays = fromHistory, staysFromHistory(h, id, in.Spec)
	} else {
		rep.Stays = staysFromProgress(rep.Progress)
	}
	// The progress of a terminated pipeline still says Running: nothing
	// ran after the termination to change it.
	rep.Progress.Status = e.Status
	return rep, nil
}

// workerProgress asks a worker for the progress of a closed run, which it
// answers by replaying the run's history. It does not wait when no worker
// has polled the run's task queue lately.
func workerProgress(ctx context.Context, c client.Client, h *historypb.History, id, runID string) (workflows.Progress, error) {
	queue := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetTaskQueue().GetName()
	if tq, err := c.DescribeTaskQueue(ctx, queue, enumspb.TASK_QUEUE_TYPE_WORKFLOW); err == nil && len(tq.GetPollers()) == 0 {
		return workflows.Progress{}, fmt.Errorf("no worker polls task queue %s", queue)
	}
	qctx, cancel := context.WithTimeout(ctx, closedQueryTimeout)
	defer cancel()
	return queryProgress(qctx, c, id, runID)
}

// reportOther shows a workflow that is not a pipeline; it exits 1 when
// that workflow ended without success.
func reportOther(stdout io.Writer, o otherWorkflow, asJSON bool) error {
	if asJSON {
		if err := json.NewEncoder(stdout).Encode(o); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(stdout, o.String())
	}
	if o.fine() {
		return nil
	}
	return fmt.Errorf("%s %s ended %s", o.Type, o.ID, o.Status)
}
