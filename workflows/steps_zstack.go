package workflows

import (
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// JobZStack is a ZStack api-job (an attribute update answered with 202).
const JobZStack = "zstack.job"

// ZStackVendor is ZStack Cloud: image attribute updates, restored on
// rollback.
func ZStackVendor() Vendor {
	var a *activities.ZStack
	return Vendor{
		Name:    activities.VendorZStack,
		Actions: []Action{WithPlan(NewReversibleAction(pipeline.ZStackUpdateImage, zstackUpdateImage, zstackRestore), zstackPlanUpdate)},
		Jobs: []JobKind{
			// A ZStack attribute update is an API job of seconds.
			{Kind: JobZStack, Poll: a.ZStackJobState, Policy: PollPolicy{
				Initial: time.Second, Multiplier: 1.5, Max: 30 * time.Second, Timeout: time.Hour, PollsPerRun: ProductionPollsPerRun}},
		},
		Activities: &activities.ZStack{},
		Settings:   func() activities.Settings { return &activities.ZStackSettings{} },
		Emulator:   zstacksim.Emulated,
	}
}

// zstackUpdateImage reads the image's attributes (what rollback restores),
// updates them, and waits for ZStack's api-job when it answered 202. Its
// inverse, recorded before the update is sent, sets the attributes it read
// back, if the update changed them.
func zstackUpdateImage(ctx workflow.Context, s *Step, in pipeline.ZStackUpdateImageInput) (pipeline.ZStackUpdateImageOutput, error) {
	var out pipeline.ZStackUpdateImageOutput
	var a *activities.ZStack
	var before activities.ZStackImage
	if err := s.Call(ctx, "read image "+in.ImageUUID, a.ZStackGetImage, activities.ZStackImageInput{Unit: s.Unit(), UUID: in.ImageUUID}, &before); err != nil {
		return out, err
	}
	update := activities.ZStackUpdateInput{
		Unit: s.Unit(), UUID: in.ImageUUID, Name: in.Name, Description: in.Description, GuestOSType: in.GuestOSType,
		Platform: in.Platform, Architecture: in.Architecture, SystemTags: in.SystemTags, UserTags: in.UserTags,
		IdempotencyKey: s.Key(ctx, in.ImageUUID),
	}
	restore := restoreInput(in.ImageUUID, before, in.Name, in.Description, in.GuestOSType, in.Platform, in.Architecture)
	var owed *zstackUndo
	if s.CompensatesFirst() {
		owed = &zstackUndo{Restore: restore, Check: true, Job: activities.ZStackJobLocation(update.IdempotencyKey)}
		s.Compensate(owed)
	}
	after, err := zstackUpdate(ctx, s, update, "")
	if err != nil {
		return out, err
	}
	if owed != nil {
		owed.Job = "" // its end was seen: nothing to wait for
	} else {
		s.Compensate(&zstackUndo{Restore: restore})
	}
	return pipeline.ZStackUpdateImageOutput{ImageUUID: in.ImageUUID, Name: after}, nil
}

// zstackUndo is how rollback restores an image's attributes.
type zstackUndo struct {
	// Restore sets the attributes an update changed back to what they
	// were before it.
	Restore *activities.ZStackUpdateInput
	// Check makes rollback read the image first and restore only if an
	// attribute the update set no longer has its old value.
	Check bool
	// Job is the api-job of an update whose end the step did not see
	// (cancelled, timed out, answer lost): rollback waits for it to end
	// before it looks, so the update cannot land after the restore.
	Job string
}

// zstackUpdate sends one updateImage and waits for its api-job (a wait in
// role, see awaitAs); it returns the image's name afterwards.
func zstackUpdate(ctx workflow.Context, s *Step, in activities.ZStackUpdateInput, role string) (string, error) {
	var a *activities.ZStack
	s.Detail(ctx, "updating image %s", in.UUID)
	var res activities.ZStackUpdateResult
	if err := s.Mutate(ctx, "update image "+in.UUID, a.ZStackUpdateImage, in, &res); err != nil {
		return "", err
	}
	if res.Done {
		return res.Image.Name, nil
	}
	st, err := s.AwaitAs(ctx, role, JobZStack, res.Location)
	if err != nil {
		return "", err
	}
	return st.Outputs["name"], nil
}

// restoreInput is the update that undoes one: each attribute the update
// set, back to the value read before it. Attributes it left alone are left
// alone again. (Tags are not restored: ZStack's updateImage records but does
// not apply them; see providers/zstack.)
func restoreInput(uuid string, before activities.ZStackImage, name, description, guestOS, platform, arch *string) *activities.ZStackUpdateInput {
	back := func(set *string, old string) *string {
		if set == nil {
			return nil
		}
		return &old
	}
	return &activities.ZStackUpdateInput{
		UUID:         uuid,
		Name:         back(name, before.Name),
		Description:  back(description, before.Description),
		GuestOSType:  back(guestOS, before.GuestOSType),
		Platform:     back(platform, before.Platform),
		Architecture: back(arch, before.Architecture),
	}
}

// restored reports whether img already has every attribute restore sets.
func restored(restore activities.ZStackUpdateInput, img activities.ZStackImage) bool {
	same := func(want *string, got string) bool { return want == nil || *want == got }
	return same(restore.Name, img.Name) && same(restore.Description, img.Description) &&
		same(restore.GuestOSType, img.GuestOSType) && same(restore.Platform, img.Platform) &&
		same(restore.Architecture, img.Architecture)
}

// zstackRestore is the inverse of zstackUpdateImage. Recorded before the
// update was sent (Check), it first lets an update whose end the step
// did not see finish, then reads the image, and restores only what is no
// longer as it was: an update that never happened, was refused or failed
// leaves nothing to undo.
func zstackRestore(ctx workflow.Context, s *Step, u *zstackUndo) (string, bool, error) {
	restore := *u.Restore
	restore.Unit = s.Unit()
	restore.IdempotencyKey = s.Key(ctx, "rollback:"+restore.UUID)
	done := fmt.Sprintf("restored the attributes of image %s", restore.UUID)
	if !u.Check {
		if _, err := zstackUpdate(ctx, s, restore, ""); err != nil {
			return "", false, err
		}
		return done, true, nil
	}
	if u.Job != "" {
		// Failed, refused (no such job) or unreadable: the image says what is left to undo.
		if _, err := s.AwaitAs(ctx, "undone", JobZStack, u.Job); err != nil {
			s.Logger().Info("update being undone did not end well", "step", s.Name(), "error", err)
		}
	}
	var a *activities.ZStack
	var now activities.ZStackImage
	if err := s.Call(ctx, "read image "+restore.UUID, a.ZStackGetImage, activities.ZStackImageInput{Unit: s.Unit(), UUID: restore.UUID}, &now); err != nil {
		return "", false, err
	}
	if restored(restore, now) {
		return fmt.Sprintf("nothing to undo: image %s has its attributes from before", restore.UUID), false, nil
	}
	if _, err := zstackUpdate(ctx, s, restore, "undo"); err != nil {
		return "", false, err
	}
	return done, true, nil
}

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
	if err := p.Read(ctx, "read image "+in.ImageUUID, a.ZStackGetImage, activities.ZStackImageInput{Unit: p.Unit(), UUID: in.ImageUUID}, &img); err != nil {
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
