package workflows

import (
	"encoding/json"
	"errors"
	"fmt"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// ErrPipelineFailed is the type of the error a failed pipeline ends with;
// its cause is the failing step's error.
const ErrPipelineFailed = "imagepipe.PipelineFailed"

// PipelineInput is what ImagePipeline runs.
type PipelineInput struct {
	Spec pipeline.Spec `json:"spec"`
}

// PipelineResult is how a pipeline ended: every step's final state and outputs.
type PipelineResult struct {
	Progress
}

// ImagePipeline runs a pipeline spec as a DAG: every step whose needs have
// succeeded starts at once, steps with no path between them run in
// parallel, and each step's outputs fill the references of later steps.
//
// When a step fails, no new step starts; steps already running finish, the
// rest are skipped, and the pipeline fails with the step's error (which names
// the step, the vendor, its code and the request id). Each vendor call
// retries on its own (see callOptions); each vendor job is awaited by an
// AwaitJob child workflow.
//
// The ProgressQuery and the workflow's current details show every step's
// state while it runs.
func ImagePipeline(ctx workflow.Context, in PipelineInput) (PipelineResult, error) {
	r := new(pipelineRun)
	if err := r.setup(ctx, in); err != nil {
		return PipelineResult{}, err
	}
	return r.run(ctx)
}

// pipelineRun is the state of one ImagePipeline execution.
type pipelineRun struct {
	spec     pipeline.Spec
	progress Progress
	steps    map[string]*StepProgress
	logger   log.Logger
}

// stepDone is a finished step, sent from its goroutine to the scheduler.
type stepDone struct {
	id      string
	outputs map[string]string
	err     error
}

func (r *pipelineRun) setup(ctx workflow.Context, in PipelineInput) error {
	if err := pipeline.Validate(&in.Spec); err != nil {
		return temporal.NewNonRetryableApplicationError("invalid pipeline: "+err.Error(), activities.ErrInvalidInput, nil)
	}
	r.spec = in.Spec
	r.logger = log.With(workflow.GetLogger(ctx), "pipeline", in.Spec.Name)
	r.progress = Progress{Pipeline: in.Spec.Name, Status: StatusRunning}
	r.steps = map[string]*StepProgress{}
	for _, st := range in.Spec.Steps {
		r.progress.Steps = append(r.progress.Steps, StepProgress{ID: st.ID, Uses: st.Uses, State: StepPending})
	}
	for i := range r.progress.Steps {
		r.steps[r.progress.Steps[i].ID] = &r.progress.Steps[i]
	}
	return workflow.SetQueryHandlerWithOptions(ctx, ProgressQuery, func() (Progress, error) {
		return r.progress, nil
	}, workflow.QueryHandlerOptions{Description: "every step's state, detail and outputs"})
}

func (r *pipelineRun) run(ctx workflow.Context) (PipelineResult, error) {
	r.publish(ctx)
	done := workflow.NewChannel(ctx)
	running := 0
	var failure error
	for {
		if failure == nil {
			for _, st := range r.ready() {
				r.start(ctx, st, done)
				running++
			}
		}
		if running == 0 {
			break
		}
		var d stepDone
		done.Receive(ctx, &d)
		running--
		if d.err != nil && failure == nil {
			failure = d.err
		}
	}
	for i := range r.progress.Steps {
		if r.progress.Steps[i].State == StepPending {
			r.progress.Steps[i].State = StepSkipped
		}
	}
	if failure != nil {
		r.progress.Status = StatusFailed
		r.progress.Error = failure.Error()
	} else {
		r.progress.Status = StatusSucceeded
	}
	r.publish(ctx)
	if failure != nil {
		return PipelineResult{r.progress}, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("pipeline %s failed: %s", r.spec.Name, rootMessage(failure)), ErrPipelineFailed, failure)
	}
	return PipelineResult{r.progress}, nil
}

// ready returns the pending steps whose dependencies have all succeeded, in
// file order.
func (r *pipelineRun) ready() []pipeline.Step {
	var out []pipeline.Step
	for _, st := range r.spec.Steps {
		if r.steps[st.ID].State != StepPending {
			continue
		}
		ok := true
		for _, dep := range pipeline.Dependencies(st) {
			if r.steps[dep].State != StepSucceeded {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, st)
		}
	}
	return out
}

func (r *pipelineRun) start(ctx workflow.Context, st pipeline.Step, done workflow.Channel) {
	sp := r.steps[st.ID]
	sp.State = StepRunning
	sp.StartedAt = workflow.Now(ctx)
	r.publish(ctx)
	workflow.Go(ctx, func(ctx workflow.Context) {
		outputs, err := r.runStep(ctx, st, sp)
		sp.EndedAt = workflow.Now(ctx)
		sp.Detail = ""
		if err != nil {
			sp.State = StepFailed
			sp.Error = rootMessage(err)
			r.logger.Error("step failed", "step", st.ID, "error", err)
		} else {
			sp.State = StepSucceeded
			sp.Outputs = outputs
			sp.Percent = 100
		}
		r.publish(ctx)
		done.Send(ctx, stepDone{id: st.ID, outputs: outputs, err: err})
	})
}

// runStep resolves the step's references and runs its action.
func (r *pipelineRun) runStep(ctx workflow.Context, st pipeline.Step, sp *StepProgress) (map[string]string, error) {
	outputs := map[string]map[string]string{}
	for id, s := range r.steps {
		if s.State == StepSucceeded {
			outputs[id] = s.Outputs
		}
	}
	with, err := pipeline.Resolve(st.With, outputs, nil)
	if err != nil {
		return nil, temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %v", st.ID, err), activities.ErrInvalidInput, nil)
	}
	s := &stepRun{run: r, step: st, progress: sp, with: with}
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
	default:
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: action %s is not supported by this worker version", st.ID, st.Uses), activities.ErrInvalidInput, nil)
	}
}

// publish mirrors the progress into the workflow's current details, which the
// web UI shows on the workflow's page.
func (r *pipelineRun) publish(ctx workflow.Context) {
	workflow.SetCurrentDetails(ctx, r.progress.markdown())
}

// stepRun is one step being run.
type stepRun struct {
	run      *pipelineRun
	step     pipeline.Step
	progress *StepProgress
	with     map[string]any
}

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

// detail shows what the step is doing now.
func (s *stepRun) detail(ctx workflow.Context, format string, args ...any) {
	s.progress.Detail = fmt.Sprintf(format, args...)
	s.run.publish(ctx)
}

// key is the step's idempotency key for target.
func (s *stepRun) key(ctx workflow.Context, target string) string {
	return IdempotencyKey(workflow.GetInfo(ctx).WorkflowExecution.ID, s.step.ID, target)
}

// await runs an AwaitJob child workflow for a vendor job of this step. Its
// workflow ID is the pipeline's, the step's and the job kind's, so the web
// UI lists each wait under its pipeline.
func (s *stepRun) await(ctx workflow.Context, kind, jobID string, policy PollPolicy) (activities.JobStatus, error) {
	s.detail(ctx, "waiting for %s %s", kind, jobID)
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:    fmt.Sprintf("%s/%s/%s", workflow.GetInfo(ctx).WorkflowExecution.ID, s.step.ID, kind),
		StaticSummary: fmt.Sprintf("%s: wait for %s %s", s.step.ID, kind, jobID),
	})
	var res AwaitJobResult
	err := workflow.ExecuteChildWorkflow(cctx, AwaitJob, AwaitJobInput{Step: s.step.ID, Kind: kind, JobID: jobID, Policy: policy}).Get(ctx, &res)
	return res.Status, err
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
