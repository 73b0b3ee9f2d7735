package bench

import (
	"context"
	"fmt"
	"strings"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
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
}

// runCost is what one workflow's runs cost.
type runCost struct {
	Runs             int
	Polls            int // activities, in a job wait
	Events           int
	StateTransitions int64
}

// walkTree reads the histories of workflow id's latest run and of all
// its children's runs.
func walkTree(ctx context.Context, c client.Client, id string) (treeStats, error) {
	st := treeStats{ByWorkflow: map[string]runCost{}}
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
			if ev.GetActivityTaskScheduledEventAttributes() != nil {
				st.Activities++
				cost.Polls++
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

// waitKind is the job kind of a job wait's workflow ID (…/<step>/<kind>),
// or "" for a workflow that is no job wait.
func waitKind(wid string) string {
	for _, k := range []string{"fpp.job", "huawei.job", "huawei.image", "zstack.job", "oci.compartment"} {
		if strings.HasSuffix(wid, "/"+k) {
			return k
		}
	}
	return ""
}
