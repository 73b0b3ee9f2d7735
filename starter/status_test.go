package main

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/workflows"
)

// statusJSON is starter status --json, decoded.
func statusJSON(t *testing.T, id string) (int, statusReport) {
	t.Helper()
	code, out, errOut := starter(t, "status", id, "--json")
	var rep statusReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("status --json: exit %d, output %q: %v\n%s", code, out, err, errOut)
	}
	return code, rep
}

// waitFor polls until ok, failing the test after a generous while.
func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func waitClosed(t *testing.T, c client.Client, id string) {
	t.Helper()
	waitFor(t, id+" to close", func() bool {
		d, err := c.DescribeWorkflowExecution(context.Background(), id, "")
		return err == nil && d.GetWorkflowExecutionInfo().GetStatus() != enumspb.WORKFLOW_EXECUTION_STATUS_RUNNING
	})
}

// Each way a pipeline's run can end is reported as Temporal recorded it,
// with its reason, and only success exits 0.
func TestStatus_ReportsTheRealCloseStatusAndExitsNonZeroUnlessItSucceeded(t *testing.T) {
	stack(t)
	c := testenv.Dial(t)
	gated := writeFile(t, gatedPipeline)
	tests := []struct {
		name     string
		end      func(t *testing.T, id string)
		wantExit int
		status   string // what the progress line says
		closed   string // the close status
		stderr   []string
	}{
		{"completed", func(t *testing.T, id string) {
			if code, out, errOut := starter(t, "approve", id, "--step", "gate", "--by", "alice"); code != exitOK {
				t.Fatalf("approve: exit %d\n%s%s", code, out, errOut)
			}
		}, exitOK, "Succeeded", "Completed", nil},
		{"failed", func(t *testing.T, id string) {
			if code, out, errOut := starter(t, "reject", id, "--step", "gate", "--by", "alice", "--comment", "not today"); code != exitOK {
				t.Fatalf("reject: exit %d\n%s%s", code, out, errOut)
			}
		}, exitFailed, "Failed", "Failed", []string{"pipeline gated failed", `step "gate"`, "not today"}},
		{"canceled", func(t *testing.T, id string) {
			if err := c.CancelWorkflow(context.Background(), id, ""); err != nil {
				t.Fatal(err)
			}
		}, exitFailed, "Canceled", "Canceled", []string{"pipeline gated was cancelled"}},
		{"terminated", func(t *testing.T, id string) {
			if err := c.TerminateWorkflow(context.Background(), id, "", "operator gave up"); err != nil {
				t.Fatal(err)
			}
		}, exitFailed, "Terminated", "Terminated", []string{"pipeline gated was terminated (operator gave up)", "what stays: nothing"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := testID(t)
			detachedRun(t, gated, id)
			waitFor(t, "the gate to wait", func() bool {
				_, rep := statusJSON(t, id)
				s, ok := rep.Progress.Step("gate")
				return ok && s.State == workflows.StepWaiting
			})
			tt.end(t, id)
			waitClosed(t, c, id)

			code, out, errOut := starter(t, "status", id)
			if code != tt.wantExit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.wantExit, out, errOut)
			}
			if want := "pipeline gated: " + tt.status; !strings.Contains(out, want) {
				t.Errorf("stdout lacks %q:\n%s", want, out)
			}
			for _, want := range tt.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if code, rep := statusJSON(t, id); code != tt.wantExit || rep.Ending == nil || rep.Status != tt.closed {
				t.Errorf("status --json: exit %d, %+v; want exit %d, status %s", code, rep, tt.wantExit, tt.closed)
			}
		})
	}
}

func TestStatus_TimedOutPipelineSaysSo(t *testing.T) {
	stack(t)
	c := testenv.Dial(t)
	id := testID(t)
	spec, err := workflows.Default().Catalog().ParseFile(writeFile(t, gatedPipeline))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecuteWorkflow(context.Background(), client.StartWorkflowOptions{
		ID: id, TaskQueue: workflows.TaskQueue, WorkflowExecutionTimeout: 3 * time.Second,
	}, workflows.ImagePipeline, workflows.PipelineInput{Spec: *spec}); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c, id)
	code, out, errOut := starter(t, "status", id)
	if code != exitFailed || !strings.Contains(out, "pipeline gated: TimedOut") || !strings.Contains(errOut, "pipeline gated timed out") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

// halfDone moves the demo image home, then creates a compartment that
// never becomes ACTIVE: terminated then, one change is applied and one may
// have been.
const halfDone = `name: half-done
on_failure: rollback
steps:
  - id: move
    uses: oci.move_image
    with: {image_id: ` + ocisim.DemoImageID + `, compartment_id: ` + ocisim.DemoTenancyID + `}
  - id: compartment
    uses: oci.create_compartment
    needs: [move]
    with: {parent_compartment_id: ` + ocisim.DemoTenancyID + `, name: never-ready, description: stays CREATING}
`

// halfDoneStack is an OCI emulator where the demo image sits in another
// compartment and compartments stay CREATING for an hour, and a worker
// of it that the test can stop.
func halfDoneStack(t *testing.T) (o *ocitest.OCI, stopWorker func()) {
	t.Helper()
	t.Setenv("TEMPORAL_ADDRESS", testenv.Server(t).HostPort)
	t.Setenv("TEMPORAL_NAMESPACE", "default")
	queue := "imagepipe-" + testID(t)
	t.Setenv("IMAGEPIPE_TASK_QUEUE", queue)
	o = ocitest.New(t, ocisim.Options{
		TenancyID:       ocisim.DemoTenancyID,
		ActivationDelay: time.Hour,
		Images:          []ocisim.Image{{ID: ocisim.DemoImageID, CompartmentID: "ocid1.compartment.oc1..aaaaaaaaelsewhere"}},
	}, nil)
	c := testenv.Dial(t)
	w := worker.New(c, queue, worker.Options{Interceptors: []interceptor.WorkerInterceptor{workflows.NewAttemptReporter(c)}})
	workflows.Register(w, workflows.Default(), &activities.OCI{Client: o.Client})
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	stopWorker = func() { once.Do(w.Stop) }
	t.Cleanup(stopWorker)
	return o, stopWorker
}

// terminateHalfDone runs halfDone until its compartment is being created,
// then terminates it.
func terminateHalfDone(t *testing.T, o *ocitest.OCI) string {
	t.Helper()
	id := testID(t)
	detachedRun(t, writeFile(t, halfDone), id)
	waitFor(t, "the compartment to be asked for", func() bool { return o.Sim.Calls(ocisim.OpCreateCompartment) > 0 })
	c := testenv.Dial(t)
	if err := c.TerminateWorkflow(context.Background(), id, "", "operator gave up"); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c, id)
	return id
}

func checkHalfDoneReport(t *testing.T, o *ocitest.OCI, id, from string) {
	t.Helper()
	code, out, errOut := starter(t, "status", id)
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	if !strings.Contains(out, "pipeline half-done: Terminated") || strings.Contains(out, "Running") {
		t.Errorf("stdout does not say Terminated:\n%s", out)
	}
	for _, want := range []string{
		"pipeline half-done was terminated (operator gave up)",
		"what stays (no rollback ran",
		"move (oci.move_image): applied: succeeded and was not rolled back",
		"compartment (oci.create_compartment): may have applied: it was running when the pipeline ended",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	// What the report says stays, stays.
	if img, _ := o.Sim.Image(ocisim.DemoImageID); img.CompartmentID != ocisim.DemoTenancyID {
		t.Errorf("image in %s: the move was undone after all", img.CompartmentID)
	}
	if cs := o.Sim.Compartments(); len(cs) != 1 || cs[0].Name != "never-ready" {
		t.Errorf("compartments %+v, want never-ready", cs)
	}
	if _, rep := statusJSON(t, id); rep.ProgressFrom != from || len(rep.Stays) != 2 {
		t.Errorf("status --json: progress from %q with %d stays, want from %q with 2: %+v", rep.ProgressFrom, len(rep.Stays), from, rep)
	}
}

func TestStatus_TerminatedPipelineSaysWhatStaysAsAWorkerReplaysIt(t *testing.T) {
	o, _ := halfDoneStack(t)
	id := terminateHalfDone(t, o)
	checkHalfDoneReport(t, o, id, fromWorker)
}

func TestStatus_TerminatedPipelineSaysWhatStaysWithNoWorkerLeft(t *testing.T) {
	o, stopWorker := halfDoneStack(t)
	id := terminateHalfDone(t, o)
	stopWorker()
	checkHalfDoneReport(t, o, id, fromReplay)
}

// Watching a pipeline that is terminated says so, and what stays.
func TestWatch_TerminatedWhileWatchedSaysWhatStays(t *testing.T) {
	o, _ := halfDoneStack(t)
	id := testID(t)
	type result struct {
		code        int
		out, errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, out, errOut := starter(t, "run", "-f", writeFile(t, halfDone), "--id", id)
		done <- result{code, out, errOut}
	}()
	waitFor(t, "the compartment to be asked for", func() bool { return o.Sim.Calls(ocisim.OpCreateCompartment) > 0 })
	if err := testenv.Dial(t).TerminateWorkflow(context.Background(), id, "", "operator gave up"); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if res.code != exitFailed {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", res.code, res.out, res.errOut)
	}
	for _, want := range []string{"pipeline half-done was terminated (operator gave up)", "move (oci.move_image): applied", "compartment (oci.create_compartment): may have applied"} {
		if !strings.Contains(res.errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, res.errOut)
		}
	}
	if !strings.Contains(res.out, "pipeline half-done: Terminated") {
		t.Errorf("stdout does not end Terminated:\n%s", res.out)
	}
}
