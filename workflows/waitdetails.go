package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// A job wait's current details say, on its own page in the web UI, which
// pipeline and step it waits for, how the job stands and when it looks
// next; once the job has ended they say how it ended, so a finished wait
// never still promises a next look.

// waitFor names the wait: its step and, under a pipeline, the pipeline.
func (in *AwaitJobInput) waitFor(ctx workflow.Context) string {
	who := "**" + in.Step + "**"
	if parent := workflow.GetInfo(ctx).ParentWorkflowExecution; parent != nil {
		who += " of pipeline `" + parent.ID + "`"
	}
	return who
}

// showWaiting shows a job that has not ended yet.
func (in *AwaitJobInput) showWaiting(ctx workflow.Context, st activities.JobStatus) {
	next := min(in.Delay, in.Deadline.Sub(workflow.Now(ctx)))
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("%s waits for %s `%s`: %s%s, %s, next look in %s",
		in.waitFor(ctx), in.Kind, in.JobID, st.State, PercentText(st.Percent, StepRunning), pollsText(in.Polls), HumanDuration(max(next, 0))))
}

// showEnded shows how the job ended (or that the wait gave up on it).
func (in *AwaitJobInput) showEnded(ctx workflow.Context, st activities.JobStatus) {
	took := HumanDuration(workflow.Now(ctx).Sub(in.Deadline.Add(-in.Policy.Timeout)))
	var how string
	switch {
	case st.Done && st.Succeeded:
		how = "ended " + st.State
	case st.Done:
		how = "ended " + st.State
		if st.Message != "" {
			how += ": " + st.Message
		}
	default:
		how = fmt.Sprintf("still %s after %s: the wait gave up", st.State, HumanDuration(in.Policy.Timeout))
	}
	workflow.SetCurrentDetails(ctx, fmt.Sprintf("%s: %s `%s` %s (%s, %s)", in.waitFor(ctx), in.Kind, in.JobID, how, pollsText(in.Polls), took))
}

func pollsText(n int) string {
	if n == 1 {
		return "1 poll"
	}
	return fmt.Sprintf("%d polls", n)
}
