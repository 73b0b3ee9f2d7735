package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
)

// vendorCalls times every vendor activity attempt and counts throttled
// answers, in one place rather than in each activity: every activity of
// imagepipe is one vendor operation, named after its vendor.
type vendorCalls struct {
	interceptor.WorkerInterceptorBase
}

func (*vendorCalls) InterceptActivity(_ context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &vendorCallInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

type vendorCallInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (v *vendorCallInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	operation := activity.GetInfo(ctx).ActivityType.Name
	vendor := vendorOf(operation)
	if vendor == "" {
		return v.Next.ExecuteActivity(ctx, in)
	}
	start := time.Now()
	res, err := v.Next.ExecuteActivity(ctx, in)
	metrics.VendorCall(activity.GetMetricsHandler(ctx), vendor, operation, callOutcome(ctx, err), time.Since(start))
	return res, err
}

// activityVendors maps the prefix of an activity's name to its vendor.
var activityVendors = []struct{ prefix, vendor string }{
	{"OCI", activities.VendorOCI},
	{"FPP", activities.VendorFPP},
	{"Huawei", activities.VendorHuawei},
	{"ZStack", activities.VendorZStack},
}

// vendorOf is the vendor an activity calls, or "" for one that calls none.
func vendorOf(activityType string) string {
	for _, v := range activityVendors {
		if strings.HasPrefix(activityType, v.prefix) {
			return v.vendor
		}
	}
	return ""
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
