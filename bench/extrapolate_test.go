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
