package bench

import (
	"math"
	"slices"
)

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
