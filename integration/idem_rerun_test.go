package integration

import (
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// A pipeline started again under the workflow ID of one that has ended is
// a new execution: its calls must happen, not replay the first run's
// answers from the vendors' idempotency records.
func TestIdem_RerunUnderTheSameIDChangesTheVendorsAgain(t *testing.T) {
	k := startKeyed(t, "rerun")
	ctx, v := k.ctx, k.v
	spec := func(description string) string {
		return keyedSteps("rerun", description, "staging", "Staging") + `  - id: move
    uses: oci.move_image
    with: {image_id: ` + ocisim.DemoImageID + `, compartment_id: "${{ steps.compartment.outputs.compartment_id }}"}
`
	}

	if _, err := k.run(t, spec("release 1")); err != nil {
		t.Fatalf("first run: %v", err)
	}
	staging, _ := v.oci.Sim.Image(ocisim.DemoImageID)
	// Someone puts the image back by hand between the runs.
	img, err := v.oci.Client.GetImage(ctx, ocisim.DemoImageID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.oci.Client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{
		ImageID: ocisim.DemoImageID, CompartmentID: ocisim.DemoTenancyID, IfMatch: img.ETag, RetryToken: "moved-back-by-an-operator",
	}); err != nil {
		t.Fatal(err)
	}

	if _, err := k.run(t, spec("release 2")); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if zimg, _ := v.zstack.Sim.Image(zstacksim.DemoImage); zimg.Description != "release 2" {
		t.Errorf("ZStack description after the second run = %q, want %q", zimg.Description, "release 2")
	}
	if got := v.zstack.Sim.AppliedUpdates(zstacksim.DemoImage); got != 2 {
		t.Errorf("ZStack applied %d updates, want one per run", got)
	}
	if moved, _ := v.oci.Sim.Image(ocisim.DemoImageID); moved.CompartmentID != staging.CompartmentID || moved.Moves != 3 {
		t.Errorf("image in %s after %d moves, want back in %s after 3 (run, operator, run)", moved.CompartmentID, moved.Moves, staging.CompartmentID)
	}
}
