// Package metrics names imagepipe's own metrics and records them through
// the Temporal SDK's metrics handler, so they leave the worker by the same
// reporter as the SDK's (Prometheus, see cmd worker) and carry the same
// namespace and task-queue tags.
//
// Workflows record through workflow.GetMetricsHandler, which drops what a
// replay would record twice; activity code through
// activity.GetMetricsHandler. Either is a client.MetricsHandler, the only
// thing this package needs, so it stays free of workflow code.
//
// A metric always carries the same label keys: the Prometheus reporter
// refuses a name registered once with other labels.
package metrics

import (
	"strings"
	"time"

	"go.temporal.io/sdk/client"
)

// Metric names. The Prometheus reporter adds the unit suffix: _total to a
// counter and _seconds to a timer, which it reports as a histogram.
const (
	// VendorCallLatency is the time of one vendor activity attempt, by
	// vendor, operation (the activity) and outcome.
	VendorCallLatency = "imagepipe_vendor_call_latency"
	// VendorThrottled counts answers in which a vendor asked to slow down
	// (429, or IMS's throttling codes), by vendor and operation.
	VendorThrottled = "imagepipe_vendor_throttled"
	// JobPolls counts looks at vendor jobs, by job kind.
	JobPolls = "imagepipe_job_polls"
	// JobDuration is how long a vendor job took from the first look to its
	// end, by job kind and outcome, across continue-as-new.
	JobDuration = "imagepipe_job_duration"
	// Steps counts finished pipeline steps, by action and outcome.
	Steps = "imagepipe_steps"
	// Pipelines counts finished pipelines, by outcome.
	Pipelines = "imagepipe_pipelines"
	// Rollbacks counts compensations run by rollback, by action and outcome.
	Rollbacks = "imagepipe_rollbacks"
)

// Label keys.
const (
	LabelVendor    = "vendor"
	LabelOperation = "operation"
	LabelOutcome   = "outcome"
	LabelKind      = "kind"
	LabelAction    = "action"
)

// Outcomes of a vendor call.
const (
	CallOK        = "ok"
	CallThrottled = "throttled"
	// CallError is a failure worth retrying: a 5xx, a dropped connection,
	// a timeout.
	CallError = "error"
	// CallRefused is a failure no retry can fix: the vendor refused the
	// request, or the input or configuration is wrong.
	CallRefused  = "refused"
	CallCanceled = "canceled"
)

// Outcomes of a job, a step, a pipeline and a compensation.
const (
	Succeeded = "succeeded"
	Failed    = "failed"
	Canceled  = "canceled"
	TimedOut  = "timed_out"
	// Undone is a compensation that changed something back; Unchanged one
	// that found nothing to undo.
	Undone    = "undone"
	Unchanged = "unchanged"
)

// VendorCall records one vendor call and, when the vendor throttled it,
// the throttled answer.
func VendorCall(h client.MetricsHandler, vendor, operation, outcome string, took time.Duration) {
	h = h.WithTags(map[string]string{LabelVendor: vendor, LabelOperation: operation})
	h.WithTags(map[string]string{LabelOutcome: outcome}).Timer(VendorCallLatency).Record(took)
	if outcome == CallThrottled {
		h.Counter(VendorThrottled).Inc(1)
	}
}

// JobPoll records one look at a job of kind.
func JobPoll(h client.MetricsHandler, kind string) {
	h.WithTags(map[string]string{LabelKind: kind}).Counter(JobPolls).Inc(1)
}

// JobEnded records a job of kind that ended with outcome after took.
func JobEnded(h client.MetricsHandler, kind, outcome string, took time.Duration) {
	h.WithTags(map[string]string{LabelKind: kind, LabelOutcome: outcome}).Timer(JobDuration).Record(took)
}

// StepEnded records a finished step of action.
func StepEnded(h client.MetricsHandler, action, outcome string) {
	h.WithTags(map[string]string{LabelAction: action, LabelOutcome: outcome}).Counter(Steps).Inc(1)
}

// PipelineEnded records a finished pipeline.
func PipelineEnded(h client.MetricsHandler, outcome string) {
	h.WithTags(map[string]string{LabelOutcome: outcome}).Counter(Pipelines).Inc(1)
}

// RollbackRan records one compensation of a step of action.
func RollbackRan(h client.MetricsHandler, action, outcome string) {
	h.WithTags(map[string]string{LabelAction: action, LabelOutcome: outcome}).Counter(Rollbacks).Inc(1)
}

// Outcome is a workflow status (Succeeded, Failed, Canceled…) as an
// outcome label.
func Outcome(status string) string { return strings.ToLower(status) }
