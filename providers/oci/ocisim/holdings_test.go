package ocisim_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Holdings reports each compartment clients created and not deleted, by
// name, and each image moved, with its moves and the name of the
// compartment it is in; a seeded image nobody moved is not reported.
func TestHoldings_ReportCreatedCompartmentsAndMovedImages(t *testing.T) {
	clock := simkit.NewManualClock(time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC))
	opts := ocisim.Demo(simkit.Timing{Clock: clock.Now, Activation: time.Second})
	opts.Images = append(opts.Images, ocisim.Image{ID: "ocid1.image.oc1.iad.aaaaaaaaunmoved", CompartmentID: ocisim.DemoTenancyID})
	o := ocitest.New(t, opts, nil)
	ctx := context.Background()
	var ids []string
	for i, name := range []string{"gold", "gone"} {
		c, err := o.Client.CreateCompartment(ctx, oci.CreateCompartmentInput{ParentID: ocisim.DemoTenancyID, Name: name, Description: name,
			RetryToken: []string{"token-gold", "token-gone"}[i]})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	clock.Advance(2 * time.Second)
	o.Sim.DeleteCompartment(ids[1])
	if _, err := o.Client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: ocisim.DemoImageID, CompartmentID: ids[0], RetryToken: "token-move"}); err != nil {
		t.Fatal(err)
	}
	want := []simkit.Holding{
		{Kind: ocisim.KindCompartment, Name: "gold", Changes: 1},
		{Kind: ocisim.KindImage, Name: ocisim.DemoImageID, Changes: 1, State: "gold"},
	}
	if got := o.Sim.Holdings(); !slices.Equal(got, want) {
		t.Errorf("holdings %+v, want %+v", got, want)
	}
}
