package main

import (
	"strings"

	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/converter"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// A pipeline started since job waits became activities (WaitForJob) does
// not hear how its jobs stand: each look at a running job is a failed
// attempt of the wait, which costs no history event and sends no signal.
// The server keeps the last one as the pending activity's last failure, so
// status and watch read it there and show it on the step (or item) that
// waits: the job's state and percent, the look's number and the next.

// applyJobWaits shows, on p's steps and items, the jobs pending WaitForJob
// activities wait for.
func applyJobWaits(p *workflows.Progress, pending []*workflowpb.PendingActivityInfo) {
	for _, pa := range pending {
		detail, percent, ok := jobWait(pa)
		if !ok {
			continue
		}
		unit, ok := workflows.ActivityUnit(pa.GetActivityId())
		if !ok {
			continue
		}
		step, item := unit.StepItem()
		for i := range p.Steps {
			sp := &p.Steps[i]
			switch {
			case sp.ID != step || sp.State != workflows.StepRunning:
			case item < 0:
				sp.Detail, sp.Percent = detail, percent
			case item < len(sp.Items):
				sp.Items[item].Detail, sp.Items[item].Percent = detail, percent
			}
		}
	}
}

// jobWait is how the job of a pending wait stands: its last look's words
// without the step (already the row's), and the job's percent when the
// look's details can be read without the worker's codec.
func jobWait(pa *workflowpb.PendingActivityInfo) (string, int, bool) {
	f := pa.GetLastFailure()
	if pa.GetActivityType().GetName() != workflows.WaitForJob || f.GetApplicationFailureInfo().GetType() != activities.ErrJobRunning {
		return "", 0, false
	}
	detail := f.GetMessage()
	if _, rest, ok := strings.Cut(detail, ": "); ok && strings.HasPrefix(detail, "step ") {
		detail = rest
	}
	var st activities.JobStatus
	if d := f.GetApplicationFailureInfo().GetDetails(); d != nil {
		_ = converter.GetDefaultDataConverter().FromPayloads(d, &st)
	}
	return detail, st.Percent, true
}
