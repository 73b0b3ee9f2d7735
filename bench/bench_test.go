package bench

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// rolloutSteps are rolloutSpec's steps, which BENCHMARKS.md describes.
func rolloutSteps(t *testing.T) []pipeline.Step {
	t.Helper()
	spec, err := workflows.Default().Catalog().Parse("bench.yaml", []byte(rolloutSpec))
	if err != nil {
		t.Fatal(err)
	}
	return spec.Steps
}

// TestBench is make bench: each measurement in turn (IMAGEPIPE_BENCH_ONLY
// picks some), saved to bench/results.json as it ends, and BENCHMARKS.md
// and the chart written again from the results. It runs only when
// IMAGEPIPE_BENCH is set: it takes many minutes and the whole machine.
func TestBench(t *testing.T) {
	if os.Getenv("IMAGEPIPE_BENCH") == "" {
		t.Skip("make bench runs this (IMAGEPIPE_BENCH=1)")
	}
	ctx := context.Background()
	resultsPath := filepath.Join(testenv.RepoRoot(), "bench", "results.json")
	res, err := loadResults(resultsPath)
	if err != nil {
		t.Fatal(err)
	}
	// IMAGEPIPE_BENCH_ONLY=report measures nothing and writes the report
	// again from the saved results, machine and all.
	if os.Getenv("IMAGEPIPE_BENCH_ONLY") != "report" {
		res.Machine = describeMachine(t)
	} else if res.Waits != nil {
		// What is derived from the measurements is derived again.
		res.Waits.pollCost()
		res.Waits.extrapolate()
	}
	save := func() {
		if err := res.save(resultsPath); err != nil {
			t.Fatal(err)
		}
		if err := writeReport(testenv.RepoRoot(), res, rolloutSteps(t)); err != nil {
			t.Fatal(err)
		}
	}
	if section("throughput") || section("sequential") {
		t.Run("throughput", func(t *testing.T) {
			// Jobs of about a millisecond: every wait is done at its first look.
			s := newStack(t, stackOptions{timing: simkit.Timing{Activation: time.Millisecond, Job: time.Millisecond}})
			activities := shapeActivities
			if section("throughput") {
				res.Throughput = measureThroughput(ctx, t, s)
				activities = res.Throughput.Activities
				save()
			}
			if section("sequential") {
				res.Sequential = measureSequential(ctx, t, s, activities)
				save()
			}
		})
	}
	if section("waits") {
		t.Run("waits", func(t *testing.T) {
			res.Waits = measureWaits(ctx, t)
			save()
		})
	}
	if section("footprint") {
		t.Run("footprint", func(t *testing.T) {
			res.Footprint = measureFootprint(ctx, t)
			save()
		})
	}
	save()
}
