package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// stack points the starter at the package's dev server and runs a worker
// there whose OCI is an emulator holding the demo image.
func stack(t *testing.T) *ocitest.OCI {
	t.Helper()
	return stackOn(t, workflows.TaskQueue)
}

// stackOn is stack with the worker polling queue.
func stackOn(t *testing.T, queue string) *ocitest.OCI {
	t.Helper()
	t.Setenv("TEMPORAL_ADDRESS", testenv.Server(t).HostPort)
	t.Setenv("TEMPORAL_NAMESPACE", "default")
	o := ocitest.New(t, ocisim.Options{
		TenancyID: ocisim.DemoTenancyID,
		Images:    []ocisim.Image{{ID: ocisim.DemoImageID, CompartmentID: ocisim.DemoTenancyID}},
	}, nil)
	testenv.StartWorker(t, testenv.Dial(t), queue, &activities.OCI{Client: o.Client})
	return o
}

// starter runs the command line as a user would, giving up after a few
// minutes (a pipeline that never ran then fails the test, not hangs it).
func starter(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestRun_ExampleSucceedsShowingEveryStep(t *testing.T) {
	o := stack(t)
	code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	for _, want := range []string{"started pipeline-oci-move-", "web UI: http://", "✓ compartment", "✓ move", "pipeline oci-move: Succeeded"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if img, _ := o.Sim.Image(ocisim.DemoImageID); img.Moves != 1 {
		t.Errorf("image moved %d times, want 1", img.Moves)
	}
}

// A worker on another queue gets the pipelines when the starter is told
// the same IMAGEPIPE_TASK_QUEUE.
func TestRun_StartsOnTheTaskQueueTheWorkerReads(t *testing.T) {
	o := stackOn(t, "imagepipe-eu")
	t.Setenv("IMAGEPIPE_TASK_QUEUE", "imagepipe-eu")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"run", "-f", "../examples/oci-move.yaml"}, &out, &errOut); code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out.String(), errOut.String())
	}
	if img, _ := o.Sim.Image(ocisim.DemoImageID); img.Moves != 1 {
		t.Errorf("image moved %d times, want 1", img.Moves)
	}
}

func TestRun_BadTaskQueueExitsTwoNamingTheVariable(t *testing.T) {
	t.Setenv("IMAGEPIPE_TASK_QUEUE", " ")
	code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml")
	if code != exitUsage || !strings.Contains(errOut, `IMAGEPIPE_TASK_QUEUE=" "`) || strings.Contains(out, "started") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
}

func TestRun_FailedStepExitsOneNamingStepVendorCodeAndRequestID(t *testing.T) {
	o := stack(t)
	spec := strings.ReplaceAll(readFile(t, "../examples/oci-move.yaml"), ocisim.DemoImageID, "ocid1.image.oc1.iad.aaaaaaaanosuchimage")
	code, out, errOut := starter(t, "run", "-f", writeFile(t, spec))
	if code != exitFailed {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitFailed, out, errOut)
	}
	for _, want := range []string{`step "move"`, "oci GetImage", "404", "NotAuthorizedOrNotFound", "request id "} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if n := strings.Count(errOut, `step "move"`); n != 1 {
		t.Errorf("stderr names step \"move\" %d times, want once:\n%s", n, errOut)
	}
	if !strings.Contains(errOut, "next step: the resource does not exist, or the worker's OCI user has no policy") {
		t.Errorf("stderr gives not OCI's own next step for its 404:\n%s", errOut)
	}
	if n := o.Sim.Calls(ocisim.OpGetImage); n != 1 {
		t.Errorf("GetImage called %d times: a 404 must not be retried", n)
	}
}

// status of a pipeline that failed on a vendor's answer names the answer
// and the next step, read from the run's failure in its history.
func TestStatus_FailedOnAVendorAnswerGivesTheNextStep(t *testing.T) {
	stack(t)
	spec := strings.ReplaceAll(readFile(t, "../examples/oci-move.yaml"), ocisim.DemoImageID, "ocid1.image.oc1.iad.aaaaaaaanosuchimage")
	id := testID(t)
	if code, out, errOut := starter(t, "run", "-f", writeFile(t, spec), "--id", id); code != exitFailed {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := starter(t, "status", id)
	if code != exitFailed {
		t.Fatalf("status: exit %d, want %d\n%s%s", code, exitFailed, out, errOut)
	}
	for _, want := range []string{"oci GetImage answered 404 NotAuthorizedOrNotFound", "next step: the resource does not exist, or the worker's OCI user has no policy"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if n := strings.Count(out+errOut, `step "move": `); n != 0 {
		t.Errorf("the step's error repeats its name:\n%s%s", out, errOut)
	}
}

func TestRun_InvalidFileExitsTwoListingEveryProblemAndStartsNothing(t *testing.T) {
	bad := writeFile(t, `name: broken
steps:
  - id: move
    uses: oci.move_image
    with:
      image_id: x
  - id: move
    uses: oci.teleport
`)
	code, out, errOut := starter(t, "run", "-f", bad)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, exitUsage, out, errOut)
	}
	for _, want := range []string{"nothing started", ":5:5: step \"move\": with.compartment_id: required", ":7:5: step \"move\": id: duplicate", "unknown action \"oci.teleport\""} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(out, "started") {
		t.Errorf("a workflow was started:\n%s", out)
	}
}

func TestValidate_BadFileListsEveryProblemWithItsLineAndExitsTwo(t *testing.T) {
	bad := writeFile(t, `name: two-problems
steps:
  - id: a
    uses: oci.create_compartment
    with: {parent_compartment_id: x, name: y}
  - id: b
    uses: oci.move_image
    with: {image_id: "${{ steps.ghost.outputs.image_id }}", compartment_id: z}
`)
	code, out, errOut := starter(t, "validate", "-f", bad)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitUsage, out, errOut)
	}
	for _, want := range []string{"2 problem(s)", `:5:5: step "a": with.description: required`, `:8:12: step "b": with.image_id: reference to unknown step "ghost"`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}

func TestValidate_GoodFileExitsZero(t *testing.T) {
	code, out, errOut := starter(t, "validate", "-f", "../examples/gold-rollout.yaml")
	if code != exitOK || !strings.Contains(out, `pipeline "gold-rollout" is valid (5 steps)`) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pipeline.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApprove_DecidesAWaitingStepFromTheCommandLine(t *testing.T) {
	stack(t)
	file := writeFile(t, `name: gated
steps:
  - id: gate
    uses: imagepipe.approval
    with: {message: "ship it?", approvers: [alice]}
`)
	id := "pipeline-gated-" + strings.ReplaceAll(t.Name(), "/", "-")
	if code, out, errOut := starter(t, "run", "-f", file, "--id", id, "--detach"); code != exitOK {
		t.Fatalf("run: exit %d\n%s%s", code, out, errOut)
	}
	// The gate is not waiting until the worker has run the first task;
	// until then the update's validator refuses, which is what a user sees.
	var code int
	var out, errOut string
	for range 50 {
		code, out, errOut = starter(t, "approve", id, "--step", "gate", "--by", "mallory")
		if strings.Contains(errOut, "mallory may not decide") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if code != exitFailed || !strings.Contains(errOut, "mallory may not decide") {
		t.Fatalf("approve by a stranger: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := starter(t, "approve", id, "--step", "gate", "--by", "alice", "--comment", "ok"); code != exitOK || !strings.Contains(out, "approved by alice") {
		t.Fatalf("approve: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := starter(t, "watch", id); code != exitOK || !strings.Contains(out, "Succeeded") {
		t.Fatalf("watch: exit %d\n%s%s", code, out, errOut)
	}
}

func TestSchedule_CreateTriggerPauseDelete(t *testing.T) {
	o := stack(t)
	id := "sched-" + strings.ToLower(strings.ReplaceAll(t.Name(), "_", "-"))
	code, out, errOut := starter(t, "schedule", "create", "-f", "../examples/oci-move.yaml", "--id", id,
		"--cron", "0 2 * * *", "--timezone", "Europe/Paris", "--overlap", "buffer_one", "--catchup", "30m", "--pause-on-failure")
	if code != exitOK {
		t.Fatalf("create: exit %d\n%s%s", code, out, errOut)
	}
	t.Cleanup(func() { starter(t, "schedule", "delete", id) })
	if code, out, errOut := starter(t, "schedule", "trigger", id); code != exitOK {
		t.Fatalf("trigger: exit %d\n%s%s", code, out, errOut)
	}
	// The triggered run moves the demo image, as the pipeline says.
	deadline := time.Now().Add(30 * time.Second)
	for img, _ := o.Sim.Image(ocisim.DemoImageID); img.Moves == 0; img, _ = o.Sim.Image(ocisim.DemoImageID) {
		if time.Now().After(deadline) {
			t.Fatal("the triggered run did not move the image")
		}
		time.Sleep(100 * time.Millisecond)
	}
	code, out, errOut = starter(t, "schedule", "describe", id)
	for _, want := range []string{`"0 2 * * *" (Europe/Paris)`, "overlap buffer_one", "catch-up 30m0s", "pause on failure true", "run pipeline-oci-move-"} {
		if code != exitOK || !strings.Contains(out, want) {
			t.Errorf("describe lacks %q: exit %d\n%s%s", want, code, out, errOut)
		}
	}
	if code, out, errOut := starter(t, "schedule", "pause", id, "--note", "maintenance"); code != exitOK {
		t.Fatalf("pause: exit %d\n%s%s", code, out, errOut)
	}
	if _, out, _ := starter(t, "schedule", "describe", id); !strings.Contains(out, "paused true") {
		t.Errorf("after pause: %s", out)
	}
	if code, _, errOut := starter(t, "schedule", "create", "-f", "../examples/oci-move.yaml", "--cron", "0 2 * * *", "--overlap", "sometimes"); code != exitUsage || !strings.Contains(errOut, `--overlap "sometimes"`) {
		t.Errorf("a bad overlap policy: exit %d %s", code, errOut)
	}
}

func TestRun_IDTooLongForItsWaitsExitsTwoAndStartsNothing(t *testing.T) {
	code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", strings.Repeat("x", 600))
	if code != exitUsage || !strings.Contains(errOut, "--id: 600 bytes; at most 512") {
		t.Fatalf("exit %d, want %d naming --id\nstdout:\n%s\nstderr:\n%s", code, exitUsage, out, errOut)
	}
	if strings.Contains(out, "started") {
		t.Errorf("a workflow was started:\n%s", out)
	}
}
