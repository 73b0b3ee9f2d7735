package oci

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"

	"github.com/oracle/oci-go-sdk/v65/common"
)

// Error codes from OCI's API Errors page
// (docs.oracle.com/iaas/Content/API/References/apierrors.htm) that callers
// branch on, plus Identity's CompartmentAlreadyExists.
const (
	CodeInvalidParameter                       = "InvalidParameter"
	CodeMissingParameter                       = "MissingParameter"
	CodeRelatedResourceNotAuthorizedOrNotFound = "RelatedResourceNotAuthorizedOrNotFound"
	CodeNotAuthenticated                       = "NotAuthenticated"
	CodeNotAuthorizedOrNotFound                = "NotAuthorizedOrNotFound"
	CodeIncorrectState                         = "IncorrectState"
	CodeInvalidatedRetryToken                  = "InvalidatedRetryToken"
	CodeCompartmentAlreadyExists               = "CompartmentAlreadyExists"
	CodeNoEtagMatch                            = "NoEtagMatch"
	CodeTooManyRequests                        = "TooManyRequests"
	CodeInternalServerError                    = "InternalServerError"
	CodeServiceUnavailable                     = "ServiceUnavailable"
)

// sdkBadErrorResponse is the code the SDK invents when an error body has no
// JSON code; it is not the vendor's, so the error's Code is left empty instead.
const sdkBadErrorResponse = "BadErrorResponse"

// ErrInvalidInput marks a call the client refused before sending it (a
// missing id, a retry token out of 1..64 characters): retrying it cannot help.
var ErrInvalidInput = vendorerr.ErrInvalidInput

// Vendor is OCI as its errors carry it: "oci" in error types,
// opc-request-id as the id to quote to Oracle support, and OCI's own
// classification of its answers and advice on them.
var Vendor = vendorerr.Vendor{Name: "oci", RequestIDLabel: "opc-request-id", Classify: classify, Hint: hint}

// classify adds OCI's one quirk to HTTP's classes: 409 IncorrectState is a
// resource busy for a moment (the API Errors page: "the requested state for
// the resource conflicts with its current state"), worth retrying, while
// every other 409 (a name taken, an invalidated retry token) is final.
func classify(a vendorerr.Answer) vendorerr.Class {
	if a.StatusCode == http.StatusConflict && a.Code == CodeIncorrectState {
		return vendorerr.Retryable
	}
	return vendorerr.ByStatus(a.StatusCode)
}

// hint is what to do about OCI's deliberately ambiguous "not found": the
// API Errors page says 404 NotAuthorizedOrNotFound is a resource in the
// URI that "was not found, or you do not have authorization to access"
// it, and 400 RelatedResourceNotAuthorizedOrNotFound the same of one in
// the body (a move's target compartment). A generic "does not exist"
// would send the operator looking for a typo when the fix may be a policy.
func hint(a vendorerr.Answer) string {
	switch {
	case a.StatusCode == http.StatusNotFound && a.Code == CodeNotAuthorizedOrNotFound:
		return "the resource does not exist, or the worker's OCI user has no policy letting it see it; check the OCID in the pipeline file (region, compartment) and the user's policies"
	case a.StatusCode == http.StatusBadRequest && a.Code == CodeRelatedResourceNotAuthorizedOrNotFound:
		return "a resource the request names (such as the target compartment) does not exist, or the worker's OCI user has no policy letting it use it; check the OCIDs in the pipeline file and the user's policies"
	}
	return ""
}

// callError turns what an SDK call returned into this package's errors: a
// service answer becomes a *vendorerr.Error; anything else (transport, context) is
// wrapped as it is, under what (e.g. "get image ocid1..."). raw is the
// response's RawResponse, which the generated clients keep even when the
// call failed.
func callError(op, what string, raw *http.Response, err error) error {
	var se common.ServiceError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	a := vendorerr.Answer{
		Operation:  op,
		StatusCode: se.GetHTTPStatusCode(),
		Code:       se.GetCode(),
		Message:    se.GetMessage(),
		RequestID:  se.GetOpcRequestID(),
	}
	if a.Code == sdkBadErrorResponse {
		a.Code = ""
	}
	if raw != nil {
		if a.RequestID == "" {
			a.RequestID = raw.Header.Get("opc-request-id")
		}
		a.RetryAfter = vendorerr.ParseRetryAfter(raw.Header.Get("Retry-After"), time.Now())
	}
	return Vendor.Error(a)
}

func invalidInput(what, format string, args ...any) error {
	return fmt.Errorf("%s: %w: %s", what, ErrInvalidInput, fmt.Sprintf(format, args...))
}

// checkRetryToken enforces the documented 1..64 characters; the client
// demands a token on every mutating call so that a retried activity never
// gets a fresh, SDK-made one and repeats the change.
func checkRetryToken(what, token string) error {
	if n := len(token); n < 1 || n > 64 {
		return invalidInput(what, "retry token must be 1..64 characters, got %d", n)
	}
	return nil
}
