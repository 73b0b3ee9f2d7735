package bench

import (
	"context"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/workflows"
)

// treeStats is what a workflow and every child it started (every run of
// each, across continue-as-new) left on the server.
type treeStats struct {
	Workflows  int
	Runs       int
	Events     int
	Activities int // ActivityTaskScheduled events
	Children   int // StartChildWorkflowExecutionInitiated events
	// StateTransitions is the sum over runs of the server's own count
	// (DescribeWorkflowExecution's state_transition_count).
	StateTransitions int64
	// ByWorkflow is the events and transitions of each workflow ID's runs.
	ByWorkflow map[string]runCost
	// Waits is the cost of each step's job wait, a WaitForJob activity,
	// by step name (its activity ID is <step>#<n>).
	Waits map[string]waitCost
}

// waitCost is what one step's WaitForJob activity left in its pipeline's
// history: its events (scheduled, started, closed), and its attempts,
// one per look at the job (a retry adds no event; the started event
// records the last attempt's number).
type waitCost struct {
	Events   int
	Attempts int
}

// runCost is what one workflow's runs cost.
type runCost struct {
	Runs             int
	Events           int
	StateTransitions int64
}

// walkTree reads the histories of workflow id's latest run and of all
// its children's runs.
func walkTree(ctx context.Context, c client.Client, id string) (treeStats, error) {
	st := treeStats{ByWorkflow: map[string]runCost{}, Waits: map[string]waitCost{}}
	type run struct{ wid, rid string }
	queue := []run{{id, ""}}
	seen := map[string]bool{}
	for len(queue) > 0 {
		r := queue[0]
		queue = queue[1:]
		if !seen[r.wid] {
			seen[r.wid] = true
			st.Workflows++
		}
		cost := st.ByWorkflow[r.wid]
		waitStep := map[int64]string{} // a WaitForJob's scheduled event → its step
		cost.Runs++
		st.Runs++
		it := c.GetWorkflowHistory(ctx, r.wid, r.rid, false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				return st, fmt.Errorf("history of %s: %w", r.wid, err)
			}
			st.Events++
			cost.Events++
			if a := ev.GetActivityTaskScheduledEventAttributes(); a != nil {
				st.Activities++
				if a.GetActivityType().GetName() == workflows.WaitForJob {
					step, _, _ := strings.Cut(a.GetActivityId(), "#")
					waitStep[ev.GetEventId()] = step
					w := st.Waits[step]
					w.Events++
					st.Waits[step] = w
				}
			}
			if sched, attempt, ok := activityEvent(ev); ok {
				if step, isWait := waitStep[sched]; isWait {
					w := st.Waits[step]
					w.Events++
					w.Attempts = max(w.Attempts, int(attempt))
					st.Waits[step] = w
				}
			}
			if ev.GetStartChildWorkflowExecutionInitiatedEventAttributes() != nil {
				st.Children++
			}
			if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
				queue = append(queue, run{a.GetWorkflowExecution().GetWorkflowId(), a.GetWorkflowExecution().GetRunId()})
			}
			if a := ev.GetWorkflowExecutionContinuedAsNewEventAttributes(); a != nil {
				queue = append(queue, run{r.wid, a.GetNewExecutionRunId()})
			}
		}
		d, err := c.DescribeWorkflowExecution(ctx, r.wid, r.rid)
		if err != nil {
			return st, fmt.Errorf("describe %s: %w", r.wid, err)
		}
		n := d.GetWorkflowExecutionInfo().GetStateTransitionCount()
		st.StateTransitions += n
		cost.StateTransitions += n
		st.ByWorkflow[r.wid] = cost
	}
	return st, nil
}

// activityEvent is the scheduled event an activity's started or closing
// event belongs to, and the attempt a started event records.
func activityEvent(ev *historypb.HistoryEvent) (scheduled int64, attempt int32, ok bool) {
	switch {
	case ev.GetActivityTaskStartedEventAttributes() != nil:
		a := ev.GetActivityTaskStartedEventAttributes()
		return a.GetScheduledEventId(), a.GetAttempt(), true
	case ev.GetActivityTaskCompletedEventAttributes() != nil:
		return ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), 0, true
	case ev.GetActivityTaskFailedEventAttributes() != nil:
		return ev.GetActivityTaskFailedEventAttributes().GetScheduledEventId(), 0, true
	case ev.GetActivityTaskTimedOutEventAttributes() != nil:
		return ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId(), 0, true
	case ev.GetActivityTaskCanceledEventAttributes() != nil:
		return ev.GetActivityTaskCanceledEventAttributes().GetScheduledEventId(), 0, true
	}
	return 0, 0, false
}
