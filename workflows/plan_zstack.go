package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// zstackPlanUpdate plans zstackUpdateImage with its own first look
// (QueryImage): each attribute the step sets that differs is a change, old
// to new; none differing is nothing to do. Tags are not compared: ZStack's
// image reads do not give them back (see providers/zstack), so a step
// setting tags is a change that says so.
func zstackPlanUpdate(ctx workflow.Context, p *PlanStep, in pipeline.ZStackUpdateImageInput) (Plan, error) {
	if !Known(in.ImageUUID) {
		return Plan{Verb: PlanChange, Summary: "update image " + in.ImageUUID}, nil
	}
	var a *activities.ZStack
	var img activities.ZStackImage
	if err := p.Read(ctx, "read image "+in.ImageUUID, a.ZStackGetImage, activities.ZStackImageInput{Step: p.Name(), UUID: in.ImageUUID}, &img); err != nil {
		return Plan{}, err
	}
	var changes []Change
	diff := func(field string, want *string, got string) {
		if want != nil && *want != got {
			changes = append(changes, Change{Field: field, Old: got, New: *want})
		}
	}
	diff("name", in.Name, img.Name)
	diff("description", in.Description, img.Description)
	diff("guest_os_type", in.GuestOSType, img.GuestOSType)
	diff("platform", in.Platform, img.Platform)
	diff("architecture", in.Architecture, img.Architecture)
	name := img.Name
	if in.Name != nil {
		name = *in.Name
	}
	outputs := map[string]string{"image_uuid": in.ImageUUID, "name": name}
	var parts []string
	for _, c := range changes {
		parts = append(parts, fmt.Sprintf("%s %q → %q", c.Field, c.Old, c.New))
	}
	if len(in.SystemTags)+len(in.UserTags) > 0 {
		parts = append(parts, "tags are sent (ZStack does not show an image's tags to compare)")
	}
	if len(parts) == 0 {
		return Plan{Verb: PlanNothing, Resource: in.ImageUUID, Outputs: outputs,
			Summary: fmt.Sprintf("image %s already has these attributes", in.ImageUUID)}, nil
	}
	return Plan{Verb: PlanChange, Resource: in.ImageUUID, Changes: changes, Outputs: outputs,
		Summary: fmt.Sprintf("update image %s: %s", in.ImageUUID, strings.Join(parts, ", "))}, nil
}
