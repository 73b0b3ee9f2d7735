package integration

import (
	"context"
	"slices"
	"testing"
	"time"

	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/workflows"
)

// TestVersionedRollout_UnversionedPipelinesMoveToTheFirstVersion is the
// move to Worker Versioning: a pipeline started on unversioned workers
// takes its next task on the first versioned release once that is
// promoted, and is pinned there, so the unversioned workers can stop.
func TestVersionedRollout_UnversionedPipelinesMoveToTheFirstVersion(t *testing.T) {
	t.Parallel()
	const deployment, queue = "imagepipe-migration-test", "versioning-migration"
	srv := testenv.Server(t)
	c := dial(t)
	bin := testenv.BuildWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	unversioned := testenv.NewWorkerProcess(t, bin, srv.HostPort, queue, nil)
	if err := unversioned.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	spec, err := workflows.Default().Catalog().Parse("migration.yaml", []byte(`name: migration
steps:
  - {id: gate, uses: imagepipe.approval}
  - {id: again, uses: imagepipe.approval, needs: [gate]}
`))
	if err != nil {
		t.Fatal(err)
	}
	id := workflows.WorkflowID(spec.Name, time.Now())
	run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
	if err != nil {
		t.Fatal(err)
	}
	for !slices.ContainsFunc(fullHistory(ctx, t, c, id).GetEvents(), func(ev *historypb.HistoryEvent) bool {
		return ev.GetWorkflowTaskCompletedEventAttributes() != nil
	}) {
		select { // until the unversioned worker has completed the first workflow task
		case <-ctx.Done():
			t.Fatal("the unversioned worker never took the pipeline's first task")
		case <-time.After(200 * time.Millisecond):
		}
	}

	v1 := testenv.NewWorkerProcess(t, bin, srv.HostPort, queue, []string{"IMAGEPIPE_DEPLOYMENT_NAME=" + deployment, "IMAGEPIPE_BUILD_ID=v1"})
	if err := v1.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	promote(ctx, t, c.WorkerDeploymentClient().GetHandle(deployment), "v1")
	if killed, err := unversioned.Stop(30 * time.Second); err != nil || killed {
		t.Fatalf("stop the unversioned worker: killed=%v %v", killed, err)
	}
	for _, step := range []string{"gate", "again"} {
		decide(ctx, t, c, id, workflows.ApproveUpdate, workflows.ApprovalInput{Step: step, By: "release-manager"})
	}
	if err := run.Get(ctx, nil); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}

	var got []string
	for _, ev := range fullHistory(ctx, t, c, id).GetEvents() {
		if a := ev.GetWorkflowTaskCompletedEventAttributes(); a != nil {
			got = append(got, a.GetDeploymentVersion().GetBuildId()+"/"+a.GetVersioningBehavior().String())
		}
	}
	if len(got) < 2 || got[0] != "/Unspecified" {
		t.Fatalf("workflow tasks completed as %v: want the first by the unversioned worker", got)
	}
	for i, g := range got[1:] {
		if g != "v1/Pinned" {
			t.Errorf("workflow task %d completed as %s, want v1/Pinned: %v", i+2, g, got)
		}
	}
}
