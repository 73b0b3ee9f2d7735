package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// huaweiPlanCopy plans huaweiCopyImage with its own first look (list
// images by the copy's name): an image of the name is reused, none is
// copied.
//
// The source image is not looked at: the IMS client lists images by name
// only, so a missing source shows when the run's copy is refused.
func huaweiPlanCopy(ctx workflow.Context, p *PlanStep, in pipeline.HuaweiCopyImageInput) (Plan, error) {
	create := Plan{Verb: PlanCreate, Summary: fmt.Sprintf("copy image %s as %s", in.ImageID, in.Name)}
	if !Known(in.Name) {
		return create, nil
	}
	var a *activities.Huawei
	var img activities.HuaweiImage
	if err := p.Read(ctx, "find image "+in.Name, a.HuaweiFindImage, activities.HuaweiFindImageInput{Step: p.Name(), Name: in.Name}, &img); err != nil {
		return Plan{}, err
	}
	if !img.Found {
		return create, nil
	}
	return Plan{Verb: PlanReuse, Resource: img.ID, Summary: fmt.Sprintf("reuse image %s (%s, %s)", in.Name, img.ID, img.Status),
		Outputs: map[string]string{"image_id": img.ID, "job_id": ""}}, nil
}
