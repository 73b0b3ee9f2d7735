package bench

import (
	"math"
	"slices"
)

// pollCost measures what one more poll costs, between the shortest and
// longest real runs: the extra events of the job waits themselves, and the
// pipeline's extra transitions and actions, over the extra polls. Events
// are read from the waits, not the whole pipeline: the rest of a
// pipeline's history varies by a workflow task from run to run (its two
// branches' last completions share one workflow task or not), which
// spread over thousands of polls would be read as a cost polls do not
// have.
func (w *WaitsResult) pollCost() {
	var real []WaitRun
	for _, r := range w.Runs {
		if !r.Simulated {
			real = append(real, r)
		}
	}
	if len(real) < 2 {
		return
	}
	short, long := real[0], real[len(real)-1]
	dp := float64(long.Polls - short.Polls)
	if dp <= 0 {
		return
	}
	waitEvents := func(r WaitRun) (n int) {
		for _, x := range r.Waits {
			n += x.Events
		}
		return n
	}
	w.EventsPerPoll = float64(waitEvents(long)-waitEvents(short)) / dp
	w.StateTransitionsPerPoll = float64(long.StateTransitions-short.StateTransitions) / dp
	w.ActionsPerPoll = (long.Actions - short.Actions) / dp
}

// extrapolate fills each simulated run's events, transitions and actions
// from the shortest real run and the measured cost of one more poll. A
// cost measured below zero (a history that varies by an event or two
// between runs while a poll adds none) counts as zero: one more poll
// never takes events away, and a negative slope over thousands of polls
// would give a history of fewer events than any pipeline has.
func (w *WaitsResult) extrapolate() {
	var base *WaitRun
	for i := range w.Runs {
		if !w.Runs[i].Simulated {
			base = &w.Runs[i]
			break
		}
	}
	if base == nil {
		return
	}
	events := math.Max(0, w.EventsPerPoll)
	transitions := math.Max(0, w.StateTransitionsPerPoll)
	actions := math.Max(0, w.ActionsPerPoll)
	for i := range w.Runs {
		r := &w.Runs[i]
		if !r.Simulated {
			continue
		}
		r.Extrapolated = true
		extra := float64(r.Polls - base.Polls)
		r.Events = base.Events + int(math.Round(extra*events))
		r.StateTransitions = base.StateTransitions + int64(math.Round(extra*transitions))
		r.Actions = base.Actions + extra*actions
		for j, wait := range r.Waits {
			k := slices.IndexFunc(base.Waits, func(b WaitStats) bool { return b.Kind == wait.Kind })
			if k < 0 {
				continue
			}
			b := base.Waits[k]
			r.Waits[j].Events = b.Events + int(math.Round(float64(wait.Polls-b.Polls)*events))
		}
	}
}
