package bench

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// measureSequential runs the four steps one after another, one pipeline
// at a time, alternating with the raw floor of the same activities: a
// step's latency against the floor's for the same calls and polls.
func measureSequential(ctx context.Context, t *testing.T, s *stack, activities int) *SequentialResult {
	runs := knobInt(t, "IMAGEPIPE_BENCH_SEQUENTIAL_RUNS", 10)
	start := s.starters(t, sequentialSpec, activities)
	var ip, raw []float64
	for r := range runs {
		tag := time.Now().UnixNano() % 100000
		for i, k := range []string{kindImagepipe, kindRaw} {
			if r%2 == 1 {
				k = []string{kindRaw, kindImagepipe}[i]
			}
			b := s.runBatch(ctx, t, fmt.Sprintf("seq-%s-%d-%d", shortKind(k), r, tag), 1, 1, start[k])
			if k == kindImagepipe {
				ip = append(ip, b.latencies...)
			} else {
				raw = append(raw, b.latencies...)
			}
		}
	}
	res := &SequentialResult{Steps: sequentialSteps, Activities: activities, Runs: runs,
		PipelineP50: percentile(ip, 50), FloorP50: percentile(raw, 50)}
	res.PerStep = res.PipelineP50 / float64(res.Steps)
	res.PerActivity = res.FloorP50 / float64(activities)
	res.FloorPerStep = res.FloorP50 / float64(res.Steps)
	fmt.Printf("bench: sequential: %.0f ms per step (%d steps, p50 %.2fs) | raw floor %.0f ms per activity, %.0f ms per step's %.1f activities (%.2fx)\n",
		res.PerStep*1000, res.Steps, res.PipelineP50, res.PerActivity*1000, res.FloorPerStep*1000,
		float64(activities)/float64(res.Steps), ratio(res.PerStep, res.FloorPerStep))
	return res
}
