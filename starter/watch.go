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
	err      error
	progress workflows.Progress
}

func (p pipelineFailed) Error() string {
	verb := "failed"
	if temporal.IsCanceledError(p.err) {
		verb = "was cancelled"
	}
	msg := fmt.Sprintf("pipeline %s %s", p.progress.Pipeline, verb)
	for _, s := range p.progress.Steps {
		if s.State == workflows.StepFailed {
			msg += fmt.Sprintf("\n  step %q (%s): %s", s.ID, s.Uses, s.LastError)
		}
	}
	for _, r := range p.progress.Rollback {
		msg += "\n  rollback: " + r
	}
	if d, ok := vendorDetails(p.err); ok {
		msg += fmt.Sprintf("\n  vendor: %s %s answered %d %s", d.Vendor, d.Operation, d.StatusCode, d.Code)
		if d.RequestID != "" {
			msg += ", request id " + d.RequestID
		}
	}
	if len(p.progress.Steps) == 0 || p.progress.Error == "" {
		msg += "\n  " + p.err.Error()
	}
	return msg + fmt.Sprintf("\n  workflow: %s\n  web UI: %s", p.id, webURL(p.id))
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
	run := c.GetWorkflow(ctx, id, "")
	done := make(chan error, 1)
	var result workflows.PipelineResult
	go func() { done <- run.Get(ctx, &result) }()
	ticker := time.NewTicker(pollEvery)
	defer ticker.Stop()
	var last workflows.Progress
	for {
		select {
		case err := <-done:
			if ctx.Err() != nil {
				return detached(id)
			}
			p := result.Progress
			if len(p.Steps) == 0 {
				if q, qerr := queryProgress(ctx, c, id); qerr == nil {
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
			p, err := queryProgress(ctx, c, id)
			if err != nil {
				continue // not yet started by a worker, or a passing error: try again
			}
			last = p
			r.update(p, retrying(ctx, c, id))
		case <-ctx.Done():
			return detached(id)
		}
	}
}

func detached(id string) error {
	return fmt.Errorf("stopped watching; the pipeline goes on (starter watch %s)", id)
}

func queryProgress(ctx context.Context, c client.Client, id string) (workflows.Progress, error) {
	v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
	if err != nil {
		return workflows.Progress{}, fmt.Errorf("query %s: %w", id, err)
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil {
		return workflows.Progress{}, fmt.Errorf("decode progress of %s: %w", id, err)
	}
	return p, nil
}

// retrying lists the vendor calls being retried right now, with their
// attempt and last error, from the server's view of pending activities.
func retrying(ctx context.Context, c client.Client, id string) []string {
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return nil
	}
	var out []string
	for _, pa := range desc.GetPendingActivities() {
		if pa.GetAttempt() <= 1 {
			continue
		}
		line := fmt.Sprintf("%s attempt %d", pa.GetActivityType().GetName(), pa.GetAttempt())
		if f := pa.GetLastFailure(); f != nil {
			line += ": " + f.GetMessage()
		}
		out = append(out, line)
	}
	return out
}
