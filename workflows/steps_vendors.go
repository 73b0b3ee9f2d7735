package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// fppImportImage imports a gold image and waits for FPP's job; an image of
// that name that already exists is the step's result.
func (s *stepRun) fppImportImage(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ImageName string `json:"image_name"`
		Path      string `json:"path"`
		ImageType string `json:"image_type"`
		Client    string `json:"client"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	res, err := s.fppImportCall(ctx, activities.FPPImportInput{
		Step: s.name(), ImageName: in.ImageName, Path: in.Path, ImageType: in.ImageType, Client: in.Client,
	})
	if err != nil {
		return nil, err
	}
	if !res.Existing {
		if _, err := s.await(ctx, JobFPP, res.JobID, fppImportPolicy); err != nil {
			return nil, err
		}
	}
	return map[string]string{"image_name": in.ImageName, "job_id": res.JobID}, nil
}

// huaweiCopyImage copies an image in its region and waits for IMS's job. An
// image of the target name that exists is reused; if it is still being
// copied (a retry after a crash), the step waits for it by name.
func (s *stepRun) huaweiCopyImage(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ImageID             string `json:"image_id"`
		Name                string `json:"name"`
		Description         string `json:"description"`
		CMKID               string `json:"cmk_id"`
		EnterpriseProjectID string `json:"enterprise_project_id"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	res, err := s.huaweiCopyCall(ctx, activities.HuaweiCopyInput{
		Step: s.name(), SourceImageID: in.ImageID, Name: in.Name, Description: in.Description,
		CMKID: in.CMKID, EnterpriseProjectID: in.EnterpriseProjectID,
	})
	if err != nil {
		return nil, err
	}
	imageID := res.ImageID
	var st activities.JobStatus
	switch {
	case res.Existing && res.Active:
	case res.Existing:
		st, err = s.await(ctx, JobHuaweiImage, in.Name, huaweiCopyPolicy)
	default:
		st, err = s.await(ctx, JobHuawei, res.JobID, huaweiCopyPolicy)
	}
	if err != nil {
		return nil, err
	}
	if id := st.Outputs["image_id"]; id != "" {
		imageID = id
	}
	return map[string]string{"image_id": imageID, "job_id": res.JobID}, nil
}

// zstackUpdateImage reads the image's attributes (what rollback restores),
// updates them, and waits for ZStack's api-job when it answered 202. Its
// inverse, recorded before the update is sent, sets the attributes it read
// back, if the update changed them.
func (s *stepRun) zstackUpdateImage(ctx workflow.Context) (map[string]string, error) {
	var in struct {
		ImageUUID    string   `json:"image_uuid"`
		Name         *string  `json:"name"`
		Description  *string  `json:"description"`
		GuestOSType  *string  `json:"guest_os_type"`
		Platform     *string  `json:"platform"`
		Architecture *string  `json:"architecture"`
		SystemTags   []string `json:"system_tags"`
		UserTags     []string `json:"user_tags"`
	}
	if err := s.decode(&in); err != nil {
		return nil, err
	}
	var a *activities.Activities
	var before activities.ZStackImage
	if err := s.call(ctx, "read image "+in.ImageUUID, a.ZStackGetImage, activities.ZStackImageInput{Step: s.name(), UUID: in.ImageUUID}, &before); err != nil {
		return nil, err
	}
	update := activities.ZStackUpdateInput{
		Step: s.name(), UUID: in.ImageUUID, Name: in.Name, Description: in.Description, GuestOSType: in.GuestOSType,
		Platform: in.Platform, Architecture: in.Architecture, SystemTags: in.SystemTags, UserTags: in.UserTags,
		IdempotencyKey: s.key(ctx, in.ImageUUID),
	}
	restore := restoreInput(in.ImageUUID, before, in.Name, in.Description, in.GuestOSType, in.Platform, in.Architecture)
	owed := -1
	if s.run.compensatesFirst() {
		owed = s.compensate(undo{ZStackRestore: restore, ZStackCheck: true, ZStackJob: activities.ZStackJobLocation(update.IdempotencyKey)})
	}
	after, err := s.zstackUpdate(ctx, update, "")
	if err != nil {
		return nil, err
	}
	if owed >= 0 {
		s.run.undos[owed].ZStackJob = "" // its end was seen: nothing to wait for
	} else {
		s.compensate(undo{ZStackRestore: restore})
	}
	return map[string]string{"image_uuid": in.ImageUUID, "name": after}, nil
}

// zstackUpdate sends one updateImage and waits for its api-job (a wait in
// role, see awaitAs); it returns the image's name afterwards.
func (s *stepRun) zstackUpdate(ctx workflow.Context, in activities.ZStackUpdateInput, role string) (string, error) {
	var a *activities.Activities
	s.detail(ctx, "updating image %s", in.UUID)
	var res activities.ZStackUpdateResult
	if err := s.mutate(ctx, "update image "+in.UUID, a.ZStackUpdateImage, in, &res); err != nil {
		return "", err
	}
	if res.Done {
		return res.Image.Name, nil
	}
	st, err := s.awaitAs(ctx, role, JobZStack, res.Location, zstackUpdatePolicy)
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
// update was sent (ZStackCheck), it first lets an update whose end the step
// did not see finish, then reads the image, and restores only what is no
// longer as it was: an update that never happened, was refused or failed
// leaves nothing to undo.
func (s *stepRun) zstackRestore(ctx workflow.Context, u undo) (string, bool, error) {
	restore := *u.ZStackRestore
	restore.Step = s.name()
	restore.IdempotencyKey = s.key(ctx, "rollback:"+restore.UUID)
	done := fmt.Sprintf("restored the attributes of image %s", restore.UUID)
	if !u.ZStackCheck {
		if _, err := s.zstackUpdate(ctx, restore, ""); err != nil {
			return "", false, err
		}
		return done, true, nil
	}
	if u.ZStackJob != "" {
		// Failed, refused (no such job) or unreadable: the image says what is left to undo.
		if _, err := s.awaitAs(ctx, "undone", JobZStack, u.ZStackJob, zstackUpdatePolicy); err != nil {
			s.run.logger.Info("update being undone did not end well", "step", s.name(), "error", err)
		}
	}
	var a *activities.Activities
	var now activities.ZStackImage
	if err := s.call(ctx, "read image "+restore.UUID, a.ZStackGetImage, activities.ZStackImageInput{Step: s.name(), UUID: restore.UUID}, &now); err != nil {
		return "", false, err
	}
	if restored(restore, now) {
		return fmt.Sprintf("nothing to undo: image %s has its attributes from before", restore.UUID), false, nil
	}
	if _, err := s.zstackUpdate(ctx, restore, "undo"); err != nil {
		return "", false, err
	}
	return done, true, nil
}
