package activities

import (
	"context"
	"fmt"

	"github.com/imagepipe/imagepipe/providers/huawei"
)

// HuaweiClient is what the IMS activities need of the IMS client.
type HuaweiClient interface {
	FindImageByName(ctx context.Context, name string) (huawei.Image, bool, error)
	CopyImage(ctx context.Context, in huawei.CopyImageInput) (string, error)
	GetJob(ctx context.Context, jobID string) (huawei.Job, error)
}

// VendorHuawei is the vendor as its error types and the registry name it.
const VendorHuawei = "huawei"

// Huawei are the Huawei activities. A nil Client means the worker was started
// without Huawei's configuration; the activities then fail without retry,
// saying so.
type Huawei struct {
	Client HuaweiClient
}

// HuaweiCopyInput is an in-region image copy.
type HuaweiCopyInput struct {
	Unit
	SourceImageID       string `json:"source_image_id"`
	Name                string `json:"name"`
	Description         string `json:"description,omitempty"`
	CMKID               string `json:"cmk_id,omitempty"`
	EnterpriseProjectID string `json:"enterprise_project_id,omitempty"`
}

// HuaweiCopyResult is the copy job to wait for, or, when an image of the
// target name already exists, that image (Existing) and whether it is
// ready.
type HuaweiCopyResult struct {
	JobID    string `json:"job_id,omitempty"`
	Existing bool   `json:"existing"`
	ImageID  string `json:"image_id,omitempty"`
	Active   bool   `json:"active"`
}

// HuaweiCopyImage copies an image within a region (POST
// /v1/cloudimages/{image_id}/copy). The copy API has no idempotency token,
// so it looks for an image of the target name first: IMS lists a copy from
// the moment it accepts it, so a retry after a crash finds the first
// attempt's copy, finished or not, instead of copying twice.
func (a *Huawei) HuaweiCopyImage(ctx context.Context, in HuaweiCopyInput) (HuaweiCopyResult, error) {
	if a.Client == nil {
		return HuaweiCopyResult{}, notConfigured(in.UnitName(), VendorHuawei)
	}
	img, found, err := a.Client.FindImageByName(ctx, in.Name)
	if err != nil {
		return HuaweiCopyResult{}, translate(in.UnitName(), "ListImages", err)
	}
	if found {
		return HuaweiCopyResult{Existing: true, ImageID: img.ID, Active: img.Active()}, nil
	}
	jobID, err := a.Client.CopyImage(ctx, huawei.CopyImageInput{
		SourceImageID: in.SourceImageID, Name: in.Name, Description: in.Description,
		CMKID: in.CMKID, EnterpriseProjectID: in.EnterpriseProjectID,
	})
	if err != nil {
		return HuaweiCopyResult{}, translate(in.UnitName(), "CopyImageInRegion", err)
	}
	return HuaweiCopyResult{JobID: jobID}, nil
}

// HuaweiFindImageInput names an IMS image by its name.
type HuaweiFindImageInput struct {
	Unit
	Name string `json:"name"`
}

// HuaweiImage is whether IMS lists an image of the name, and which.
type HuaweiImage struct {
	Found  bool   `json:"found"`
	ID     string `json:"id,omitempty"`
	Status string `json:"status,omitempty"`
}

// HuaweiFindImage looks for an image by name (GET /v2/cloudimages?name=),
// the look HuaweiCopyImage makes before it copies.
func (a *Huawei) HuaweiFindImage(ctx context.Context, in HuaweiFindImageInput) (HuaweiImage, error) {
	if a.Client == nil {
		return HuaweiImage{}, notConfigured(in.UnitName(), VendorHuawei)
	}
	img, found, err := a.Client.FindImageByName(ctx, in.Name)
	if err != nil {
		return HuaweiImage{}, translate(in.UnitName(), "ListImages", err)
	}
	if !found {
		return HuaweiImage{}, nil
	}
	return HuaweiImage{Found: true, ID: img.ID, Status: img.Status}, nil
}

// HuaweiJobState looks at an IMS job once (GET /v1/{project_id}/jobs/{job_id}).
func (a *Huawei) HuaweiJobState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.Client == nil {
		return JobStatus{}, notConfigured(in.UnitName(), VendorHuawei)
	}
	job, err := a.Client.GetJob(ctx, in.JobID)
	if err != nil {
		return JobStatus{}, translate(in.UnitName(), "ShowJob", err)
	}
	if job.Status == "" {
		return JobStatus{}, noStatus(in.UnitName(), "ShowJob", in.JobID)
	}
	st := JobStatus{Done: job.Done(), Succeeded: job.Succeeded(), State: string(job.Status), Percent: int(job.Percent)}
	if job.FailReason != "" || job.ErrorCode != "" {
		st.Message = fmt.Sprintf("%s %s", job.ErrorCode, job.FailReason)
	}
	if job.ImageID != "" {
		st.Outputs = map[string]string{"image_id": job.ImageID}
	}
	return st, nil
}

// HuaweiImageState looks at a copy by name, as a job: used when a retried
// step found the first attempt's copy still in progress and has no job id
// to poll. Done when the image is active; failed when it is gone or killed.
func (a *Huawei) HuaweiImageState(ctx context.Context, in PollInput) (JobStatus, error) {
	if a.Client == nil {
		return JobStatus{}, notConfigured(in.UnitName(), VendorHuawei)
	}
	img, found, err := a.Client.FindImageByName(ctx, in.JobID)
	if err != nil {
		return JobStatus{}, translate(in.UnitName(), "ListImages", err)
	}
	switch {
	case !found:
		return JobStatus{Done: true, State: "absent", Message: "the copy named " + in.JobID + " disappeared (its job failed)"}, nil
	case img.Active():
		return JobStatus{Done: true, Succeeded: true, State: img.Status, Percent: 100, Outputs: map[string]string{"image_id": img.ID}}, nil
	default:
		return JobStatus{State: img.Status, Outputs: map[string]string{"image_id": img.ID}}, nil
	}
}

// HuaweiSettings are an IMS regional endpoint, a project and an AK/SK
// pair, from IMAGEPIPE_HUAWEI_*. The field names are huawei.Config's,
// so its errors name the variable (SettingVars.Refused).
type HuaweiSettings struct {
	Endpoint  string `env:"ENDPOINT"`
	ProjectID string `env:"PROJECT_ID"`
	AccessKey string `env:"ACCESS_KEY"`
	SecretKey string `env:"SECRET_KEY"`
	// The files that hold the AK and SK instead (mounted secrets).
	AccessKeyFile string `env:"ACCESS_KEY_FILE,file" fileOf:"AccessKey"`
	SecretKeyFile string `env:"SECRET_KEY_FILE,file" fileOf:"SecretKey"`
}

// EnvPrefix starts Huawei's variables.
func (s *HuaweiSettings) EnvPrefix() string { return "IMAGEPIPE_HUAWEI_" }

// Where is the IMS endpoint.
func (s *HuaweiSettings) Where() string { return s.Endpoint }

// Connect builds the IMS client and activities, or nothing when no
// endpoint is set.
func (s *HuaweiSettings) Connect(vars SettingVars) (any, any, error) {
	return connectAt(vars, s.Endpoint, "the regional IMS endpoint, e.g. https://ims.ap-southeast-1.myhuaweicloud.com",
		func() (*huawei.Client, error) {
			return huawei.New(huawei.Config{Endpoint: s.Endpoint, ProjectID: s.ProjectID, AccessKey: s.AccessKey, SecretKey: s.SecretKey})
		},
		func(c *huawei.Client) any { return &Huawei{Client: c} })
}
