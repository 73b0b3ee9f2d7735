package workflows

import (
	"fmt"
	"strconv"
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// JobOCICompartment is a compartment being created, polled until ACTIVE.
const JobOCICompartment = "oci.compartment"

// OCIVendor is OCI: Identity's compartments and Core's images.
func OCIVendor() Vendor {
	var a *activities.OCI
	return Vendor{
		Name: activities.VendorOCI,
		Actions: []Action{
			WithPlan(NewAction(pipeline.OCICreateCompartment, ociCreateCompartment), ociPlanCompartment),
			WithPlan(NewReversibleAction(pipeline.OCIMoveImage, ociMoveImage, ociMoveBack), ociPlanMove),
		},
		Jobs: []JobKind{
			// OCI compartments usually turn ACTIVE within seconds to minutes.
			{Kind: JobOCICompartment, Poll: a.OCICompartmentState, Policy: PollPolicy{
				Initial: 2 * time.Second, Multiplier: 1.5, Max: time.Minute, Timeout: time.Hour, PollsPerRun: ProductionPollsPerRun}},
		},
		Activities: &activities.OCI{},
		Settings:   func() activities.Settings { return &activities.OCISettings{} },
		Emulator:   ocisim.Emulated,
	}
}

// ociCreateCompartment ensures a compartment: it reuses a live one of the
// same name in the parent, or creates one (with the step's retry token, so
// a retried create happens once), then waits until it is ACTIVE. It has no
// inverse: a compartment may hold other resources by the time a later step
// fails, and OCI deletes compartments slowly.
func ociCreateCompartment(ctx workflow.Context, s *Step, in pipeline.OCICreateCompartmentInput) (pipeline.OCICreateCompartmentOutput, error) {
	var out pipeline.OCICreateCompartmentOutput
	var a *activities.OCI
	var c activities.Compartment
	if err := s.Call(ctx, "find compartment "+in.Name, a.OCIFindCompartment, activities.FindCompartmentInput{
		Unit: s.Unit(), ParentID: in.ParentID, Name: in.Name,
	}, &c); err != nil {
		return out, err
	}
	created := !c.Found
	if created {
		s.Detail(ctx, "creating compartment %s", in.Name)
		if err := s.Call(ctx, "create compartment "+in.Name, a.OCICreateCompartment, activities.CreateCompartmentInput{
			Unit: s.Unit(), ParentID: in.ParentID, Name: in.Name, Description: in.Description,
			FreeformTags: in.FreeformTags, IdempotencyKey: s.Key(ctx, in.ParentID+"/"+in.Name),
		}, &c); err != nil {
			return out, err
		}
		created = !c.Existing // a lost race for the name reuses the winner's
	}
	switch {
	case c.Active():
	case c.Creating():
		if _, err := s.Await(ctx, JobOCICompartment, c.ID); err != nil {
			return out, err
		}
	default:
		return out, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: compartment %s (%s) exists in the parent but is %s", s.Name(), in.Name, c.ID, c.LifecycleState),
			activities.ErrConflict, nil)
	}
	return pipeline.OCICreateCompartmentOutput{CompartmentID: c.ID, Created: strconv.FormatBool(created)}, nil
}

// ociMoveImage moves an image into a compartment. It reads the image first:
// if it is already there the step is done (a re-run or a retry after a
// crash) and there is nothing to undo; otherwise the etag it read guards the
// move, so a concurrent change to the image fails the step instead of being
// overwritten. Its inverse, recorded before the move is sent, moves the
// image back to where it was, if it is not there.
func ociMoveImage(ctx workflow.Context, s *Step, in pipeline.OCIMoveImageInput) (pipeline.OCIMoveImageOutput, error) {
	first := s.CompensatesFirst()
	from, moved, err := moveImage(ctx, s, in.ImageID, in.CompartmentID, "", func(from string) {
		if first {
			s.Compensate(ociMoveBackRecord{ImageID: in.ImageID, CompartmentID: from})
		}
	})
	if err != nil {
		return pipeline.OCIMoveImageOutput{}, err
	}
	if moved && !first {
		s.Compensate(ociMoveBackRecord{ImageID: in.ImageID, CompartmentID: from})
	}
	return pipeline.OCIMoveImageOutput{ImageID: in.ImageID, CompartmentID: in.CompartmentID, PreviousCompartmentID: from}, nil
}

// ociMoveBackRecord is the compartment a moved image goes back to.
type ociMoveBackRecord struct {
	ImageID       string
	CompartmentID string
}

// moveImage reads the image and, unless it is already in compartment, moves
// it there guarded by the etag just read. It returns where the image was
// and whether it moved. keyPrefix separates a rollback's retry token from
// the forward move's; beforeMove, if set, learns where the image is just
// before the move is sent.
func moveImage(ctx workflow.Context, s *Step, imageID, compartment, keyPrefix string, beforeMove func(from string)) (string, bool, error) {
	var a *activities.OCI
	var img activities.Image
	if err := s.Call(ctx, "read image "+imageID, a.OCIGetImage, activities.GetImageInput{Unit: s.Unit(), ImageID: imageID}, &img); err != nil {
		return "", false, err
	}
	if img.CompartmentID == compartment {
		s.Detail(ctx, "image already in %s", compartment)
		return img.CompartmentID, false, nil
	}
	if beforeMove != nil {
		beforeMove(img.CompartmentID)
	}
	s.Detail(ctx, "moving image to %s", compartment)
	var res activities.MoveImageResult
	if err := s.Mutate(ctx, "move image to "+compartment, a.OCIChangeImageCompartment, activities.MoveImageInput{
		Unit: s.Unit(), ImageID: imageID, CompartmentID: compartment, IfMatch: img.ETag,
		IdempotencyKey: s.Key(ctx, keyPrefix+imageID+"->"+compartment),
	}, &res); err != nil {
		return "", false, err
	}
	return img.CompartmentID, true, nil
}

// ociMoveBack is the inverse of ociMoveImage: it reads where the image is
// and moves it back unless the move never happened.
func ociMoveBack(ctx workflow.Context, s *Step, back ociMoveBackRecord) (string, bool, error) {
	_, moved, err := moveImage(ctx, s, back.ImageID, back.CompartmentID, "rollback:", nil)
	switch {
	case err != nil:
		return "", false, err
	case !moved:
		return fmt.Sprintf("nothing to undo: image %s is in %s", back.ImageID, back.CompartmentID), false, nil
	}
	return fmt.Sprintf("moved image %s back to %s", back.ImageID, back.CompartmentID), true, nil
}

// ociPlanCompartment plans ociCreateCompartment with its own first look
// (ListCompartments): a live compartment of the name in the parent is
// reused, none is created. A parent OCI does not know fails the look, as
// it would fail the run.
func ociPlanCompartment(ctx workflow.Context, p *PlanStep, in pipeline.OCICreateCompartmentInput) (Plan, error) {
	create := Plan{Verb: PlanCreate, Summary: fmt.Sprintf("create compartment %s in %s", in.Name, in.ParentID),
		Outputs: map[string]string{"created": "true"}}
	if !Known(in.ParentID) || !Known(in.Name) {
		return create, nil
	}
	var a *activities.OCI
	var c activities.Compartment
	if err := p.Read(ctx, "find compartment "+in.Name, a.OCIFindCompartment, activities.FindCompartmentInput{
		Unit: p.Unit(), ParentID: in.ParentID, Name: in.Name,
	}, &c); err != nil {
		return Plan{}, err
	}
	switch {
	case !c.Found:
		return create, nil
	case c.Active() || c.Creating():
		return Plan{Verb: PlanReuse, Resource: c.ID,
			Summary: fmt.Sprintf("reuse compartment %s (%s, %s)", in.Name, c.ID, c.LifecycleState),
			Outputs: map[string]string{"compartment_id": c.ID, "created": strconv.FormatBool(false)}}, nil
	default:
		return Plan{Verb: PlanFail, Resource: c.ID, Code: activities.ErrConflict,
			Summary: fmt.Sprintf("compartment %s (%s) exists in the parent but is %s", in.Name, c.ID, c.LifecycleState)}, nil
	}
}

// ociPlanMove plans ociMoveImage with its own first look (GetImage): an
// image already in the compartment is left alone, any other is moved. A
// known target is read too (GetCompartment), so an unknown compartment is
// found now rather than by the move.
func ociPlanMove(ctx workflow.Context, p *PlanStep, in pipeline.OCIMoveImageInput) (Plan, error) {
	if !Known(in.ImageID) {
		return Plan{Verb: PlanMove, To: in.CompartmentID, Summary: "move image " + in.ImageID + " to " + in.CompartmentID}, nil
	}
	var a *activities.OCI
	var img activities.Image
	if err := p.Read(ctx, "read image "+in.ImageID, a.OCIGetImage, activities.GetImageInput{Unit: p.Unit(), ImageID: in.ImageID}, &img); err != nil {
		return Plan{}, err
	}
	outputs := map[string]string{"image_id": in.ImageID, "previous_compartment_id": img.CompartmentID}
	if Known(in.CompartmentID) {
		outputs["compartment_id"] = in.CompartmentID
		if img.CompartmentID == in.CompartmentID {
			return Plan{Verb: PlanNothing, Resource: in.ImageID, Outputs: outputs,
				Summary: fmt.Sprintf("image %s is already in %s", in.ImageID, in.CompartmentID)}, nil
		}
		var c activities.Compartment
		if err := p.Read(ctx, "read compartment "+in.CompartmentID, a.OCIGetCompartment, activities.GetCompartmentInput{
			Unit: p.Unit(), CompartmentID: in.CompartmentID,
		}, &c); err != nil {
			return Plan{}, err
		}
	}
	return Plan{Verb: PlanMove, Resource: in.ImageID, From: img.CompartmentID, To: in.CompartmentID, Outputs: outputs,
		Summary: fmt.Sprintf("move image %s from %s to %s", in.ImageID, img.CompartmentID, in.CompartmentID)}, nil
}
