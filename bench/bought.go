package bench

import (
	"fmt"
	"math"
	"strings"
)

// bought writes what a change changed: each figure of the run before it
// beside the run after it. A figure only one of the two runs measured is
// left out.
func bought(b *strings.Builder, c comparison) {
	before, after := c.before, c.after
	p := func(format string, args ...any) { fmt.Fprintf(b, format+"\n", args...) }
	type row struct{ what, before, after string }
	var rows []row
	add := func(what string, f func(Results) (string, bool)) {
		x, okx := f(before)
		y, oky := f(after)
		if okx && oky {
			rows = append(rows, row{what, x, y})
		}
	}
	for _, job := range waitJobs(before, after) {
		add("worst detection delay, "+job+" jobs", func(r Results) (string, bool) {
			run, ok := waitRun(r, job)
			if !ok {
				return "", false
			}
			w := worstWait(run)
			return fmt.Sprintf("%.1f s (%s, target %.1f s)", w.DelaySeconds, w.Kind, delayTarget(w.JobSeconds)), true
		})
		add("pipeline history, "+job+" jobs", func(r Results) (string, bool) {
			run, ok := waitRun(r, job)
			if !ok {
				return "", false
			}
			mark := ""
			if run.Extrapolated {
				mark = " (extrapolated)"
			}
			return fmt.Sprintf("%d events%s, %d polls", run.Events, mark, run.Polls), true
		})
	}
	perPoll := func(f func(*WaitsResult) float64) func(Results) (string, bool) {
		return func(r Results) (string, bool) {
			if r.Waits == nil {
				return "", false
			}
			return fmt.Sprintf("%.2f", f(r.Waits)), true
		}
	}
	add("history events per poll", perPoll(func(w *WaitsResult) float64 { return w.EventsPerPoll }))
	add("state transitions per poll", perPoll(func(w *WaitsResult) float64 { return w.StateTransitionsPerPoll }))
	add("actions per poll", perPoll(func(w *WaitsResult) float64 { return w.ActionsPerPoll }))
	add("a quick pipeline: events / state transitions / actions", func(r Results) (string, bool) {
		if r.Throughput == nil || len(r.Throughput.ByConcurrency) == 0 {
			return "", false
		}
		k := r.Throughput.ByConcurrency[sortedConcs(r.Throughput)[0]][0]
		return fmt.Sprintf("%d / %d / %.0f", k.Events, k.StateTransitions, k.Actions), true
	})
	for _, c := range []int{1, 10, 50} {
		add(fmt.Sprintf("throughput at concurrency %d: of the raw floor (workflows/s)", c), func(r Results) (string, bool) {
			if r.Throughput == nil {
				return "", false
			}
			ks, ok := r.Throughput.ByConcurrency[c]
			if !ok || len(ks) < 3 {
				return "", false
			}
			return fmt.Sprintf("%.2f× (%.2f against %.2f)", ratio(ks[0].PerSecond, ks[2].PerSecond), ks[0].PerSecond, ks[2].PerSecond), true
		})
	}
	add("sequential per-step latency against the floor's", func(r Results) (string, bool) {
		if s := r.Sequential; s != nil {
			return fmt.Sprintf("%.2f× (%.0f ms against %.0f ms)", ratio(s.PerStep, s.FloorPerStep), s.PerStep*1000, s.FloorPerStep*1000), true
		}
		return "", false
	})
	for _, cache := range cacheSizes(before, after) {
		add(fmt.Sprintf("worker with cache %d: peak RSS, goroutines, caught up", cache), func(r Results) (string, bool) {
			if r.Footprint == nil {
				return "", false
			}
			for _, ph := range r.Footprint.Phases {
				if ph.CacheSize == cache {
					caught := "not within the watch"
					if ph.CaughtUpSeconds > 0 {
						caught = fmt.Sprintf("after %.0f s", ph.CaughtUpSeconds)
					}
					return fmt.Sprintf("%.0f MB, %d, %s", ph.PeakRSSMB, ph.PeakGoroutines, caught), true
				}
			}
			return "", false
		})
	}
	if len(rows) == 0 {
		return
	}
	afterRun := "this run"
	if c.After != "" {
		afterRun = fmt.Sprintf("the run of %s (`%s`)", after.Machine.Date, c.After)
	}
	p("## %s", c.Title)
	p("")
	p("%s Before: the run of %s (`%s`), on the same machine; after: %s. The run before began at load average %s, the run after at %s: absolute rates move with the machine's load (the raw floor's own did), so read the throughput as the ratios to the floor measured in the same run.", c.What, before.Machine.Date, c.Before, afterRun, before.Machine.Load, after.Machine.Load)
	p("")
	p("| figure | before | after |")
	p("|---|---|---|")
	for _, r := range rows {
		p("| %s | %s | %s |", r.what, r.before, r.after)
	}
	p("")
}

// worstWait is the wait of run furthest over its own target.
func worstWait(run WaitRun) WaitStats {
	worst, over := WaitStats{}, math.Inf(-1)
	for _, x := range run.Waits {
		if o := x.DelaySeconds - delayTarget(x.JobSeconds); o > over {
			worst, over = x, o
		}
	}
	return worst
}

// waitRun is r's job-wait run of job length job.
func waitRun(r Results, job string) (WaitRun, bool) {
	if r.Waits == nil {
		return WaitRun{}, false
	}
	for _, run := range r.Waits.Runs {
		if run.Job == job {
			return run, true
		}
	}
	return WaitRun{}, false
}

// waitJobs is the job lengths after measured, shortest first.
func waitJobs(_, after Results) []string {
	var jobs []string
	if after.Waits != nil {
		for _, run := range after.Waits.Runs {
			jobs = append(jobs, run.Job)
		}
	}
	return jobs
}

// cacheSizes is the cache sizes after measured.
func cacheSizes(_, after Results) []int {
	var sizes []int
	if after.Footprint != nil {
		for _, ph := range after.Footprint.Phases {
			sizes = append(sizes, ph.CacheSize)
		}
	}
	return sizes
}
