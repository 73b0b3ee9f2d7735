package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/pipeline"
)

// callOptions are the options of one vendor call made for a step. A call
// gets a minute per attempt; retryable failures (throttling, 5xx, dropped
// connections) are retried with backoff for up to an hour, honouring the
// vendor's Retry-After; a vendor's refusal (4xx) fails the step at once.
func callOptions(step, summary string) workflow.ActivityOptions {
	return workflow.ActivityOptions{
		StartToCloseTimeout:    time.Minute,
		ScheduleToCloseTimeout: time.Hour,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        pipeline.DefaultInitialInterval,
			BackoffCoefficient:     2,
			MaximumInterval:        pipeline.DefaultMaxInterval,
			NonRetryableErrorTypes: []string{activities.ErrInvalidInput, activities.ErrVendorNotConfigured},
		},
		Summary: step + ": " + summary,
	}
}

// pollOptions are the options of one look at a job. A look that fails for a
// passing reason is retried within the wait's own deadline.
func pollOptions(in AwaitJobInput) workflow.ActivityOptions {
	o := callOptions(in.Step, "look at "+in.Kind+" job "+in.JobID)
	o.StartToCloseTimeout = 30 * time.Second
	o.ScheduleToCloseTimeout = in.Policy.Timeout
	return o
}
