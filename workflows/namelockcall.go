package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// Since EngineChange, the NameLock runs the call it holds the name for
// (CallUnderNameLock): its workflow ID is still the lock, so whoever holds
// the name runs the check-and-create, and the lock ends, freeing the name,
// when the call does. The pipeline pays one child workflow, its start and
// its result, where a lock that waits for its holder's release signal
// costs the start, the call, the signal and the lock's end, each a
// workflow task of the pipeline's, and the lock a lease timer. The call's
// own timeouts bound how long the name is held; the lock's execution
// timeout (nameLockLease) is a backstop for a lock no worker runs.

// LockedCall is the vendor call a NameLock makes while it holds its name:
// a registered activity, its input and the options the step gave it.
type LockedCall struct {
	Activity            string                `json:"activity"`
	Input               json.RawMessage       `json:"input"`
	ActivityID          string                `json:"activity_id"`
	Summary             string                `json:"summary,omitempty"`
	StartToClose        time.Duration         `json:"start_to_close"`
	ScheduleToClose     time.Duration         `json:"schedule_to_close"`
	Retry               *temporal.RetryPolicy `json:"retry,omitempty"`
	WaitForCancellation bool                  `json:"wait_for_cancellation,omitempty"`
}

// NameLockResult is a NameLock's call's result. A call that failed fails
// the lock with the call's error, which Temporal carries to the holder
// through its own failure converter (encrypted as every failure is, with
// the vendor's details), and the holder returns as the call's.
type NameLockResult struct {
	Result json.RawMessage `json:"result,omitempty"`
}

// runLockedCall makes a NameLock's call. The call's failed attempts are
// reported to the lock (AttemptSignal, as to a pipeline), and passed on
// to the pipeline that holds the lock, whose progress shows them.
func runLockedCall(ctx workflow.Context, call LockedCall) (NameLockResult, error) {
	forwardAttempts(ctx)
	actx := workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		ActivityID:             call.ActivityID,
		StartToCloseTimeout:    call.StartToClose,
		ScheduleToCloseTimeout: call.ScheduleToClose,
		RetryPolicy:            call.Retry,
		WaitForCancellation:    call.WaitForCancellation,
		Summary:                call.Summary,
	})
	var res NameLockResult
	err := workflow.ExecuteActivity(actx, call.Activity, call.Input).Get(ctx, &res.Result)
	return res, err
}

// forwardAttempts passes the failed attempts reported to a NameLock on to
// the pipeline that started it. Each costs both a few events; calls that
// succeed cost nothing.
func forwardAttempts(ctx workflow.Context) {
	parent := workflow.GetInfo(ctx).ParentWorkflowExecution
	if parent == nil {
		return
	}
	ch := workflow.GetSignalChannel(ctx, AttemptSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var a Attempt
			if !ch.Receive(ctx, &a) {
				return
			}
			workflow.SignalExternalWorkflow(ctx, parent.ID, parent.RunID, AttemptSignal, a)
		}
	})
}

// CallUnderNameLock is Call made by the NameLock of name, once the step
// holds it, waiting for whoever holds it first: the check-and-create
// activity runs in the lock, and the lock ends with it. A compensation the
// call may owe is recorded by the step before it calls this, as before any
// call. Cancelled, the step cancels the lock, which cancels the call, and
// waits for the lock to end, so the name is free and nothing is in flight
// when the step returns. The activity must return a value besides its
// error, which result is filled from.
func (s *Step) CallUnderNameLock(ctx workflow.Context, name, summary string, activity, input, result any) error {
	in, err := json.Marshal(input)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %s: input: %v", s.Name(), summary, err), activities.ErrInvalidInput, nil)
	}
	actName, err := activityName(activity)
	if err != nil {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %s: %v", s.Name(), summary, err), activities.ErrInvalidInput, nil)
	}
	for waits := 0; ; waits++ {
		opts, err := s.stepCallOptions(ctx, summary, false)
		if err != nil {
			return err
		}
		call := LockedCall{
			Activity: actName, Input: in, ActivityID: opts.ActivityID, Summary: opts.Summary,
			StartToClose: opts.StartToCloseTimeout, ScheduleToClose: opts.ScheduleToCloseTimeout,
			Retry: opts.RetryPolicy, WaitForCancellation: opts.WaitForCancellation,
		}
		lock := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:               nameLockID(name),
			ParentClosePolicy:        enumspb.PARENT_CLOSE_POLICY_REQUEST_CANCEL,
			WaitForCancellation:      true,
			WorkflowExecutionTimeout: nameLockLease,
			StaticSummary:            fmt.Sprintf("%s: holds the name %s while it checks and creates", s.Name(), name),
		}), NameLock, NameLockInput{Name: name, Call: &call})
		err = lock.GetChildWorkflowExecution().Get(ctx, nil)
		if err == nil {
			var res NameLockResult
			if err := lock.Get(ctx, &res); err != nil {
				return callError(ctx, s, name, err)
			}
			if len(res.Result) == 0 {
				// A worker older than EngineChange ran the lock: it held the
				// name and ended, making no call.
				return temporal.NewNonRetryableApplicationError(fmt.Sprintf(
					"step %q: %s: the name lock %s ended without making the call: a worker older than this pipeline ran it; run one version of the worker",
					s.Name(), summary, nameLockID(name)), activities.ErrInvalidInput, nil)
			}
			if err := json.Unmarshal(res.Result, result); err != nil {
				return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %s: result: %v", s.Name(), summary, err), activities.ErrInvalidInput, nil)
			}
			s.clearLastError()
			return nil
		}
		if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return err
		}
		if err := s.waitForName(ctx, name, waits); err != nil {
			return err
		}
	}
}

// ErrNameLockCanceled is the type of the error of a step whose name lock
// was cancelled by someone else while the step's pipeline was not.
const ErrNameLockCanceled = "imagepipe.NameLockCanceled"

// callError is the error of a NameLock that failed: the call's own error
// (an ActivityError around the vendor's, or the step's cancellation), as
// the step making the call itself would have had it, or else what ended
// the lock. A lock cancelled from outside (the web UI, the CLI) fails the
// step rather than passing for the pipeline's own cancellation.
func callError(ctx workflow.Context, s *Step, name string, err error) error {
	var child *temporal.ChildWorkflowExecutionError
	if !errors.As(err, &child) {
		return err
	}
	cause := errors.Unwrap(child)
	var act *temporal.ActivityError
	switch {
	case temporal.IsCanceledError(cause) && ctx.Err() == nil:
		return temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: the name lock %s was cancelled while it made the call", s.Name(), nameLockID(name)), ErrNameLockCanceled, nil)
	case temporal.IsCanceledError(cause), errors.As(cause, &act):
		return cause
	}
	return err
}

// activityName is the name an activity is registered under: the name
// itself, or a method's name for a method value (a.HuaweiCopyImage of a
// nil *activities.Huawei), as RegisterActivity names a struct's methods.
func activityName(activity any) (string, error) {
	if name, ok := activity.(string); ok {
		return name, nil
	}
	v := reflect.ValueOf(activity)
	if v.Kind() != reflect.Func {
		return "", fmt.Errorf("activity %T is neither a name nor a function", activity)
	}
	name := runtime.FuncForPC(v.Pointer()).Name()
	return strings.TrimSuffix(name[strings.LastIndex(name, ".")+1:], "-fm"), nil
}
