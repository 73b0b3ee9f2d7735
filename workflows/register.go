package workflows

import (
	"reflect"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
)

// Register registers imagepipe's workflows, bound to reg's vendors, and
// the vendors' activities on r: the worker does this, and so do the tests,
// so both run the same set. acts are the activities of the vendors the
// worker has clients for (each a vendor's activities struct); a vendor with
// none among them is registered without a client, so its steps fail saying
// it is not configured.
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
//   - PipelineNotify is pinned like the other children: it outlives its
//     pipeline by at most its bounded retries, on the pipeline's version.
//   - PlanPipeline is pinned like the pipeline it plans, so a plan is
//     made by the code a run started now would run.
//
// The Notify activity is registered with acts' *activities.Notifier, or
// else a zero one (links to the dev server's UI, URLs from the process's
// environment), so a pipeline's notifications never meet a worker that
// cannot run them.
func Register(r worker.Registry, reg *Registry, acts ...any) {
	if reg == nil {
		panic("workflows.Register: no vendor registry; pass workflows.Default() or one from NewRegistry")
	}
	e := engine{reg}
	pinned := func(name string) workflow.RegisterOptions {
		return workflow.RegisterOptions{Name: name, VersioningBehavior: workflow.VersioningBehaviorPinned}
	}
	// The engine's workflows run under the names of the package's
	// functions, which starters and parents call them by.
	r.RegisterWorkflowWithOptions(e.imagePipeline, pinned("ImagePipeline"))
	r.RegisterWorkflowWithOptions(e.awaitJob, pinned("AwaitJob"))
	r.RegisterWorkflowWithOptions(e.planPipeline, pinned(PlanWorkflow))
	r.RegisterWorkflowWithOptions(NameLock, pinned(""))
	r.RegisterWorkflowWithOptions(NameLockWait, pinned(""))
	r.RegisterWorkflowWithOptions(PipelineNotify, pinned(""))
	given := map[reflect.Type]any{}
	for _, a := range acts {
		given[reflect.TypeOf(a)] = a
	}
	if _, ok := given[reflect.TypeOf(&activities.Notifier{})]; !ok {
		acts = append(acts, &activities.Notifier{})
		given[reflect.TypeOf(&activities.Notifier{})] = acts[len(acts)-1]
	}
	insts := map[string]any{}
	for _, v := range reg.vendors {
		if v.Activities == nil {
			continue
		}
		t := reflect.TypeOf(v.Activities)
		insts[v.Name] = v.Activities
		if a, ok := given[t]; ok {
			r.RegisterActivity(a)
			insts[v.Name] = a
			delete(given, t)
		} else {
			r.RegisterActivity(v.Activities)
		}
	}
	registerWait(r, reg, insts)
	for _, a := range acts {
		if _, left := given[reflect.TypeOf(a)]; left {
			r.RegisterActivity(a) // activities of no vendor's: the caller's own
		}
	}
}
