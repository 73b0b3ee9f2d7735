package bench

import (
	"context"

	"fmt"
	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"testing"
	"time"
)

// measureSequential runs the four steps one after another, one pipeline
// at a time, alternating with the raw floor of the same activities: a
// step's latency against the floor's for the same calls and polls.
func measureSequential(ctx context.Context, t *testing.T, s *stack, activities int) *SequentialResult {
	runs := knobInt(t, "IMAGEPIPE_BENCH_SEQUENTIAL_RUNS", 10)
	start := s.starters(t, sequentialSpec, activities)
	var ip, raw, locks, calls []float64
	for r := range runs {
		tag := time.Now().UnixNano() % 100000
		for i, k := range []string{kindImagepipe, kindRaw} {
			if r%2 == 1 {
				k = []string{kindRaw, kindImagepipe}[i]
			}
			b := s.runBatch(ctx, t, fmt.Sprintf("seq-%s-%d-%d", shortKind(k), r, tag), 1, 1, start[k])
			if k == kindImagepipe {
				ip = append(ip, b.latencies...)
				for _, id := range b.ids {
					if lock, call, ok := s.stepSpansOf(ctx, t, id); ok {
						locks, calls = append(locks, lock), append(calls, call)
					}
				}
			} else {
				raw = append(raw, b.latencies...)
			}
		}
	}
	res := &SequentialResult{Steps: sequentialSteps, Activities: activities, Runs: runs,
		PipelineP50: percentile(ip, 50), FloorP50: percentile(raw, 50)}
	res.LockP50, res.CallP50 = percentile(locks, 50), percentile(calls, 50)
	res.PerStep = res.PipelineP50 / float64(res.Steps)
	res.PerActivity = res.FloorP50 / float64(activities)
	res.FloorPerStep = res.FloorP50 / float64(res.Steps)
	fmt.Printf("bench: sequential: %.0f ms per step (%d steps, p50 %.2fs) | raw floor %.0f ms per activity, %.0f ms per step's %.1f activities (%.2fx)\n",
		res.PerStep*1000, res.Steps, res.PipelineP50, res.PerActivity*1000, res.FloorPerStep*1000,
		float64(activities)/float64(res.Steps), ratio(res.PerStep, res.FloorPerStep))
	return res
}

// stepSpansOf reads a finished pipeline's history for stepSpans.
func (s *stack) stepSpansOf(ctx context.Context, t *testing.T, id string) (lock, call float64, ok bool) {
	t.Helper()
	var events []*historypb.HistoryEvent
	it := s.c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", id, err)
		}
		events = append(events, ev)
	}
	return stepSpans(events)
}
