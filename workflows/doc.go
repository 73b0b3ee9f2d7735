// Package workflows runs pipelines durably on Temporal.
//
// ImagePipeline runs a pipeline spec as a DAG of steps; each step is one or
// a few activities (see package activities) and, for vendor jobs, a wait:
// one WaitForJob activity whose retries are the looks at the job, costing
// no history event each (jobwait.go), or, in pipelines started before that
// change, an AwaitJob child workflow that polls the job with durable timers
// and continues as new before its history grows large. Everything here is deterministic: time is
// workflow time, concurrency is workflow.Go, maps are ranged in sorted order.
//
// The engine knows no vendor by name. Each vendor is a Vendor value from
// its own file (steps_<vendor>.go): its actions, declared once with typed
// inputs and outputs in package pipeline and paired here with the workflow
// code that runs each and the inverse rollback runs; the kinds of job its
// steps wait for, with the activity that polls each and how often; and its
// activities. Vendors (vendors.go) is the default list; NewRegistry indexes
// a list, and Register binds the workflows to it, so a test can run the
// engine with a vendor of its own (testvendor_test.go does). Approval is the
// engine's own step, not a vendor's.
//
// PlanPipeline (plan.go) says what ImagePipeline would do with a spec,
// making read-only vendor calls only: each action contributes its plan
// (WithPlan, in steps_<vendor>.go) from the lookups its run makes before it
// changes anything.
package workflows
