package activities_test

import (
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/testenv"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

const (
	tenancy = "ocid1.tenancy.oc1..aaaaaaaaacttenancy"
	image   = "ocid1.image.oc1.iad.aaaaaaaaactimage"
)

// A worker can crash after OCI accepted a move but before the activity
// reported it; Temporal then runs the activity again with the same input.
func TestOCIChangeImageCompartment_RetriedAfterTheVendorAcceptedMovesOnce(t *testing.T) {
	var now atomic.Int64 // the emulator's clock, moved by hand
	now.Store(time.Now().UnixNano())
	o := testenv.NewOCI(t, ocisim.Options{
		Clock:     func() time.Time { return time.Unix(0, now.Load()) },
		TenancyID: tenancy,
		Images:    []ocisim.Image{{ID: image, CompartmentID: tenancy}},
	}, nil)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	acts := &activities.Activities{OCI: o.Client}
	env.RegisterActivity(acts)

	var dest activities.Compartment
	created, err := env.ExecuteActivity(acts.OCICreateCompartment, activities.CreateCompartmentInput{
		Step: "dest", ParentID: tenancy, Name: "dest", Description: "destination", IdempotencyKey: "fedcba9876543210fedcba9876543210",
	})
	if err != nil || created.Get(&dest) != nil {
		t.Fatalf("create destination: %v", err)
	}
	now.Add(int64(time.Hour)) // the destination is ACTIVE by now
	img, _ := o.Sim.Image(image)
	in := activities.MoveImageInput{Step: "move", ImageID: image, CompartmentID: dest.ID, IfMatch: img.ETag, IdempotencyKey: "0123456789abcdef0123456789abcdef"}

	first, err := env.ExecuteActivity(acts.OCIChangeImageCompartment, in)
	if err != nil {
		t.Fatal(err)
	}
	afterMove, _ := o.Sim.Image(image)
	second, err := env.ExecuteActivity(acts.OCIChangeImageCompartment, in)
	if err != nil {
		t.Fatalf("retry of an accepted move failed: %v", err)
	}
	var r1, r2 activities.MoveImageResult
	_ = first.Get(&r1)
	_ = second.Get(&r2)
	if r1 != r2 {
		t.Errorf("retry answered %+v, first attempt %+v: want the first answer replayed", r2, r1)
	}
	moved, _ := o.Sim.Image(image)
	if moved.Moves != 1 || moved.ETag != afterMove.ETag {
		t.Errorf("after the retry: %d moves, etag %s -> %s; want one move and no change", moved.Moves, afterMove.ETag, moved.ETag)
	}
	if moved.CompartmentID != dest.ID {
		t.Errorf("image in %s, want %s", moved.CompartmentID, dest.ID)
	}
}
