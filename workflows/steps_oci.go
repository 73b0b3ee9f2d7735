package workflows

import (
	"fmt"
	"strconv"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// ociCreateCompartment ensures a compartment: it reuses a live one of the
// same name in the parent, or creates one (with the step's retry token, so
// a retried create happens once), then waits until it is ACTIVE. It has no
// inverse: a compartment may hold other resources by the time a later step
// fails, and OCI deletes compartments slowly.
func (s *stepRun) ociCreateCompartment(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ParentID     string            `json:"parent_compartment_id"`
		Name         string            `json:"name"`
		Description  string            `json:"description"`
		FreeformTags map[string]string `json:"freeform_tags"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	var a *activities.Activities
	var c activities.Compartment
	if err := s.call(ctx, "find compartment "+in.Name, a.OCIFindCompartment, activities.FindCompartmentInput{
		Step: s.name(), ParentID: in.ParentID, Name: in.Name,
	}, &c); err != nil {
		return nil, err
	}
	created := !c.Found
	if created {
		s.detail(ctx, "creating compartment %s", in.Name)
		if err := s.call(ctx, "create compartment "+in.Name, a.OCICreateCompartment, activities.CreateCompartmentInput{
			Step: s.name(), ParentID: in.ParentID, Name: in.Name, Description: in.Description,
			FreeformTags: in.FreeformTags, IdempotencyKey: s.key(ctx, in.ParentID+"/"+in.Name),
		}, &c); err != nil {
			return nil, err
		}
		created = !c.Existing // a lost race for the name reuses the winner's
	}
	switch {
	case c.Active():
	case c.Creating():
		if _, err := s.await(ctx, JobOCICompartment, c.ID, ociCompartmentPolicy); err != nil {
			return nil, err
		}
	default:
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: compartment %s (%s) exists in the parent but is %s", s.name(), in.Name, c.ID, c.LifecycleState),
			activities.ErrConflict, nil)
	}
	return map[string]string{"compartment_id": c.ID, "created": strconv.FormatBool(created)}, nil
}

// ociMoveImage moves an image into a compartment. It reads the image first:
// if it is already there the step is done (a re-run or a retry after a
// crash) and there is nothing to undo; otherwise the etag it read guards the
// move, so a concurrent change to the image fails the step instead of being
// overwritten. Its inverse, recorded before the move is sent, moves the
// image back to where it was, if it is not there.
func (s *stepRun) ociMoveImage(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ImageID       string `json:"image_id"`
		CompartmentID string `json:"compartment_id"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	first := s.run.compensatesFirst()
	from, moved, err := s.moveImage(ctx, in.ImageID, in.CompartmentID, "", func(from string) {
		if first {
			s.compensate(undo{OCIMoveBack: &activities.MoveImageInput{ImageID: in.ImageID, CompartmentID: from}})
		}
	})
	if err != nil {
		return nil, err
	}
	if moved && !first {
		s.compensate(undo{OCIMoveBack: &activities.MoveImageInput{ImageID: in.ImageID, CompartmentID: from}})
	}
	return map[string]string{"image_id": in.ImageID, "compartment_id": in.CompartmentID, "previous_compartment_id": from}, nil
}

// moveImage reads the image and, unless it is already in compartment, moves
// it there guarded by the etag just read. It returns where the image was
// and whether it moved. keyPrefix separates a rollback's retry token from
// the forward move's; beforeMove, if set, learns where the image is just
// before the move is sent.
func (s *stepRun) moveImage(ctx workflow.Context, imageID, compartment, keyPrefix string, beforeMove func(from string)) (string, bool, error) {
	var a *activities.Activities
	var img activities.Image
	if err := s.call(ctx, "read image "+imageID, a.OCIGetImage, activities.GetImageInput{Step: s.name(), ImageID: imageID}, &img); err != nil {
		return "", false, err
	}
	if img.CompartmentID == compartment {
		s.detail(ctx, "image already in %s", compartment)
		return img.CompartmentID, false, nil
	}
	if beforeMove != nil {
		beforeMove(img.CompartmentID)
	}
	s.detail(ctx, "moving image to %s", compartment)
	var res activities.MoveImageResult
	if err := s.mutate(ctx, "move image to "+compartment, a.OCIChangeImageCompartment, activities.MoveImageInput{
		Step: s.name(), ImageID: imageID, CompartmentID: compartment, IfMatch: img.ETag,
		IdempotencyKey: s.key(ctx, keyPrefix+imageID+"->"+compartment),
	}, &res); err != nil {
		return "", false, err
	}
	return img.CompartmentID, true, nil
}

// ociMoveBack is the inverse of ociMoveImage: it reads where the image is
// and moves it back unless the move never happened.
func (s *stepRun) ociMoveBack(ctx workflow.Context, back activities.MoveImageInput) (string, bool, error) {
	_, moved, err := s.moveImage(ctx, back.ImageID, back.CompartmentID, "rollback:", nil)
	switch {
	case err != nil:
		return "", false, err
	case !moved:
		return fmt.Sprintf("nothing to undo: image %s is in %s", back.ImageID, back.CompartmentID), false, nil
	}
	return fmt.Sprintf("moved image %s back to %s", back.ImageID, back.CompartmentID), true, nil
}
