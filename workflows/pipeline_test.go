package workflows_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/workflows"
)

func TestImagePipeline_CreatesCompartmentThenMovesImageIntoIt(t *testing.T) {
	f := newFixture(t, options{activation: 30 * time.Second})
	res, err := f.run(t, rolloutSpec(t))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	comps := f.oci.Sim.Compartments()
	if len(comps) != 1 || comps[0].Name != "gold-images" || comps[0].LifecycleState != oci.CompartmentActive {
		t.Fatalf("compartments = %+v, want one ACTIVE gold-images", comps)
	}
	img, _ := f.oci.Sim.Image(imageID)
	if img.CompartmentID != comps[0].ID {
		t.Fatalf("image in %s, want %s", img.CompartmentID, comps[0].ID)
	}
	move, _ := res.Step("move")
	if move.State != workflows.StepSucceeded || move.Outputs["previous_compartment_id"] != tenancyID {
		t.Fatalf("move step = %+v", move)
	}
	comp, _ := res.Step("compartment")
	if comp.Outputs["created"] != "true" || comp.Outputs["compartment_id"] != comps[0].ID {
		t.Fatalf("compartment step outputs = %v", comp.Outputs)
	}
}

func TestImagePipeline_ReusesExistingCompartmentOfTheSameName(t *testing.T) {
	f := newFixture(t, options{})
	existing, err := f.oci.Client.CreateCompartment(context.Background(), oci.CreateCompartmentInput{
		ParentID: tenancyID, Name: "gold-images", Description: "made by hand", RetryToken: "by-hand",
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := f.run(t, rolloutSpec(t))
	if err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	if n := f.oci.Sim.Calls("CreateCompartment"); n != 1 {
		t.Errorf("CreateCompartment called %d times, want only the one made by hand", n)
	}
	comp, _ := res.Step("compartment")
	if comp.Outputs["compartment_id"] != existing.ID || comp.Outputs["created"] != "false" {
		t.Fatalf("compartment outputs = %v, want the existing %s reused", comp.Outputs, existing.ID)
	}
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != existing.ID {
		t.Fatalf("image in %s, want %s", img.CompartmentID, existing.ID)
	}
}

func TestImagePipeline_StaleEtagFailsTheMoveAtItsFirstAttempt(t *testing.T) {
	f := newFixture(t, options{})
	// Someone else changes the image between our read and our move.
	f.env.SetOnActivityCompletedListener(func(info *activity.Info, _ converter.EncodedValue, _ error) {
		if info.ActivityType.Name == "OCIGetImage" {
			f.oci.Sim.TouchImage(imageID)
		}
	})
	res, err := f.run(t, rolloutSpec(t))
	if err == nil {
		t.Fatalf("pipeline succeeded despite a stale etag: %+v", res)
	}
	var app *temporal.ApplicationError
	if !errors.As(err, &app) {
		t.Fatalf("error %v has no ApplicationError", err)
	}
	msg := err.Error()
	for _, want := range []string{`step "move"`, "412", "NoEtagMatch", "opc-request-id "} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not mention %q:\n%s", want, msg)
		}
	}
	if n := f.oci.Sim.Calls("ChangeImageCompartment"); n != 1 {
		t.Errorf("ChangeImageCompartment called %d times, want 1 (no retry of a 412)", n)
	}
	if img, _ := f.oci.Sim.Image(imageID); img.CompartmentID != tenancyID {
		t.Errorf("image moved to %s despite the failure", img.CompartmentID)
	}
	var details activities.VendorErrorDetails
	for e := error(app); e != nil; e = errors.Unwrap(e) {
		if a, ok := e.(*temporal.ApplicationError); ok && a.HasDetails() && a.Details(&details) == nil {
			break
		}
	}
	if details.Code != "NoEtagMatch" || details.RequestID == "" {
		t.Errorf("vendor details = %+v, want code NoEtagMatch and a request id", details)
	}
}

func TestImagePipeline_TenMinuteCompartmentPollsAsTheBackoffPredicts(t *testing.T) {
	const activation = 10 * time.Minute
	f := newFixture(t, options{activation: activation})
	start := f.env.Now()
	if _, err := f.run(t, rolloutSpec(t)); err != nil {
		t.Fatalf("pipeline failed: %v", err)
	}
	// The documented schedule: look at once, then after a tenth of the
	// wait so far, never sooner than 2 s, never later than the kind's 60 s,
	// until the compartment is ACTIVE.
	want, elapsed := 1, time.Duration(0)
	for elapsed < activation {
		elapsed += min(max(2*time.Second, elapsed/10), time.Minute)
		want++
	}
	if got := f.oci.Sim.Calls("GetCompartment"); got != want {
		t.Fatalf("GetCompartment polled %d times, want %d", got, want)
	}
	// The wait happened in workflow time, on durable timers.
	if waited := f.env.Now().Sub(start); waited < activation {
		t.Fatalf("workflow time advanced %s, want at least %s", waited, activation)
	}
}
