package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// fppPlanImport plans fppImportImage with its own first look (GET
// /images/{name}): an image of the name is reused, none is imported.
func fppPlanImport(ctx workflow.Context, p *PlanStep, in pipeline.FPPImportImageInput) (Plan, error) {
	create := Plan{Verb: PlanCreate, Summary: fmt.Sprintf("import gold image %s from %s", in.ImageName, in.Path),
		Outputs: map[string]string{"image_name": in.ImageName}}
	if !Known(in.ImageName) {
		return create, nil
	}
	var a *activities.FPP
	var img activities.FPPImage
	if err := p.Read(ctx, "find gold image "+in.ImageName, a.FPPFindImage, activities.FPPFindImageInput{Step: p.Name(), ImageName: in.ImageName}, &img); err != nil {
		return Plan{}, err
	}
	if !img.Found {
		return create, nil
	}
	return Plan{Verb: PlanReuse, Resource: in.ImageName, Summary: "reuse gold image " + in.ImageName,
		Outputs: map[string]string{"image_name": in.ImageName, "job_id": ""}}, nil
}
