package main

import (
	"strings"
	"testing"
	"time"

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

// A step that has ended says how long it took; one still running does not
// (a piped watch prints a line per change, not one a second).
func TestLines_EndedStepsSayHowLongTheyTook(t *testing.T) {
	at := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	p := workflows.Progress{Pipeline: "p", Status: workflows.StatusRunning, Steps: []workflows.StepProgress{
		{ID: "compartment", Uses: "oci.create_compartment", State: workflows.StepSucceeded, StartedAt: at, EndedAt: at.Add(72 * time.Second),
			Outputs: map[string]string{"created": "true"}},
		{ID: "move", Uses: "oci.move_image", State: workflows.StepFailed, StartedAt: at, EndedAt: at.Add(3 * time.Second), LastError: "412 NoEtagMatch"},
		{ID: "copy", Uses: "huawei.copy_image", State: workflows.StepRunning, StartedAt: at, Detail: "waiting for huawei.job j1: RUNNING"},
	}}
	got := lines(p)
	for i, want := range []string{"succeeded in 1m 12s (created=true)", "failed in 3s: 412 NoEtagMatch", "running: waiting for huawei.job j1: RUNNING"} {
		if !strings.HasSuffix(got[i], want) {
			t.Errorf("line %d = %q, want it to end %q", i, got[i], want)
		}
	}
}
