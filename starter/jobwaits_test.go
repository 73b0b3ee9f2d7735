package main

import (
	"context"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	workflowpb "go.temporal.io/api/workflow/v1"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// pendingWait is the server's pending activity of a wait whose last look
// found the job in st, as an attempt of WaitForJob leaves it.
func pendingWait(t *testing.T, activityID string, st activities.JobStatus) *workflowpb.PendingActivityInfo {
	t.Helper()
	_, err := activities.WaitJob(context.Background(), func(context.Context, activities.PollInput) (activities.JobStatus, error) {
		return st, nil
	}, activities.WaitInput{Unit: activities.Unit{StepID: "copy"}, Kind: "huawei.job", JobID: "j-1"})
	if err == nil {
		t.Fatal("a look at a running job did not end the attempt")
	}
	return &workflowpb.PendingActivityInfo{
		ActivityId:   activityID,
		ActivityType: &commonpb.ActivityType{Name: workflows.WaitForJob},
		Attempt:      4,
		LastFailure:  temporal.GetDefaultFailureConverter().ErrorToFailure(err),
	}
}

// While a step waits for its job, status and watch show on the step how
// the job stands (its state and percent), from the wait's pending activity,
// and do not list the wait's looks as retried calls.
func TestJobWaits_PendingWaitShowsTheJobOnItsStep(t *testing.T) {
	p := workflows.Progress{Steps: []workflows.StepProgress{
		{ID: "copy", State: workflows.StepRunning, Detail: "waiting for huawei.job j-1"},
		{ID: "fan", State: workflows.StepRunning, Items: []workflows.ItemProgress{{Item: "a"}, {Item: "b"}}},
	}}
	pending := []*workflowpb.PendingActivityInfo{
		pendingWait(t, "copy#3", activities.JobStatus{State: "RUNNING", Percent: 40}),
		pendingWait(t, "fan[1:b]#7", activities.JobStatus{State: "RUNNING", Percent: 70}),
	}
	applyJobWaits(&p, pending)
	copyStep, fan := p.Steps[0], p.Steps[1]
	if copyStep.Percent != 40 || !strings.HasPrefix(copyStep.Detail, "waiting for huawei.job j-1: RUNNING 40%") {
		t.Errorf("the waiting step shows %d%% and %q, want the job's 40%% and state", copyStep.Percent, copyStep.Detail)
	}
	if fan.Items[1].Percent != 70 || fan.Items[0].Percent != 0 {
		t.Errorf("fan-out items show %+v, want the second's job at 70%%, the first untouched", fan.Items)
	}
}
