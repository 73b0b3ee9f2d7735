package workflows_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// waitRun is what one pipeline waiting for a job of some length showed:
// how late its step noticed the job's end, and how many things it asked
// Temporal to record (each activity, timer and child workflow it started,
// each a fixed handful of history events; an activity's retries add none).
type waitRun struct {
	late     time.Duration
	commands int
	polls    int
}

// runWait runs a one-step FPP import whose job takes d, in workflow time.
func runWait(t *testing.T, d time.Duration) waitRun {
	t.Helper()
	f := newFixture(t, options{jobDuration: d})
	activitiesSeen := map[string]bool{}
	var other int
	f.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		activitiesSeen[info.WorkflowExecution.ID+"/"+info.ActivityID] = true
	})
	f.env.SetOnTimerScheduledListener(func(string, time.Duration) { other++ })
	f.env.SetOnChildWorkflowStartedListener(func(*workflow.Info, workflow.Context, converter.EncodedValues) { other++ })
	res, err := f.run(t, parse(t, vendorCases()[1].spec))
	if err != nil {
		t.Fatalf("%s job: %v", d, err)
	}
	st, _ := res.Step("step")
	if st.State != workflows.StepSucceeded {
		t.Fatalf("%s job: step = %+v", d, st)
	}
	return waitRun{late: st.EndedAt.Sub(st.StartedAt) - d, commands: len(activitiesSeen) + other, polls: f.fpp.Sim.Calls("GetJob")}
}

// A job's end is noticed within max(3 s, a tenth of its duration) — the
// bound plus the second a look may take to be scheduled — and waiting for
// an hour's job costs the pipeline's history no more than a 10 s job's.
func TestImagePipeline_JobWaitNoticesTheEndSoonAndCostsTheSameForAnyLength(t *testing.T) {
	short := runWait(t, 10*time.Second)
	for _, c := range []struct {
		d, bound time.Duration
	}{
		{30 * time.Second, 3 * time.Second},
		{time.Hour, 6 * time.Minute},
	} {
		got := runWait(t, c.d)
		t.Logf("%s job: noticed %s late after %d polls, %d activities, timers and children (10s job: %d)", c.d, got.late, got.polls, got.commands, short.commands)
		if got.late > c.bound || got.late < 0 {
			t.Errorf("a %s job was noticed %s after it ended, want within %s", c.d, got.late, c.bound)
		}
		if c.d == time.Hour && got.commands != short.commands {
			t.Errorf("waiting for a 1h job recorded %d activities, timers and children, a 10s job %d: want the same", got.commands, short.commands)
		}
	}
}

// A 503 on a look at a running job is a passing error of the look: the
// wait looks again and the job's success is the step's.
func TestImagePipeline_JobWaitRides503OnALookAtARunningJob(t *testing.T) {
	f := newFixture(t, options{jobDuration: 10 * time.Minute})
	f.at(3*time.Minute, func() {
		f.fpp.Sim.Faults().Inject("GetJob", simkit.Fault{Status: http.StatusServiceUnavailable}, 3)
	})
	res, err := f.run(t, parse(t, vendorCases()[1].spec))
	if err != nil {
		t.Fatalf("pipeline failed after 503s on looks at its running job: %v", err)
	}
	if st, _ := res.Step("step"); st.State != workflows.StepSucceeded {
		t.Errorf("step = %+v", st)
	}
	n := 0
	for _, k := range f.fpp.Sim.Faults().Injected() {
		n += k
	}
	if n != 3 {
		t.Errorf("%d of the 3 503s were answered: the test did not test them", n)
	}
}
