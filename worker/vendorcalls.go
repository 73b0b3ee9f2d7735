package main

import (
	"context"
	"errors"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
	"github.com/imagepipe/imagepipe/workflows"
)

// vendorCalls times every vendor activity attempt and counts throttled
// answers, in one place rather than in each activity: every activity of
// imagepipe is one vendor operation, named after its vendor.
type vendorCalls struct {
	interceptor.WorkerInterceptorBase
	// vendors knows which vendor each activity belongs to.
	vendors *workflows.Registry
}

func (c *vendorCalls) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &vendorCallInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}, vendors: c.vendors}
}

type vendorCallInbound struct {
	interceptor.ActivityInboundInterceptorBase
	vendors *workflows.Registry
}

func (v *vendorCallInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	operation := activity.GetInfo(ctx).ActivityType.Name
	vendor := v.vendors.ActivityVendor(operation)
	if vendor == "" {
		return v.Next.ExecuteActivity(ctx, in)
	}
	start := time.Now()
	res, err := v.Next.ExecuteActivity(ctx, in)
	metrics.VendorCall(activity.GetMetricsHandler(ctx), vendor, operation, callOutcome(ctx, err), time.Since(start))
	return res, err
}

// callOutcome classifies how an attempt ended, from the error the activity
// returned: activities/errors.go has already decided what is final.
func callOutcome(ctx context.Context, err error) string {
	if err == nil {
		return metrics.CallOK
	}
	if _, throttled := activities.Throttled(err); throttled {
		return metrics.CallThrottled
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil && errors.Is(err, ctx.Err()) {
		return metrics.CallCanceled
	}
	var app *temporal.ApplicationError
	if errors.As(err, &app) && app.NonRetryable() {
		return metrics.CallRefused
	}
	return metrics.CallError
}
