package workflows

import (
	"errors"
	"fmt"
	"slices"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
	"github.com/imagepipe/imagepipe/pipeline"
)

// Error types a pipeline ends with.
const (
	// ErrPipelineFailed: a step failed; the cause is the step's error.
	ErrPipelineFailed = "imagepipe.PipelineFailed"
	// ErrRollbackFailed: a step failed and so did part of the rollback.
	ErrRollbackFailed = "imagepipe.RollbackFailed"
)

// StatusCanceled is the status of a cancelled pipeline.
const StatusCanceled = "Canceled"

// PipelineInput is what ImagePipeline runs.
type PipelineInput struct {
	Spec pipeline.Spec `json:"spec"`
	// Reuse holds, by step ID, the outputs of steps an earlier run of the
	// same spec completed: those steps are not run again (see reuse.go).
	Reuse map[string]map[string]string `json:"reuse,omitempty"`
}

// PipelineResult is how a pipeline ended: every step's final state and outputs.
type PipelineResult struct {
	Progress
}

// ImagePipeline runs a pipeline spec as a DAG: every step whose needs have
// succeeded starts at once, steps with no path between them run in
// parallel, a fan-out step runs its items in parallel under its own and its
// vendor's concurrency caps, and each step's outputs fill the references of
// later steps. Approval steps wait for the ApproveUpdate or RejectUpdate.
//
// When a step fails, no new step starts; steps already running finish, the
// rest are skipped, and the pipeline fails with the step's error (which names
// the step, the vendor, its code and the request id). When the pipeline is
// cancelled, running steps stop: job waits at once, a mutating vendor call
// once its attempt ends, so nothing is left in flight. Either way, with
// on_failure: rollback, every step or item whose mutating call may have
// landed (it succeeded, failed, timed out, was cancelled or lost its answer)
// and that has an inverse is undone, in reverse order of those calls, on a
// disconnected context so cancellation cannot cut the rollback short. Each
// inverse looks first: what never changed is left alone, and a change
// whose job may still be running is waited for before it is undone.
//
// With notify targets in the spec, a waiting approval and the pipeline's
// end are told to them by PipelineNotify children the pipeline waits for
// only to start, so a webhook that is down neither delays nor changes the
// result (notify.go).
//
// Each vendor call retries on its own (see callOptions); each vendor job is
// awaited by an AwaitJob child workflow. The ProgressQuery and the
// workflow's current details show every step's state while it runs.
//
// ImagePipeline runs with the default vendors (Vendors); a worker's Register
// registers, under the same name, the one of the registry it is given.
func ImagePipeline(ctx workflow.Context, in PipelineInput) (PipelineResult, error) {
	return engine{Default()}.imagePipeline(ctx, in)
}

// engine is imagepipe's workflows bound to one vendor registry.
type engine struct{ reg *Registry }

func (e engine) imagePipeline(ctx workflow.Context, in PipelineInput) (PipelineResult, error) {
	r := &pipelineRun{reg: e.reg}
	if err := r.setup(ctx, in); err != nil {
		return PipelineResult{}, err
	}
	return r.run(ctx)
}

// pipelineRun is the state of one ImagePipeline execution.
type pipelineRun struct {
	reg       *Registry
	spec      pipeline.Spec
	progress  Progress
	steps     map[string]*StepProgress
	logger    log.Logger
	limits    *limits
	undos     []undo
	approvals map[string]*pendingApproval
	calls     int              // activities scheduled, numbering their IDs
	engine    workflow.Version // of EngineChange
	version   workflow.Version // of compensateFirstChange
	// notifyVersion is of notifyChange, asked only by a spec with notify
	// targets; notices are the notifications started (notify.go).
	notifyVersion workflow.Version
	notices       []workflow.ChildWorkflowFuture
}

// stepDone is a finished step, sent from its goroutine to the scheduler.
type stepDone struct {
	id  string
	err error
}

func (r *pipelineRun) setup(ctx workflow.Context, in PipelineInput) error {
	if err := r.reg.catalog.Validate(&in.Spec); err != nil {
		return temporal.NewNonRetryableApplicationError("invalid pipeline: "+err.Error(), activities.ErrInvalidInput, nil)
	}
	r.spec = in.Spec
	r.engine = workflow.GetVersion(ctx, EngineChange, workflow.DefaultVersion, 1)
	r.version = r.changeVersion(ctx, compensateFirstChange)
	if len(in.Spec.Notify) > 0 {
		r.notifyVersion = r.changeVersion(ctx, notifyChange)
	}
	r.logger = log.With(workflow.GetLogger(ctx), "pipeline", in.Spec.Name)
	r.progress = Progress{Pipeline: in.Spec.Name, Status: StatusRunning}
	r.steps = map[string]*StepProgress{}
	r.limits = newLimits(r.reg.caps, in.Spec.Concurrency)
	r.approvals = map[string]*pendingApproval{}
	for _, st := range in.Spec.Steps {
		sp := StepProgress{ID: st.ID, Uses: st.Uses, State: StepPending}
		for _, it := range st.ForEach {
			sp.Items = append(sp.Items, ItemProgress{Item: pipeline.ItemLabel(it), State: StepPending})
		}
		r.progress.Steps = append(r.progress.Steps, sp)
	}
	for i := range r.progress.Steps {
		r.steps[r.progress.Steps[i].ID] = &r.progress.Steps[i]
	}
	if err := r.reuse(in.Reuse); err != nil {
		return err
	}
	if err := workflow.SetQueryHandlerWithOptions(ctx, ProgressQuery, func() (Progress, error) {
		return r.progress, nil
	}, workflow.QueryHandlerOptions{Description: "every step's state, detail, attempts, last error and outputs"}); err != nil {
		return err
	}
	if err := r.registerApprovals(ctx); err != nil {
		return err
	}
	r.listenForJobProgress(ctx)
	r.listenForAttempts(ctx)
	return nil
}

func (r *pipelineRun) run(ctx workflow.Context) (PipelineResult, error) {
	r.publish(ctx)
	// The scheduler outlives cancellation: it must still collect the steps
	// it started and roll back.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	done := workflow.NewChannel(dctx)
	running := 0
	var failure error
	canceled := false
	for {
		if failure == nil && !canceled {
			for _, st := range r.ready() {
				r.start(ctx, st, done)
				running++
			}
		}
		if running == 0 {
			break
		}
		sel := workflow.NewSelector(dctx)
		sel.AddReceive(done, func(c workflow.ReceiveChannel, _ bool) {
			var d stepDone
			c.Receive(dctx, &d)
			running--
			if d.err != nil && failure == nil && !temporal.IsCanceledError(d.err) {
				failure = d.err
			}
		})
		if !canceled {
			sel.AddReceive(ctx.Done(), func(workflow.ReceiveChannel, bool) { canceled = true })
		}
		sel.Select(dctx)
	}
	for i := range r.progress.Steps {
		if r.progress.Steps[i].State == StepPending {
			r.progress.Steps[i].State = StepSkipped
		}
	}
	var rollbackErr error
	if (failure != nil || canceled) && r.spec.OnFailure == pipeline.OnFailureRollback {
		rollbackErr = r.rollback(dctx)
	}
	switch {
	case canceled:
		r.progress.Status = StatusCanceled
	case failure != nil:
		r.progress.Status = StatusFailed
		r.progress.Error = rootMessage(failure)
	default:
		r.progress.Status = StatusSucceeded
	}
	if rollbackErr != nil {
		r.progress.Error = joinMessages(r.progress.Error, "rollback: "+rollbackErr.Error())
	}
	r.publish(dctx)
	metrics.PipelineEnded(workflow.GetMetricsHandler(dctx), metrics.Outcome(r.progress.Status))
	if err := workflow.UpsertTypedSearchAttributes(dctx, PipelineStatusAttribute.ValueSet(r.progress.Status)); err != nil {
		r.logger.Warn("status search attribute not updated", "error", err)
	}
	r.notifyEnd(dctx)
	r.awaitNotices(dctx)
	res := PipelineResult{r.progress}
	switch {
	case canceled:
		return res, temporal.NewCanceledError(r.progress.Rollback)
	case failure != nil && rollbackErr != nil:
		return res, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("pipeline %s failed: %s; rollback incomplete: %v", r.spec.Name, rootMessage(failure), rollbackErr), ErrRollbackFailed, failure)
	case failure != nil:
		return res, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("pipeline %s failed: %s", r.spec.Name, rootMessage(failure)), ErrPipelineFailed, failure)
	}
	return res, nil
}

// ready returns the pending steps whose dependencies have all succeeded, in
// file order.
func (r *pipelineRun) ready() []pipeline.Step {
	var out []pipeline.Step
	for _, st := range r.spec.Steps {
		if r.steps[st.ID].State != StepPending {
			continue
		}
		if slices.ContainsFunc(pipeline.Dependencies(st), func(dep string) bool { return r.steps[dep].State != StepSucceeded }) {
			continue
		}
		out = append(out, st)
	}
	return out
}

func (r *pipelineRun) start(ctx workflow.Context, st pipeline.Step, done workflow.Channel) {
	sp := r.steps[st.ID]
	sp.State = StepRunning
	sp.StartedAt = workflow.Now(ctx)
	r.publish(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		outputs, err := r.runStep(ctx, st)
		sp.EndedAt = workflow.Now(ctx)
		sp.Detail = ""
		switch {
		case temporal.IsCanceledError(err):
			sp.State = StepCanceled
		case err != nil:
			sp.State = StepFailed
			sp.LastError = rootMessage(err)
			r.logger.Error("step failed", "step", st.ID, "error", err)
		default:
			sp.State = StepSucceeded
			sp.Outputs = outputs
			sp.Percent = 100
			sp.LastError = ""
		}
		metrics.StepEnded(workflow.GetMetricsHandler(ctx), st.Uses, sp.State)
		r.publish(ctx)
		done.Send(ctx, stepDone{id: st.ID, err: err})
	})
}

// publish mirrors the progress into the workflow's current details, which the
// web UI shows on the workflow's page.
func (r *pipelineRun) publish(ctx workflow.Context) {
	r.progress.stamp(workflow.Now(ctx))
	info := workflow.GetInfo(ctx)
	workflow.SetCurrentDetails(ctx, r.progress.markdown(info.WorkflowExecution.ID, info.Namespace))
}

// outputs are the outputs of every step that has succeeded so far.
func (r *pipelineRun) outputs() map[string]map[string]string {
	out := map[string]map[string]string{}
	for id, s := range r.steps {
		if s.State == StepSucceeded {
			out[id] = s.Outputs
		}
	}
	return out
}

// rootMessage is the innermost message of a Temporal error chain: the
// vendor's own words rather than "activity error (type …)".
func rootMessage(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err.Error()
		}
		var app *temporal.ApplicationError
		if errors.As(err, &app) && errors.Unwrap(app) == nil {
			return app.Message()
		}
		err = next
	}
}

func joinMessages(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// unitName is a step, or a step's item, as messages and keys name it
// (activities.Unit.UnitName).
func unitName(step string, item int, label string) string {
	return activities.NewUnit(step, item, label).UnitName()
}
