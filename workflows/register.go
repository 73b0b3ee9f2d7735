package workflows

import (
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// Register registers imagepipe's workflows and acts' activities on r: the
// worker does this, and so do the tests, so both run the same set.
//
// Each workflow declares its Worker Versioning behavior, which a worker
// with a deployment version needs (without one the SDK ignores it):
//
//   - ImagePipeline is pinned: a pipeline runs to its end on the version of
//     the code it started on. It waits hours on jobs and approvals, and a
//     deploy that orders its commands differently would otherwise fail it
//     on its next task.
//   - AwaitJob, NameLock and NameLockWait are pinned too, so a child
//     started by a pinned pipeline stays on its parent's version (Temporal
//     gives a pinned parent's children its version; an auto-upgrade child
//     would move to the new one after its first task). Auto-upgrade would
//     suit a long wait whose code never changes, but it buys nothing here:
//     the parent is pinned and waits for its child, so the old version's
//     workers must stay up until the parent ends anyway. Pinned, a
//     pipeline's whole tree runs one build: the job a v1 step waits for is
//     polled by v1's activities and answers in v1's result types, no
//     workflow.GetVersion patch is needed when a child's code changes, and
//     a version's drainage (temporal worker deployment describe-version)
//     covers every workflow its pipelines started. A NameLock is held for
//     one vendor call, and its workflow ID, not its version, is the lock,
//     so pipelines of two versions still exclude each other.
func Register(r worker.Registry, acts *activities.Activities) {
	pinned := workflow.RegisterOptions{VersioningBehavior: workflow.VersioningBehaviorPinned}
	r.RegisterWorkflowWithOptions(ImagePipeline, pinned)
	r.RegisterWorkflowWithOptions(AwaitJob, pinned)
	r.RegisterWorkflowWithOptions(NameLock, pinned)
	r.RegisterWorkflowWithOptions(NameLockWait, pinned)
	r.RegisterActivity(acts)
}
