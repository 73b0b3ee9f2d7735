package workflows

import (
	"fmt"
	"strconv"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/providers/oci"
)

// ociCreateCompartment ensures a compartment: it reuses a live one of the
// same name in the parent, or creates one (with the step's retry token, so
// a retried create happens once), then waits until it is ACTIVE.
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
	actx := workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "find compartment "+in.Name))
	var c activities.Compartment
	if err := workflow.ExecuteActivity(actx, a.OCIFindCompartment, activities.FindCompartmentInput{
		Step: s.step.ID, ParentID: in.ParentID, Name: in.Name,
	}).Get(ctx, &c); err != nil {
		return nil, err
	}
	created := !c.Found
	if created {
		s.detail(ctx, "creating compartment %s", in.Name)
		actx = workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "create compartment "+in.Name))
		if err := workflow.ExecuteActivity(actx, a.OCICreateCompartment, activities.CreateCompartmentInput{
			Step: s.step.ID, ParentID: in.ParentID, Name: in.Name, Description: in.Description,
			FreeformTags: in.FreeformTags, IdempotencyKey: s.key(ctx, in.ParentID+"/"+in.Name),
		}).Get(ctx, &c); err != nil {
			return nil, err
		}
	}
	switch c.LifecycleState {
	case oci.CompartmentActive:
	case oci.CompartmentCreating:
		if _, err := s.await(ctx, JobOCICompartment, c.ID, ociCompartmentPolicy); err != nil {
			return nil, err
		}
	default:
		return nil, temporal.NewNonRetryableApplicationError(
			fmt.Sprintf("step %q: compartment %s (%s) exists in the parent but is %s", s.step.ID, in.Name, c.ID, c.LifecycleState),
			activities.ErrConflict, nil)
	}
	return map[string]string{"compartment_id": c.ID, "created": strconv.FormatBool(created)}, nil
}

// ociMoveImage moves an image into a compartment. It reads the image first:
// if it is already there the step is done (a re-run or a retry after a
// crash), otherwise the etag it read guards the move, so a concurrent change
// to the image fails the step instead of being overwritten.
func (s *stepRun) ociMoveImage(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ImageID       string `json:"image_id"`
		CompartmentID string `json:"compartment_id"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	var a *activities.Activities
	actx := workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "read image "+in.ImageID))
	var img activities.Image
	if err := workflow.ExecuteActivity(actx, a.OCIGetImage, activities.GetImageInput{Step: s.step.ID, ImageID: in.ImageID}).Get(ctx, &img); err != nil {
		return nil, err
	}
	out := map[string]string{"image_id": in.ImageID, "compartment_id": in.CompartmentID, "previous_compartment_id": img.CompartmentID}
	if img.CompartmentID == in.CompartmentID {
		s.detail(ctx, "image already in %s", in.CompartmentID)
		return out, nil
	}
	s.detail(ctx, "moving image to %s", in.CompartmentID)
	actx = workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "move image to "+in.CompartmentID))
	var res activities.MoveImageResult
	if err := workflow.ExecuteActivity(actx, a.OCIChangeImageCompartment, activities.MoveImageInput{
		Step: s.step.ID, ImageID: in.ImageID, CompartmentID: in.CompartmentID, IfMatch: img.ETag,
		IdempotencyKey: s.key(ctx, in.ImageID+"->"+in.CompartmentID),
	}).Get(ctx, &res); err != nil {
		return nil, err
	}
	return out, nil
}
