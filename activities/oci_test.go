package activities_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/oci/ocitest"
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
	o := ocitest.New(t, ocisim.Options{
		Clock:     func() time.Time { return time.Unix(0, now.Load()) },
		TenancyID: tenancy,
		Images:    []ocisim.Image{{ID: image, CompartmentID: tenancy}},
	}, nil)
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestActivityEnvironment()
	acts := &activities.OCI{Client: o.Client}
	env.RegisterActivity(acts)

	var dest activities.Compartment
	created, err := env.ExecuteActivity(acts.OCICreateCompartment, activities.CreateCompartmentInput{
		Unit: activities.Unit{StepID: "dest"}, ParentID: tenancy, Name: "dest", Description: "destination", IdempotencyKey: "fedcba9876543210fedcba9876543210",
	})
	if err != nil || created.Get(&dest) != nil {
		t.Fatalf("create destination: %v", err)
	}
	now.Add(int64(time.Hour)) // the destination is ACTIVE by now
	img, _ := o.Sim.Image(image)
	in := activities.MoveImageInput{Unit: activities.Unit{StepID: "move"}, ImageID: image, CompartmentID: dest.ID, IfMatch: img.ETag, IdempotencyKey: "0123456789abcdef0123456789abcdef"}

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

// Twenty pipelines create the same compartment at once, each with its own
// retry token: OCI makes one and refuses the rest with 409
// CompartmentAlreadyExists. Every loser must end up reusing the winner's
// compartment, not failing.
func TestOCICreateCompartment_LosersOfARaceForTheNameReuseTheWinnersCompartment(t *testing.T) {
	o := ocitest.New(t, ocisim.Options{TenancyID: tenancy, ActivationDelay: time.Minute}, nil)
	acts := &activities.OCI{Client: o.Client}
	const creators = 20
	type answer struct {
		c   activities.Compartment
		err error
	}
	answers := make(chan answer, creators)
	var start sync.WaitGroup
	start.Add(1)
	for i := range creators {
		go func() {
			var suite testsuite.WorkflowTestSuite
			env := suite.NewTestActivityEnvironment()
			env.RegisterActivity(acts)
			start.Wait()
			val, err := env.ExecuteActivity(acts.OCICreateCompartment, activities.CreateCompartmentInput{
				Unit: activities.Unit{StepID: fmt.Sprintf("pipeline-%d", i)}, ParentID: tenancy, Name: "gold-images", Description: "Gold images",
				IdempotencyKey: fmt.Sprintf("race-%02d-0123456789abcdef", i),
			})
			var a answer
			if a.err = err; err == nil {
				a.err = val.Get(&a.c)
			}
			answers <- a
		}()
	}
	start.Done()

	ids := map[string]int{}
	existing := 0
	for range creators {
		a := <-answers
		if a.err != nil {
			t.Errorf("a creator failed: %v", a.err)
			continue
		}
		ids[a.c.ID]++
		if a.c.Existing {
			existing++
		}
	}
	list, err := o.Client.ListCompartments(context.Background(), tenancy, "gold-images")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("OCI lists %d compartments named gold-images, want 1", len(list))
	}
	if ids[list[0].ID] != creators {
		t.Errorf("creators answered with compartments %v, want all %d with %s", ids, creators, list[0].ID)
	}
	if existing != creators-1 {
		t.Errorf("%d creators reused the compartment, want %d (all but the winner)", existing, creators-1)
	}
}
