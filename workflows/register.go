package workflows

import (
	"go.temporal.io/sdk/worker"

	"github.com/imagepipe/imagepipe/activities"
)

// Register registers imagepipe's workflows and acts' activities on r: the
// worker does this, and so do the tests, so both run the same set.
func Register(r worker.Registry, acts *activities.Activities) {
	r.RegisterWorkflow(ImagePipeline)
	r.RegisterWorkflow(AwaitJob)
	r.RegisterWorkflow(NameLock)
	r.RegisterWorkflow(NameLockWait)
	r.RegisterActivity(acts)
}
