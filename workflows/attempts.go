package workflows

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// reportTimeout bounds the signal that reports a failed attempt.
const reportTimeout = 5 * time.Second

// AttemptSignal is the signal a worker sends a pipeline when one of its
// vendor calls fails an attempt, so the pipeline's progress shows the
// attempt number and the error while Temporal retries the call.
const AttemptSignal = "activity-attempt"

// Attempt is a failed attempt of a pipeline's vendor call.
type Attempt struct {
	ActivityID string `json:"activity_id"`
	Attempt    int32  `json:"attempt"`
	Error      string `json:"error"`
}

// NewAttemptReporter returns a worker interceptor that signals each failed
// attempt of an ImagePipeline's activities to that pipeline. It costs one
// history event per failed attempt, and nothing while calls succeed. A
// report that cannot be sent is dropped: it only feeds the display.
func NewAttemptReporter(c client.Client) interceptor.WorkerInterceptor {
	return &attemptReporter{client: c}
}

type attemptReporter struct {
	interceptor.WorkerInterceptorBase
	client client.Client
}

func (r *attemptReporter) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &attemptInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, client: r.client}
}

type attemptInbound struct {
	interceptor.ActivityInboundInterceptorBase
	client client.Client
}

func (a *attemptInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := a.Next.ExecuteActivity(ctx, in)
	info := activity.GetInfo(ctx)
	if err == nil || info.WorkflowType == nil || info.WorkflowType.Name != "ImagePipeline" || errors.Is(err, context.Canceled) {
		return res, err
	}
	msg := err.Error()
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		if app.Type() == activities.ErrJobRunning {
			// A job wait's look at a running job: the pending activity
			// shows it, and a signal per look would cost the history
			// what the wait saves.
			return res, err
		}
		msg = app.Message()
	}
	// The report must not outlive the activity's own budget by much, nor
	// fail it: a detached, short context.
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), reportTimeout)
	defer cancel()
	if serr := a.client.SignalWorkflow(sctx, info.WorkflowExecution.ID, info.WorkflowExecution.RunID, AttemptSignal,
		Attempt{ActivityID: info.ActivityID, Attempt: info.Attempt, Error: msg}); serr != nil {
		activity.GetLogger(ctx).Warn("attempt not reported to the pipeline", "error", serr)
	}
	return res, err
}

// activityID names a pipeline's activity after its step (and item), so a
// failed attempt can be traced to the step, and the web UI lists it so.
func (s *Step) activityID() string {
	s.run.calls++
	return s.Name() + "#" + strconv.Itoa(s.run.calls)
}

// listenForAttempts applies reported failed attempts to the progress.
func (r *pipelineRun) listenForAttempts(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, AttemptSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var a Attempt
			if !ch.Receive(ctx, &a) {
				return
			}
			unit, _, ok := strings.Cut(a.ActivityID, "#")
			if !ok {
				continue
			}
			r.applyAttempt(unit, a)
			r.publish(ctx)
		}
	})
}

// applyAttempt finds the step or item a unit name ("copy" or
// "copy[1:label]") stands for and records the attempt there.
func (r *pipelineRun) applyAttempt(unit string, a Attempt) {
	step, rest, isItem := strings.Cut(unit, "[")
	sp, ok := r.steps[step]
	if !ok {
		return
	}
	if isItem {
		idx, err := strconv.Atoi(strings.SplitN(rest, ":", 2)[0])
		if err != nil || idx < 0 || idx >= len(sp.Items) {
			return
		}
		sp.Items[idx].Attempts, sp.Items[idx].LastError = int(a.Attempt), a.Error
		return
	}
	sp.Attempts, sp.LastError = int(a.Attempt), a.Error
}
