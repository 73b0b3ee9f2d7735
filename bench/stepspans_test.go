package bench

import (
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"google.golang.org/protobuf/types/known/timestamppb"
)

// A made-up history: an activity of 50 ms, a child of 250 ms, an activity
// of 60 ms, each counted until the workflow task after it completed.
func TestStepSpans_ChildAndCallsAsTheyHeldThePipelineUp(t *testing.T) {
	t0 := time.Unix(1000, 0)
	var events []*historypb.HistoryEvent
	add := func(ms int, ev *historypb.HistoryEvent) {
		ev.EventId = int64(len(events) + 1)
		ev.EventTime = timestamppb.New(t0.Add(time.Duration(ms) * time.Millisecond))
		events = append(events, ev)
	}
	scheduled := func() *historypb.HistoryEvent {
		return &historypb.HistoryEvent{Attributes: &historypb.HistoryEvent_ActivityTaskScheduledEventAttributes{ActivityTaskScheduledEventAttributes: &historypb.ActivityTaskScheduledEventAttributes{}}}
	}
	completed := func() *historypb.HistoryEvent {
		return &historypb.HistoryEvent{Attributes: &historypb.HistoryEvent_ActivityTaskCompletedEventAttributes{ActivityTaskCompletedEventAttributes: &historypb.ActivityTaskCompletedEventAttributes{}}}
	}
	wftDone := func() *historypb.HistoryEvent {
		return &historypb.HistoryEvent{Attributes: &historypb.HistoryEvent_WorkflowTaskCompletedEventAttributes{WorkflowTaskCompletedEventAttributes: &historypb.WorkflowTaskCompletedEventAttributes{}}}
	}
	add(0, scheduled())
	add(10, completed())
	add(50, wftDone())
	add(50, &historypb.HistoryEvent{Attributes: &historypb.HistoryEvent_StartChildWorkflowExecutionInitiatedEventAttributes{StartChildWorkflowExecutionInitiatedEventAttributes: &historypb.StartChildWorkflowExecutionInitiatedEventAttributes{}}})
	add(90, wftDone()) // after the child started: the child still runs
	add(250, &historypb.HistoryEvent{Attributes: &historypb.HistoryEvent_ChildWorkflowExecutionCompletedEventAttributes{ChildWorkflowExecutionCompletedEventAttributes: &historypb.ChildWorkflowExecutionCompletedEventAttributes{}}})
	add(300, wftDone())
	add(300, scheduled())
	add(320, completed())
	add(360, wftDone())
	children, call, ok := stepSpans(events)
	wantCall := percentile([]float64{0.050, 0.060}, 50)
	if !ok || round(children*1000) != 250 || round(call*1000) != round(wantCall*1000) {
		t.Errorf("children %.0f ms, call p50 %.0f ms (child seen: %v); want 250 ms and %.0f ms", children*1000, call*1000, ok, wantCall*1000)
	}
}

func round(x float64) int { return int(x + 0.5) }
