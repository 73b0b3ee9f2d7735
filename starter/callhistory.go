package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// callRecord is one vendor call or job wait of a pipeline, as starter
// history shows it: read from the pipeline's history, its failed attempts
// from the attempt reports the worker signals (Temporal itself keeps only
// the last attempt's failure), a wait's polls from the wait's own history.
type callRecord struct {
	Step     string    `json:"step"`   // the step, or step[item]
	Action   string    `json:"action"` // what the step uses
	Call     string    `json:"call"`   // the activity, or "wait for the <kind> job"
	Summary  string    `json:"summary,omitempty"`
	Attempts int       `json:"attempts"`
	Errors   []string  `json:"errors,omitempty"` // each failed attempt's, in order
	Outcome  string    `json:"outcome"`          // completed, failed, timed out, cancelled, running
	Start    time.Time `json:"start"`
	// Duration is from scheduling to the end, retries and backoff included;
	// so far, while it runs.
	Duration        string  `json:"duration"`
	DurationSeconds float64 `json:"duration_seconds"`
	// WorkflowID and Polls are a job wait's.
	WorkflowID string       `json:"workflow_id,omitempty"`
	Polls      []callRecord `json:"polls,omitempty"`

	scheduled  int64
	end        time.Time
	activityID string
	// unit is the step (and item) the call or wait is for, as its
	// activity ID or its wait's input names it; wait is an AwaitJob
	// child's input.
	unit activities.Unit
	wait *workflows.AwaitJobInput
	// notify is a notification child, whose Polls are its deliveries.
	notify bool
}

// pipelineHistory is what starter history prints.
type pipelineHistory struct {
	WorkflowID string       `json:"workflow_id"`
	RunID      string       `json:"run_id"`
	Pipeline   string       `json:"pipeline"`
	Status     string       `json:"status"`
	Start      time.Time    `json:"start"`
	Calls      []callRecord `json:"calls"`
}

func cmdHistory(ctx context.Context, args []string, stdout io.Writer) error {
	fs := newFlags("history")
	runID := fs.String("run", "", "a run of the workflow other than its latest")
	asJSON := fs.Bool("json", false, "print it as JSON")
	id, err := idArg(fs, args)
	if err != nil {
		return err
	}
	return withClient(ctx, func(c client.Client) error {
		desc, err := c.DescribeWorkflowExecution(ctx, id, *runID)
		if err != nil {
			return asNotFound(fmt.Errorf("history %s: %w", id, err), id, *runID)
		}
		if !isPipeline(desc) {
			return usageError{fmt.Errorf("history: %s", describeOther(ctx, c, desc))}
		}
		info := desc.GetWorkflowExecutionInfo()
		ph, err := readPipelineHistory(ctx, c, id, info.GetExecution().GetRunId(), time.Now())
		if err != nil {
			return err
		}
		ph.Status = statusName(info.GetStatus())
		if *asJSON {
			return json.NewEncoder(stdout).Encode(ph)
		}
		return historyTable(stdout, ph)
	})
}

// readPipelineHistory gathers every call and wait of one pipeline run.
func readPipelineHistory(ctx context.Context, c client.Client, id, runID string, now time.Time) (pipelineHistory, error) {
	h, err := history(ctx, c, id, runID)
	if err != nil {
		return pipelineHistory{}, err
	}
	in, err := startedInput(h)
	if err != nil {
		return pipelineHistory{}, fmt.Errorf("history %s: %w", id, err)
	}
	ph := pipelineHistory{WorkflowID: id, RunID: runID, Pipeline: in.Spec.Name, Start: h.GetEvents()[0].GetEventTime().AsTime()}
	action := func(u activities.Unit) string {
		st, _ := in.Spec.Step(u.StepID)
		return st.Uses
	}
	calls := eventCalls(h, now, func(activityID string) string {
		if unit, ok := workflows.ActivityUnit(activityID); ok {
			return unit.UnitName()
		}
		return activityID
	})
	for i := range calls {
		if u, ok := workflows.ActivityUnit(calls[i].activityID); ok {
			calls[i].unit = u
		}
		calls[i].Action = action(calls[i].unit)
		if calls[i].Call == workflows.WaitForJob {
			activityWait(&calls[i])
		}
		if calls[i].WorkflowID == "" {
			continue
		}
		if ok, err := notifyCall(ctx, c, &calls[i], id, now); ok || err != nil {
			if err != nil {
				return pipelineHistory{}, err
			}
			continue
		}
		if waitChild(&calls[i], id) {
			calls[i].Action = action(calls[i].unit)
		}
		polls, err := waitPolls(ctx, c, calls[i].WorkflowID, now)
		if err != nil {
			return pipelineHistory{}, err
		}
		for k := range polls {
			polls[k].Step, polls[k].Action = calls[i].Step, calls[i].Action
		}
		calls[i].Polls = polls
		calls[i].Summary = ""
	}
	ph.Calls = calls
	return ph, nil
}

// waitChild names an AwaitJob child (a job wait of a pipeline started
// before workflows.JobWaitActivityChange) after its step, its role and its
// job's kind, all from the input the pipeline gave it: its workflow ID,
// <pipeline ID>/<unit>[/role]/<kind>, cannot be split back when an item's
// label holds a "/" (a fan-out over image paths). It reports whether r is
// such a wait.
func waitChild(r *callRecord, pipelineID string) bool {
	w := r.wait
	if w == nil {
		return false
	}
	r.unit = activities.Unit{StepID: w.Step} // a wait given no report: a plain step of that name
	if rep := w.Report; rep != nil {
		r.unit = activities.NewUnit(rep.Step, rep.Item, "")
	}
	r.Step, r.Call = w.Step, "wait for the "+w.Kind+" job"
	middle := strings.TrimSuffix(strings.TrimPrefix(r.WorkflowID, pipelineID+"/"+w.Step), "/"+w.Kind)
	if role := strings.TrimPrefix(middle, "/"); role != "" && role != middle {
		r.Call = role + ": " + r.Call
	}
	return true
}

// eventCalls reads the activities and child workflows of one history.
// unitOf names the step an activity ID belongs to.
func eventCalls(h *historypb.History, now time.Time, unitOf func(activityID string) string) []callRecord {
	var calls []callRecord
	byEvent := map[int64]int{}
	// Failed attempts reported by the worker, by activity ID.
	reported := map[string]map[int32]string{}
	close := func(scheduled int64, at time.Time, outcome string) *callRecord {
		i, ok := byEvent[scheduled]
		if !ok {
			return nil
		}
		calls[i].Outcome, calls[i].end = outcome, at
		return &calls[i]
	}
	activityIDs := map[int64]string{}
	for _, ev := range h.GetEvents() {
		at := ev.GetEventTime().AsTime()
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			a := ev.GetActivityTaskScheduledEventAttributes()
			activityIDs[ev.GetEventId()] = a.GetActivityId()
			byEvent[ev.GetEventId()] = len(calls)
			calls = append(calls, callRecord{Step: unitOf(a.GetActivityId()), Call: a.GetActivityType().GetName(), activityID: a.GetActivityId(),
				Summary: payloadText(ev.GetUserMetadata().GetSummary()), Outcome: "running", Start: at, scheduled: ev.GetEventId()})
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := ev.GetActivityTaskStartedEventAttributes()
			if i, ok := byEvent[a.GetScheduledEventId()]; ok {
				calls[i].Attempts = int(a.GetAttempt())
				if f := a.GetLastFailure(); f != nil && a.GetAttempt() > 1 {
					id := activityIDs[a.GetScheduledEventId()]
					if reported[id] == nil {
						reported[id] = map[int32]string{}
					}
					if _, ok := reported[id][a.GetAttempt()-1]; !ok {
						reported[id][a.GetAttempt()-1] = f.GetMessage()
					}
				}
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			close(ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId(), at, "completed")
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			a := ev.GetActivityTaskFailedEventAttributes()
			if r := close(a.GetScheduledEventId(), at, "failed"); r != nil {
				r.Errors = append(r.Errors, a.GetFailure().GetMessage())
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			a := ev.GetActivityTaskTimedOutEventAttributes()
			if r := close(a.GetScheduledEventId(), at, "timed out"); r != nil {
				r.Errors = append(r.Errors, a.GetFailure().GetMessage())
			}
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_CANCELED:
			close(ev.GetActivityTaskCanceledEventAttributes().GetScheduledEventId(), at, "cancelled")
		case enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
			a := ev.GetWorkflowExecutionSignaledEventAttributes()
			if a.GetSignalName() != workflows.AttemptSignal {
				continue
			}
			var att workflows.Attempt
			if converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &att) != nil {
				continue
			}
			if reported[att.ActivityID] == nil {
				reported[att.ActivityID] = map[int32]string{}
			}
			reported[att.ActivityID][att.Attempt] = att.Error
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
			a := ev.GetStartChildWorkflowExecutionInitiatedEventAttributes()
			byEvent[ev.GetEventId()] = len(calls)
			r := callRecord{Call: "wait", WorkflowID: a.GetWorkflowId(), Outcome: "running", Start: at,
				Summary: payloadText(ev.GetUserMetadata().GetSummary()), scheduled: ev.GetEventId()}
			if a.GetWorkflowType().GetName() == "AwaitJob" {
				var in workflows.AwaitJobInput
				if converter.GetDefaultDataConverter().FromPayloads(a.GetInput(), &in) == nil && in.Kind != "" {
					r.wait = &in
				}
			}
			calls = append(calls, r)
		case enumspb.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_FAILED:
			close(ev.GetStartChildWorkflowExecutionFailedEventAttributes().GetInitiatedEventId(), at, "not started")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED:
			close(ev.GetChildWorkflowExecutionCompletedEventAttributes().GetInitiatedEventId(), at, "completed")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_FAILED:
			a := ev.GetChildWorkflowExecutionFailedEventAttributes()
			if r := close(a.GetInitiatedEventId(), at, "failed"); r != nil {
				r.Errors = append(r.Errors, a.GetFailure().GetMessage())
			}
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED:
			close(ev.GetChildWorkflowExecutionCanceledEventAttributes().GetInitiatedEventId(), at, "cancelled")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TERMINATED:
			close(ev.GetChildWorkflowExecutionTerminatedEventAttributes().GetInitiatedEventId(), at, "terminated")
		case enumspb.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_TIMED_OUT:
			close(ev.GetChildWorkflowExecutionTimedOutEventAttributes().GetInitiatedEventId(), at, "timed out")
		}
	}
	for i := range calls {
		r := &calls[i]
		if r.WorkflowID == "" {
			id := activityIDs[r.scheduled]
			var earlier []string
			for _, n := range sortedAttempts(reported[id]) {
				if r.Attempts == 0 || int(n) < r.Attempts || r.Outcome == "running" {
					earlier = append(earlier, fmt.Sprintf("attempt %d: %s", n, reported[id][n]))
				}
			}
			if r.Attempts == 0 && len(reported[id]) > 0 {
				r.Attempts = int(sortedAttempts(reported[id])[len(reported[id])-1])
			}
			for k, e := range r.Errors {
				r.Errors[k] = fmt.Sprintf("attempt %d: %s", max(r.Attempts, 1), e)
			}
			r.Errors = append(earlier, r.Errors...)
		}
		end := r.end
		if end.IsZero() {
			end = now
		}
		r.Duration, r.DurationSeconds = humanDuration(end.Sub(r.Start)), end.Sub(r.Start).Seconds()
	}
	return calls
}

func sortedAttempts(m map[int32]string) []int32 {
	out := make([]int32, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// waitPolls reads a job wait's looks at its job, following its
// continue-as-new runs from the first.
func waitPolls(ctx context.Context, c client.Client, id string, now time.Time) ([]callRecord, error) {
	var polls []callRecord
	runID := firstRunID(ctx, c, id)
	for range 1000 {
		h, err := history(ctx, c, id, runID)
		if err != nil {
			return nil, err
		}
		calls := eventCalls(h, now, func(string) string { return "" })
		polls = append(polls, calls...)
		last := h.GetEvents()[len(h.GetEvents())-1]
		next := last.GetWorkflowExecutionContinuedAsNewEventAttributes().GetNewExecutionRunId()
		if next == "" {
			break
		}
		runID = next
	}
	return polls, nil
}

// firstRunID is the run a wait began with: the one whose history starts
// without a continued-from run. The latest run is read when none is found.
func firstRunID(ctx context.Context, c client.Client, id string) string {
	runID := ""
	for range 1000 {
		h, err := history(ctx, c, id, runID)
		if err != nil {
			return runID
		}
		prev := h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetContinuedExecutionRunId()
		if prev == "" {
			return h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetOriginalExecutionRunId()
		}
		runID = prev
	}
	return runID
}

// payloadText is a summary payload's text, or "".
func payloadText(p interface{ GetData() []byte }) string {
	if p == nil || len(p.GetData()) == 0 {
		return ""
	}
	var s string
	if err := json.Unmarshal(p.GetData(), &s); err != nil {
		return string(p.GetData())
	}
	return s
}

func historyTable(w io.Writer, ph pipelineHistory) error {
	fmt.Fprintf(w, "pipeline %s (%s): %s, started %s\n", ph.Pipeline, ph.WorkflowID, ph.Status, ph.Start.UTC().Format(time.RFC3339))
	if len(ph.Calls) == 0 {
		fmt.Fprintln(w, "no vendor call or job wait yet")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STEP\tACTION\tCALL\tATTEMPTS\tOUTCOME\tSTART\tDURATION")
	row := func(r callRecord, indent string) {
		attempts := fmt.Sprint(r.Attempts)
		if r.WorkflowID != "" {
			attempts = "-" // a wait's tries are its polls
		}
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\n", indent, r.Step, r.Action, r.Call, attempts, r.Outcome, r.Start.UTC().Format("15:04:05"), r.Duration)
		for _, e := range r.Errors {
			// The error is its row's last cell, so its length widens no column.
			fmt.Fprintf(tw, "\t%s✗ %s\n", indent, e)
		}
	}
	for _, r := range ph.Calls {
		// A wait's tries are its polls, a notification's its deliveries.
		try := "poll"
		if r.notify {
			try = "delivery"
		}
		if r.WorkflowID != "" {
			r.Call = fmt.Sprintf("%s (%s)", r.Call, countOf(len(r.Polls), try))
		}
		row(r, "")
		for _, p := range r.Polls {
			p.Call = try + " " + p.Call
			row(p, "  ")
		}
	}
	return tw.Flush()
}

// countOf is n of a thing, "1 poll", "3 polls", "2 deliveries".
func countOf(n int, thing string) string {
	switch {
	case n == 1:
		return "1 " + thing
	case strings.HasSuffix(thing, "y"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(thing, "y"))
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// activityWait names a job wait that is a WaitForJob activity (pipelines
// since workflows.JobWaitActivityChange) after its job's kind, and counts
// its attempts as its looks. Its looks at the job while it ran are no
// errors: they leave no history (Temporal keeps only the last attempt's
// failure), so only a look's passing errors reported by the worker stay.
func activityWait(r *callRecord) {
	kind := "vendor"
	if _, rest, ok := strings.Cut(r.Summary, ": wait for "); ok {
		kind, _, _ = strings.Cut(rest, " ")
	}
	r.Call = fmt.Sprintf("wait for the %s job (%s)", kind, countOf(r.Attempts, "look"))
	errs := r.Errors[:0]
	for _, e := range r.Errors {
		if !strings.Contains(e, ": waiting for "+kind+" ") {
			errs = append(errs, e)
		}
	}
	r.Errors = errs
}
