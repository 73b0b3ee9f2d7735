package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"
)

// listenForJobProgress applies the job progress AwaitJob children report
// to the steps (and items) they wait for.
func (r *pipelineRun) listenForJobProgress(ctx workflow.Context) {
	ch := workflow.GetSignalChannel(ctx, JobProgressSignal)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var p JobProgress
			if !ch.Receive(ctx, &p) {
				return
			}
			sp, ok := r.steps[p.Step]
			if !ok || sp.State != StepRunning {
				continue
			}
			detail := p.detail()
			if p.Item >= 0 && p.Item < len(sp.Items) {
				sp.Items[p.Item].Percent, sp.Items[p.Item].Detail = p.Percent, detail
				sp.Percent = r.fanOutPercent(sp)
			} else {
				sp.Percent, sp.Detail = p.Percent, detail
			}
			r.publish(ctx)
		}
	})
}

// detail is what a step waiting for the job is doing: which job it waits
// for and how the job stands. (Not the polls: a report is sent only when
// the job moves, so a count would be stale between reports; the wait's own
// page shows it.)
func (p JobProgress) detail() string {
	job := "job"
	if p.Kind != "" {
		job = "waiting for " + p.Kind + " " + p.JobID + ":"
	}
	return fmt.Sprintf("%s %s%s", job, p.State, PercentText(p.Percent, StepRunning))
}
