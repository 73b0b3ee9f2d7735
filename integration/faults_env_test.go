package integration

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/fpp/fpptest"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweitest"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacktest"
	"github.com/imagepipe/imagepipe/workflows"
)

// What the fault tests share: a seed, the soak switch, emulators shared by
// many pipelines, pipelines that use every action, and counting what the
// vendors hold.

// faultSeed is the seed of a fault test's random choices:
// IMAGEPIPE_FAULT_SEED when set, so a failing run can be repeated, else
// the clock. The test logs it.
func faultSeed(t *testing.T) uint64 {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("IMAGEPIPE_FAULT_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("IMAGEPIPE_FAULT_SEED=%s: %v", s, err)
		}
		seed = v
	}
	t.Logf("seed %d (IMAGEPIPE_FAULT_SEED=%d repeats this run's faults)", seed, seed)
	return seed
}

// soak is whether IMAGEPIPE_SOAK asks for the long variant (make soak):
// more pipelines, more time.
func soak() bool { return os.Getenv("IMAGEPIPE_SOAK") != "" }

// sharedVendors are the four emulators, shared by every pipeline of a
// test as a real vendor is shared, each pipeline with an OCI image and a
// ZStack image of its own. Every client request is in calls.
type sharedVendors struct {
	vendors
	calls *testenv.CallLog
	n     int
}

// newSharedVendors serves emulators for n pipelines; lose (may be nil)
// sits between each client and its emulator.
func newSharedVendors(t *testing.T, n int, timing simkit.Timing, lose testenv.Wrap) *sharedVendors {
	t.Helper()
	calls := new(testenv.CallLog)
	v := &sharedVendors{calls: calls, n: n, vendors: vendors{
		oci:    ocitest.New(t, ocisim.Demo(timing), calls.Wrap("oci", lose)),
		fpp:    fpptest.New(t, fppsim.Demo(timing), calls.Wrap("fpp", lose)),
		huawei: huaweitest.New(t, huaweisim.Demo(timing), calls.Wrap("huawei", lose)),
		zstack: zstacktest.New(t, zstacksim.Demo(timing), calls.Wrap("zstack", lose)),
	}}
	for i := range n {
		v.oci.Sim.AddImage(ocisim.Image{ID: ociImage(i), CompartmentID: ocisim.DemoTenancyID, DisplayName: fmt.Sprintf("faults-%02d", i)})
		v.zstack.Sim.AddImage(zstacksim.Image{UUID: zstackImage(i), Name: fmt.Sprintf("faults-%02d", i), Description: "before",
			GuestOSType: "CentOS 7", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate"})
	}
	return v
}

func ociImage(i int) string    { return fmt.Sprintf("ocid1.image.oc1.iad.aaaaaaaafaults%036d", i) }
func zstackImage(i int) string { return fmt.Sprintf("fa017%027d", i) }

// everyActionSpec is pipeline i: an FPP import, two IMS copies (a
// fan-out) after it, a ZStack update that names the copies, and an OCI
// compartment with the pipeline's image moved into it, each resource its
// own so duplicates can be counted. Each step retries its calls at most
// 5 s apart, as a pipeline facing a flaky vendor would ask: under 30%
// faults a call of three requests fails about 6 attempts in 10, and the
// default backoff (doubling to a minute) would give the slowest of 20
// pipelines minutes of waiting.
func everyActionSpec(t *testing.T, i int) *pipeline.Spec {
	t.Helper()
	src := fmt.Sprintf(`name: faults-%02[1]d
on_failure: rollback
steps:
  - id: import
    uses: fpp.import_image
    retry: {initial_interval: 1s, max_interval: 5s}
    with: {image_name: faults_%02[1]d_gold, path: /u01/app/oracle/product/19.0.0/dbhome_1, image_type: ORACLEDBSOFTWARE}
  - id: copy
    uses: huawei.copy_image
    retry: {initial_interval: 1s, max_interval: 5s}
    needs: [import]
    for_each: [web, data]
    with:
      image_id: %[2]s
      name: faults-%02[1]d-${{ item }}
      description: Copy of ${{ steps.import.outputs.image_name }}
  - id: attributes
    uses: zstack.update_image
    retry: {initial_interval: 1s, max_interval: 5s}
    with:
      image_uuid: %[3]s
      description: "faults %02[1]d: Huawei ${{ steps.copy.outputs.image_id }}"
      platform: Linux
  - id: compartment
    uses: oci.create_compartment
    retry: {initial_interval: 1s, max_interval: 5s}
    with: {parent_compartment_id: %[4]s, name: faults-%02[1]d, description: Fault test %02[1]d}
  - id: move
    uses: oci.move_image
    retry: {initial_interval: 1s, max_interval: 5s}
    with: {image_id: %[5]s, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`, i, huaweisim.DemoSourceImage, zstackImage(i), ocisim.DemoTenancyID, ociImage(i))
	spec, err := workflows.Default().Catalog().Parse(fmt.Sprintf("faults-%02d.yaml", i), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// duplicates counts what the vendors hold more than once, or changed more
// than once, for a batch of everyActionSpec pipelines: each FPP image, IMS
// copy and OCI compartment exists once, FPP ran at most one import a
// pipeline, and the OCI image and ZStack image of each pipeline that
// succeeded (a failed one rolls back, a second change) moved or changed
// once. Each finding is described in notes.
func (v *sharedVendors) duplicates(outs []outcome) (dups int, notes []string) {
	count := func(what string, got, want int) {
		if got > want {
			dups += got - want
			notes = append(notes, fmt.Sprintf("%s: %d, want %d", what, got, want))
		}
	}
	names := map[string]int{}
	for _, img := range v.fpp.Sim.Images() {
		names["fpp image "+img.Name]++
	}
	for _, img := range v.huawei.Sim.Images() {
		names["ims image "+img.Name]++
	}
	for _, c := range v.oci.Sim.Compartments() {
		names["oci compartment "+c.Name]++
	}
	for name, n := range names {
		count(name, n, 1)
	}
	count("fpp import jobs", v.fpp.Sim.JobCount(), v.n)
	for i, o := range outs {
		if o.err != nil {
			continue
		}
		if img, ok := v.oci.Sim.Image(ociImage(i)); ok {
			count("moves of oci image "+img.DisplayName, img.Moves, 1)
		}
		count(fmt.Sprintf("updates applied to zstack image faults-%02d", i), v.zstack.Sim.AppliedUpdates(zstackImage(i)), 1)
	}
	sort.Strings(notes)
	return dups, notes
}

// outcome is how one pipeline of a batch ended.
type outcome struct {
	id    string
	err   error // nil: succeeded
	stuck bool  // still running when the batch's time was up
	took  time.Duration
}

// runBatch starts every spec on queue through c and waits for all of them
// until ctx ends, calling each of ended as each pipeline ends.
func runBatch(ctx context.Context, t *testing.T, c client.Client, queue string, specs []*pipeline.Spec, ended ...func()) []outcome {
	t.Helper()
	out := make([]outcome, len(specs))
	var wg sync.WaitGroup
	for i, spec := range specs {
		id := workflows.WorkflowID(spec.Name, time.Now())
		out[i].id = id
		start := time.Now()
		run, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: queue}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec})
		if err != nil {
			t.Fatalf("start %s: %v", id, err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := awaitEnd(ctx, t, c, id, run)
			out[i].took = time.Since(start)
			// Get returns with the batch's time up only if the pipeline
			// had not ended: its result would have come first.
			out[i].err, out[i].stuck = err, err != nil && ctx.Err() != nil
			for _, f := range ended {
				f()
			}
		}()
	}
	wg.Wait()
	return out
}

// awaitEnd waits for the pipeline's result. A call that fails on the way
// (the client's own RPC timing out on a busy server) is no answer about
// the pipeline: it asks again, until the pipeline has ended or ctx ends.
func awaitEnd(ctx context.Context, t *testing.T, c client.Client, id string, run client.WorkflowRun) error {
	for {
		err := run.Get(ctx, nil)
		var ended *temporal.WorkflowExecutionError
		if err == nil || errors.As(err, &ended) || ctx.Err() != nil {
			return err
		}
		t.Logf("%s: waiting for its result: %v; asking again", id, err)
		time.Sleep(time.Second)
		run = c.GetWorkflow(ctx, id, "")
	}
}

// tally counts the pipelines that failed (lost) and those still running
// (stuck), and reports each with where it stands.
func tally(t *testing.T, c client.Client, outs []outcome) (lost, stuck int) {
	t.Helper()
	for _, o := range outs {
		switch {
		case o.stuck:
			stuck++
			t.Errorf("%s still running: %s", o.id, whereItStands(t, c, o.id))
		case o.err != nil:
			lost++
			t.Errorf("%s failed: %v", o.id, o.err)
		}
	}
	return lost, stuck
}

// whereItStands describes a running pipeline's unfinished steps, and the
// vendor calls and job waits it has pending, with their attempts and last
// failures.
func whereItStands(t *testing.T, c client.Client, id string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var parts []string
	if v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery); err != nil {
		parts = append(parts, "progress: "+err.Error())
	} else {
		var p workflows.Progress
		if err := v.Get(&p); err != nil {
			parts = append(parts, "progress: "+err.Error())
		}
		for _, s := range p.Steps {
			if s.State == workflows.StepSucceeded {
				continue
			}
			part := fmt.Sprintf("%s %s attempts=%d", s.ID, s.State, s.Attempts)
			if s.Detail != "" {
				part += " (" + s.Detail + ")"
			}
			if s.LastError != "" {
				part += " last error: " + s.LastError
			}
			parts = append(parts, part)
		}
	}
	return strings.Join(append(parts, pending(ctx, c, id)...), "; ")
}

// pending lists the activities a workflow and its running children have
// pending.
func pending(ctx context.Context, c client.Client, id string) []string {
	desc, err := c.DescribeWorkflowExecution(ctx, id, "")
	if err != nil {
		return []string{"describe " + id + ": " + err.Error()}
	}
	var out []string
	if wt := desc.GetPendingWorkflowTask(); wt != nil {
		out = append(out, fmt.Sprintf("%s: workflow task %s attempt %d since %s", id, wt.GetState(), wt.GetAttempt(),
			time.Since(wt.GetScheduledTime().AsTime()).Round(time.Second)))
	}
	out = append(out, lastEvents(ctx, c, id, 4))
	for _, pa := range desc.GetPendingActivities() {
		line := fmt.Sprintf("%s: %s %s attempt %d", id, pa.GetActivityId(), pa.GetActivityType().GetName(), pa.GetAttempt())
		if f := pa.GetLastFailure(); f != nil {
			line += " last failure: " + f.GetMessage()
		}
		if nt := pa.GetNextAttemptScheduleTime(); nt != nil {
			line += fmt.Sprintf(", next attempt in %s", time.Until(nt.AsTime()).Round(time.Second))
		}
		out = append(out, line)
	}
	for _, ch := range desc.GetPendingChildren() {
		out = append(out, pending(ctx, c, ch.GetWorkflowId())...)
	}
	return out
}

// lastEvents names the last n events of a workflow's history and how long
// ago each happened.
func lastEvents(ctx context.Context, c client.Client, id string, n int) string {
	var evs []string
	it := c.GetWorkflowHistory(ctx, id, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			evs = append(evs, "history: "+err.Error())
			break
		}
		evs = append(evs, fmt.Sprintf("%s %s ago", ev.GetEventType(), time.Since(ev.GetEventTime().AsTime()).Round(time.Second)))
	}
	return fmt.Sprintf("%s: last events %s", id, strings.Join(evs[max(0, len(evs)-n):], ", "))
}

// slowest is the longest a pipeline of the batch took.
func slowest(outs []outcome) time.Duration {
	var d time.Duration
	for _, o := range outs {
		d = max(d, o.took)
	}
	return d
}

// redone counts the work a batch's pipelines (and their job waits) did
// again: workflow tasks that timed out or failed and were handed out
// anew, and vendor calls retried (ActivityTaskStarted of attempt 2 or
// later; without vendor faults, each is an attempt whose answer was lost
// or whose completion never reached the server).
func redone(t *testing.T, c client.Client, outs []outcome) (workflowTasks, activityRetries int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, o := range outs {
		for _, h := range historiesOf(ctx, t, c, o.id) {
			for _, ev := range h.proto.GetEvents() {
				switch {
				case ev.GetWorkflowTaskTimedOutEventAttributes() != nil, ev.GetWorkflowTaskFailedEventAttributes() != nil:
					workflowTasks++
				case ev.GetActivityTaskStartedEventAttributes().GetAttempt() > 1:
					activityRetries++
				}
			}
		}
	}
	return workflowTasks, activityRetries
}
