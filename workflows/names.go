package workflows

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"
)

// TaskQueue is the task queue the worker polls and the starter targets.
const TaskQueue = "imagepipe"

// ProgressQuery answers with a Progress: every step's state.
const ProgressQuery = "progress"

// Search attributes imagepipe sets, so the web UI and `temporal workflow
// list` can filter pipelines. The server must have them registered
// (make up does: --search-attribute ImagepipePipeline=Keyword ...).
var (
	PipelineNameAttribute   = temporal.NewSearchAttributeKeyKeyword("ImagepipePipeline")
	PipelineStatusAttribute = temporal.NewSearchAttributeKeyKeyword("ImagepipeStatus")
)

// Pipeline statuses, as search attribute values and in Progress.
const (
	StatusRunning   = "Running"
	StatusSucceeded = "Succeeded"
	StatusFailed    = "Failed"
)

// WorkflowID is the ID of one run of a pipeline started at t: readable in the
// web UI, sortable by time, and unique per start of a given pipeline.
func WorkflowID(pipeline string, t time.Time) string {
	return fmt.Sprintf("pipeline-%s-%s", pipeline, t.UTC().Format("20060102T150405.000Z"))
}

// IdempotencyKey is the key a mutating step sends to its vendor: the same
// for every attempt of that step in one pipeline execution, and different
// for every other step, target or execution. An execution is named by its
// workflow ID and the run ID of its first run (workflow.Info.FirstRunID),
// which Temporal keeps across activity retries, worker crashes,
// continue-as-new, workflow retries and resets; a new pipeline started
// later under the same workflow ID has a first run of its own, so it does
// not replay the answers the vendors gave the earlier one. The key is 32
// lower-case hex digits, which fits every vendor's idempotency header (the
// vendors' activities say how each sends it).
func IdempotencyKey(workflowID, firstRunID, step, target string) string {
	sum := sha256.Sum256([]byte(strings.Join([]string{workflowID, firstRunID, step, target}, "\x00")))
	return hex.EncodeToString(sum[:16])
}
