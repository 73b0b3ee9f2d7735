package oci

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/internal/retryafter"

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
// JSON code; it is not the vendor's, so Error.Code is left empty instead.
const sdkBadErrorResponse = "BadErrorResponse"

// ErrInvalidInput marks a call the client refused before sending it (a
// missing id, a retry token out of 1..64 characters): retrying it cannot help.
var ErrInvalidInput = errors.New("invalid input")

// Error is a call the vendor answered with an error.
type Error struct {
	Operation  string        // the API operation, e.g. "ChangeImageCompartment"
	StatusCode int           // HTTP status
	Code       string        // the vendor's error code; "" if the body had none
	Message    string        // the vendor's message
	RequestID  string        // opc-request-id, to quote to Oracle support
	RetryAfter time.Duration // from Retry-After (delta-seconds or HTTP date); 0 if absent
}

// Error renders e as `Operation: 412 NoEtagMatch: message (request id X)`.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// callError turns what an SDK call returned into this package's errors: a
// service answer becomes *Error; anything else (transport, context) is
// wrapped as it is, under what (e.g. "get image ocid1..."). raw is the
// response's RawResponse, which the generated clients keep even when the
// call failed.
func callError(op, what string, raw *http.Response, err error) error {
	var se common.ServiceError
	if !errors.As(err, &se) {
		return fmt.Errorf("%s: %w", what, err)
	}
	e := &Error{
		Operation:  op,
		StatusCode: se.GetHTTPStatusCode(),
		Code:       se.GetCode(),
		Message:    se.GetMessage(),
		RequestID:  se.GetOpcRequestID(),
	}
	if e.Code == sdkBadErrorResponse {
		e.Code = ""
	}
	if raw != nil {
		if e.RequestID == "" {
			e.RequestID = raw.Header.Get("opc-request-id")
		}
		e.RetryAfter = retryafter.Parse(raw.Header.Get("Retry-After"), time.Now())
	}
	return e
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
