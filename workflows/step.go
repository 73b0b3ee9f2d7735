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
		err = r.reg.catalog.CheckInputs(st.Uses, with)
	}
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %v", st.ID, err), activities.ErrInvalidInput, nil)
	}
	s := &Step{run: r, step: st, item: item, with: with, deadline: deadline}
	if item >= 0 {
		s.label = pipeline.ItemLabel(value)
	}
	action, _ := r.reg.catalog.Lookup(st.Uses)
	if action.Name != pipeline.ActionApproval {
		full, limit := r.limits.full(action.Vendor)
		if full {
			calls := "calls"
			if limit == 1 {
				calls = "call"
			}
			s.Detail(ctx, "queued: %d %s %s already running (concurrency cap)", limit, action.Vendor, calls)
		}
		if err := r.limits.acquire(ctx, action.Vendor); err != nil {
			return nil, err
		}
		defer r.limits.release(action.Vendor)
		if full {
			// Its own call runs now; until the action says what it does,
			// the step says nothing rather than that it is still queued.
			s.Detail(ctx, "")
		}
	}
	if st.Uses == pipeline.ActionApproval {
		return s.approval(ctx)
	}
	act, ok := r.reg.actions[st.Uses]
	if !ok {
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: action %s is not supported by this worker version", st.ID, st.Uses), activities.ErrInvalidInput, nil)
	}
	return act.run(ctx, s)
}

// Step is one step, or one item of a fan-out step, being run: what a
// vendor's action code (Vendor.Actions) is handed to make its calls, wait
// for its jobs and record its compensation through. Every call it makes
// carries the step's retry overrides, timeout and activity ID; every wait
// is an AwaitJob child named after the step.
type Step struct {
	run      *pipelineRun
	step     pipeline.Step
	item     int    // the fan-out item's index; -1 for a plain step
	label    string // the fan-out item's label
	with     map[string]any
	deadline time.Time // zero: no step timeout
}

// Name is the step (and item) as messages, activity IDs and child
// workflow IDs name it.
func (s *Step) Name() string { return s.Unit().UnitName() }

// Unit is the step (and item) as its activity inputs carry it.
func (s *Step) Unit() activities.Unit { return activities.NewUnit(s.step.ID, s.item, s.label) }

// decode fills an action's typed inputs from the step's resolved `with`.
func (s *Step) decode(v any) error {
	b, err := json.Marshal(s.with)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: inputs: %v", s.step.ID, err), activities.ErrInvalidInput, nil)
	}
	return nil
}

// Detail shows what the step (or item) is doing now.
func (s *Step) Detail(ctx workflow.Context, format string, args ...any) {
	text := fmt.Sprintf(format, args...)
	sp := s.run.steps[s.step.ID]
	if s.item >= 0 {
		sp.Items[s.item].Detail = text
	} else {
		sp.Detail = text
	}
	s.run.publish(ctx)
}

// Key is the step's (or item's) idempotency key for target: the same on
// every attempt of this step in this pipeline execution (IdempotencyKey).
func (s *Step) Key(ctx workflow.Context, target string) string {
	step := s.step.ID
	if s.item >= 0 {
		step = s.Name()
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
func (s *Step) remaining(ctx workflow.Context) (time.Duration, bool) {
	if s.deadline.IsZero() {
		return 0, true
	}
	left := s.deadline.Sub(workflow.Now(ctx))
	return left, left > 0
}

func (s *Step) timedOut() error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("step %q: timed out after %s", s.Name(), s.step.Timeout), ErrStepTimeout, nil)
}

// Call runs one vendor activity for the step with the step's retry
// overrides and what is left of its timeout.
func (s *Step) Call(ctx workflow.Context, summary string, activity, input, result any) error {
	return s.callWith(ctx, summary, activity, input, result, false)
}

// Mutate is Call for a vendor call that changes something. When the
// compensation is recorded before the call, a cancellation waits for the
// call to end (WaitForCancellation: its attempt finishes or times out), so
// rollback never runs beside a call that is still on its way to the vendor.
func (s *Step) Mutate(ctx workflow.Context, summary string, activity, input, result any) error {
	return s.callWith(ctx, summary, activity, input, result, s.run.compensatesFirst())
}

func (s *Step) callWith(ctx workflow.Context, summary string, activity, input, result any, waitForCancellation bool) error {
	opts, err := s.stepCallOptions(ctx, summary, waitForCancellation)
	if err != nil {
		return err
	}
	err = workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), activity, input).Get(ctx, result)
	if err == nil {
		s.clearLastError()
	}
	return err
}

// stepCallOptions are the options of one of the step's vendor calls, or
// the step's timeout error once it has passed.
func (s *Step) stepCallOptions(ctx workflow.Context, summary string, waitForCancellation bool) (workflow.ActivityOptions, error) {
	opts := callOptions(callLabel(ctx, s.Name()), summary)
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
		return opts, s.timedOut()
	} else if left > 0 {
		opts.ScheduleToCloseTimeout = min(opts.ScheduleToCloseTimeout, left)
		opts.StartToCloseTimeout = min(opts.StartToCloseTimeout, left)
	}
	return opts, nil
}

// clearLastError forgets a retried call's last error once it succeeded; the
// attempt count stays, to show the call needed retries.
func (s *Step) clearLastError() {
	sp := s.run.steps[s.step.ID]
	if s.item >= 0 {
		sp.Items[s.item].LastError = ""
	} else {
		sp.LastError = ""
	}
}

// Await waits for a vendor job of this step, polled as its kind
// (Vendor.Jobs) says: in a pipeline started since JobWaitActivityChange,
// with one retrying WaitForJob activity (waitJob); before, with an
// AwaitJob child workflow. Its workflow ID is the
// pipeline's, the step's (and item's) and the job kind's, so the web UI
// lists each wait under its pipeline.
func (s *Step) Await(ctx workflow.Context, kind, jobID string) (activities.JobStatus, error) {
	return s.AwaitAs(ctx, "", kind, jobID)
}

// AwaitAs is Await for a wait with a role of its own (rollback's), whose
// workflow ID names the role after the step: the step's own wait may not
// have closed yet when a cancelled pipeline rolls back.
func (s *Step) AwaitAs(ctx workflow.Context, role, kind, jobID string) (activities.JobStatus, error) {
	job, ok := s.run.reg.jobs[kind]
	if !ok {
		return activities.JobStatus{}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: no vendor polls jobs of kind %s", s.Name(), kind), activities.ErrInvalidInput, nil)
	}
	policy := job.Policy
	s.Detail(ctx, "waiting for %s %s", kind, jobID)
	stepBound := false
	if left, ok := s.remaining(ctx); !ok {
		return activities.JobStatus{}, s.timedOut()
	} else if left > 0 {
		stepBound = left < policy.Timeout
		policy.Timeout = min(policy.Timeout, left)
	}
	if s.run.changeVersion(ctx, JobWaitActivityChange) == 1 {
		return s.waitJob(ctx, kind, jobID, policy, stepBound)
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:    childID(workflow.GetInfo(ctx).WorkflowExecution.ID, s.Name(), role, kind),
		StaticSummary: waitSummary(ctx, s.run.spec.Name, s.Name(), kind, jobID),
	})
	var res AwaitJobResult
	err := workflow.ExecuteChildWorkflow(cctx, AwaitJob, AwaitJobInput{
		Step: s.Name(), Kind: kind, JobID: jobID, Policy: policy,
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
