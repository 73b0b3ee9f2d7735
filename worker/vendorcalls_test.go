package main

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/metrics"
	"github.com/imagepipe/imagepipe/workflows"
)

// Every activity the worker registers is timed under its vendor: an
// activity named otherwise would make calls no panel shows.
func TestVendorOf_EveryActivityHasItsVendor(t *testing.T) {
	reg := workflows.Default()
	for _, v := range reg.Vendors() {
		typ := reflect.TypeOf(v.Activities)
		for i := range typ.NumMethod() {
			if name := typ.Method(i).Name; reg.ActivityVendor(name) != v.Name {
				t.Errorf("activity %s of %s is timed under %q", name, v.Name, reg.ActivityVendor(name))
			}
		}
	}
}

func TestCallOutcome_FromWhatTheActivityReturned(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	throttled := temporal.NewApplicationErrorWithOptions("429", "huawei.APIGW.0308", temporal.ApplicationErrorOptions{
		Details: []any{activities.VendorErrorDetails{Vendor: activities.VendorHuawei, StatusCode: 429, Throttled: true}},
	})
	for _, tt := range []struct {
		name string
		ctx  context.Context
		err  error
		want string
	}{
		{"success", context.Background(), nil, metrics.CallOK},
		{"throttled", context.Background(), throttled, metrics.CallThrottled},
		{"refused", context.Background(), temporal.NewNonRetryableApplicationError("404", "oci.NotAuthorizedOrNotFound", nil), metrics.CallRefused},
		{"server fault", context.Background(), temporal.NewApplicationError("503", "oci.HTTP503"), metrics.CallError},
		{"dropped connection", context.Background(), errors.New("connection reset"), metrics.CallError},
		{"cancelled", canceled, context.Canceled, metrics.CallCanceled},
	} {
		if got := callOutcome(tt.ctx, tt.err); got != tt.want {
			t.Errorf("%s: outcome %q, want %q", tt.name, got, tt.want)
		}
	}
}

// Every vendor the workflows know declares its worker settings, so a
// worker can configure it: a vendor without would fail its steps as "not
// configured" whatever the environment says.
func TestVendorSettings_EveryDefaultVendorHasSome(t *testing.T) {
	for _, v := range workflows.Default().Vendors() {
		if v.Settings == nil {
			t.Errorf("vendor %s declares no worker settings", v.Name)
		}
	}
}
