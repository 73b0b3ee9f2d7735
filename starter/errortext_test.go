package main

import (
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/activities"
)

func TestWithoutStepPrefix_DropsOnlyTheStepTheLineNames(t *testing.T) {
	for _, tc := range []struct{ id, msg, want string }{
		{"move", `step "move": oci GetImage: 404`, "oci GetImage: 404"},
		{"move", `step "move[0:a]": oci GetImage: 404`, `step "move[0:a]": oci GetImage: 404`},
		{"move", `step "copy": waits`, `step "copy": waits`},
		{"move", "rollback: nothing", "rollback: nothing"},
		{"move", `step "move" timed out`, `step "move" timed out`},
	} {
		if got := withoutStepPrefix(tc.id, tc.msg); got != tc.want {
			t.Errorf("withoutStepPrefix(%q, %q) = %q, want %q", tc.id, tc.msg, got, tc.want)
		}
	}
}

func TestNextStep_StaleEtagBadCredentialsAndMissingResource(t *testing.T) {
	for _, tc := range []struct {
		d    activities.VendorErrorDetails
		want string
	}{
		{activities.VendorErrorDetails{Vendor: "oci", StatusCode: 412, Code: "NoEtagMatch"}, "re-run the pipeline"},
		{activities.VendorErrorDetails{Vendor: "huawei", StatusCode: 401}, "IMAGEPIPE_HUAWEI_*"},
		{activities.VendorErrorDetails{Vendor: "zstack", StatusCode: 404}, "does not exist"},
	} {
		if got := nextStep(tc.d); !strings.Contains(got, tc.want) {
			t.Errorf("nextStep(%+v) = %q, want it to say %q", tc.d, got, tc.want)
		}
	}
	if got := nextStep(activities.VendorErrorDetails{Vendor: "oci", StatusCode: 400, Code: "InvalidParameter"}); got != "" {
		t.Errorf("a 400 gets %q; it has no general next step", got)
	}
}

// The next step is whatever advice the vendor attached to its answer,
// whichever vendor it is; a vendor with none gets the generic reading.
func TestNextStep_ShowsTheHintTheFailureCarries(t *testing.T) {
	hinted := activities.VendorErrorDetails{Vendor: "acme", StatusCode: 404, Hint: "ask acme's admin for the bucket policy"}
	if got := nextStep(hinted); got != hinted.Hint {
		t.Errorf("nextStep(%+v) = %q, want the vendor's hint", hinted, got)
	}
	plain := activities.VendorErrorDetails{Vendor: "oci", StatusCode: 404, Code: "NotAuthorizedOrNotFound"}
	if got := nextStep(plain); strings.Contains(got, "policy") || !strings.Contains(got, "does not exist") {
		t.Errorf("nextStep(%+v) = %q, want the generic 404 reading and no vendor's advice", plain, got)
	}
}
