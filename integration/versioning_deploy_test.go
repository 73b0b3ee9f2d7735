package integration

import (
	"context"
	"fmt"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
)

// What an operator does and looks at during a versioned rollout, as the
// versioning tests do it.

// promote makes buildID the deployment's current version, as
// `make promote` does, once its workers have polled (until then the
// server knows no such version).
func promote(ctx context.Context, t *testing.T, dep client.WorkerDeploymentHandle, buildID string) {
	t.Helper()
	for {
		_, err := dep.SetCurrentVersion(ctx, client.WorkerDeploymentSetCurrentVersionOptions{BuildID: buildID})
		if err == nil {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("promote %s: %v", buildID, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// waitPinned waits until the pipeline id is pinned to buildID: its first
// workflow task has run there.
func waitPinned(ctx context.Context, t *testing.T, c client.Client, id, buildID string) {
	t.Helper()
	for {
		d, err := c.DescribeWorkflowExecution(ctx, id, "")
		if err != nil {
			t.Fatalf("describe %s: %v", id, err)
		}
		vi := d.GetWorkflowExecutionInfo().GetVersioningInfo()
		if vi.GetBehavior() == enumspb.VERSIONING_BEHAVIOR_PINNED && vi.GetDeploymentVersion().GetBuildId() != "" {
			if got := vi.GetDeploymentVersion().GetBuildId(); got != buildID {
				t.Fatalf("pipeline %s pinned to %s, want %s", id, got, buildID)
			}
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("pipeline %s never pinned to %s: versioning info %v", id, buildID, vi)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitDrainage waits until describe-version reports want for buildID.
func waitDrainage(ctx context.Context, t *testing.T, dep client.WorkerDeploymentHandle, buildID string, want client.WorkerDeploymentVersionDrainageStatus) {
	t.Helper()
	for {
		d, err := dep.DescribeVersion(ctx, client.WorkerDeploymentDescribeVersionOptions{BuildID: buildID})
		var got client.WorkerDeploymentVersionDrainageStatus
		if err == nil && d.Info.DrainageInfo != nil {
			got = d.Info.DrainageInfo.DrainageStatus
		}
		if got == want {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("version %s never reached drainage status %d (last %d, %v)", buildID, want, got, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// waitPinnedCount waits until visibility lists at least n running
// workflows pinned to buildID, by the query README "Versioned rollout"
// gives operators.
func waitPinnedCount(ctx context.Context, t *testing.T, c client.Client, buildID string, n int) {
	t.Helper()
	query := fmt.Sprintf("TemporalWorkerDeploymentVersion='%s:%s' AND ExecutionStatus='Running'", rolloutDeployment, buildID)
	for {
		res, err := c.CountWorkflow(ctx, &workflowservice.CountWorkflowExecutionsRequest{Query: query})
		if err == nil && res.GetCount() >= int64(n) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: want at least %d, have %d (%v)", query, n, res.GetCount(), err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
