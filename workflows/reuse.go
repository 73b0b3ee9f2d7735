package workflows

import (
	"fmt"
	"slices"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// ReusedDetail is the detail of a step whose outputs came from an earlier
// run instead of running again.
const ReusedDetail = "reused from an earlier run"

// reuse marks the steps of PipelineInput.Reuse succeeded with the outputs
// given, before anything is scheduled: a rerun from the failed steps
// (starter rerun --from-failed) runs only what failed or never ran, and the
// steps after a reused one read its outputs as if it had just run. A
// reused step made no call in this run, so this run's rollback, if any,
// does not undo it. Without Reuse nothing changes, so the histories of
// pipelines started without it replay as before.
func (r *pipelineRun) reuse(reused map[string]map[string]string) error {
	var problems []string
	for id := range reused {
		if _, ok := r.steps[id]; !ok {
			problems = append(problems, fmt.Sprintf("reuse: step %q is not in pipeline %s", id, r.spec.Name))
		}
	}
	for _, st := range r.spec.Steps {
		outs, ok := reused[st.ID]
		if !ok {
			continue
		}
		// What a step reads must be there before it: a reused step whose
		// needs run again would keep outputs made from the old ones.
		for _, dep := range pipeline.Dependencies(st) {
			if _, ok := reused[dep]; !ok {
				problems = append(problems, fmt.Sprintf("reuse: step %q is reused but %q, which it needs, is not", st.ID, dep))
			}
		}
		sp := r.steps[st.ID]
		sp.State, sp.Outputs, sp.Percent, sp.Detail = StepSucceeded, outs, 100, ReusedDetail
		if sp.Outputs == nil {
			sp.Outputs = map[string]string{}
		}
		for i := range sp.Items {
			sp.Items[i].State = StepSucceeded
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return temporal.NewNonRetryableApplicationError("invalid pipeline input: "+strings.Join(problems, "; "), activities.ErrInvalidInput, nil)
	}
	return nil
}
