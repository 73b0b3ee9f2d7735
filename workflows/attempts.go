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
	// Step and Item are the step and fan-out item (-1 for none) the call
	// is for, from its input's activities.Unit. A report from a worker
	// before they existed has no Step; the pipeline then reads the unit
	// off ActivityID, which names it before the "#".
	Step string `json:"step,omitempty"`
	Item int    `json:"item"`
	// ActivityID names the call itself, as the starter's call history
	// matches attempts to calls.
	ActivityID string `json:"activity_id"`
	Attempt    int32  `json:"attempt"`
	Error      string `json:"error"`
}

// stepped is an activity input that names the step it runs for: every
// vendor call's, which embeds activities.Unit.
type stepped interface {
	StepItem() (step string, item int)
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
	if err == nil || info.WorkflowType == nil || !reportsAttempts(info.WorkflowType.Name) || errors.Is(err, context.Canceled) {
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
	report := Attempt{Item: -1, ActivityID: info.ActivityID, Attempt: info.Attempt, Error: msg}
	if len(in.Args) > 0 {
		if u, ok := in.Args[0].(stepped); ok {
			report.Step, report.Item = u.StepItem()
		}
	}
	if serr := a.client.SignalWorkflow(sctx, info.WorkflowExecution.ID, info.WorkflowExecution.RunID, AttemptSignal, report); serr != nil {
		activity.GetLogger(ctx).Warn("attempt not reported to the pipeline", "error", serr)
	}
	return res, err
}

// reportsAttempts says whether a workflow of this type takes attempt
// reports: a pipeline, and a NameLock making a pipeline's call, which
// passes them on to its pipeline.
func reportsAttempts(workflowType string) bool {
	return workflowType == "ImagePipeline" || workflowType == "NameLock"
}

// activityID names a pipeline's activity after its step (and item) and
// the call's number in the pipeline, "copy#3" or "copy[1:label]#3", so
// the web UI lists it so. Recorded histories hold these IDs: the format
// must not change.
func (s *Step) activityID() string {
	s.run.calls++
	return s.Name() + "#" + strconv.Itoa(s.run.calls)
}

// ActivityUnit is the step (and item) a pipeline's activity ID names, the
// one reader of the format activityID writes: for what knows a call by
// its ID alone (the server's pending activities and history, and attempt
// reports from workers before Attempt named the step). False for an ID
// no step made.
func ActivityUnit(activityID string) (activities.Unit, bool) {
	i := strings.LastIndex(activityID, "#")
	if i <= 0 {
		return activities.Unit{}, false
	}
	unit := activityID[:i]
	step, rest, isItem := strings.Cut(unit, "[")
	if !isItem {
		return activities.NewUnit(step, -1, ""), true
	}
	index, label, ok := strings.Cut(strings.TrimSuffix(rest, "]"), ":")
	item, err := strconv.Atoi(index)
	if !ok || err != nil || item < 0 || !strings.HasSuffix(rest, "]") {
		return activities.Unit{}, false
	}
	return activities.NewUnit(step, item, label), true
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
			r.applyAttempt(a)
			r.publish(ctx)
		}
	})
}

// applyAttempt records a reported attempt on the step or item it names.
func (r *pipelineRun) applyAttempt(a Attempt) {
	step, item := a.Step, a.Item
	sp, ok := r.steps[step]
	if !ok {
		// A report from an older worker, or of an input recorded before
		// it carried a Unit (its Step is the whole unit name).
		u, named := ActivityUnit(a.ActivityID)
		if !named {
			return
		}
		step, item = u.StepItem()
		if sp, ok = r.steps[step]; !ok {
			return
		}
	}
	if item < 0 {
		sp.Attempts, sp.LastError = int(a.Attempt), a.Error
		return
	}
	if item < len(sp.Items) {
		sp.Items[item].Attempts, sp.Items[item].LastError = int(a.Attempt), a.Error
	}
}
