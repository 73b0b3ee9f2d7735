// Package workflows runs pipelines durably on Temporal.
//
// ImagePipeline runs a pipeline spec as a DAG of steps; each step is one or
// a few activities (see package activities) and, for vendor jobs, an AwaitJob
// child workflow that polls the job with durable timers and continues as new
// before its history grows large. Everything here is deterministic: time is
// workflow time, concurrency is workflow.Go, maps are ranged in sorted order.
package workflows
