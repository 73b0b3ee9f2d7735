package activities

import (
	"errors"
	"fmt"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/huawei"
	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
	"github.com/imagepipe/imagepipe/providers/zstack"
)

// The worker counts throttled answers by vendor from the error an activity
// returns, so the answer's throttling must survive translation, IMS's
// too-many-jobs 400 included, while a server fault is not throttling.
func TestThrottled_SurvivesTranslationByVendor(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		wantVendor string
		throttled  bool
	}{
		{"oci 429", oci.Vendor.Error(vendorerr.Answer{Operation: "CreateCompartment", StatusCode: 429, Code: "TooManyRequests"}), VendorOCI, true},
		{"ims gateway limit", huawei.Vendor.Error(vendorerr.Answer{Operation: "CopyImageInRegion", StatusCode: 429, Code: huawei.CodeThrottled}), VendorHuawei, true},
		{"ims too many jobs under a 400", huawei.Vendor.Error(vendorerr.Answer{Operation: "CopyImageInRegion", StatusCode: 400, Code: huawei.CodeTooManyJobs}), VendorHuawei, true},
		{"server fault", oci.Vendor.Error(vendorerr.Answer{Operation: "GetCompartment", StatusCode: 503}), VendorOCI, false},
		{"refusal", huawei.Vendor.Error(vendorerr.Answer{Operation: "CopyImageInRegion", StatusCode: 400, Code: "IMG.0027"}), VendorHuawei, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vendor, throttled := Throttled(translate("copy", "op", tt.err))
			if vendor != tt.wantVendor || throttled != tt.throttled {
				t.Errorf("Throttled = %q, %v; want %q, %v", vendor, throttled, tt.wantVendor, tt.throttled)
			}
		})
	}
	for _, err := range []error{nil, errors.New("plain"), translate("copy", "op", fmt.Errorf("dial: %w", errors.New("refused")))} {
		if _, throttled := Throttled(err); throttled {
			t.Errorf("Throttled(%v) = true", err)
		}
	}
}

// The names activities use for vendors (in not-configured errors, the
// worker's metrics, the starter) are the names the vendors' own errors
// carry, so a failure type and a metric label never disagree.
func TestVendorNames_AreTheNamesTheVendorsErrorsCarry(t *testing.T) {
	for ours, theirs := range map[string]string{
		VendorOCI: oci.Vendor.Name, VendorFPP: fpp.Vendor.Name,
		VendorHuawei: huawei.Vendor.Name, VendorZStack: zstack.Vendor.Name,
	} {
		if ours != theirs {
			t.Errorf("activities calls a vendor %q, its errors say %q", ours, theirs)
		}
	}
}
