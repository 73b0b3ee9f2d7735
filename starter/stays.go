package main

import (
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"

	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/workflows"
)

// Whether a change that stays was made.
const (
	applied      = "applied"
	mayBeApplied = "may have applied"
)

// stay is a change a pipeline that ended without success made, or may
// have made, that nothing undid: what a user must look at by hand.
type stay struct {
	Unit  string `json:"unit"` // step, or step[item]
	Uses  string `json:"uses"`
	State string `json:"state"` // applied or may have applied
	Why   string `json:"why"`
}

func (s stay) String() string { return fmt.Sprintf("%s (%s): %s: %s", s.Unit, s.Uses, s.State, s.Why) }

// staysFromProgress lists the steps and items of p whose vendor changes
// stay: those that succeeded and were not rolled back, and those whose
// call may have landed (running, cancelled or failed when the pipeline
// ended). Approval steps change nothing at a vendor and are left out.
func staysFromProgress(p workflows.Progress) []stay {
	var out []stay
	for _, s := range p.Steps {
		action, ok := workflows.Default().Catalog().Lookup(s.Uses)
		if ok && action.Vendor == "imagepipe" {
			continue
		}
		if len(s.Items) == 0 {
			if st, ok := stayOf(s.ID, s.Uses, s.State, withoutStepPrefix(s.ID, s.LastError), action); ok {
				out = append(out, st)
			}
			continue
		}
		for _, it := range s.Items {
			if st, ok := stayOf(s.ID+"["+it.Item+"]", s.Uses, it.State, it.LastError, action); ok {
				out = append(out, st)
			}
		}
	}
	return out
}

func stayOf(unit, uses, state, lastErr string, action pipeline.Action) (stay, bool) {
	st := stay{Unit: unit, Uses: uses}
	switch state {
	case workflows.StepSucceeded:
		st.State = applied
		if action.Inverse == "" {
			st.Why = "succeeded; rollback has no inverse for it"
		} else {
			st.Why = "succeeded and was not rolled back (its inverse " + action.Inverse + ")"
		}
	case workflows.StepRunning, workflows.StepWaiting:
		st.State, st.Why = mayBeApplied, "it was running when the pipeline ended; its vendor call may have landed"
	case workflows.StepCanceled:
		st.State, st.Why = mayBeApplied, "it was cancelled while running; its vendor call may have landed"
	case workflows.StepFailed:
		st.State, st.Why = mayBeApplied, "it failed ("+lastErr+"); a call whose answer was lost may still have landed"
	default:
		return stay{}, false
	}
	return st, true
}

// staysFromHistory is the fallback when no one could replay the pipeline:
// from the history alone, each step (or item) that scheduled vendor calls
// or job waits, and how they ended. It cannot tell a read from a change,
// so every such step "may have applied".
func staysFromHistory(h *historypb.History, id string, spec pipeline.Spec) []stay {
	type call struct{ what, outcome string }
	var units []string
	calls := map[string][]call{}
	type ref struct {
		unit  string
		index int
	}
	byEvent := map[int64]ref{}
	add := func(eventID int64, unit, what string) {
		if _, seen := calls[unit]; !seen {
			units = append(units, unit)
		}
		calls[unit] = append(calls[unit], call{what, "with no answer recorded"})
		byEvent[eventID] = ref{unit, len(calls[unit]) - 1}
	}
	end := func(eventID int64, outcome string) {
		if r, ok := byEvent[eventID]; ok {
			calls[r.unit][r.index].outcome = outcome
		}
	}
	for _, ev := range h.GetEvents() {
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := ev.GetActivityTaskScheduledEventAttributes()
			unit := a.GetActivityId()
			if u, ok := workflows.ActivityUnit(unit); ok {
				unit = u.UnitName()
			}
			add(ev.GetEventId(), unit, a.GetActivityType().GetName())
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			// Job waits are children named <pipeline ID>/<unit>/<job kind>.
			rest := strings.TrimPrefix(ev.GetStartChildWorkflowExecutionInitiatedEventAttributes().GetWorkflowId(), id+"/")
			if i := strings.LastIndex(rest, "/"); i > 0 {
				add(ev.GetEventId(), rest[:i], "wait for the "+rest[i+1:]+" job")
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			end(ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), "completed")
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			a := ev.GetActivityTaskFailedEventAttributes()
			end(a.GetScheduledEventId(), "failed ("+a.GetFailure().GetMessage()+")")
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			end(ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId(), "timed out")
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
			end(ev.GetActivityTaskCanceledEventAttributes().GetScheduledEventId(), "cancelled")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
			end(ev.GetChildWorkflowExecutionCompletedEventAttributes().GetInitiatedEventId(), "completed")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
			end(ev.GetChildWorkflowExecutionFailedEventAttributes().GetInitiatedEventId(), "failed")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
			end(ev.GetChildWorkflowExecutionCanceledEventAttributes().GetInitiatedEventId(), "cancelled")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
			end(ev.GetChildWorkflowExecutionTerminatedEventAttributes().GetInitiatedEventId(), "terminated")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
			end(ev.GetChildWorkflowExecutionTimedOutEventAttributes().GetInitiatedEventId(), "timed out")
		}
	}
	var out []stay
	for _, unit := range units {
		stepID, _, _ := strings.Cut(unit, "[")
		st, _ := spec.Step(stepID)
		parts := make([]string, len(calls[unit]))
		for i, c := range calls[unit] {
			parts[i] = c.what + " " + c.outcome
		}
		out = append(out, stay{Unit: unit, Uses: st.Uses, State: mayBeApplied,
			Why: "from the history alone: " + strings.Join(parts, ", ")})
	}
	return out
}
