package activities

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/zstack"
)

// Error types of failures that are not a vendor's own code. A vendor error's
// type is "<vendor>.<code>" (e.g. "oci.NotAuthorizedOrNotFound"), or
// "<vendor>.HTTP<status>" when the vendor sent no code.
const (
	ErrVendorNotConfigured = "imagepipe.VendorNotConfigured"
	ErrJobFailed           = "imagepipe.JobFailed"
	ErrInvalidInput        = "imagepipe.InvalidInput"
	ErrConflict            = "imagepipe.Conflict"
	// ErrNameBusy is a create the vendor refused because another job
	// holds the name right now; the step waits for that job by retrying.
	ErrNameBusy = "imagepipe.NameBusy"
)

// Vendor names as they appear in error types.
const (
	VendorOCI    = "oci"
	VendorFPP    = "fpp"
	VendorHuawei = "huawei"
	VendorZStack = "zstack"
)

// VendorErrorDetails is attached to every vendor ApplicationError, so the
// starter and scripts can show the vendor's answer without parsing text.
type VendorErrorDetails struct {
	Vendor     string `json:"vendor"`
	Operation  string `json:"operation"`
	StatusCode int    `json:"status_code"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	// Throttled says the vendor asked to slow down (a 429, or IMS's
	// throttling codes under a 400), which the worker counts by vendor.
	// translate sets it; the vendors' matchers leave it false.
	Throttled bool `json:"throttled,omitempty"`
}

// vendorAnswer is a vendor's error answer, whichever provider returned it.
type vendorAnswer struct {
	VendorErrorDetails
	retryAfter time.Duration
	// throttled marks an answer the vendor means as "slow down" whatever
	// its status (IMS says so with a 400).
	throttled bool
}

// requestIDLabel is what each vendor calls its request id, so the message
// tells the user exactly which value to quote.
var requestIDLabel = map[string]string{
	VendorOCI:    "opc-request-id",
	VendorHuawei: "X-Request-Id",
	VendorFPP:    "request id",
	VendorZStack: "request id",
}

// answerMatchers find a provider *Error in an error chain; each vendor's
// file adds its own.
var answerMatchers = []func(error) (vendorAnswer, bool){ociAnswer, fppAnswer, huaweiAnswer, zstackAnswer}

// refusedLocally are the errors a client returns for a call it would not
// send (bad input): no retry can fix those.
var refusedLocally = []error{oci.ErrInvalidInput, zstack.ErrInvalidInput}

// asVendorAnswer finds a provider *Error in err's chain.
func asVendorAnswer(err error) (vendorAnswer, bool) {
	for _, match := range answerMatchers {
		if v, ok := match(err); ok {
			return v, true
		}
	}
	return vendorAnswer{}, false
}

// retryable decides whether an answer is worth another attempt: throttling,
// server faults and OCI's IncorrectState (a resource busy for a moment) are;
// a request the vendor rejected as wrong, forbidden, missing or stale is not,
// and no number of retries would change that.
func (v vendorAnswer) retryable() bool {
	switch {
	case v.throttled, v.StatusCode == http.StatusTooManyRequests, v.StatusCode >= 500:
		return true
	case v.StatusCode == http.StatusConflict && v.Vendor == VendorOCI && v.Code == "IncorrectState":
		return true
	case v.StatusCode == http.StatusRequestTimeout:
		return true
	default:
		return false
	}
}

func (v vendorAnswer) errorType() string {
	if v.Code != "" {
		return v.Vendor + "." + v.Code
	}
	return fmt.Sprintf("%s.HTTP%d", v.Vendor, v.StatusCode)
}

// translate turns an error from a vendor call made for step into the error
// the activity returns. It is the only place vendor errors become Temporal
// errors.
func translate(step, operation string, err error) error {
	return translateAnswer(step, operation, err, false)
}

// translatePassing is translate for an answer that may pass although its
// status would fail the call at once (an OCI 404 inside Identity's
// eventual-consistency window): the same error, retryable.
func translatePassing(step, operation string, err error) error {
	return translateAnswer(step, operation, err, true)
}

func translateAnswer(step, operation string, err error, passing bool) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	for _, local := range refusedLocally {
		if errors.Is(err, local) {
			return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %s: %v", step, operation, err), ErrInvalidInput, err)
		}
	}
	v, ok := asVendorAnswer(err)
	if !ok {
		// No answer from the vendor (connection refused, timeout, TLS):
		// retryable, and worth saying which call it was.
		return fmt.Errorf("step %q: %s: %w", step, operation, err)
	}
	msg := fmt.Sprintf("step %q: %s %s: %d", step, v.Vendor, v.Operation, v.StatusCode)
	if v.Code != "" {
		msg += " " + v.Code
	}
	if v.Message != "" {
		msg += ": " + v.Message
	}
	if v.RequestID != "" {
		msg += fmt.Sprintf(" (%s %s)", requestIDLabel[v.Vendor], v.RequestID)
	}
	v.Throttled = v.throttled || v.StatusCode == http.StatusTooManyRequests
	opts := temporal.ApplicationErrorOptions{
		NonRetryable: !passing && !v.retryable(),
		Details:      []any{v.VendorErrorDetails},
	}
	if !opts.NonRetryable && v.retryAfter > 0 {
		opts.NextRetryDelay = v.retryAfter
	}
	return temporal.NewApplicationErrorWithOptions(msg, v.errorType(), opts)
}

// Throttled reports whether err, as an activity returned it, is a vendor's
// answer asking to slow down, and which vendor gave it.
func Throttled(err error) (vendor string, throttled bool) {
	var app *temporal.ApplicationError
	if !errors.As(err, &app) || !app.HasDetails() {
		return "", false
	}
	var d VendorErrorDetails
	if app.Details(&d) != nil {
		return "", false
	}
	return d.Vendor, d.Throttled
}

// notConfigured is the error of an activity whose vendor the worker has no
// credentials for: no retry can fix it, a worker restart with config can.
func notConfigured(step, vendor string) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("step %q: this worker has no %s configuration (see the worker's IMAGEPIPE_%s_* settings)", step, vendor, strings.ToUpper(vendor)),
		ErrVendorNotConfigured, nil)
}

// invalid reports input the workflow should never have sent; retrying the
// same input cannot help.
func invalid(step, format string, args ...any) error {
	return temporal.NewNonRetryableApplicationError(
		fmt.Sprintf("step %q: ", step)+fmt.Sprintf(format, args...), ErrInvalidInput, nil)
}

// nameBusy is the error of a create the vendor refused because another job
// is creating a resource of that name (what says which and why it matters).
// It is retryable after wait, and carries the vendor's answer: waiting is
// the step's way of reusing that job's work.
func nameBusy(step, operation, what string, wait time.Duration, err error) error {
	msg := fmt.Sprintf("step %q: %s; waiting for it", step, what)
	var details []any
	if v, ok := asVendorAnswer(err); ok {
		msg += fmt.Sprintf(" (%s %s: %d %s: %s)", v.Vendor, operation, v.StatusCode, v.Code, v.Message)
		details = append(details, v.VendorErrorDetails)
	}
	return temporal.NewApplicationErrorWithOptions(msg, ErrNameBusy, temporal.ApplicationErrorOptions{
		NextRetryDelay: wait, Details: details, Cause: err,
	})
}
