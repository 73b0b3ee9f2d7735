package integration

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// heldClock stands still from its start until released, then reads the
// wall clock: a ZStack emulator on it keeps an api-job running for as long
// as a test needs to cancel or terminate mid-job, however slow the
// machine, and finishes it once released.
type heldClock struct {
	at       time.Time
	released atomic.Bool
}

func newHeldClock() *heldClock { return &heldClock{at: time.Now()} }

func (c *heldClock) now() time.Time {
	if c.released.Load() {
		return time.Now()
	}
	return c.at
}

func (c *heldClock) release() { c.released.Store(true) }

// midJobVendors are the four emulators, ZStack's on a held clock.
func midJobVendors(t *testing.T, wrapOCI testenv.Wrap) (*vendors, *heldClock) {
	t.Helper()
	timing := simkit.Timing{Activation: 1500 * time.Millisecond, Job: 2 * time.Second}
	clock := newHeldClock()
	held := timing
	held.Clock = clock.now
	return &vendors{
		oci:    ocitest.New(t, ocisim.Demo(timing), wrapOCI),
		fpp:    fpptest.New(t, fppsim.Demo(timing), nil),
		huawei: huaweitest.New(t, huaweisim.Demo(timing), nil),
		zstack: zstacktest.New(t, zstacksim.Demo(held), nil),
	}, clock
}

// midJobSpec moves the demo OCI image into a new compartment, then updates
// the demo ZStack image's attributes, rolling back on failure or cancel.
func midJobSpec(t *testing.T, name string) *pipeline.Spec {
	t.Helper()
	return parseSpec(t, name+".yaml", `name: `+name+`
on_failure: rollback
steps:
  - id: compartment
    uses: oci.create_compartment
    with: {parent_compartment_id: `+ocisim.DemoTenancyID+`, name: `+name+`, description: Cancel and terminate}
  - id: move
    uses: oci.move_image
    with: {image_id: `+ocisim.DemoImageID+`, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
  - id: attributes
    uses: zstack.update_image
    needs: [move]
    with: {image_uuid: `+zstacksim.DemoImage+`, description: release candidate, platform: Windows}
`)
}

// waitForProgress polls the pipeline's progress until ok says so.
func waitForProgress(ctx context.Context, t *testing.T, c client.Client, id, what string, ok func(workflows.Progress) bool) {
	t.Helper()
	var last workflows.Progress
	for ctx.Err() == nil {
		if v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery); err == nil && v.Get(&last) == nil && ok(last) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s never %s; progress %+v", id, what, last)
}

// zstackJobRunning: the move is done and the ZStack update's api-job runs.
func zstackJobRunning(p workflows.Progress) bool {
	move, _ := p.Step("move")
	attrs, _ := p.Step("attributes")
	return move.State == workflows.StepSucceeded && attrs.State == workflows.StepRunning &&
		(strings.Contains(attrs.Detail, workflows.JobZStack) || strings.HasPrefix(attrs.Detail, "job "))
}

// settleZStack waits until the update the pipeline sent has taken effect
// in the emulator (its api-job ran out), so what the test reads is final.
func settleZStack(t *testing.T, v *vendors, updates int) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage) < updates {
		if time.Now().After(deadline) {
			t.Fatalf("zstack applied %d updates, want %d", v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage), updates)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// Cancelling a pipeline with on_failure: rollback while a ZStack update's
// api-job runs, after an OCI move, undoes both: the image moves back and
// the ZStack attributes the update changes are put back, once the job
// ends.
func TestCancelMidJob_RollbackUndoesTheMoveAndTheRunningZStackUpdate(t *testing.T) {
	v, clock := midJobVendors(t, nil)
	m := startMidJob(t, v, "cancel-mid-job")
	waitForProgress(m.ctx, t, m.c, m.id, "ran the ZStack api-job after the move", zstackJobRunning)
	m.cancelAndWait(t, clock.release)
	settleZStack(t, v, 1)

	undone := ociMovedBack(t, v.oci.Sim, "want it moved back to the tenancy")
	if img, _ := v.zstack.Sim.Image(zstacksim.DemoImage); img.Description != "CentOS 7 gold image" || img.Platform != "Linux" {
		t.Errorf("zstack image left with description %q, platform %q: want the attributes from before the cancelled update restored", img.Description, img.Platform)
	} else {
		undone++
	}
	m.logRollback(t, "cancel-mid-job: applied=2 (move, zstack update)", undone)
}

// Cancelling while a call that landed is being retried (the vendor moved
// the image, its answer was lost, and the retry is throttled) still rolls
// the move back: a call that may have landed is compensated.
func TestCancelAfterTheMoveLanded_RollbackMovesTheImageBack(t *testing.T) {
	var landed atomic.Bool
	var sim *ocisim.Server
	// The first move reaches OCI, which moves the image; its answer is
	// lost, and OCI throttles the retry for a minute.
	loseFirstMove := func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			resp, err := next.RoundTrip(r)
			if err != nil || r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/actions/changeCompartment") || !landed.CompareAndSwap(false, true) {
				return resp, err
			}
			sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Minute}, 1)
			resp.Body.Close()
			return nil, testenv.ErrAnswerLost
		})
	}
	v, _ := midJobVendors(t, loseFirstMove)
	sim = v.oci.Sim
	m := startMidJob(t, v, "cancel-landed")
	for sim.Calls(ocisim.OpChangeImageCompartment) < 2 { // the lost one and the throttled retry
		if m.ctx.Err() != nil {
			t.Fatalf("the move was not retried: %d calls", sim.Calls(ocisim.OpChangeImageCompartment))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if img, _ := sim.Image(ocisim.DemoImageID); img.Moves != 1 {
		t.Fatalf("before the cancel the image moved %d times, want the one move whose answer was lost", img.Moves)
	}
	m.cancelAndWait(t, nil)
	undone := ociMovedBack(t, sim, "the move whose answer was lost was not rolled back")
	m.logRollback(t, "cancel-after-move-landed: applied=1 (move, answer lost)", undone)
}

// Terminating a pipeline mid-job runs nothing more, rollback included: the
// move and the ZStack update stay applied, and `starter status` says the
// pipeline was terminated and which steps stay applied, exiting 1.
func TestTerminateMidJob_StatusSaysTerminatedAndWhatStaysApplied(t *testing.T) {
	starter := testenv.Build(t, "github.com/imagepipe/imagepipe/starter")
	v, clock := midJobVendors(t, nil)
	m := startMidJob(t, v, "terminate-mid-job")
	ctx, id := m.ctx, m.id
	waitForProgress(ctx, t, m.c, id, "ran the ZStack api-job after the move", zstackJobRunning)
	if err := m.c.TerminateWorkflow(ctx, id, "", "fault test: terminate mid-job"); err != nil {
		t.Fatal(err)
	}
	clock.release()
	settleZStack(t, v, 1)

	// Nothing ran after terminate: both changes stay.
	img, _ := v.oci.Sim.Image(ocisim.DemoImageID)
	if img.CompartmentID == ocisim.DemoTenancyID || img.Moves != 1 {
		t.Errorf("oci image in %s after %d moves: want it left where the move put it", img.CompartmentID, img.Moves)
	}
	if zimg, _ := v.zstack.Sim.Image(zstacksim.DemoImage); zimg.Description != "release candidate" || v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage) != 1 {
		t.Errorf("zstack image description %q after %d updates: want the update applied once, not undone", zimg.Description, v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage))
	}

	cmd := exec.CommandContext(ctx, starter, "status", id)
	cmd.Env = append(os.Environ(), "TEMPORAL_ADDRESS="+testenv.Server(t).HostPort, "TEMPORAL_NAMESPACE=default")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := cmd.ProcessState.ExitCode()
	report := out.String()
	t.Logf("starter status %s (exit %d):\n%s", id, code, report)
	if code != 1 {
		t.Errorf("starter status of a terminated pipeline exited %d (%v), want 1", code, err)
	}
	if !regexp.MustCompile(`(?i)terminated`).MatchString(report) {
		t.Error("starter status does not say the pipeline was terminated")
	}
	if regexp.MustCompile(`(?m)^pipeline \S+: Running$`).MatchString(report) {
		t.Error("starter status says a terminated pipeline is Running")
	}
	if !regexp.MustCompile(`(?m)move\b.*succeeded`).MatchString(report) || !regexp.MustCompile(`(?mi)move\b.*\bapplied`).MatchString(report) {
		t.Error("starter status does not say the move stays applied")
	}
	if !regexp.MustCompile(`(?mi)attributes\b.*\bappl`).MatchString(report) || regexp.MustCompile(`(?mi)attributes\b.*(rolled.back|skipped|pending)`).MatchString(report) {
		t.Error("starter status does not say the ZStack update, whose job was running, stays applied")
	}
	if strings.Contains(report, "rollback:") {
		t.Error("starter status reports a rollback that never ran")
	}
	t.Logf("terminate-mid-job: applied=2 (move, zstack update) stays-applied=2 status-exit=%d took=%.0fs", code, time.Since(m.start).Seconds())
}

// midJob is a pipeline of midJobSpec running on a worker of its own.
type midJob struct {
	ctx   context.Context // ends with the test, within two minutes
	c     client.Client
	id    string
	run   client.WorkflowRun
	start time.Time
}

// startMidJob starts a worker on v's emulators and, on it, midJobSpec's
// pipeline named name.
func startMidJob(t *testing.T, v *vendors, name string) *midJob {
	t.Helper()
	c := dial(t)
	queue := t.Name()
	startWorker(t, c, queue, v.activities()...)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	m := &midJob{ctx: ctx, c: c, start: time.Now()}
	m.id, m.run = startPipeline(ctx, t, c, queue, midJobSpec(t, name))
	return m
}

// cancelAndWait cancels the pipeline, calls then (if not nil), and fails
// the test unless the pipeline ends cancelled.
func (m *midJob) cancelAndWait(t *testing.T, then func()) {
	t.Helper()
	if err := m.c.CancelWorkflow(m.ctx, m.id, ""); err != nil {
		t.Fatal(err)
	}
	if then != nil {
		then()
	}
	var canceled *temporal.CanceledError
	if err := m.run.Get(m.ctx, nil); !errors.As(err, &canceled) {
		t.Fatalf("pipeline ended with %v, want cancelled", err)
	}
}

// logRollback logs what the pipeline applied (applied) and how much of it
// the test found undone, with what its progress says rollback did.
func (m *midJob) logRollback(t *testing.T, applied string, undone int) {
	t.Helper()
	rollback, _ := queryRollback(m.ctx, m.c, m.id)
	t.Logf("%s undone=%d rollback=%q took=%.0fs", applied, undone, rollback, time.Since(m.start).Seconds())
}

// ociMovedBack is 1 when the demo OCI image is back in the tenancy, and
// otherwise 0, failing the test with where it is and why that is wrong.
func ociMovedBack(t *testing.T, sim *ocisim.Server, why string) int {
	t.Helper()
	if img, _ := sim.Image(ocisim.DemoImageID); img.CompartmentID != ocisim.DemoTenancyID {
		t.Errorf("oci image left in %s after %d moves: %s", img.CompartmentID, img.Moves, why)
		return 0
	}
	return 1
}

// queryRollback is what the ended pipeline's progress says rollback did.
func queryRollback(ctx context.Context, c client.Client, id string) ([]string, error) {
	v, err := c.QueryWorkflow(ctx, id, "", workflows.ProgressQuery)
	if err != nil {
		return nil, err
	}
	var p workflows.Progress
	if err := v.Get(&p); err != nil {
		return nil, err
	}
	return p.Rollback, nil
}
