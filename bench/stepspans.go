package bench

import (
	historypb "go.temporal.io/api/history/v1"
)

// stepSpans reads a sequential pipeline's history (one activity or child
// workflow at a time): for each activity and each child workflow (the
// copy's name lock), the span from its scheduling to the first workflow
// task completed after it closed, which is how long it held the pipeline
// up. It returns the children's spans summed and the activities' p50;
// ok is false for a history with no child.
func stepSpans(events []*historypb.HistoryEvent) (children, call float64, ok bool) {
	var calls []float64
	var open float64
	isChild, pending, closed := false, false, false
	for _, ev := range events {
		at := float64(ev.GetEventTime().AsTime().UnixNano()) / 1e9
		switch {
		case ev.GetActivityTaskScheduledEventAttributes() != nil && !pending:
			open, isChild, pending, closed = at, false, true, false
		case ev.GetStartChildWorkflowExecutionInitiatedEventAttributes() != nil && !pending:
			open, isChild, pending, closed = at, true, true, false
			ok = true
		case ev.GetActivityTaskCompletedEventAttributes() != nil && !isChild,
			ev.GetChildWorkflowExecutionCompletedEventAttributes() != nil && isChild:
			closed = true
		case ev.GetWorkflowTaskCompletedEventAttributes() != nil && pending && closed:
			if isChild {
				children += at - open
			} else {
				calls = append(calls, at-open)
			}
			pending = false
		}
	}
	return children, percentile(calls, 50), ok
}
