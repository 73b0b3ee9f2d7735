package workflows

import (
	"fmt"
	"strconv"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

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
		Step: p.Name(), ParentID: in.ParentID, Name: in.Name,
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
	if err := p.Read(ctx, "read image "+in.ImageID, a.OCIGetImage, activities.GetImageInput{Step: p.Name(), ImageID: in.ImageID}, &img); err != nil {
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
			Step: p.Name(), CompartmentID: in.CompartmentID,
		}, &c); err != nil {
			return Plan{}, err
		}
	}
	return Plan{Verb: PlanMove, Resource: in.ImageID, From: img.CompartmentID, To: in.CompartmentID, Outputs: outputs,
		Summary: fmt.Sprintf("move image %s from %s to %s", in.ImageID, img.CompartmentID, in.CompartmentID)}, nil
}
