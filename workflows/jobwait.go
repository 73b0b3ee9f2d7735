package workflows

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
	"github.com/imagepipe/imagepipe/pipeline"
)

// JobWaitActivityChange marks the change that made a job wait one
// retrying activity (WaitForJob) instead of an AwaitJob child workflow
// with a timer per look: a wait of any length costs the pipeline a few
// history events, since failed attempts of an activity add none, and a job
// is noticed within a tenth of its age (activities.WaitJob). Pipelines
// started before it keep their AwaitJob children.
const JobWaitActivityChange = "job-wait-is-an-activity"

// WaitForJob is the name of the wait activity: one attempt looks at the
// job once, through the poll activity of the job's kind.
const WaitForJob = "WaitForJob"

// waitStartToClose bounds one look, so a worker that dies mid-look costs
// the wait seconds before another worker looks again.
const waitStartToClose = 15 * time.Second

// waitActivity is the WaitForJob activity of a worker whose kinds poll
// with polls.
func waitActivity(polls map[string]activities.PollFunc) func(context.Context, activities.WaitInput) (activities.JobStatus, error) {
	return func(ctx context.Context, in activities.WaitInput) (activities.JobStatus, error) {
		poll, ok := polls[in.Kind]
		if !ok {
			return activities.JobStatus{}, temporal.NewNonRetryableApplicationError(
				fmt.Sprintf("step %q: this worker polls no jobs of kind %s", in.UnitName(), in.Kind), activities.ErrInvalidInput, nil)
		}
		metrics.JobPoll(activity.GetMetricsHandler(ctx), in.Kind)
		return activities.WaitJob(ctx, poll, in)
	}
}

// pollFuncOf is job's poll bound to inst, the vendor activities a worker
// registered: JobKind.Poll names a method of the vendor's activities
// (usually of a nil value), and the wait must call the configured one.
func pollFuncOf(inst any, job JobKind) (activities.PollFunc, error) {
	name := runtime.FuncForPC(reflect.ValueOf(job.Poll).Pointer()).Name()
	name = strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm")
	fn := reflect.Value{}
	if inst != nil {
		fn = reflect.ValueOf(inst).MethodByName(name)
	}
	if !fn.IsValid() {
		fn = reflect.ValueOf(job.Poll)
	}
	poll, ok := fn.Interface().(func(context.Context, activities.PollInput) (activities.JobStatus, error))
	if !ok {
		return nil, fmt.Errorf("job kind %s: poll %s is a %s, not a func(context.Context, activities.PollInput) (activities.JobStatus, error)", job.Kind, name, fn.Type())
	}
	return poll, nil
}

// waitOptions are the wait activity's options: its retry policy is the
// poll schedule. A running job's attempt says itself when to look again
// (NextRetryDelay); a passing error of a look (429, 5xx, a dropped
// connection) is retried with the calls' backoff, capped by the kind's
// maximum interval. The wait gives up after budget.
func waitOptions(ctx workflow.Context, s *Step, kind, jobID string, policy PollPolicy, budget time.Duration) workflow.ActivityOptions {
	maxInterval := pipeline.DefaultMaxInterval
	if policy.Max > 0 {
		maxInterval = min(maxInterval, policy.Max)
	}
	return workflow.ActivityOptions{
		ActivityID:             s.activityID(),
		StartToCloseTimeout:    waitStartToClose,
		ScheduleToCloseTimeout: budget,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    maxInterval,
			// A bound the timeout reaches first (looks are a second or more
			// apart): unlimited, as a server reads 0, but said outright so the
			// SDK's test environment, which reads 0 as 10, runs waits as a
			// server does.
			MaximumAttempts:        int32(min(budget/time.Second+1, math.MaxInt32)),
			NonRetryableErrorTypes: []string{activities.ErrInvalidInput, activities.ErrVendorNotConfigured, activities.ErrJobFailed},
		},
		Summary: waitSummary(ctx, s.run.spec.Name, s.Name(), kind, jobID),
	}
}

// waitJob waits for a job with the WaitForJob activity. The wait's budget
// is the kind's timeout and one more look after it, so a job that takes as
// long as its kind allows is still seen done (Temporal ends a retrying
// activity as soon as the next retry would fall past its ScheduleToClose);
// a step's timeout, when it comes first, is the budget itself.
func (s *Step) waitJob(ctx workflow.Context, kind, jobID string, policy PollPolicy, stepBound bool) (activities.JobStatus, error) {
	began := workflow.Now(ctx)
	budget := policy.Timeout
	if !stepBound {
		budget += max(policy.Max, time.Second) + waitStartToClose
	}
	in := activities.WaitInput{Unit: s.Unit(), Kind: kind, JobID: jobID, Began: began, MaxInterval: policy.Max}
	var st activities.JobStatus
	opts := waitOptions(ctx, s, kind, jobID, policy, budget)
	s.showWait(ctx, opts.ActivityID)
	err := workflow.ExecuteActivity(workflow.WithActivityOptions(ctx, opts), WaitForJob, in).Get(ctx, &st)
	s.showWait(ctx, "")
	outcome := metrics.Succeeded
	var app *temporal.ApplicationError
	switch {
	case err == nil:
	case temporal.IsCanceledError(err):
		outcome = metrics.Canceled
	case temporal.IsTimeoutError(err) || (errors.As(err, &app) && app.Type() == activities.ErrJobRunning):
		outcome = metrics.TimedOut
		if _, ok := s.remaining(ctx); !ok {
			err = s.timedOut()
			break
		}
		err = temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: %s job %s still running after %s", s.Name(), kind, jobID, policy.Timeout),
			activities.ErrJobFailed, err)
	default:
		outcome = metrics.Failed
	}
	metrics.JobEnded(workflow.GetMetricsHandler(ctx), kind, outcome, workflow.Now(ctx).Sub(began))
	return st, err
}

// showWait names, in the step's (or item's) progress, the WaitForJob
// activity it waits with ("" once the wait is over), so the web UI's step
// table says where the job's percent is shown. Only the current details
// change: no command, the same on replay.
func (s *Step) showWait(ctx workflow.Context, activityID string) {
	sp := s.run.steps[s.step.ID]
	if s.item >= 0 {
		sp.Items[s.item].Wait = activityID
	} else {
		sp.Wait = activityID
	}
	s.run.publish(ctx)
}

// registerWait registers the WaitForJob activity with the polls of reg's
// job kinds, each bound to the vendor activities registered (insts, by
// vendor name).
func registerWait(r interface {
	RegisterActivityWithOptions(any, activity.RegisterOptions)
}, reg *Registry, insts map[string]any) {
	polls := map[string]activities.PollFunc{}
	for _, v := range reg.vendors {
		for _, j := range v.Jobs {
			poll, err := pollFuncOf(insts[v.Name], j)
			if err != nil {
				panic("workflows.Register: " + err.Error())
			}
			polls[j.Kind] = poll
		}
	}
	r.RegisterActivityWithOptions(waitActivity(polls), activity.RegisterOptions{Name: WaitForJob})
}
