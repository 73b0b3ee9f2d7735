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
			detail := fmt.Sprintf("job %s%s, poll %d", p.State, percentText(p.Percent, StepRunning), p.Polls)
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
