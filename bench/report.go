package bench

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/pipeline"
)

// Prices and limits the capacity model uses, from Temporal's pages.
const (
	// cloudDefaultAPS is a Temporal Cloud namespace's default limit,
	// docs.temporal.io/cloud/limits ("500 actions per second").
	cloudDefaultAPS = 500
	// Unverified: Temporal Cloud's list price per million actions at the
	// lowest tier; temporal.io/pricing is the authority and changes.
	dollarsPerMillionActions = 50.0
)

// A change is a redesign BENCHMARKS.md says the worth of: the results of
// the last full run before it and of the first after it (After "" is this
// run: the latest change), kept in the repository so the comparison is
// written again by every run.
type change struct {
	Title, What   string
	Before, After string
}

// changes are the redesigns, oldest first.
var changes = []change{
	{
		Title:  "What the job-wait redesign bought",
		What:   "A job wait used to be an AwaitJob child workflow with a timer and a workflow task per look; new pipelines wait with one WaitForJob activity whose retry policy is the poll schedule (a look per attempt, a retry adding no history event, the next look at a tenth of the job's age).",
		Before: "bench/before.json", After: "bench/before-engine.json",
	},
	{
		Title:  "What one engine version and a name lock that makes its own call bought",
		What:   "A new pipeline used to ask each workflow change it had picked up over time (`workflow.GetVersion`), and each first ask records a marker and upserts `TemporalChangeVersion`; it now asks one engine version at its start, which stands for all of them. The copy's name lock used to be held across the copy call and released by a signal, with a lease timer; the lock now makes the check-and-create call itself and ends with it, so the pipeline pays one child workflow and nothing else.",
		Before: "bench/before-engine.json",
	},
}

// comparison is a change with its two runs loaded.
type comparison struct {
	change
	before, after Results
}

// writeReport writes BENCHMARKS.md at root and the chart beside the bench;
// steps are the bench pipeline's, which the report describes.
func writeReport(root string, r Results, steps []pipeline.Step) error {
	if r.Throughput != nil {
		if err := os.WriteFile(filepath.Join(root, "bench", "throughput.svg"), []byte(throughputSVG(r.Throughput)), 0o644); err != nil {
			return err
		}
	}
	var cs []comparison
	for _, c := range changes {
		before, err := loadResults(filepath.Join(root, c.Before))
		if err != nil {
			return err
		}
		after := r
		if c.After != "" {
			if after, err = loadResults(filepath.Join(root, c.After)); err != nil {
				return err
			}
		}
		if before.Machine.Date != "" && after.Machine.Date != "" {
			cs = append(cs, comparison{c, before, after})
		}
	}
	return os.WriteFile(filepath.Join(root, "BENCHMARKS.md"), []byte(report(r, cs, steps)), 0o644)
}

// report is BENCHMARKS.md; cs are the changes whose runs are known;
// steps are the bench pipeline's.
func report(r Results, cs []comparison, steps []pipeline.Step) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	m := r.Machine
	p("# Benchmarks")
	p("")
	p("Written by `make bench` from `bench/results.json`; every figure below is from one run on one machine, imagepipe and the floor measured side by side in that run. Do not edit by hand: run `make bench` again.")
	p("")
	p("- **When**: %s", m.Date)
	shared := ""
	if load1, err := strconv.ParseFloat(strings.Fields(m.Load + " 0")[0], 64); err == nil && load1 >= 1 {
		shared = " (the machine is shared: other builds and tests ran on it during the run, so absolute figures are low and noisy; the ratios, measured in alternating rounds, are the figures to read)"
	}
	p("- **Machine**: %s, %d cores, %d MB, Linux %s; load average %s when the run began%s", m.CPU, m.Cores, m.MemoryMB, m.Kernel, m.Load, shared)
	p("- **Versions**: %s, Temporal Go SDK %s, %s", m.Go, m.SDK, m.Server)
	p("- **Server**: one Temporal CLI dev server with the project's settings (file SQLite in WAL mode, `synchronous=normal`, eager activities, imagepipe's search attributes), with its Prometheus endpoint on for the `action` counter")
	p("- **imagepipe**: the worker binary (`bin/worker`, its default settings, logging at warn) against the four vendor emulators served in the bench's process; **floor**: a bare SDK worker with default options in the bench's process, running no-op activities")
	p("")
	targets(&b, r)
	for _, c := range cs {
		bought(&b, c)
	}
	if t := r.Throughput; t != nil {
		throughputSection(&b, t, steps)
	}
	if s := r.Sequential; s != nil {
		p("## Sequential steps")
		p("")
		p("The four steps one after another (`import → copy → attributes → compartment`), one pipeline at a time, %d runs alternating with the raw floor of the same %d activities in a row (p50 of each).", s.Runs, s.Activities)
		p("")
		p("| | p50 of a run | per step | per activity |")
		p("|---|---|---|---|")
		p("| imagepipe | %.2f s | %.0f ms | |", s.PipelineP50, s.PerStep*1000)
		p("| raw floor | %.2f s | %.0f ms (%.1f activities) | %.0f ms |", s.FloorP50, s.FloorPerStep*1000, float64(s.Activities)/float64(s.Steps), s.PerActivity*1000)
		p("")
		p("A step costs **%.2f×** the floor's latency for the same calls and polls.", ratio(s.PerStep, s.FloorPerStep))
		p("")
		if s.LockP50 > 0 {
			p("Of a run, the copy's name lock (a child workflow: its start, its two workflow tasks and the call it makes, and the pipeline's workflow tasks when it starts and ends) holds up **%.0f ms**, where one of the run's activities holds it up %.0f ms (p50 of the runs, from the histories' event times). Were the lock one activity, a step would cost %.2f× the floor's.",
				s.LockP50*1000, s.CallP50*1000, ratio(s.PerStep-(s.LockP50-s.CallP50)/float64(s.Steps), s.FloorPerStep))
			p("")
		}
	}
	if w := r.Waits; w != nil {
		waitsSection(&b, w)
	}
	if f := r.Footprint; f != nil {
		p("## Worker footprint")
		p("")
		p("%d pipelines started as fast as 20 clients can, every job taking %.0f h so all stay in flight, the worker binary watched through its own `/metrics` (`process_resident_memory_bytes`, `go_goroutines`, `temporal_sticky_cache_size`) every 5 s while they start and until the worker has caught up with them (the server's backlog of workflow tasks empty twice running, a minute after the first start at the earliest), then a minute more. Each cache size runs on a server of its own.", firstPipelines(f), f.JobHours)
		p("")
		p("| `IMAGEPIPE_WORKFLOW_CACHE_SIZE` | running workflows | RSS peak | RSS at the end | still rising | goroutines (peak) | cached workflows | all started / worker caught up / watched |")
		p("|---|---|---|---|---|---|---|---|")
		for _, ph := range f.Phases {
			caught := "not within the watch"
			if ph.CaughtUpSeconds > 0 {
				caught = fmt.Sprintf("%.0f s", ph.CaughtUpSeconds)
			}
			p("| %d | %d | %.0f MB | %.0f MB | %s | %d | %.0f | %.0f s / %s / %.0f s |", ph.CacheSize, ph.Running, ph.PeakRSSMB, ph.LastRSSMB, yesNo(ph.Rising), ph.PeakGoroutines, ph.StickyCache, ph.StartSeconds, caught, ph.WatchSeconds)
		}
		p("")
		var behind []string
		for _, ph := range f.Phases {
			if ph.CaughtUpSeconds == 0 {
				behind = append(behind, strconv.Itoa(ph.CacheSize))
			}
		}
		if len(behind) > 0 {
			p("With cache %s the worker never caught up within the watch: the server's backlog of workflow tasks for %d pipelines stayed, so the figures are those of a saturated worker.", strings.Join(behind, " and "), firstPipelines(f))
			p("")
		}
		p("The SDK keeps every workflow it has run in its sticky cache, 10,000 by default: each cached workflow holds its state and its coroutines' goroutines. The worker sizes the cache from `IMAGEPIPE_WORKFLOW_CACHE_SIZE` (default 500) and bounds its concurrent workflow tasks with `IMAGEPIPE_MAX_CONCURRENT_WORKFLOW_TASKS`; a workflow evicted from the cache is replayed from its history at its next task, trading memory for a history fetch and CPU. A waiting pipeline has no workflow task until its job is done: each look at the job is an attempt of its WaitForJob activity, which the server retries on the poll schedule without waking the workflow.")
		p("")
	}
	capacity(&b, r)
	p("## How each figure is measured")
	p("")
	p("- **Throughput**: at each concurrency c, closed loop: c clients each start a workflow and wait for its result, then start the next, until the round's workflows are done; throughput is the round's workflows over its wall time, all rounds of a kind pooled. Rounds alternate imagepipe, the same-shape floor and the raw floor, each round starting with the next kind.")
	p("- **p50 / p99**: of each workflow's time from the start call to its result, as a client sees it.")
	p("- **History events**: the events of the workflow and every child it started, every run across continue-as-new (`GetWorkflowHistory`).")
	p("- **State transitions**: the server's own count, `state_transition_count` of `DescribeWorkflowExecution` for each run, summed over the same workflows. (The server's `state_transition_count` Prometheus histogram records a workflow's running total at each update, `emitStateTransitionCount` in temporalio/temporal's service/history/workflow/context.go, so its sum is not a count of transitions.)")
	p("- **Actions**: the dev server's `action` counter for namespace `default`, summed over action types, over the rounds, divided by the workflows; Temporal's guide to estimating Cloud actions from a self-hosted server uses this metric (docs.temporal.io/cloud/migrate/estimate-actions). It counts what the server did, retries included, which a history does not show.")
	p("- **Polls and detection delay**: from the vendor emulators' side: the call that made each job, each look at it, and the first look that found it done; the delay is that look's time less the moment the job was done (made + its length), on the emulators' clock. Real-time lengths run on the dev server; simulated ones in the SDK's time-skipping test environment (`testsuite`), the real activities calling the emulators over HTTP and the emulators reading the environment's clock.")
	p("- **Wait attempts and a wait's events**: a job wait is one WaitForJob activity whose retry policy is the poll schedule, one attempt per look. On the dev server, its events are the ones of that activity in the pipeline's history (scheduled, started, closed) and its attempts the number its started event records; in the time-skipping environment, its attempts are counted as they start. The server counts state transitions per workflow, not per activity, so those are given per pipeline and per poll only.")
	p("- **Cost of one more poll**: between the shortest and longest real-time runs, the difference of the job waits' own events (of the pipeline's transitions and actions) over the difference of its polls; events are read from the waits because the rest of a pipeline's history varies by a workflow task from run to run (its branches' last completions share one workflow task or not). The time-skipping environment keeps no server history, so a simulated run's events, transitions and actions are the shortest real run's plus its extra polls at that cost (marked *extrapolated*); a cost measured below zero (two histories an event or two apart, polls adding none) extrapolates as zero.")
	p("- **Footprint**: the worker's own Prometheus metrics: resident memory of its process, goroutines, and the SDK's sticky cache size; running workflows by `CountWorkflowExecutions` at the end.")
	p("")
	p("Knobs (environment variables of `make bench`): `IMAGEPIPE_BENCH_ONLY` (throughput, sequential, waits, footprint, comma-separated; `report` measures nothing and writes this file again from `bench/results.json`), `IMAGEPIPE_BENCH_CONCURRENCY` (1,10,50), `IMAGEPIPE_BENCH_ROUNDS` (3), `IMAGEPIPE_BENCH_PER_SLOT` (2 workflows a round per unit of concurrency, at least 10), `IMAGEPIPE_BENCH_SEQUENTIAL_RUNS` (10), `IMAGEPIPE_BENCH_REAL_WAITS` (10s,1m), `IMAGEPIPE_BENCH_SIM_WAITS` (10m,1h,24h), `IMAGEPIPE_BENCH_INFLIGHT` (1000), `IMAGEPIPE_BENCH_FOOTPRINT_WATCH` (4m, the most a footprint phase watches), `IMAGEPIPE_BENCH_CACHE_SIZES` (10000,500).")
	return b.String()
}

func firstPipelines(f *FootprintResult) int {
	if len(f.Phases) == 0 {
		return 0
	}
	return f.Phases[0].Pipelines
}

func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}

func throughputSection(b *strings.Builder, t *ThroughputResult, steps []pipeline.Step) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	p("## Throughput against the floor")
	p("")
	p("The pipeline is the rollout, %s, every job taking about 1 ms: its history shows %d activities (6 vendor calls and 4 job waits, each a WaitForJob activity that finds its job done at the first look) in %d workflows (the pipeline and the copy's name lock). The **same-shape floor** (`ShapeFloor`) runs as many no-op activities and child workflows in the same order; the **raw floor** (`RawFloor`) runs the %d activities one after another in one workflow. %d rounds per concurrency.", describeSteps(steps), t.Activities, t.Children+1, t.Activities, t.Rounds)
	p("")
	p("![throughput against concurrency](bench/throughput.svg)")
	p("")
	p("| in flight | kind | workflows/s | × imagepipe's | p50 | p99 | events | state transitions | actions | rounds (workflows/s) |")
	p("|---|---|---|---|---|---|---|---|---|---|")
	for _, c := range sortedConcs(t) {
		ks := t.ByConcurrency[c]
		for _, k := range ks {
			var rates []string
			for _, r := range k.RoundRates {
				rates = append(rates, fmt.Sprintf("%.2f", r))
			}
			p("| %d | %s | %.2f | %.2f | %.2f s | %.2f s | %d | %d | %.0f | %s |", c, k.Kind, k.PerSecond, ratio(k.PerSecond, ks[0].PerSecond), k.P50, k.P99, k.Events, k.StateTransitions, k.Actions, strings.Join(rates, ", "))
		}
	}
	p("")
	p("imagepipe as a fraction of each floor:")
	p("")
	p("| in flight | of the same-shape floor | of the raw floor | p99 against the raw floor's |")
	p("|---|---|---|---|")
	for _, c := range sortedConcs(t) {
		ks := t.ByConcurrency[c]
		p("| %d | %.2f× | %.2f× | %.2f s / %.2f s |", c, ratio(ks[0].PerSecond, ks[1].PerSecond), ratio(ks[0].PerSecond, ks[2].PerSecond), ks[0].P99, ks[2].P99)
	}
	p("")
	if len(t.ActionsByType) > 0 {
		var types []string
		for k := range t.ActionsByType {
			types = append(types, k)
		}
		slices.SortFunc(types, func(a, b string) int { return int(t.ActionsByType[b]*100 - t.ActionsByType[a]*100) })
		var parts []string
		for _, k := range types {
			parts = append(parts, fmt.Sprintf("%s %.1f", k, t.ActionsByType[k]))
		}
		p("A pipeline's actions by type (the server's `action` metric): %s.", strings.Join(parts, ", "))
		p("")
	}
}

func sortedConcs(t *ThroughputResult) []int {
	var cs []int
	for c := range t.ByConcurrency {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

func waitsSection(b *strings.Builder, w *WaitsResult) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	p("## Job waits")
	p("")
	long, capped := jobSplit(w)
	p("The same pipeline with its %s jobs taking the run's length, its %s jobs the same up to %.0f min (their poll policies give up after an hour). Each job wait is one WaitForJob activity, a look at the job per attempt. One more poll costs **%.2f history events, %.1f state transitions and %.1f actions** (between the shortest and longest real-time runs).", kinds(long), kinds(capped), shortJobCap.Minutes(), w.EventsPerPoll, w.StateTransitionsPerPoll, w.ActionsPerPoll)
	p("")
	p("| run | time | wait | job | polls | wait's attempts | noticed late | target | wait's events |")
	p("|---|---|---|---|---|---|---|---|---|")
	for _, r := range w.Runs {
		how := "real"
		if r.Simulated {
			how = "simulated"
		}
		for _, x := range r.Waits {
			ev := fmt.Sprintf("%d", x.Events)
			if r.Simulated {
				ev = "(no history)"
			}
			p("| %s | %s | %s | %s | %d | %d | %.1f s | %.1f s | %s |", r.Job, how, x.Kind, time.Duration(x.JobSeconds*float64(time.Second)), x.Polls, x.Attempts, x.DelaySeconds, delayTarget(x.JobSeconds), ev)
		}
	}
	p("")
	p("| job | polls | pipeline events | state transitions | actions | events per poll | wall time |")
	p("|---|---|---|---|---|---|---|")
	for _, r := range w.Runs {
		mark := ""
		if r.Extrapolated {
			mark = " (extrapolated)"
		}
		p("| %s | %d | %d%s | %d | %.0f | %.1f | %.0f s |", r.Job, r.Polls, r.Events, mark, r.StateTransitions, r.Actions, ratio(float64(r.Events), float64(r.Polls)), r.WallSeconds)
	}
	p("")
}

// delayTarget is the bound on detection delay for a job: max(2 s, 10% of its length).
func delayTarget(jobSecs float64) float64 { return math.Max(2, jobSecs/10) }

func targets(b *strings.Builder, r Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	p("## The targets today")
	p("")
	p("| target | measured | holds |")
	p("|---|---|---|")
	if w := r.Waits; w != nil {
		for _, run := range w.Runs {
			worst := worstWait(run)
			over := worst.DelaySeconds - delayTarget(worst.JobSeconds)
			p("| detection delay ≤ max(2 s, 10%% of the job) in the %s run | worst %.1f s late (%s, a %s job: target %.1f s) | %s |", run.Job, worst.DelaySeconds, worst.Kind,
				time.Duration(worst.JobSeconds*float64(time.Second)), delayTarget(worst.JobSeconds), yesNo(over <= 0))
		}
		p("| at most 1 history event per poll | %.2f per poll (between the %s and %s runs) | %s |", w.EventsPerPoll, spanJob(w, 0), spanJob(w, 1), yesNo(w.EventsPerPoll <= 1))
		if first, last, ok := measuredSpan(w); ok {
			p("| a pipeline's history independent of its jobs' durations | %d events with %s jobs, %d with %s (measured) | %s |", first.Events, first.Job, last.Events, last.Job, yesNo(float64(last.Events) <= float64(first.Events)*1.1))
		}
	}
	if t := r.Throughput; t != nil {
		if ks, ok := t.ByConcurrency[50]; ok {
			p("| throughput ≥ 0.8× the raw floor at concurrency 50 | %.2f× (%.2f against %.2f workflows/s) | %s |", ratio(ks[0].PerSecond, ks[2].PerSecond), ks[0].PerSecond, ks[2].PerSecond, yesNo(ratio(ks[0].PerSecond, ks[2].PerSecond) >= 0.8))
		}
	}
	if s := r.Sequential; s != nil {
		p("| sequential per-step latency ≤ 1.2× the floor's | %.2f× (%.0f ms against %.0f ms) | %s |", ratio(s.PerStep, s.FloorPerStep), s.PerStep*1000, s.FloorPerStep*1000, yesNo(ratio(s.PerStep, s.FloorPerStep) <= 1.2))
	}
	if f := r.Footprint; f != nil && len(f.Phases) > 0 {
		for _, ph := range f.Phases {
			p("| worker RSS ≤ 150 MB with %d pipelines in flight, cache %d | peak %.0f MB%s | %s |", ph.Pipelines, ph.CacheSize, ph.PeakRSSMB, map[bool]string{true: ", still rising", false: ""}[ph.Rising], yesNo(ph.PeakRSSMB <= 150))
		}
	}
	p("")
	if t := r.Throughput; t != nil {
		if ks, ok := t.ByConcurrency[50]; ok && len(ks) == 3 && ratio(ks[0].PerSecond, ks[2].PerSecond) < 0.8 {
			p("Why the throughput target does not hold: at concurrency 50 the gap to the raw floor has two parts. The pipeline's shape (the copy's name lock, a child workflow making the copy, and two branches joining) costs bare Temporal itself: the same-shape floor is %.2f× the raw floor. The rest is imagepipe's: its own commands, which no floor makes (%.1f search-attribute upserts and %.1f marker batches a pipeline, %d history events against the same-shape floor's %d), and its activities' real work, which the floors' no-op activities do not do (each vendor call is a signed or TLS request to an emulator on the same two cores); imagepipe is %.2f× the same-shape floor.",
				ratio(ks[1].PerSecond, ks[2].PerSecond),
				t.ActionsByType["command_UpsertWorkflowSearchAttributes"], t.ActionsByType["command_BatchMarkers"], ks[0].Events, ks[1].Events, ratio(ks[0].PerSecond, ks[1].PerSecond))
			p("")
		}
	}
	if s := r.Sequential; s != nil && ratio(s.PerStep, s.FloorPerStep) > 1.2 {
		why := "the raw floor runs the same number of activities in a row and nothing else, where a step of the pipeline also waits for its vendor's answer (a real request to an emulator, against a no-op) and the copy step for its name lock (one more workflow task in the pipeline and two in the lock, before and after the copy call)"
		if s.LockP50 > 0 {
			why = fmt.Sprintf("the copy's name lock holds a run up %.0f ms where an activity holds it up %.0f ms; without that difference a step would cost %.2f× the floor's. The lock is what makes check-before-create safe between pipelines for a vendor that lets two images share a name (workflows/namelock.go); a child workflow is Temporal's one atomic, namespace-wide claim on a name, and the server gives the pipeline a workflow task when the child starts and another when it ends",
				s.LockP50*1000, s.CallP50*1000, ratio(s.PerStep-(s.LockP50-s.CallP50)/float64(s.Steps), s.FloorPerStep))
		}
		p("Why the sequential target does not hold: %s.", why)
		p("")
	}
	if f := r.Footprint; f != nil && len(f.Phases) >= 2 {
		a, z := f.Phases[0], f.Phases[len(f.Phases)-1]
		p("The worker's sticky cache is bounded by configuration (`IMAGEPIPE_WORKFLOW_CACHE_SIZE`): with %d pipelines in flight, a cache of %d instead of the SDK's %d takes the worker's peak RSS from %.0f MB to %.0f MB and its goroutines from %d to %d.",
			a.Pipelines, z.CacheSize, a.CacheSize, a.PeakRSSMB, z.PeakRSSMB, a.PeakGoroutines, z.PeakGoroutines)
		p("")
	}
}

// spanJob is the job length of the shortest (end 0) or longest (1)
// measured run.
func spanJob(w *WaitsResult, end int) string {
	first, last, ok := measuredSpan(w)
	if !ok {
		return "?"
	}
	return []string{first.Job, last.Job}[end]
}

// measuredSpan is the shortest and longest job-wait runs measured on the
// server (not extrapolated).
func measuredSpan(w *WaitsResult) (first, last WaitRun, ok bool) {
	var real []WaitRun
	for _, r := range w.Runs {
		if !r.Extrapolated && !r.Simulated {
			real = append(real, r)
		}
	}
	if len(real) < 2 {
		return first, last, false
	}
	return real[0], real[len(real)-1], true
}

func capacity(b *strings.Builder, r Results) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	t, w := r.Throughput, r.Waits
	if t == nil || w == nil || len(t.ByConcurrency) == 0 || len(w.Runs) == 0 {
		return
	}
	base := t.ByConcurrency[sortedConcs(t)[0]][0]
	var hour, day *WaitRun
	for i := range w.Runs {
		switch w.Runs[i].Job {
		case "1h0m0s":
			hour = &w.Runs[i]
		case "24h0m0s":
			day = &w.Runs[i]
		}
	}
	p("## Capacity model")
	p("")
	p("Beyond one machine, what limits a cluster is the work its persistence does (state transitions), and what Temporal Cloud bills and rate-limits is actions. From the figures above:")
	p("")
	p("- A pipeline whose jobs finish at once costs **%.0f actions** and **%d state transitions** (%d history events).", base.Actions, base.StateTransitions, base.Events)
	perHourActions, perHourST := 0.0, 0.0
	if hour != nil && day != nil {
		// The hours of waiting the day's run adds to the hour's, over
		// the waits whose jobs grew (the capped ones did not).
		waitHours := 0.0
		for i, x := range day.Waits {
			if i < len(hour.Waits) {
				waitHours += (x.JobSeconds - hour.Waits[i].JobSeconds) / 3600
			}
		}
		perHourActions = ratio(day.Actions-hour.Actions, waitHours)
		perHourST = ratio(float64(day.StateTransitions-hour.StateTransitions), waitHours)
		long, capped := jobSplit(w)
		p("- An hour of one job waiting costs **%.0f actions** and **%.0f state transitions**: the 24 h run's extra over the 1 h run's (%d against %d polls), over the %.0f hours of waiting it adds (the %s waits; the polls' spacing reaches its cap within the first hour).", perHourActions, perHourST, day.Polls, hour.Polls, waitHours, kinds(long))
		p("- So a pipeline like the 1 h run (%s jobs of an hour, %s jobs of %.0f min) costs about %.0f actions; with day-long %s jobs about %.0f (%d polls).", kinds(long), kinds(capped), shortJobCap.Minutes(), hour.Actions, kinds(long), day.Actions, day.Polls)
	}
	p("- **Temporal Cloud**: at $%.0f per million actions (Unverified: the lowest published tier; temporal.io/pricing is the authority), a pipeline of quick jobs costs $%.4f, one of hour-long jobs $%.4f. A namespace's default limit of %d actions a second (docs.temporal.io/cloud/limits) carries at most %s quick pipelines a day (%.0f a second), or %s jobs waiting at once at this poll schedule.",
		dollarsPerMillionActions, base.Actions*dollarsPerMillionActions/1e6, actionsOf(hour)*dollarsPerMillionActions/1e6,
		cloudDefaultAPS, thousands(ratio(cloudDefaultAPS*86400, base.Actions)), ratio(cloudDefaultAPS, base.Actions), thousands(ratio(cloudDefaultAPS*3600, perHourActions)))
	if ks, ok := t.ByConcurrency[sortedConcs(t)[len(sortedConcs(t))-1]]; ok {
		ip := ks[0]
		tps := ip.PerSecond * float64(ip.StateTransitions)
		p("- **A self-hosted cluster**: this one dev server (SQLite, 2 shared cores) sustained %.2f pipelines/s at concurrency %d, %.0f state transitions a second: %s quick pipelines a day. A cluster sized for S state transitions a second carries S × 86,400 / %d quick pipelines a day, and each job waiting takes %.0f transitions an hour of it: a PostgreSQL cluster rated at 1,000 transitions/s (Unverified: an illustration, not a measured figure; size yours by measuring it with this bench) carries about %s quick pipelines a day, or %s jobs waiting at once.",
			ip.PerSecond, ip.Concurrency, tps, thousands(ip.PerSecond*86400), ip.StateTransitions, perHourST, thousands(ratio(1000*86400, float64(ip.StateTransitions))), thousands(ratio(1000*3600, perHourST)))
	}
	p("")
}

func actionsOf(r *WaitRun) float64 {
	if r == nil {
		return 0
	}
	return r.Actions
}

// thousands writes v rounded, with commas between thousands.
func thousands(v float64) string {
	n := strconv.FormatInt(int64(math.Round(v)), 10)
	var b strings.Builder
	for i, c := range n {
		if i > 0 && (len(n)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
