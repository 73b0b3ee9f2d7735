package workflows

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// ErrStepTimeout is the type of the error of a step that ran past its timeout.
const ErrStepTimeout = "imagepipe.StepTimeout"

// runStep runs a step: once, or once per item of a fan-out step, and
// gathers the outputs.
func (r *pipelineRun) runStep(ctx workflow.Context, st pipeline.Step) (map[string]string, error) {
	var deadline time.Time
	if st.Timeout > 0 {
		deadline = workflow.Now(ctx).Add(st.Timeout.D())
	}
	if len(st.ForEach) == 0 {
		return r.runUnit(ctx, st, -1, nil, deadline)
	}
	return r.fanOut(ctx, st, deadline)
}

// fanOut runs every item of a step, at most MaxParallel at once, and fails
// the step if any item failed. Once an item has failed, items that have not
// started yet are skipped. Each output is the items' values joined by
// commas, in item order.
func (r *pipelineRun) fanOut(ctx workflow.Context, st pipeline.Step, deadline time.Time) (map[string]string, error) {
	sp := r.steps[st.ID]
	results := make([]map[string]string, len(st.ForEach))
	errs := make([]error, len(st.ForEach))
	running, finished := 0, 0
	failed := false
	for i, item := range st.ForEach {
		workflow.Go(ctx, func(ctx workflow.Context) {
			defer func() { finished++ }()
			if st.MaxParallel > 0 {
				if errs[i] = workflow.Await(ctx, func() bool { return running < st.MaxParallel }); errs[i] != nil {
					return
				}
			}
			if failed {
				sp.Items[i].State = StepSkipped
				return
			}
			running++
			sp.Items[i].State = StepRunning
			r.publish(ctx)
			results[i], errs[i] = r.runUnit(ctx, st, i, item, deadline)
			running--
			switch {
			case temporal.IsCanceledError(errs[i]):
				sp.Items[i].State = StepCanceled
			case errs[i] != nil:
				failed = true
				sp.Items[i].State = StepFailed
				sp.Items[i].LastError = rootMessage(errs[i])
			default:
				sp.Items[i].State = StepSucceeded
				sp.Items[i].Outputs = results[i]
				sp.Items[i].Percent = 100
			}
			sp.Percent = r.fanOutPercent(sp)
			r.publish(ctx)
		})
	}
	// Cancelled, the step still waits for its items to stop (a cancelled
	// call waits for its end), so rollback never runs beside one.
	wait := ctx
	if r.compensatesFirst() {
		wait, _ = workflow.NewDisconnectedContext(ctx)
	}
	if err := workflow.Await(wait, func() bool { return finished == len(st.ForEach) }); err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	joined := map[string][]string{}
	for _, out := range results {
		for k, v := range out {
			joined[k] = append(joined[k], v)
		}
	}
	outputs := map[string]string{}
	for k, vs := range joined {
		outputs[k] = strings.Join(vs, ",")
	}
	return outputs, nil
}

func (r *pipelineRun) fanOutPercent(sp *StepProgress) int {
	total := 0
	for _, it := range sp.Items {
		total += it.Percent
	}
	return total / len(sp.Items)
}

// runUnit runs one step, or one item of a fan-out step (item >= 0), under
// its vendor's concurrency cap.
func (r *pipelineRun) runUnit(ctx workflow.Context, st pipeline.Step, item int, value any, deadline time.Time) (map[string]string, error) {
	info := workflow.GetInfo(ctx)
	with, err := pipeline.Resolve(st.With, pipeline.Scope{
		Outputs: r.outputs(),
		Item:    value,
		Run: map[string]string{
			"date": info.WorkflowStartTime.UTC().Format("20060102"),
			"id":   info.WorkflowExecution.ID,
		},
	})
	if err == nil {
		// What validate could not know (a previous step's output, the run's
		// ID) meets the vendor's rules here, before any call is made.
		err = pipeline.CheckInputs(st.Uses, with)
	}
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %v", st.ID, err), activities.ErrInvalidInput, nil)
	}
	s := &stepRun{run: r, step: st, item: item, with: with, deadline: deadline}
	if item >= 0 {
		s.label = pipeline.ItemLabel(value)
	}
	action, _ := pipeline.LookupAction(st.Uses)
	if action.Name != pipeline.ActionApproval {
		if full, limit := r.limits.full(action.Vendor); full {
			s.detail(ctx, "queued: %d %s calls already running (concurrency cap)", limit, action.Vendor)
		}
		if err := r.limits.acquire(ctx, action.Vendor); err != nil {
			return nil, err
		}
		defer r.limits.release(action.Vendor)
	}
	switch st.Uses {
	case pipeline.ActionOCICreateCompartment:
		return s.ociCreateCompartment(ctx)
	case pipeline.ActionOCIMoveImage:
		return s.ociMoveImage(ctx)
	case pipeline.ActionFPPImportImage:
		return s.fppImportImage(ctx)
	case pipeline.ActionHuaweiCopyImage:
		return s.huaweiCopyImage(ctx)
	case pipeline.ActionZStackUpdateImage:
		return s.zstackUpdateImage(ctx)
	case pipeline.ActionApproval:
		return s.approval(ctx)
	default:
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: action %s is not supported by this worker version", st.ID, st.Uses), activities.ErrInvalidInput, nil)
	}
}

// stepRun is one step, or one item of a fan-out step, being run.
type stepRun struct {
	run      *pipelineRun
	step     pipeline.Step
	item     int    // the fan-out item's index; -1 for a plain step
	label    string // the fan-out item's label
	with     map[string]any
	deadline time.Time // zero: no step timeout
}

// name is the step (and item) as messages name it.
func (s *stepRun) name() string { return unitName(s.step.ID, s.item, s.label) }

// decode fills an action's typed inputs from the step's resolved `with`.
func (s *stepRun) decode(v any) error {
	b, err := json.Marshal(s.with)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: inputs: %v", s.step.ID, err), activities.ErrInvalidInput, nil)
	}
	return nil
}

// detail shows what the step (or item) is doing now.
func (s *stepRun) detail(ctx workflow.Context, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	sp := s.run.steps[s.step.ID]
	if s.item >= 0 {
		sp.Items[s.item].Detail = text
	} else {
		sp.Detail = text
	}
	s.run.publish(ctx)
}

// key is the step's (or item's) idempotency key for target.
func (s *stepRun) key(ctx workflow.Context, target string) string {
	step := s.step.ID
	if s.item >= 0 {
		step = s.name()
	}
	info := workflow.GetInfo(ctx)
	return IdempotencyKey(info.WorkflowExecution.ID, firstRunID(info), step, target)
}

// firstRunID names the pipeline execution for its idempotency keys. A
// server always reports the first run; the run's own IDs are fallbacks for
// environments that leave it empty (the SDK's test environment).
func firstRunID(info *workflow.Info) string {
	switch {
	case info.FirstRunID != "":
		return info.FirstRunID
	case info.OriginalRunID != "":
		return info.OriginalRunID
	}
	return info.WorkflowExecution.RunID
}

// remaining is the time left before the step's timeout; ok is false once
// it has passed.
func (s *stepRun) remaining(ctx workflow.Context) (time.Duration, bool) {
	if s.deadline.IsZero() {
		return 0, true
	}
	left := s.deadline.Sub(workflow.Now(ctx))
	return left, left > 0
}

func (s *stepRun) timedOut() error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("step %q: timed out after %s", s.name(), s.step.Timeout), ErrStepTimeout, nil)
}

// call runs one vendor activity for the step with the step's retry
// overrides and what is left of its timeout.
func (s *stepRun) call(ctx workflow.Context, summary string, activity, input, result any) error {
	return s.callWith(ctx, summary, activity, input, result, false)
}

// mutate is call for a vendor call that changes something. When the
// compensation is recorded before the call, a cancellation waits for the
// call to end (WaitForCancellation: its attempt finishes or times out), so
// rollback never runs beside a call that is still on its way to the vendor.
func (s *stepRun) mutate(ctx workflow.Context, summary string, activity, input, result any) error {
	return s.callWith(ctx, summary, activity, input, result, s.run.compensatesFirst())
}

func (s *stepRun) callWith(ctx workflow.Context, summary string, activity, input, result any, waitForCancellation bool) error {
	opts := callOptions(callLabel(ctx, s.name()), summary)
	opts.ActivityID = s.activityID()
	opts.WaitForCancellation = waitForCancellation
	if rp := s.step.Retry; rp != nil {
		if rp.MaxAttempts > 0 {
			opts.RetryPolicy.MaximumAttempts = int32(rp.MaxAttempts)
		}
		if rp.InitialInterval > 0 {
			opts.RetryPolicy.InitialInterval = rp.InitialInterval.D()
		}
		if rp.MaxInterval > 0 {
			opts.RetryPolicy.MaximumInterval = rp.MaxInterval.D()
		}
	}
	if left, ok := s.remaining(ctx); !ok {
		return s.timedOut()
	} else if left > 0 {
		opts.ScheduleToCloseTimeout = min(opts.ScheduleToCloseTimeout, left)
		opts.StartToCloseTimeout = min(opts.StartToCloseTimeout, left)
	}
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), activity, input).Get(ctx, result)
	if err == nil {
		s.clearLastError()
	}
	return err
}

// clearLastError forgets a retried call's last error once it succeeded; the
// attempt count stays, to show the call needed retries.
func (s *stepRun) clearLastError() {
	sp := s.run.steps[s.step.ID]
	if s.item >= 0 {
		sp.Items[s.item].LastError = ""
	} else {
		sp.LastError = ""
	}
}

// await runs an AwaitJob child workflow for a vendor job of this step. Its
// workflow ID is the pipeline's, the step's (and item's) and the job
// kind's, so the web UI lists each wait under its pipeline.
func (s *stepRun) await(ctx workflow.Context, kind, jobID string, policy PollPolicy) (activities.JobStatus, error) {
	return s.awaitAs(ctx, "", kind, jobID, policy)
}

// awaitAs is await for a wait with a role of its own (rollback's), whose
// workflow ID names the role after the step: the step's own wait may not
// have closed yet when a cancelled pipeline rolls back.
func (s *stepRun) awaitAs(ctx workflow.Context, role, kind, jobID string, policy PollPolicy) (activities.JobStatus, error) {
	s.detail(ctx, "waiting for %s %s", kind, jobID)
	if left, ok := s.remaining(ctx); !ok {
		return activities.JobStatus{}, s.timedOut()
	} else if left > 0 {
		policy.Timeout = min(policy.Timeout, left)
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:    childID(workflow.GetInfo(ctx).WorkflowExecution.ID, s.name(), role, kind),
		StaticSummary: waitSummary(ctx, s.run.spec.Name, s.name(), kind, jobID),
	})
	var res AwaitJobResult
	err := workflow.ExecuteChildWorkflow(cctx, AwaitJob, AwaitJobInput{
		Step: s.name(), Kind: kind, JobID: jobID, Policy: policy,
		Report: &JobReport{Step: s.step.ID, Item: s.item},
	}).Get(ctx, &res)
	return res.Status, err
}

// childID is the workflow ID of a job wait: pipeline/step[/role]/kind.
func childID(pipelineID, step, role, kind string) string {
	if role == "" {
		return fmt.Sprintf("%s/%s/%s", pipelineID, step, kind)
	}
	return fmt.Sprintf("%s/%s/%s/%s", pipelineID, step, role, kind)
}
