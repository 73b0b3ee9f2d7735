package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// A call the vendor throttles shows its retries one way: on its step's
// line, with the vendor's answer, as the pipeline's progress has them
// (the worker's attempt reports); watch lists no second account of them
// beside the table.
func TestRun_ARetriedCallShowsOnItsStepsLineOnly(t *testing.T) {
	o := stack(t)
	o.Sim.Faults().Inject(ocisim.OpChangeImageCompartment, simkit.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, 2)
	code, out, errOut := starter(t, "run", "-f", "../examples/oci-move.yaml")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	shown := false
	for _, l := range strings.Split(out, "\n") {
		if strings.Contains(l, " move ") && strings.Contains(l, "429") {
			shown = true
		}
		if strings.Contains(l, "retrying ") {
			t.Errorf("a retry is listed apart from its step: %q", l)
		}
	}
	if !shown {
		t.Errorf("no line of the move step shows the 429 it is retried after:\n%s", out)
	}
}
