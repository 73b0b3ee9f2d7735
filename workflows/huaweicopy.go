package workflows

import (
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// huaweiCopyLockChange marks the workflow change that made an IMS copy
// check and copy under a lock on its target name.
const huaweiCopyLockChange = "huawei-copy-under-a-name-lock"

// huaweiCopyCall runs the HuaweiCopyImage activity (look for an image of
// the target name, copy if there is none) while the pipeline holds the
// target name, so two pipelines copying to one name make one image: IMS
// lets names repeat, and lists a copy from the moment it accepts it, so
// whoever holds the name second finds the first one's copy and waits for
// it. Pipelines recorded before the lock existed replay without it.
//
// Unverified: whether IMS ever refuses a copy to a name in use. Its error
// table lists IMG.0009 "The image name already exists" without saying
// which API answers it, and IMS is built on Glance, where names repeat;
// the emulator lets them repeat. Under the lock the answer does not
// matter: the second pipeline never asks.
func (s *stepRun) huaweiCopyCall(ctx workflow.Context, in activities.HuaweiCopyInput) (activities.HuaweiCopyResult, error) {
	var a *activities.Activities
	var res activities.HuaweiCopyResult
	call := func(ctx workflow.Context) error {
		return s.call(ctx, "copy image "+in.SourceImageID+" as "+in.Name, a.HuaweiCopyImage, in, &res)
	}
	if workflow.GetVersion(ctx, huaweiCopyLockChange, workflow.DefaultVersion, 1) == workflow.DefaultVersion {
		return res, call(ctx)
	}
	return res, s.withNameLock(ctx, "huawei.image/"+in.Name, call)
}
