package main

import (
	"go.temporal.io/sdk/worker"
)

// setWorkflowCacheSize is worker.SetStickyWorkflowCacheSize; a test
// replaces it to see what the worker asks for, since the SDK keeps the
// size in a process-wide variable with no getter.
var setWorkflowCacheSize = worker.SetStickyWorkflowCacheSize

// applyWorkflowCache sizes the SDK's sticky workflow cache, which must be
// set before the first worker is made. Every cached workflow holds its
// state and a goroutine per coroutine in memory; the SDK's default of
// 10,000 lets a worker with thousands of pipelines waiting on long jobs
// grow with them (make bench: 190 MB with 1,500 of 3,000 workflows cached
// and growing; the default of 500 held it at 112 MB, see BENCHMARKS.md).
// A workflow evicted from the cache is not lost: its next task replays
// its history, costing a history fetch and some CPU instead of memory.
func applyWorkflowCache(cfg config) {
	setWorkflowCacheSize(cfg.WorkflowCacheSize)
}

// workerOptions are the worker's options from its settings; run adds the
// interceptors and the fatal-error hook.
func workerOptions(cfg config) worker.Options {
	return worker.Options{
		MaxConcurrentActivityExecutionSize:     cfg.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: cfg.MaxConcurrentWorkflowTasks,
		WorkerStopTimeout:                      cfg.StopTimeout,
	}
}
