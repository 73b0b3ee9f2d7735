package workflows

import (
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// notifyChange marks the pipelines that notify: only a spec with notify
// targets asks for the version, so a pipeline without them (every
// recorded history) issues no new command.
const notifyChange = "notify-webhooks"

// notifyRunTimeout bounds a PipelineNotify run: its deliveries end well
// before (notifyOptions), and an abandoned child must not live on.
const notifyRunTimeout = 10 * time.Minute

// PipelineNotifyInput is the deliveries of one pipeline event.
type PipelineNotifyInput struct {
	Deliveries []activities.NotifyInput `json:"deliveries"`
}

// PipelineNotify delivers one pipeline event to every webhook that asked
// for it, at once, each with the bounded retries of notifyOptions. It runs
// as a child the pipeline abandons: the pipeline waits only for it to
// start, so a webhook that is down neither fails nor delays the
// pipeline's result. It fails, naming each webhook that was not told,
// which the web UI and the worker's log show.
func PipelineNotify(ctx workflow.Context, in PipelineNotifyInput) error {
	ctx = workflow.WithActivityOptions(ctx, notifyOptions())
	var a *activities.Notifier
	futures := make([]workflow.Future, len(in.Deliveries))
	for i, d := range in.Deliveries {
		futures[i] = workflow.ExecuteActivity(ctx, a.Notify, d)
	}
	var failed []string
	lines := make([]string, len(in.Deliveries))
	for i, f := range futures {
		d := in.Deliveries[i]
		where := pipeline.Notify{URL: d.URL, URLEnv: d.URLEnv}.Where()
		if err := f.Get(ctx, nil); err != nil {
			// The activity's message names the webhook already.
			failed = append(failed, rootMessage(err))
			lines[i] = "- not delivered: " + rootMessage(err)
			workflow.GetLogger(ctx).Warn("notification not delivered", "pipeline", d.Notification.Pipeline,
				"event", d.Notification.Event, "to", where, "error", rootMessage(err))
			continue
		}
		lines[i] = fmt.Sprintf("- %s: delivered", where)
	}
	workflow.SetCurrentDetails(ctx, strings.Join(lines, "\n"))
	if len(failed) > 0 {
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("%d of %d webhooks not told: %s", len(failed), len(in.Deliveries), strings.Join(failed, "; ")),
			activities.ErrNotifyFailed, nil)
	}
	return nil
}

// notifyOptions bound a delivery: five attempts of up to 30 s, 2 s to 30 s
// apart, three minutes in all; a webhook's refusal (4xx other than 429) is
// not retried.
func notifyOptions() workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    30 * time.Second,
		ScheduleToCloseTimeout: 3 * time.Minute,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        2 * time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			MaximumAttempts:        5,
			NonRetryableErrorTypes: []string{activities.ErrNotifyRefused},
		},
		Summary: "notify a webhook",
	}
}

// deliveries are the notify targets that asked for n's event, each with n.
func deliveries(targets []pipeline.Notify, n activities.Notification) []activities.NotifyInput {
	var out []activities.NotifyInput
	for _, t := range targets {
		if t.Wants(n.Event) {
			out = append(out, activities.NotifyInput{URL: t.URL, URLEnv: t.URLEnv, Format: t.Format, Notification: n})
		}
	}
	return out
}

// finalEvent is the event a pipeline's end is, from its status.
func finalEvent(status string) string {
	switch status {
	case StatusSucceeded:
		return pipeline.EventSucceeded
	case StatusCanceled:
		return pipeline.EventCanceled
	default:
		return pipeline.EventFailed
	}
}

// notifyEnd tells the webhooks how the pipeline ended.
func (r *pipelineRun) notifyEnd(ctx workflow.Context) {
	n := r.notice(ctx, finalEvent(r.progress.Status))
	n.Error = r.progress.Error
	n.Rollback = r.progress.Rollback
	r.notify(ctx, n, n.Event)
}

// notifyApproval tells the webhooks that step waits for a decision, and
// how to give it.
func (r *pipelineRun) notifyApproval(ctx workflow.Context, step, message string, approvers []string) {
	n := r.notice(ctx, pipeline.EventWaitingForApproval)
	n.Step, n.Message, n.Approvers = step, message, approvers
	hint := ApproveHintInput{WorkflowID: n.WorkflowID, Step: step, Message: message, Approvers: approvers}
	if a := r.steps[step].Approval; a != nil {
		hint.Deadline = a.Deadline
	}
	n.Deadline = hint.Deadline
	n.ApproveCommand, n.RejectCommand = ApproveCommands(hint)
	// The web UI's current details say the same (approvehint.go); the
	// worker adds the link, which only it knows.
	n.Instructions = ApproveHint(hint)
	f := r.notify(ctx, n, n.Event+"-"+step)
	if f == nil {
		return
	}
	// While the step still waits, its progress says who was not told: an
	// approver nobody reached is why a pipeline waits for ever.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	workflow.Go(dctx, func(gctx workflow.Context) {
		err := f.Get(gctx, nil)
		sp := r.steps[step]
		if err == nil || sp.State != StepWaiting {
			return
		}
		sp.Detail += "; notification failed: " + rootMessage(err)
		r.publish(gctx)
	})
}

func (r *pipelineRun) notice(ctx workflow.Context, event string) activities.Notification {
	info := workflow.GetInfo(ctx)
	return activities.Notification{
		Event: event, Pipeline: r.spec.Name, Status: r.progress.Status,
		WorkflowID: info.WorkflowExecution.ID, RunID: info.WorkflowExecution.RunID, At: workflow.Now(ctx),
	}
}

// notify starts a PipelineNotify child for n when a target wants it, and
// returns it (nil when none does). The child is abandoned when the
// pipeline closes; awaitNotices waits for the starts only.
func (r *pipelineRun) notify(ctx workflow.Context, n activities.Notification, name string) workflow.ChildWorkflowFuture {
	if r.notifyVersion == workflow.DefaultVersion {
		return nil
	}
	ds := deliveries(r.spec.Notify, n)
	if len(ds) == 0 {
		return nil
	}
	// Neither a cancelled pipeline nor a cancelled step may cut the
	// notification short.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	cctx := workflow.WithChildOptions(dctx, workflow.ChildWorkflowOptions{
		// Under the run's ID: a later run under the same workflow ID must
		// not collide with a notification still being retried. (A prefix
		// would not do: run IDs are UUIDv7, whose first digits are the
		// time.)
		WorkflowID:               notifyID(n.WorkflowID, n.RunID, name),
		ParentClosePolicy:        enumspb.PARENT_CLOSE_POLICY_ABANDON,
		WorkflowExecutionTimeout: notifyRunTimeout,
		StaticSummary:            fmt.Sprintf("tells %d webhook(s): pipeline %s %s", len(ds), n.Pipeline, strings.ReplaceAll(n.Event, "_", " ")),
	})
	f := workflow.ExecuteChildWorkflow(cctx, PipelineNotify, PipelineNotifyInput{Deliveries: ds})
	r.notices = append(r.notices, f)
	return f
}

// awaitNotices waits until every notification child has started, so it
// outlives the pipeline; a start that fails is logged, never returned.
func (r *pipelineRun) awaitNotices(ctx workflow.Context) {
	for _, f := range r.notices {
		if err := f.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
			r.logger.Warn("notification not started", "error", err)
		}
	}
}

// notifyID is the workflow ID of a notification child, beside the job
// waits (<pipeline ID>/<step>/<kind>): a step could be named notify-…,
// but no job kind is an event (kinds name a vendor: "<vendor>.<kind>").
func notifyID(pipelineID, run, name string) string {
	return fmt.Sprintf("%s/notify-%s/%s", pipelineID, run, name)
}

// NotificationOf reports whether childID is a notification child of the
// pipeline pipelineID, and which event (with the step, for an approval:
// "waiting_for_approval-gate") it tells.
func NotificationOf(pipelineID, childID string) (event string, ok bool) {
	rest, ok := strings.CutPrefix(childID, pipelineID+"/notify-")
	if !ok {
		return "", false
	}
	_, event, ok = strings.Cut(rest, "/")
	if !ok {
		return "", false
	}
	switch {
	case event == pipeline.EventSucceeded, event == pipeline.EventFailed, event == pipeline.EventCanceled,
		strings.HasPrefix(event, pipeline.EventWaitingForApproval+"-"):
		return event, true
	}
	return "", false
}
