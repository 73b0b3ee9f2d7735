package integration

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/workflows"
)

// The versioned rollout of README "Versioned rollout", on a dev server:
// version 1 is the worker binary as built from this checkout, version 2
// an in-process worker whose ImagePipeline sends a command before any of
// version 1's (a deploy that would break every pipeline in flight, were
// they not pinned).
const (
	rolloutDeployment = "imagepipe-rollout-test"
	rolloutQueue      = "versioned-rollout"
	v2Identity        = "imagepipe-v2-worker"
	// releaseMemo is the memo version 2's pipelines write first.
	releaseMemo = "imagepipe-test-release"
)

// TestVersionedRollout_PipelinesFinishOnTheVersionTheyStartedOn starts
// pipelines on version 1, promotes version 2 while they wait for an
// approval, starts more, and approves them all. Every workflow task of a
// version 1 pipeline and of every child it starts (also those started
// after the promotion) is completed by version 1's worker, every one of a
// version 2 pipeline by version 2's; all succeed; version 1 reports
// drained once its pipelines end, and stops.
func TestVersionedRollout_PipelinesFinishOnTheVersionTheyStartedOn(t *testing.T) {
	t.Parallel() // its own dev server and emulators
	srv := testenv.NewDevServerProcess(t)
	// The server looks for a version's open pinned workflows every 3
	// minutes, after a grace of 3; seconds let the test see it drain.
	srv.Args = append(srv.Args,
		"--dynamic-config-value", `matching.wv.VersionDrainageStatusRefreshInterval="1s"`,
		"--dynamic-config-value", `matching.wv.VersionDrainageStatusVisibilityGracePeriod="2s"`)
	bin := testenv.BuildWorker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	if err := srv.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := client.Dial(client.Options{HostPort: srv.HostPort, Logger: testenv.QuietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	dep := c.WorkerDeploymentClient().GetHandle(rolloutDeployment)
	v := newVendors(t)

	// Version 1: the real worker, versioned by its settings alone.
	w1 := testenv.NewWorkerProcess(t, bin, srv.HostPort, rolloutQueue, append(workerEnv(v),
		"IMAGEPIPE_DEPLOYMENT_NAME="+rolloutDeployment, "IMAGEPIPE_BUILD_ID=v1"))
	if err := w1.StartReady(ctx); err != nil {
		t.Fatal(err)
	}
	// Until promoted it takes no pipeline, and says so.
	if err := w1.WaitForLog(ctx, "worker deployment version is not current"); err != nil {
		t.Fatal(err)
	}
	promote(ctx, t, dep, "v1")
	var old []string
	for i := range 3 {
		old = append(old, startRolloutPipeline(ctx, t, c, fmt.Sprintf("old-%d", i)))
	}
	for _, id := range old {
		waitPinned(ctx, t, c, id, "v1")
	}

	// Version 2 starts beside it and is promoted while version 1's
	// pipelines wait for their approvals.
	w2 := worker.New(c, rolloutQueue, worker.Options{
		Identity:     v2Identity,
		Interceptors: []interceptor.WorkerInterceptor{workflows.NewAttemptReporter(c)},
		DeploymentOptions: worker.DeploymentOptions{
			UseVersioning: true,
			Version:       worker.WorkerDeploymentVersion{DeploymentName: rolloutDeployment, BuildID: "v2"},
		},
	})
	workflows.Register(release2{w2}, workflows.Default(), v.activities()...)
	if err := w2.Start(); err != nil {
		t.Fatal(err)
	}
	defer w2.Stop()
	promote(ctx, t, dep, "v2")
	promoted := time.Now()
	waitDrainage(ctx, t, dep, "v1", client.WorkerDeploymentVersionDrainageStatusDraining)
	waitPinnedCount(ctx, t, c, "v1", len(old))
	var fresh []string
	for i := range 3 {
		fresh = append(fresh, startRolloutPipeline(ctx, t, c, fmt.Sprintf("new-%d", i)))
	}
	for _, id := range fresh {
		waitPinned(ctx, t, c, id, "v2")
	}

	for _, id := range append(append([]string{}, old...), fresh...) {
		decide(ctx, t, c, id, workflows.ApproveUpdate, workflows.ApprovalInput{Step: "gate", By: "release-manager"})
	}
	for _, id := range append(append([]string{}, old...), fresh...) {
		var res workflows.PipelineResult
		if err := c.GetWorkflow(ctx, id, "").Get(ctx, &res); err != nil {
			t.Fatalf("pipeline %s failed: %v", id, err)
		}
	}

	for _, id := range old {
		h := historiesOf(ctx, t, c, id)
		ranOn(t, h, "v1")
		if n := childrenStartedAfter(h, id, promoted); n == 0 {
			t.Errorf("pipeline %s started no child after version 2 was promoted; the test proves nothing of inheritance", id)
		}
		if memo(ctx, t, c, id) != "" {
			t.Errorf("version 1 pipeline %s ran version 2's code", id)
		}
		replayAs(t, h[id].proto, id)
	}
	for _, id := range fresh {
		ranOn(t, historiesOf(ctx, t, c, id), "v2")
		if got := memo(ctx, t, c, id); got != "v2" {
			t.Errorf("version 2 pipeline %s has release memo %q, want v2: it did not run version 2's code", id, got)
		}
	}

	// Drain: with its pipelines closed, version 1's workers may go.
	waitDrainage(ctx, t, dep, "v1", client.WorkerDeploymentVersionDrainageStatusDrained)
	if killed, err := w1.Stop(30 * time.Second); err != nil || killed {
		t.Errorf("stop version 1's worker: killed=%v %v", killed, err)
	}
}

// release2 registers imagepipe's workflows as version 2: ImagePipeline
// replaced by imagePipelineV2, everything else (and every versioning
// behavior) as workflows.Register gives it.
type release2 struct{ worker.Registry }

func (r release2) RegisterWorkflowWithOptions(w any, o workflow.RegisterOptions) {
	if o.Name == "ImagePipeline" {
		w = imagePipelineV2
	}
	r.Registry.RegisterWorkflowWithOptions(w, o)
}

// imagePipelineV2 is a new release of ImagePipeline that orders its
// commands differently: it writes a memo before anything version 1 does.
func imagePipelineV2(ctx workflow.Context, in workflows.PipelineInput) (workflows.PipelineResult, error) {
	if err := workflow.UpsertMemo(ctx, map[string]any{releaseMemo: "v2"}); err != nil {
		return workflows.PipelineResult{}, err
	}
	return workflows.ImagePipeline(ctx, in)
}

// startRolloutPipeline starts a pipeline that creates a compartment (a
// job wait), waits for approval, then copies an image (a name lock and a
// job wait), with names of its own.
func startRolloutPipeline(ctx context.Context, t *testing.T, c client.Client, name string) string {
	t.Helper()
	spec, err := workflows.Default().Catalog().Parse(name+".yaml", []byte(`name: rollout-`+name+`
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+ocisim.DemoTenancyID+`, name: `+name+`, description: Rollout test}
  - id: gate
    uses: imagepipe.approval
    needs: [compartment]
    with: {message: "copy?"}
  - id: copy
    uses: huawei.copy_image
    needs: [gate]
    with: {image_id: `+huaweisim.DemoSourceImage+`, name: `+name+`-copy, description: Rollout test}
`))
	if err != nil {
		t.Fatal(err)
	}
	id := workflows.WorkflowID(spec.Name, time.Now())
	if _, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: rolloutQueue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec}); err != nil {
		t.Fatal(err)
	}
	return id
}

// workerEnv is the worker process's settings for v's emulators.
func workerEnv(v *vendors) []string {
	return []string{
		"IMAGEPIPE_OCI_CONFIG_FILE=" + v.oci.ConfigFile,
		"IMAGEPIPE_FPP_ENDPOINT=" + v.fpp.URL,
		"IMAGEPIPE_FPP_USERNAME=" + fppsim.DefaultUsername,
		"IMAGEPIPE_FPP_PASSWORD=" + fppsim.DefaultPassword,
		"IMAGEPIPE_FPP_CA_FILE=" + v.fpp.CAFile,
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + v.huawei.URL,
		"IMAGEPIPE_HUAWEI_PROJECT_ID=" + v.huawei.Sim.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + huaweisim.DefaultAccessKey,
		"IMAGEPIPE_HUAWEI_SECRET_KEY=" + huaweisim.DefaultSecretKey,
		"IMAGEPIPE_ZSTACK_ENDPOINT=" + v.zstack.URL,
		"IMAGEPIPE_ZSTACK_ACCOUNT=" + zstacksim.DemoAccount,
		"IMAGEPIPE_ZSTACK_PASSWORD=" + zstackPassword,
	}
}

// ranOn checks that every workflow task of every workflow in h was
// completed by buildID's worker, pinned, and every activity run by it.
func ranOn(t *testing.T, h map[string]history, buildID string) {
	t.Helper()
	if len(h) < 2 {
		t.Errorf("%d workflows, want a pipeline and its name lock (its job waits are activities)", len(h))
	}
	for wid, wh := range h {
		tasks := 0
		for _, ev := range wh.proto.GetEvents() {
			if a := ev.GetWorkflowTaskCompletedEventAttributes(); a != nil {
				tasks++
				if got := a.GetDeploymentVersion().GetBuildId(); got != buildID {
					t.Errorf("%s: workflow task %d completed by version %q, want %q", wid, ev.GetEventId(), got, buildID)
				}
				if a.GetVersioningBehavior() != enumspb.VERSIONING_BEHAVIOR_PINNED {
					t.Errorf("%s: workflow task %d completed %v, want pinned", wid, ev.GetEventId(), a.GetVersioningBehavior())
				}
			}
			if a := ev.GetActivityTaskStartedEventAttributes(); a != nil && (a.GetIdentity() == v2Identity) != (buildID == "v2") {
				t.Errorf("%s: activity of event %d run by %s, a worker of another version", wid, ev.GetEventId(), a.GetIdentity())
			}
		}
		if tasks == 0 {
			t.Errorf("%s: no completed workflow task", wid)
		}
	}
}

// childrenStartedAfter counts the workflows in h, besides the pipeline
// id, that started after at.
func childrenStartedAfter(h map[string]history, id string, at time.Time) int {
	n := 0
	for wid, wh := range h {
		if wid != id && wh.proto.GetEvents()[0].GetEventTime().AsTime().After(at) {
			n++
		}
	}
	return n
}

// memo is the release memo of the pipeline id, "" if it has none.
func memo(ctx context.Context, t *testing.T, c client.Client, id string) string {
	t.Helper()
	d, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		t.Fatalf("describe %s: %v", id, err)
	}
	p := d.GetWorkflowExecutionInfo().GetMemo().GetFields()[releaseMemo]
	if p == nil {
		return ""
	}
	var s string
	if err := converter.GetDefaultDataConverter().FromPayload(p, &s); err != nil {
		t.Fatalf("memo of %s: %v", id, err)
	}
	return s
}

// replayAs checks that version 2 could not have run the version 1
// pipeline h (its code orders commands differently), while version 1's
// replays it: the pin is what kept it running.
func replayAs(t *testing.T, h *historypb.History, id string) {
	t.Helper()
	quiet := log.NewStructuredLogger(slog.New(slog.DiscardHandler))
	opts := worker.ReplayWorkflowHistoryOptions{OriginalExecution: workflow.Execution{
		ID: id, RunID: h.GetEvents()[0].GetWorkflowExecutionStartedEventAttributes().GetOriginalExecutionRunId(),
	}}
	v1 := worker.NewWorkflowReplayer()
	v1.RegisterWorkflow(workflows.ImagePipeline)
	if err := v1.ReplayWorkflowHistoryWithOptions(quiet, h, opts); err != nil {
		t.Errorf("version 1 cannot replay its own pipeline %s: %v", id, err)
	}
	v2 := worker.NewWorkflowReplayer()
	v2.RegisterWorkflowWithOptions(imagePipelineV2, workflow.RegisterOptions{Name: "ImagePipeline"})
	err := v2.ReplayWorkflowHistoryWithOptions(quiet, h, opts)
	// TMPRL1100 is the SDK's code for a replay that does not match its history.
	if err == nil || !strings.Contains(err.Error(), "TMPRL1100") {
		t.Errorf("version 2 replayed version 1's pipeline %s (%v): its code does not order commands differently", id, err)
	}
}
