package main

import (
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/workflows"
)

// A finished fan-out item says it succeeded and what it made, not the last
// job report it had while it ran ("succeeded: job INIT, poll 1").
func TestLines_FinishedItemShowsNoStaleJobText(t *testing.T) {
	p := workflows.Progress{Pipeline: "fan", Status: workflows.StatusSucceeded, Steps: []workflows.StepProgress{{
		ID: "copy", Uses: "huawei.copy_image", State: workflows.StepSucceeded,
		Items: []workflows.ItemProgress{
			{Item: "a", State: workflows.StepSucceeded, Detail: "job INIT, poll 1", Outputs: map[string]string{"image_id": "i1"}},
			{Item: "b", State: workflows.StepRunning, Detail: "waiting for huawei.job j2: RUNNING 40%"},
		},
	}}}
	got := lines(p)
	if len(got) != 3 {
		t.Fatalf("lines = %q", got)
	}
	if strings.Contains(got[1], "INIT") || !strings.HasSuffix(got[1], "succeeded (image_id=i1)") {
		t.Errorf("the finished item reads %q", got[1])
	}
	if !strings.HasSuffix(got[2], "running: waiting for huawei.job j2: RUNNING 40%") {
		t.Errorf("the running item reads %q, want what it is doing", got[2])
	}
}
