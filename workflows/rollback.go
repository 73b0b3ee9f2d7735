package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/internal/metrics"
)

// compensateFirstChange is the workflow.GetVersion change under which a
// step records its compensation before its mutating call instead of after
// the step succeeded, mutating calls wait for their end when cancelled, and
// rollback looks before it undoes. Histories recorded before it replay at
// workflow.DefaultVersion, compensating only succeeded steps.
const compensateFirstChange = "compensate-before-call"

// compensatesFirst reports whether this execution runs under
// compensateFirstChange.
func (r *pipelineRun) compensatesFirst() bool { return r.version >= 1 }

// undo is how to reverse one step (or item): the compensation rollback
// runs. Only actions with a natural inverse record one (their Vendor
// declares it with NewReversibleAction), such as a moved image moving
// back; what an action without one made is left in place (see the
// actions' documentation).
//
// A compensation is owed for every call that may have landed, whether its
// step succeeded, failed, timed out or was cancelled mid-call, or its answer
// was lost: so it is recorded just before the call, and each inverse copes
// with a call that never happened (it looks first, and does nothing if
// there is nothing to undo).
type undo struct {
	Step  string
	Item  int
	Label string
	// Record is the action's own account of what to undo, handed back to
	// its inverse. A pointer lets the action amend it once it knows more.
	Record any
}

// Compensate records how to undo the step (or item): record is handed to
// the action's inverse on rollback. Under an execution recorded before
// compensations came before calls (CompensatesFirst false), record only
// what has succeeded.
func (s *Step) Compensate(record any) {
	s.run.undos = append(s.run.undos, undo{Step: s.step.ID, Item: s.item, Label: s.label, Record: record})
}

// CompensatesFirst reports whether the step records its compensation
// before its mutating call (and so for a call that may not have landed), as
// every execution since compensateFirstChange does, or only after it
// succeeded, as executions recorded before it replay.
func (s *Step) CompensatesFirst() bool { return s.run.compensatesFirst() }

// Logger is the pipeline's logger.
func (s *Step) Logger() log.Logger { return s.run.logger }

// rollback undoes steps in the reverse order in which their compensations
// were recorded. It carries on past a compensation that fails, so one stuck
// resource does not leave the others changed, and returns what failed.
func (r *pipelineRun) rollback(ctx workflow.Context) error {
	ctx = asRollback(ctx)
	var errs []error
	for i := len(r.undos) - 1; i >= 0; i-- {
		u := r.undos[i]
		st, _ := r.spec.Step(u.Step)
		s := &Step{run: r, step: st, item: u.Item, label: u.Label}
		var (
			what   string
			undone bool
			err    error
		)
		if act, ok := r.reg.actions[st.Uses]; ok && act.undo != nil {
			what, undone, err = act.undo(ctx, s, u.Record)
		}
		sp := r.steps[u.Step]
		if u.Item >= 0 {
			sp.Items[u.Item].Detail = ""
		} else {
			sp.Detail = ""
		}
		name := unitName(u.Step, u.Item, u.Label)
		metrics.RollbackRan(workflow.GetMetricsHandler(ctx), st.Uses, rollbackOutcome(undone, err))
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s", name, rootMessage(err)))
			r.progress.Rollback = append(r.progress.Rollback, fmt.Sprintf("%s: FAILED to undo: %s", name, rootMessage(err)))
			r.publish(ctx)
			continue
		}
		r.progress.Rollback = append(r.progress.Rollback, fmt.Sprintf("%s: %s", name, what))
		if undone {
			if u.Item >= 0 {
				sp.Items[u.Item].State = StepRolledBack
			}
			if u.Item < 0 || allRolledBack(sp) {
				sp.State = StepRolledBack
			}
		}
		r.publish(ctx)
	}
	return errors.Join(errs...)
}

// rollbackOutcome is how one compensation ended, as the rollbacks metric
// counts it.
func rollbackOutcome(undone bool, err error) string {
	switch {
	case err != nil:
		return metrics.Failed
	case undone:
		return metrics.Undone
	default:
		return metrics.Unchanged
	}
}

func allRolledBack(sp *StepProgress) bool {
	for _, it := range sp.Items {
		if it.State == StepSucceeded {
			return false
		}
	}
	return true
}
