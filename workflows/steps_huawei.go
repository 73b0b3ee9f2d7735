package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
	"github.com/imagepipe/imagepipe/providers/huawei/huaweisim"
)

// Huawei IMS's job kinds: a copy's IMS job, and a copy looked at by name
// when a retried step found it in progress with no job id to poll.
const (
	JobHuawei      = "huawei.job"
	JobHuaweiImage = "huawei.image"
)

// HuaweiVendor is Huawei Cloud IMS: in-region image copies. IMS documents
// at most 5 concurrent replication tasks per tenant (its Constraints page,
// "Replicating an image") and answers IMG.0060 past its limit, so copies
// queue in the pipeline, at most 3 at once unless it says otherwise,
// instead of being refused there; 3 leaves room for a second pipeline or a
// person in the same tenant.
func HuaweiVendor() Vendor {
	var a *activities.Huawei
	// An IMS copy moves a disk image: minutes to hours.
	policy := PollPolicy{Initial: 10 * time.Second, Multiplier: 1.5, Max: time.Minute, Timeout: 24 * time.Hour, PollsPerRun: ProductionPollsPerRun}
	return Vendor{
		Name:    activities.VendorHuawei,
		Cap:     3,
		Actions: []Action{WithPlan(NewAction(pipeline.HuaweiCopyImage, huaweiCopyImage), huaweiPlanCopy)},
		Jobs: []JobKind{
			{Kind: JobHuawei, Poll: a.HuaweiJobState, Policy: policy},
			{Kind: JobHuaweiImage, Poll: a.HuaweiImageState, Policy: policy},
		},
		Activities: &activities.Huawei{},
		Settings:   func() activities.Settings { return &activities.HuaweiSettings{} },
		Emulator:   huaweisim.Emulated,
	}
}

// huaweiCopyImage copies an image in its region and waits for IMS's job. An
// image of the target name that exists is reused; if it is still being
// copied (a retry after a crash), the step waits for it by name.
func huaweiCopyImage(ctx workflow.Context, s *Step, in pipeline.HuaweiCopyImageInput) (pipeline.HuaweiCopyImageOutput, error) {
	res, err := huaweiCopyCall(ctx, s, activities.HuaweiCopyInput{
		Unit: s.Unit(), SourceImageID: in.ImageID, Name: in.Name, Description: in.Description,
		CMKID: in.CMKID, EnterpriseProjectID: in.EnterpriseProjectID,
	})
	if err != nil {
		return pipeline.HuaweiCopyImageOutput{}, err
	}
	imageID := res.ImageID
	var st activities.JobStatus
	switch {
	case res.Existing && res.Active:
	case res.Existing:
		st, err = s.Await(ctx, JobHuaweiImage, in.Name)
	default:
		st, err = s.Await(ctx, JobHuawei, res.JobID)
	}
	if err != nil {
		return pipeline.HuaweiCopyImageOutput{}, err
	}
	if id := st.Outputs["image_id"]; id != "" {
		imageID = id
	}
	return pipeline.HuaweiCopyImageOutput{ImageID: imageID, JobID: res.JobID}, nil
}

// huaweiCopyLockChange marks the workflow change that made an IMS copy
// check and copy under a lock on its target name.
const huaweiCopyLockChange = "huawei-copy-under-a-name-lock"

// huaweiCopyCall runs the HuaweiCopyImage activity (look for an image of
// the target name, copy if there is none) while the pipeline holds the
// target name, so two pipelines copying to one name make one image: IMS
// lets names repeat, and lists a copy from the moment it accepts it, so
// whoever holds the name second finds the first one's copy and waits for
// it. Pipelines recorded before the lock existed replay without it;
// since EngineChange, the lock makes the call itself (CallUnderNameLock).
//
// Unverified: whether IMS ever refuses a copy to a name in use. Its error
// table lists IMG.0009 "The image name already exists" without saying
// which API answers it, and IMS is built on Glance, where names repeat;
// the emulator lets them repeat. Under the lock the answer does not
// matter: the second pipeline never asks.
func huaweiCopyCall(ctx workflow.Context, s *Step, in activities.HuaweiCopyInput) (activities.HuaweiCopyResult, error) {
	var a *activities.Huawei
	var res activities.HuaweiCopyResult
	summary := "copy image " + in.SourceImageID + " as " + in.Name
	call := func(ctx workflow.Context) error {
		return s.Call(ctx, summary, a.HuaweiCopyImage, in, &res)
	}
	lock := "huawei.image/" + in.Name
	switch {
	case s.run.changeVersion(ctx, huaweiCopyLockChange) == workflow.DefaultVersion:
		return res, call(ctx)
	case s.run.engine >= 1:
		return res, s.CallUnderNameLock(ctx, lock, summary, a.HuaweiCopyImage, in, &res)
	}
	return res, s.WithNameLock(ctx, lock, call)
}

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
	if err := p.Read(ctx, "find image "+in.Name, a.HuaweiFindImage, activities.HuaweiFindImageInput{Unit: p.Unit(), Name: in.Name}, &img); err != nil {
		return Plan{}, err
	}
	if !img.Found {
		return create, nil
	}
	return Plan{Verb: PlanReuse, Resource: img.ID, Summary: fmt.Sprintf("reuse image %s (%s, %s)", in.Name, img.ID, img.Status),
		Outputs: map[string]string{"image_id": img.ID, "job_id": ""}}, nil
}
