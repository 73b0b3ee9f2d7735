package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// undo is how to reverse one completed step (or item): the compensation
// rollback runs. Only actions with a natural inverse record one: a moved
// image moves back, updated ZStack attributes are restored. Imported FPP
// images, IMS copies and OCI compartments are left in place (see the
// actions' documentation).
type undo struct {
	Step  string `json:"step"`
	Item  int    `json:"item"`
	Label string `json:"label,omitempty"`
	// OCIMoveBack moves an image back to the compartment it came from.
	OCIMoveBack *activities.MoveImageInput `json:"oci_move_back,omitempty"`
	// ZStackRestore sets the attributes an update changed back to what
	// they were before it.
	ZStackRestore *activities.ZStackUpdateInput `json:"zstack_restore,omitempty"`
}

// compensate records how to undo the step once it has succeeded.
func (s *stepRun) compensate(u undo) {
	u.Step, u.Item, u.Label = s.step.ID, s.item, s.label
	s.run.undos = append(s.run.undos, u)
}

// rollback undoes completed steps in the reverse order of their
// completion. It carries on past a compensation that fails, so one stuck
// resource does not leave the others changed, and returns what failed.
func (r *pipelineRun) rollback(ctx workflow.Context) error {
	var errs []error
	for i := len(r.undos) - 1; i >= 0; i-- {
		u := r.undos[i]
		st, _ := r.spec.Step(u.Step)
		s := &stepRun{run: r, step: st, item: u.Item, label: u.Label}
		var (
			what string
			err  error
		)
		switch {
		case u.OCIMoveBack != nil:
			what, err = s.ociMoveBack(ctx, *u.OCIMoveBack)
		case u.ZStackRestore != nil:
			what, err = s.zstackRestore(ctx, *u.ZStackRestore)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s", unitName(u.Step, u.Item, u.Label), rootMessage(err)))
			r.progress.Rollback = append(r.progress.Rollback, fmt.Sprintf("%s: FAILED to undo: %s", unitName(u.Step, u.Item, u.Label), rootMessage(err)))
			continue
		}
		r.progress.Rollback = append(r.progress.Rollback, fmt.Sprintf("%s: %s", unitName(u.Step, u.Item, u.Label), what))
		sp := r.steps[u.Step]
		if u.Item >= 0 {
			sp.Items[u.Item].State = StepRolledBack
		}
		if u.Item < 0 || allRolledBack(sp) {
			sp.State = StepRolledBack
		}
		r.publish(ctx)
	}
	return errors.Join(errs...)
}

func allRolledBack(sp *StepProgress) bool {
	for _, it := range sp.Items {
		if it.State == StepSucceeded {
			return false
		}
	}
	return true
}
