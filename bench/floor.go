package bench

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// The floor is bare Temporal doing what a pipeline does with no work in
// it: no-op activities and child workflows, on the SDK's default worker
// settings. What imagepipe costs beyond it is the engine's own.

// Noop is the floor's activity: it does nothing and returns at once.
func Noop(context.Context) error { return nil }

// floorActivity runs the no-op activity with options like a pipeline's
// (a timeout, the default retry policy).
func floorActivity(ctx workflow.Context) error {
	ctx = workflow.WithActivityOptions(ctx, workflow.ActivityOptions{StartToCloseTimeout: time.Minute})
	return workflow.ExecuteActivity(ctx, Noop).Get(ctx, nil)
}

// FloorLock is the floor's name lock: a child workflow that makes one
// call and ends, as a NameLock makes an IMS copy.
func FloorLock(ctx workflow.Context) error { return floorActivity(ctx) }

// ShapeFloor is the floor of the same shape as rolloutSpec's pipeline, as
// its history runs it (shapeActivities and shapeChildren say how much of
// each; the bench checks them against a real pipeline's history):
//
//	branch A: call → wait; lock(call); wait; call → call → wait
//	branch B: call → call → wait
//
// the two branches in parallel. A job wait is one activity, as a
// pipeline's WaitForJob whose job is done at its first look; the IMS name
// lock is the one child workflow, which makes the copy call itself.
func ShapeFloor(ctx workflow.Context) error {
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{})
	wait := floorActivity
	branchA := func(ctx workflow.Context) error {
		if err := floorActivity(ctx); err != nil {
			return err
		}
		if err := wait(ctx); err != nil {
			return err
		}
		if err := workflow.ExecuteChildWorkflow(cctx, FloorLock).Get(ctx, nil); err != nil {
			return err
		}
		if err := wait(ctx); err != nil {
			return err
		}
		for range 2 {
			if err := floorActivity(ctx); err != nil {
				return err
			}
		}
		return wait(ctx)
	}
	branchB := func(ctx workflow.Context) error {
		for range 2 {
			if err := floorActivity(ctx); err != nil {
				return err
			}
		}
		return wait(ctx)
	}
	var errA, errB error
	done := workflow.NewWaitGroup(ctx)
	done.Add(2)
	workflow.Go(ctx, func(ctx workflow.Context) { defer done.Done(); errA = branchA(ctx) })
	workflow.Go(ctx, func(ctx workflow.Context) { defer done.Done(); errB = branchB(ctx) })
	done.Wait(ctx)
	if errA != nil {
		return errA
	}
	return errB
}

// What ShapeFloor runs: activities in all its workflows (6 calls and 4
// waits, one call of them in the lock), and child workflows (the lock).
const (
	shapeActivities = 10
	shapeChildren   = 1
)

// RawFloor is the raw floor: the pipeline's vendor calls and one poll per
// job wait, n activities in all, as plain sequential activities of one
// workflow.
func RawFloor(ctx workflow.Context, n int) error {
	for range n {
		if err := floorActivity(ctx); err != nil {
			return err
		}
	}
	return nil
}

// registerFloor registers the floor's workflows and its activity.
func registerFloor(w worker.Registry) {
	w.RegisterWorkflow(ShapeFloor)
	w.RegisterWorkflow(FloorLock)
	w.RegisterWorkflow(RawFloor)
	w.RegisterActivityWithOptions(Noop, activity.RegisterOptions{Name: "Noop"})
}
