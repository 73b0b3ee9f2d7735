package workflows_test

import (
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

// A step's percent reads the same wherever it shows (the step table, the
// watch, the web UI's details, a wait's look): only while it runs, and
// neither at 0 (the vendor reports none) nor at 100 (its state says it).
func TestPercentText_OnlyARunningStepPartWayShowsItsPercent(t *testing.T) {
	for _, c := range []struct {
		percent int
		state   string
		want    string
	}{
		{42, workflows.StepRunning, " 42%"},
		{0, workflows.StepRunning, ""},
		{100, workflows.StepRunning, ""},
		{42, workflows.StepSucceeded, ""},
		{42, workflows.StepFailed, ""},
	} {
		if got := workflows.PercentText(c.percent, c.state); got != c.want {
			t.Errorf("%d%% %s shows %q, want %q", c.percent, c.state, got, c.want)
		}
	}
}
