package workflows

import (
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
	var a *activities.Activities
	actx := workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "import gold image "+in.ImageName))
	var res activities.FPPImportResult
	if err := workflow.ExecuteActivity(actx, a.FPPImportImage, activities.FPPImportInput{
		Step: s.step.ID, ImageName: in.ImageName, Path: in.Path, ImageType: in.ImageType, Client: in.Client,
	}).Get(ctx, &res); err != nil {
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
	var a *activities.Activities
	actx := workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "copy image "+in.ImageID+" as "+in.Name))
	var res activities.HuaweiCopyResult
	if err := workflow.ExecuteActivity(actx, a.HuaweiCopyImage, activities.HuaweiCopyInput{
		Step: s.step.ID, SourceImageID: in.ImageID, Name: in.Name, Description: in.Description,
		CMKID: in.CMKID, EnterpriseProjectID: in.EnterpriseProjectID,
	}).Get(ctx, &res); err != nil {
		return nil, err
	}
	imageID := res.ImageID
	var (
		st  activities.JobStatus
		err error
	)
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
// updates them, and waits for ZStack's api-job when it answered 202.
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
	actx := workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "read image "+in.ImageUUID))
	var before activities.ZStackImage
	if err := workflow.ExecuteActivity(actx, a.ZStackGetImage, activities.ZStackImageInput{Step: s.step.ID, UUID: in.ImageUUID}).Get(ctx, &before); err != nil {
		return nil, err
	}
	s.detail(ctx, "updating image %s", in.ImageUUID)
	actx = workflow.WithActivityOptions(ctx, callOptions(s.step.ID, "update image "+in.ImageUUID))
	var res activities.ZStackUpdateResult
	if err := workflow.ExecuteActivity(actx, a.ZStackUpdateImage, activities.ZStackUpdateInput{
		Step: s.step.ID, UUID: in.ImageUUID, Name: in.Name, Description: in.Description, GuestOSType: in.GuestOSType,
		Platform: in.Platform, Architecture: in.Architecture, SystemTags: in.SystemTags, UserTags: in.UserTags,
		IdempotencyKey: s.key(ctx, in.ImageUUID),
	}).Get(ctx, &res); err != nil {
		return nil, err
	}
	name := res.Image.Name
	if !res.Done {
		st, err := s.await(ctx, JobZStack, res.Location, zstackUpdatePolicy)
		if err != nil {
			return nil, err
		}
		name = st.Outputs["name"]
	}
	return map[string]string{"image_uuid": in.ImageUUID, "name": name}, nil
}
