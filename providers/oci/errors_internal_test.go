package oci

import (
	"net/http"
	"testing"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// OCI's quirk lives here, not in the caller: a 409 IncorrectState is a
// resource busy for a moment, every other 409 is final.
func TestVendor_IncorrectStateIsRetriedOtherConflictsAreFinal(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   vendorerr.Class
	}{
		{http.StatusConflict, CodeIncorrectState, vendorerr.Retryable},
		{http.StatusConflict, CodeCompartmentAlreadyExists, vendorerr.Refused},
		{http.StatusConflict, CodeInvalidatedRetryToken, vendorerr.Refused},
		{http.StatusPreconditionFailed, CodeNoEtagMatch, vendorerr.Refused},
		{http.StatusTooManyRequests, CodeTooManyRequests, vendorerr.Throttled},
		{http.StatusServiceUnavailable, "", vendorerr.Retryable},
	}
	for _, tt := range tests {
		e := Vendor.Error(vendorerr.Answer{Operation: "ChangeImageCompartment", StatusCode: tt.status, Code: tt.code})
		if e.Class != tt.want || e.Vendor != "oci" || e.RequestIDLabel != "opc-request-id" {
			t.Errorf("%d %s: class %s, vendor %q, label %q; want %s, oci, opc-request-id", tt.status, tt.code, e.Class, e.Vendor, e.RequestIDLabel, tt.want)
		}
	}
}
