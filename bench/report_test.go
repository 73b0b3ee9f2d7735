package bench

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/pipeline"
)

// sampleSteps is a pipeline of made-up vendors: a chain of two steps and
// one beside it.
var sampleSteps = []pipeline.Step{
	{ID: "make", Uses: "acme.make_image"},
	{ID: "ship", Uses: "globex.ship_image", Needs: []string{"make"}},
	{ID: "room", Uses: "initech.create_room"},
}

func sampleResults() Results {
	ks := func(c int, ip, shape, raw float64) []KindStats {
		return []KindStats{
			{Kind: kindImagepipe, Concurrency: c, PerSecond: ip, P50: 1, P99: 2, Events: 140, StateTransitions: 84, Actions: 28},
			{Kind: kindShape, Concurrency: c, PerSecond: shape, P50: 1, P99: 2, Events: 135, StateTransitions: 82, Actions: 22},
			{Kind: kindRaw, Concurrency: c, PerSecond: raw, P50: 0.5, P99: 1, Events: 65, StateTransitions: 33, Actions: 11},
		}
	}
	return Results{
		Machine: Machine{Date: "2026-12-01 13:00 UTC", Cores: 2, Load: "0.5 0.5 0.5"},
		Throughput: &ThroughputResult{Rounds: 3, Activities: 10, Children: 1, ByConcurrency: map[int][]KindStats{
			1: ks(1, 0.7, 0.7, 1.8), 10: ks(10, 2, 2, 7), 50: ks(50, 6, 7, 7),
		}},
		Sequential: &SequentialResult{Steps: 4, Activities: 10, Runs: 10, PipelineP50: 0.8, FloorP50: 0.4, PerStep: 0.2, PerActivity: 0.04, FloorPerStep: 0.1},
		Waits: &WaitsResult{EventsPerPoll: 10.2, Runs: []WaitRun{
			{Job: "10s", JobSecs: 10, Polls: 8, Events: 230, Waits: []WaitStats{{Kind: "fpp.job", JobSeconds: 10, Polls: 2, DelaySeconds: 0.5, Attempts: 2, Events: 3}, {Kind: "zstack.job", JobSeconds: 10, Polls: 6, DelaySeconds: 3.4, Attempts: 6, Events: 3}}},
			{Job: "1m0s", JobSecs: 60, Polls: 12, Events: 300, Waits: []WaitStats{{Kind: "fpp.job", JobSeconds: 60, Polls: 4, DelaySeconds: 1}, {Kind: "zstack.job", JobSeconds: 60, Polls: 8, DelaySeconds: 1}}},
			{Job: "24h0m0s", JobSecs: 86400, Simulated: true, Extrapolated: true, Polls: 3000, Events: 30000, Waits: []WaitStats{{Kind: "fpp.job", JobSeconds: 86400, Polls: 720, DelaySeconds: 100}, {Kind: "zstack.job", JobSeconds: 1800, Polls: 90, DelaySeconds: 1}}},
		}},
		Footprint: &FootprintResult{JobHours: 2, Phases: []FootprintPhase{
			{CacheSize: 10000, Pipelines: 1000, PeakRSSMB: 260, Rising: true},
			{CacheSize: 1000, Pipelines: 1000, PeakRSSMB: 120},
		}},
	}
}

// expectLines fails the test for each of wants that the report md lacks.
func expectLines(t *testing.T, md string, wants []string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(md, want) {
			t.Errorf("BENCHMARKS.md lacks %q", want)
		}
	}
}

func TestReport_SaysForEachTargetWhetherItHoldsWithTheFigure(t *testing.T) {
	md := report(sampleResults(), nil, sampleSteps)
	expectLines(t, md, []string{
		"| detection delay ≤ max(2 s, 10% of the job) in the 10s run | worst 3.4 s late (zstack.job, a 10s job: target 2.0 s) | no |",
		"| detection delay ≤ max(2 s, 10% of the job) in the 24h0m0s run | worst 1.0 s late (zstack.job, a 30m0s job: target 180.0 s) | yes |",
		"| at most 1 history event per poll | 10.20 per poll (between the 10s and 1m0s runs) | no |",
		"| a pipeline's history independent of its jobs' durations | 230 events with 10s jobs, 300 with 1m0s (measured) | no |",
		"| 10s | real | zstack.job | 10s | 6 | 6 | 3.4 s | 2.0 s | 3 |",
		"| throughput ≥ 0.8× the raw floor at concurrency 50 | 0.86× (6.00 against 7.00 workflows/s) | yes |",
		"| sequential per-step latency ≤ 1.2× the floor's | 2.00× (200 ms against 100 ms) | no |",
		"| worker RSS ≤ 150 MB with 1000 pipelines in flight, cache 10000 | peak 260 MB, still rising | no |",
		"| worker RSS ≤ 150 MB with 1000 pipelines in flight, cache 1000 | peak 120 MB | yes |",
		"![throughput against concurrency](bench/throughput.svg)",
	})
	if strings.Contains(md, "the machine is shared") {
		t.Error("a run on an idle machine (load 0.5) is said to have shared it")
	}
}

func TestReport_SaysWhatTheRedesignBoughtBeforeAndAfter(t *testing.T) {
	before, after := sampleResults(), sampleResults()
	before.Machine.Date = "2026-12-01 12:00 UTC"
	after.Waits = &WaitsResult{EventsPerPoll: 0.1, Runs: []WaitRun{
		{Job: "10s", JobSecs: 10, Polls: 4, Events: 90, Waits: []WaitStats{{Kind: "fpp.job", JobSeconds: 10, Polls: 2, DelaySeconds: 0.3}}},
	}}
	after.Throughput.ByConcurrency[50][0].PerSecond = 6.5
	md := report(after, []comparison{{changes[0], before, after}}, sampleSteps)
	expectLines(t, md, []string{
		"## What the job-wait redesign bought",
		"the run of 2026-12-01 12:00 UTC (`bench/before.json`)",
		"| worst detection delay, 10s jobs | 3.4 s (zstack.job, target 2.0 s) | 0.3 s (fpp.job, target 2.0 s) |",
		"| pipeline history, 10s jobs | 230 events, 8 polls | 90 events, 4 polls |",
		"| history events per poll | 10.20 | 0.10 |",
		"| throughput at concurrency 50: of the raw floor (workflows/s) | 0.86× (6.00 against 7.00) | 0.93× (6.50 against 7.00) |",
	})
	if strings.Contains(md, "pipeline history, 1m0s jobs") {
		t.Error("a figure this run did not measure is compared")
	}
	if strings.Contains(report(after, nil, sampleSteps), "What the job-wait redesign bought") {
		t.Error("with no run before, the report still compares")
	}
}

// The prose names the steps, actions and job kinds of what was run, from
// the pipeline and the results, whatever vendors they are.
func TestReport_NamesTheStepsAndJobKindsItRan(t *testing.T) {
	md := report(sampleResults(), nil, sampleSteps)
	expectLines(t, md, []string{
		"The pipeline is the rollout, `make` (`acme.make_image`) → `ship` (`globex.ship_image`), and `room` (`initech.create_room`) in parallel, every job",
		"The same pipeline with its `fpp.job` jobs taking the run's length, its `zstack.job` jobs the same up to 30 min",
	})
	for _, vendor := range []string{"FPP", "Huawei", "IMS", "ZStack", "OCI"} {
		if strings.Contains(md, vendor) {
			t.Errorf("BENCHMARKS.md names %s, which the results and pipeline it was given do not", vendor)
		}
	}
}

func TestDescribeSteps_ChainsAndParallelBranches(t *testing.T) {
	for _, tc := range []struct {
		steps []pipeline.Step
		want  string
	}{
		{sampleSteps[:1], "`make` (`acme.make_image`)"},
		{sampleSteps[:2], "`make` (`acme.make_image`) → `ship` (`globex.ship_image`)"},
		{[]pipeline.Step{
			{ID: "a", Uses: "x.a"}, {ID: "b", Uses: "x.b", Needs: []string{"a"}}, {ID: "c", Uses: "x.c", Needs: []string{"a"}},
		}, "`a` (`x.a`), `b` (`x.b`, after `a`), and `c` (`x.c`, after `a`) in parallel"},
	} {
		if got := describeSteps(tc.steps); got != tc.want {
			t.Errorf("describeSteps = %q, want %q", got, tc.want)
		}
	}
}

func TestThroughputSVG_PlotsEveryKindAtEveryConcurrency(t *testing.T) {
	svg := throughputSVG(sampleResults().Throughput)
	if n := strings.Count(svg, "<circle"); n != 9 {
		t.Errorf("%d points, want 3 kinds at 3 concurrencies", n)
	}
	if n := strings.Count(svg, "<polyline"); n != 3 {
		t.Errorf("%d lines, want one per kind", n)
	}
	for _, want := range []string{kindImagepipe, kindShape, kindRaw, ">50</text>", "<svg", "</svg>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

// Each change is compared between its own two runs: the older redesign
// between the run before it and the run after it, the latest between the
// run before it and this run, so no figure is credited to the wrong one.
func TestWriteReport_EachChangeComparesItsOwnRuns(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "bench"), 0o755); err != nil {
		t.Fatal(err)
	}
	runs := map[string]float64{"bench/before.json": 4, "bench/before-engine.json": 5}
	for path, rate := range runs {
		r := sampleResults()
		r.Machine.Date = path
		r.Throughput.ByConcurrency[50][0].PerSecond = rate
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, path), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := sampleResults()
	now.Throughput.ByConcurrency[50][0].PerSecond = 6.5
	if err := writeReport(root, now, sampleSteps); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(root, "BENCHMARKS.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	first, second := strings.Index(md, "## "+changes[0].Title), strings.Index(md, "## "+changes[1].Title)
	if first < 0 || second < first {
		t.Fatalf("BENCHMARKS.md lacks a change's section, or has them out of order:\n%s", md)
	}
	row := "| throughput at concurrency 50: of the raw floor (workflows/s) |"
	older, latest := md[first:second], md[second:]
	if !strings.Contains(older, row+" 0.57× (4.00 against 7.00) | 0.71× (5.00 against 7.00) |") {
		t.Errorf("the job-wait redesign is not compared between its own runs:\n%s", older)
	}
	if !strings.Contains(latest, row+" 0.71× (5.00 against 7.00) | 0.93× (6.50 against 7.00) |") {
		t.Errorf("the latest change is not compared between the run before it and this run:\n%s", latest)
	}
}

// With the lock's span measured, the sequential miss is explained by it:
// 200 ms a step against the floor's 100 ms, the lock 500 ms where a call
// is 100 ms, so without the lock a step would be 100 ms, 1.00×.
func TestReport_TheSequentialMissNamesTheLocksMeasuredSpan(t *testing.T) {
	r := sampleResults()
	r.Sequential.LockP50, r.Sequential.CallP50 = 0.5, 0.1
	expectLines(t, report(r, nil, sampleSteps), []string{
		"Why the sequential target does not hold: the copy's name lock holds a run up 500 ms where an activity holds it up 100 ms; without that difference a step would cost 1.00× the floor's.",
		"Of a run, the copy's name lock (a child workflow: its start, its two workflow tasks and the call it makes, and the pipeline's workflow tasks when it starts and ends) holds up **500 ms**, where one of the run's activities holds it up 100 ms (p50 of the runs, from the histories' event times). Were the lock one activity, a step would cost 1.00× the floor's.",
	})
}
