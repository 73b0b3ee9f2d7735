package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// pipelineFailed is a pipeline that ended without success.
type pipelineFailed struct {
	id       string
	err      error // the run's error, as the client gave it; nil from status
	progress workflows.Progress
	// report, when the pipeline's history could be read, says how it
	// ended and what stays applied.
	report *statusReport
	// webUI links to the pipeline in the web UI of the configured
	// namespace (withConfig sets it).
	webUI string
}

func (p pipelineFailed) Error() string {
	progress := p.progress
	verb := "failed"
	switch {
	case p.report != nil && p.report.Ending != nil:
		progress = p.report.Progress
		verb = p.report.Ending.verb()
	case temporal.IsCanceledError(p.err):
		verb = "was cancelled"
	case temporal.IsTerminatedError(p.err):
		verb = "was terminated"
	case temporal.IsTimeoutError(p.err):
		verb = "timed out"
	}
	msg := fmt.Sprintf("pipeline %s %s", progress.Pipeline, verb)
	for _, s := range progress.Steps {
		if s.State == workflows.StepFailed {
			msg += fmt.Sprintf("\n  step %q (%s): %s", s.ID, s.Uses, withoutStepPrefix(s.ID, s.LastError))
		}
	}
	for _, r := range progress.Rollback {
		msg += "\n  rollback: " + r
	}
	cause := p.err
	if cause == nil && p.report != nil {
		cause = p.report.failure
	}
	if d, ok := vendorDetails(cause); ok {
		msg += fmt.Sprintf("\n  vendor: %s %s answered %d %s", d.Vendor, d.Operation, d.StatusCode, d.Code)
		if d.RequestID != "" {
			msg += ", request id " + d.RequestID
		}
		if hint := nextStep(d); hint != "" {
			msg += "\n  next step: " + hint
		}
	}
	if len(progress.Steps) == 0 || progress.Error == "" {
		// The verb says how it ended; only a failure has more to say. The
		// client's wrapper (workflow execution error, its IDs) is not shown:
		// the IDs follow.
		switch {
		case p.report != nil && p.report.Ending != nil:
			if p.report.Ending.Status == "Failed" && p.report.Ending.Reason != "" {
				msg += "\n  " + p.report.Ending.Reason
			}
		case p.err != nil && !temporal.IsCanceledError(p.err) && !temporal.IsTerminatedError(p.err) && !temporal.IsTimeoutError(p.err):
			cause := p.err
			var we *temporal.WorkflowExecutionError
			if errors.As(cause, &we) && errors.Unwrap(we) != nil {
				cause = errors.Unwrap(we)
			}
			msg += "\n  " + cause.Error()
		}
	}
	if p.report != nil {
		msg += p.report.staysText()
	}
	msg += "\n  workflow: " + p.id
	if p.webUI != "" {
		msg += "\n  web UI: " + p.webUI
	}
	return msg
}

// staysText lists what stays applied after a pipeline that did not succeed,
// and where the progress it is read from came from.
func (r *statusReport) staysText() string {
	if r.Ending == nil || r.Ending.succeeded() {
		return ""
	}
	var msg string
	switch {
	case len(r.Stays) == 0 && r.ProgressFrom != fromHistory:
		msg = "\n  what stays: nothing a vendor step changed is left applied"
	case len(r.Stays) > 0:
		msg = "\n  what stays"
		switch r.Ending.Status {
		case "Terminated":
			msg += " (no rollback ran: nothing runs in a pipeline once it is terminated)"
		case "TimedOut":
			msg += " (no rollback ran: nothing runs in a pipeline once it has timed out)"
		}
		msg += ":"
		for _, s := range r.Stays {
			msg += "\n    " + s.String()
		}
	}
	switch r.ProgressFrom {
	case fromReplay:
		msg += "\n  (progress replayed by this starter from the history; no worker answered)"
	case fromHistory:
		msg += "\n  (no worker answered and this starter could not replay the history: steps are read from its events)"
	}
	return msg
}

// vendorDetails finds the vendor's answer in a failure chain: the details
// the activities attach to a vendor's error.
func vendorDetails(err error) (activities.VendorErrorDetails, bool) {
	for ; err != nil; err = errors.Unwrap(err) {
		app, ok := err.(*temporal.ApplicationError)
		if !ok || !app.HasDetails() {
			continue
		}
		var d activities.VendorErrorDetails
		if app.Details(&d) == nil && d.Vendor != "" {
			return d, true
		}
	}
	return activities.VendorErrorDetails{}, false
}

// pollEvery is how often watch asks for progress.
const pollEvery = 500 * time.Millisecond

// watch shows a pipeline's progress until it ends, and returns
// pipelineFailed if it did not succeed.
func watch(ctx context.Context, c client.Client, id string, r renderer) error {
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return asNotFound(fmt.Errorf("watch %s: %w", id, err), id, "")
	}
	if !isPipeline(desc) {
		return usageError{fmt.Errorf("watch: %s", describeOther(ctx, c, desc))}
	}
	run := c.GetWorkflow(ctx, id, "")
	done := make(chan error, 1)
	var result workflows.PipelineResult
	go func() { done <- run.Get(ctx, &result) }()
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	resized, stopResize := notifyResize(r)
	defer stopResize()
	var last workflows.Progress
	for {
		select {
		case err := <-done:
			if ctx.Err() != nil {
				return detached(id)
			}
			p := result.Progress
			if err != nil {
				// How it ended and what stays, from its history.
				if rep, rerr := pipelineStatus(ctx, c, id, ""); rerr == nil && rep.Ending != nil {
					r.final(rep.Progress)
					return pipelineFailed{id: id, err: err, progress: rep.Progress, report: &rep}
				}
			}
			if len(p.Steps) == 0 {
				if q, qerr := queryProgress(ctx, c, id, ""); qerr == nil {
					p = q
				} else {
					p = last
				}
			}
			r.final(p)
			if err != nil {
				return pipelineFailed{id: id, err: err, progress: p}
			}
			return nil
		case <-ticker.C:
			p, err := queryProgress(ctx, c, id, "")
			if err != nil {
				continue // not yet started by a worker, or a passing error: try again
			}
			if desc, derr := c.DescribeWorkflowExecution(ctx, id, ""); derr == nil {
				applyJobWaits(&p, desc.GetPendingActivities())
			}
			last = p
			r.update(p)
		case <-resized:
			if len(last.Steps) > 0 {
				r.update(last)
			}
		case <-ctx.Done():
			return detached(id)
		}
	}
}

func detached(id string) error {
	return fmt.Errorf("stopped watching; the pipeline goes on (starter watch %s)", id)
}

func queryProgress(ctx context.Context, c client.Client, id, runID string) (workflows.Progress, error) {
	v, err := c.QueryWorkflow(ctx, id, runID, workflows.ProgressQuery)
	if err != nil {
		return workflows.Progress{}, fmt.Errorf("query %s: %w", id, err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil {
		return workflows.Progress{}, fmt.Errorf("decode progress of %s: %w", id, err)
	}
	return p, nil
}
