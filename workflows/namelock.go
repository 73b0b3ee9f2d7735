package workflows

import (
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// A name lock makes check-before-create safe between pipelines for a
// vendor that lets two resources share a name (two creates with one
// target name make two resources). A pipeline's own check cannot see a
// create another pipeline is about to send, so the check and the create run
// while the pipeline holds the name, and whoever holds it next finds the
// resource the first one made.
//
// The lock is a child workflow, NameLock, whose workflow ID is the name:
// Temporal runs at most one workflow of an ID at a time, atomically, across
// every worker and pipeline of the namespace, and frees the ID when that
// workflow closes. Taking the lock is starting it (refused as "already
// started" while someone holds it); releasing it is a signal that ends it.
// A pipeline that finds the name held runs a NameLockWait child until the
// name is free, then tries again: the wait's looks cost the waiter's own
// history (which continues as new), and the pipeline a few events however
// long the lock is held.
//
// Nothing is held by a process: a worker crash leaves the lock with its
// pipeline, which Temporal resumes; a pipeline that is cancelled or
// terminated has its lock cancelled (the child's parent-close policy), and
// a holder that never releases loses the lock after its lease.
//
// Rejected alternatives: a mutex in the worker holds within one process
// only; converging after the create (everyone lists the name, the oldest
// image wins, the others delete theirs) needs a delete call, leaves
// duplicates for a while and throws copies away; waiters that ask the lock
// to signal them when it ends would poll less, but must signal a lock that
// may not have run yet, which Temporal's test environment cannot deliver.

// NameLockReleaseSignal ends a NameLock: its holder is done.
const NameLockReleaseSignal = "release-name"

// nameLockLease bounds how long a lock is held if its holder never
// releases it. It outlasts the longest vendor call a holder makes under
// the lock (callOptions gives one an hour of retries).
const nameLockLease = 2 * time.Hour

// How a waiter looks: after 1 s, then twice as long each time up to
// nameLockMaxLook (a holder keeps the name for one vendor call, seconds
// usually), continuing as new after nameLockLooksPerRun looks (some 7
// events each).
const (
	nameLockMaxLook     = 5 * time.Second
	nameLockLooksPerRun = 300
)

// NameLockInput names what a NameLock holds, or what a NameLockWait waits
// for. Lease zero makes a NameLock end at once: the probe that tells a
// waiter the name is free.
type NameLockInput struct {
	Name  string        `json:"name"`
	Lease time.Duration `json:"lease,omitempty"`
	// Call, since EngineChange, is the call the lock makes while it holds
	// the name (namelockcall.go): the lock ends with its result, and no
	// lease or release applies.
	Call *LockedCall `json:"call,omitempty"`
}

// NameLock holds a name for the pipeline that started it: its workflow ID
// is the lock. With a call, it makes the call and ends with its result;
// else it ends on NameLockReleaseSignal, on cancellation or when its lease
// is over.
func NameLock(ctx workflow.Context, in NameLockInput) (NameLockResult, error) {
	if in.Call != nil {
		return runLockedCall(ctx, *in.Call)
	}
	if in.Lease <= 0 {
		return NameLockResult{}, nil
	}
	tctx, stop := workflow.WithCancel(ctx)
	defer stop()
	sel := workflow.NewSelector(ctx)
	sel.AddReceive(workflow.GetSignalChannel(ctx, NameLockReleaseSignal), func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil) })
	sel.AddFuture(workflow.NewTimer(tctx, in.Lease), func(workflow.Future) {})
	sel.Select(ctx)
	return NameLockResult{}, nil
}

// NameLockWait returns once nobody holds the lock on in.Name. It looks by
// starting a NameLock of no lease, which Temporal refuses while the lock
// is held; one that starts has found the name free, and ends at once.
func NameLockWait(ctx workflow.Context, in NameLockInput) error {
	wait := time.Second
	for range nameLockLooksPerRun {
		if err := workflow.NewTimer(ctx, wait).Get(ctx, nil); err != nil {
			return err
		}
		probe := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:    nameLockID(in.Name),
			StaticSummary: "looks whether the name " + in.Name + " is free",
		}), NameLock, NameLockInput{Name: in.Name})
		err := probe.GetChildWorkflowExecution().Get(ctx, nil)
		if err == nil {
			return probe.Get(ctx, nil)
		}
		if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return err
		}
		wait = min(2*wait, nameLockMaxLook)
	}
	return workflow.NewContinueAsNewError(ctx, NameLockWait, in)
}

// nameLockID is the workflow ID of the lock on name.
func nameLockID(name string) string { return "imagepipe-lock/" + name }

// WithNameLock runs fn while the pipeline holds name, waiting for whoever
// holds it first. The lock is released whatever fn returns, also while the
// step is being cancelled. Pipelines started since EngineChange hand the
// call to the lock instead (CallUnderNameLock).
func (s *Step) WithNameLock(ctx workflow.Context, name string, fn func(workflow.Context) error) error {
	for waits := 0; ; waits++ {
		lock := workflow.ExecuteChildWorkflow(workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
			WorkflowID:        nameLockID(name),
			ParentClosePolicy: enumspb.PARENT_CLOSE_POLICY_REQUEST_CANCEL,
			StaticSummary:     fmt.Sprintf("%s: holds the name %s while it checks and creates", s.Name(), name),
		}), NameLock, NameLockInput{Name: name, Lease: nameLockLease})
		err := lock.GetChildWorkflowExecution().Get(ctx, nil)
		if err == nil {
			ferr := fn(ctx)
			release, _ := workflow.NewDisconnectedContext(ctx)
			// A lock whose lease ended is free already: nothing to report.
			if serr := lock.SignalChildWorkflow(release, NameLockReleaseSignal, nil).Get(release, nil); serr == nil {
				_ = lock.Get(release, nil)
			}
			return ferr
		}
		if !temporal.IsWorkflowExecutionAlreadyStartedError(err) {
			return err
		}
		if err := s.waitForName(ctx, name, waits); err != nil {
			return err
		}
	}
}

// waitForName returns once nobody holds the lock on name, by a
// NameLockWait child: the step's waits-th wait for it.
func (s *Step) waitForName(ctx workflow.Context, name string, waits int) error {
	s.Detail(ctx, "waiting: another pipeline is creating %s", name)
	wctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{
		WorkflowID:    fmt.Sprintf("%s/%s/wait-%d/%s", workflow.GetInfo(ctx).WorkflowExecution.ID, s.Name(), waits, name),
		StaticSummary: fmt.Sprintf("%s: waits until the name %s is free", s.Name(), name),
	})
	return workflow.ExecuteChildWorkflow(wctx, NameLockWait, NameLockInput{Name: name}).Get(ctx, nil)
}
