package oci

import (
	"net/http"
	"strings"
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

// OCI's "not found" may be a missing policy; its hint says so, and an
// answer OCI has nothing particular to say about carries no hint.
func TestVendor_NotFoundHintNamesPolicies(t *testing.T) {
	tests := []struct {
		status int
		code   string
		want   string
	}{
		{http.StatusNotFound, CodeNotAuthorizedOrNotFound, "no policy letting it see it"},
		{http.StatusBadRequest, CodeRelatedResourceNotAuthorizedOrNotFound, "no policy letting it use it"},
		{http.StatusBadRequest, CodeInvalidParameter, ""},
		{http.StatusConflict, CodeIncorrectState, ""},
	}
	for _, tt := range tests {
		got := Vendor.Error(vendorerr.Answer{Operation: "GetImage", StatusCode: tt.status, Code: tt.code}).Hint
		if (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%d %s: hint %q, want one saying %q", tt.status, tt.code, got, tt.want)
		}
	}
}
