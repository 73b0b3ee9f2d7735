package bench

import "testing"

func TestExtrapolate_APollThatCostsNoEventKeepsTheMeasuredHistory(t *testing.T) {
	w := &WaitsResult{EventsPerPoll: -0.04, StateTransitionsPerPoll: 3, ActionsPerPoll: 2, Runs: []WaitRun{
		{Job: "10s", Polls: 24, Events: 94, StateTransitions: 106, Actions: 60, Waits: []WaitStats{{Kind: "fpp.job", Polls: 6, Events: 3}}},
		{Job: "1m0s", Polls: 92, Events: 91, StateTransitions: 309, Actions: 196},
		{Job: "24h0m0s", Simulated: true, Polls: 2398, Waits: []WaitStats{{Kind: "fpp.job", Polls: 764}}},
	}}
	w.extrapolate()
	day := w.Runs[2]
	if !day.Extrapolated || day.Events != 94 || day.Waits[0].Events != 3 {
		t.Errorf("a day of polls that cost no event: pipeline %d events, wait %d (extrapolated %v), want the 10s run's 94 and 3",
			day.Events, day.Waits[0].Events, day.Extrapolated)
	}
	if want := int64(106 + 3*(2398-24)); day.StateTransitions != want {
		t.Errorf("state transitions %d, want %d: the 10s run's and 3 a poll", day.StateTransitions, want)
	}
	if w.Runs[1].Extrapolated || w.Runs[1].Events != 91 {
		t.Errorf("a real run was extrapolated: %+v", w.Runs[1])
	}
}

// Two real runs whose pipelines differ by a workflow task (79 events with
// 10 s jobs, 76 with a minute's) while their waits cost the same: a poll
// costs no event, and a day of polls extrapolates to no more history.
func TestPollCost_IsReadFromTheWaitsNotTheNoiseOfThePipeline(t *testing.T) {
	waits := func(events int) []WaitStats {
		return []WaitStats{{Kind: "fpp.job", Polls: 6, Events: events}, {Kind: "huawei.job", Polls: 6, Events: events}}
	}
	w := &WaitsResult{Runs: []WaitRun{
		{Job: "10s", Polls: 24, Events: 76, StateTransitions: 100, Actions: 56, Waits: waits(3)},
		{Job: "1m0s", Polls: 92, Events: 79, StateTransitions: 304, Actions: 192, Waits: waits(3)},
		{Job: "24h0m0s", Simulated: true, Polls: 2398, Waits: []WaitStats{{Kind: "fpp.job", Polls: 764}}},
	}}
	w.pollCost()
	if w.EventsPerPoll != 0 || w.StateTransitionsPerPoll != 3 || w.ActionsPerPoll != 2 {
		t.Errorf("per poll: %.2f events, %.2f transitions, %.2f actions; want 0, 3 and 2", w.EventsPerPoll, w.StateTransitionsPerPoll, w.ActionsPerPoll)
	}
	w.extrapolate()
	if day := w.Runs[2]; day.Events != 76 {
		t.Errorf("a day of polls extrapolates to %d events, want the shortest run's 76", day.Events)
	}
}
