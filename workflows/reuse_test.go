package workflows_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

// A rerun from the failed step: the compartment an earlier run created is
// reused with its outputs, no compartment call is made, and the move reads
// the reused compartment_id.
func TestImagePipeline_ReusedStepIsNotRunAgainAndFeedsTheNext(t *testing.T) {
	f := newFixture(t, options{})
	made, err := f.oci.Client.CreateCompartment(context.Background(), oci.CreateCompartmentInput{ParentID: tenancyID, Name: "gold-images", Description: "earlier run", RetryToken: "earlier-run"})
	if err != nil {
		t.Fatal(err)
	}
	f.wait(time.Hour) // it is ACTIVE by now
	before := map[string]int{}
	for _, op := range []string{ocisim.OpCreateCompartment, ocisim.OpListCompartments, ocisim.OpGetCompartment} {
		before[op] = f.oci.Sim.Calls(op)
	}
	f.env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{
		Spec:  rolloutSpec(t),
		Reuse: map[string]map[string]string{"compartment": {"compartment_id": made.ID, "created": "true"}},
	})
	if err := f.env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res workflows.PipelineResult
	if err := f.env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	for op, n := range before {
		if got := f.oci.Sim.Calls(op); got != n {
			t.Errorf("%s called %d more times; the reused step must make no call", op, got-n)
		}
	}
	c, _ := res.Step("compartment")
	if c.State != workflows.StepSucceeded || c.Outputs["compartment_id"] != made.ID || c.Detail != workflows.ReusedDetail {
		t.Errorf("reused step: %+v", c)
	}
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != made.ID || img.Moves != 1 {
		t.Errorf("image in %s after %d moves, want moved once into the reused %s", img.CompartmentID, img.Moves, made.ID)
	}
}

// Reusing a step the spec lacks, or a step without what it needs, is bad
// input named by step, and nothing runs.
func TestImagePipeline_ReuseOfUnknownOrUnfedStepIsRefused(t *testing.T) {
	f := newFixture(t, options{})
	f.env.ExecuteWorkflow(workflows.ImagePipeline, workflows.PipelineInput{
		Spec:  rolloutSpec(t),
		Reuse: map[string]map[string]string{"compartmnt": {}, "move": {}},
	})
	err := f.env.GetWorkflowError()
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		t.Fatalf("error %v, want the invalid input refused", err)
	}
	for _, want := range []string{`step "compartmnt" is not in pipeline rollout`, `step "move" is reused but "compartment", which it needs, is not`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q: %v", want, err)
		}
	}
	if n := f.oci.Sim.Calls(ocisim.OpCreateCompartment) + f.oci.Sim.Calls(ocisim.OpGetImage); n != 0 {
		t.Errorf("%d vendor calls after refused input", n)
	}
}
