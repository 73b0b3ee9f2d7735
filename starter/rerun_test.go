package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// compartmentCalls counts the calls the compartment step makes.
func compartmentCalls(s *ocisim.Server) int {
	return s.Calls(ocisim.OpListCompartments) + s.Calls(ocisim.OpCreateCompartment) + s.Calls(ocisim.OpGetCompartment)
}

// The move failed once (a refusal, not retried); rerun --from-failed runs
// the move alone in a new execution, reusing the compartment: the
// emulator sees no second call of the compartment step.
func TestRerun_FromFailedRunsOnlyTheFailedStep(t *testing.T) {
	o := stack(t)
	o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusBadRequest}, 1)
	const id = "rerun-from-failed"
	if code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id); code != exitFailed {
		t.Fatalf("run: exit %d, want %d (the move refused)\n%s\n%s", code, exitFailed, out, errOut)
	}
	compartment := compartmentCalls(o.Sim)
	if compartment == 0 {
		t.Fatal("the first run made no compartment call")
	}
	code, out, errOut := starter(t, "rerun", id, "--from-failed", "--id", id+"-2")
	if code != exitOK {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{"started " + id + "-2, a rerun of " + id + " reusing compartment", "reused from an earlier run", "✓ move", "pipeline oci-move: Succeeded"} {
		if !strings.Contains(out, want) {
			t.Errorf("rerun output lacks %q:\n%s", want, out)
		}
	}
	if n := compartmentCalls(o.Sim); n != compartment {
		t.Errorf("the compartment step made %d more calls; it should have been reused", n-compartment)
	}
	if n := o.Sim.Calls(ocisim.OpChangeImageCompartment); n != 2 {
		t.Errorf("ChangeImageCompartment called %d times in all, want the refused one and the rerun's", n)
	}
	if img, _ := o.Sim.Image(ocisim.DemoImageID); img.Moves != 1 {
		t.Errorf("image moved %d times, want 1", img.Moves)
	}
}

// A plain rerun needs no file: it runs every step of the spec the pipeline
// ran, under a new ID, and its own idempotency keys make the compartment
// step call again.
func TestRerun_RunsTheWholeSpecAgainUnderANewID(t *testing.T) {
	o := stack(t)
	const id = "rerun-all"
	if code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	creates := o.Sim.Calls(ocisim.OpListCompartments)
	code, out, errOut := starter(t, "rerun", id)
	if code != exitOK {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "started pipeline-oci-move-") || !strings.Contains(out, "a rerun of "+id+"\n") {
		t.Errorf("rerun does not name its new execution and what it reruns:\n%s", out)
	}
	if n := o.Sim.Calls(ocisim.OpListCompartments); n <= creates {
		t.Errorf("the rerun did not run the compartment step again")
	}
	// --from-failed of a pipeline that succeeded is bad input.
	code, _, errOut = starter(t, "rerun", id, "--from-failed")
	if code != exitUsage || !strings.Contains(errOut, "succeeded, nothing failed") {
		t.Errorf("rerun --from-failed of a success: exit %d, stderr %q; want %d saying nothing failed", code, errOut, exitUsage)
	}
	code, _, errOut = starter(t, "rerun", "nope")
	if code != exitNotFound || !strings.Contains(errOut, "nope") {
		t.Errorf("rerun nope: exit %d, stderr %q; want %d", code, errOut, exitNotFound)
	}
}
