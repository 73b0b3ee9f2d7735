package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// A pipeline whose move was throttled once: history shows each step's
// calls, the move's two attempts with the 429 of the first, and the
// compartment wait with its looks.
func TestHistory_ShowsEachCallWithItsAttemptsAndErrors(t *testing.T) {
	o := stack(t)
	o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests}, 1)
	const id = "history-429"
	if code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml", "--id", id, "--json"); code != exitOK {
		t.Fatalf("run: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := starter(t, "history", id)
	if code != exitOK {
		t.Fatalf("history: exit %d\n%s\n%s", code, out, errOut)
	}
	t.Logf("starter history %s:\n%s", id, out)
	for _, want := range []string{
		"pipeline oci-move (history-429): succeeded",
		"STEP", "ATTEMPTS", "DURATION",
		"compartment", "oci.create_compartment",
		"✗ attempt 1: ",
		"TooManyRequests",
		"wait for the oci.compartment job (",
		" look",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	code, out, errOut = starter(t, "history", id, "--json")
	if code != exitOK {
		t.Fatalf("history --json: exit %d\n%s\n%s", code, out, errOut)
	}
	var ph pipelineHistory
	if err := json.Unmarshal([]byte(out), &ph); err != nil {
		t.Fatalf("history --json is not JSON: %v\n%s", err, out)
	}
	var move *callRecord
	for i, c := range ph.Calls {
		if c.Step == "move" && c.Action == "oci.move_image" && c.WorkflowID == "" && strings.Contains(strings.Join(c.Errors, " "), "TooManyRequests") {
			move = &ph.Calls[i]
		}
	}
	if move == nil {
		t.Fatalf("no call of step move with the 429 among %+v", ph.Calls)
	}
	if move.Attempts != 2 || len(move.Errors) != 1 || move.Outcome != "completed" || move.Start.IsZero() || move.DurationSeconds <= 0 {
		t.Errorf("the throttled move: %+v; want 2 attempts, the one error, completed, a start and a duration", *move)
	}
}

// history of a workflow that does not exist says so, as watch does.
func TestHistory_UnknownPipelineIsNotFound(t *testing.T) {
	stack(t)
	code, _, errOut := starter(t, "history", "nope")
	if code != exitNotFound || !strings.Contains(errOut, "nope") {
		t.Errorf("exit %d, stderr %q; want %d naming nope", code, errOut, exitNotFound)
	}
}
