package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"go.temporal.io/sdk/temporal"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// Error types of failures that are not a vendor's own code. A vendor error's
// type is "<vendor>.<code>" (the vendor's registry name and its code), or
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

// VendorErrorDetails is attached to every vendor ApplicationError, so the
// starter and scripts can show the vendor's answer without parsing text.
type VendorErrorDetails struct {
	Vendor     string `json:"vendor"`
	Operation  string `json:"operation"`
	StatusCode int    `json:"status_code"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	RequestID  string `json:"request_id,omitempty"`
	// Throttled says the vendor asked to slow down (a 429, or a vendor's
	// own throttling codes under a 400), which the worker counts by vendor.
	// The vendor's own classification decides it.
	Throttled bool `json:"throttled,omitempty"`
	// Hint is the vendor's own advice on the answer (its Vendor.Hint), for
	// the starter to show as the next step; empty when the vendor has
	// none. Failures recorded before it existed have none either.
	Hint string `json:"hint,omitempty"`
}

// answerDetails is the part of a vendor's answer a failure carries.
func answerDetails(e *vendorerr.Error) VendorErrorDetails {
	return VendorErrorDetails{
		Vendor: e.Vendor, Operation: e.Operation, StatusCode: e.StatusCode,
		Code: e.Code, Message: e.Message, RequestID: e.RequestID, Throttled: e.Throttled(),
		Hint: e.Hint,
	}
}

// translate turns an error from a vendor call made for step into the error
// the activity returns. It is the only place vendor errors become Temporal
// errors.
func translate(step, operation string, err error) error {
	return translateAnswer(step, operation, err, false)
}

// translatePassing is translate for an answer that may pass although its
// status would fail the call at once (a 404 inside a vendor's
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
	if errors.Is(err, vendorerr.ErrInvalidInput) {
		return temporal.NewNonRetryableApplicationError(fmt.Sprintf("step %q: %s: %v", step, operation, err), ErrInvalidInput, err)
	}
	v, ok := vendorerr.As(err)
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
		msg += fmt.Sprintf(" (%s %s)", v.RequestIDLabel, v.RequestID)
	}
	// The vendor classified its answer; activities only carry it out.
	opts := temporal.ApplicationErrorOptions{
		NonRetryable: !passing && !v.Retryable(),
		Details:      []any{answerDetails(v)},
	}
	if !opts.NonRetryable && v.RetryAfter > 0 {
		opts.NextRetryDelay = v.RetryAfter
	}
	return temporal.NewApplicationErrorWithOptions(msg, v.Type(), opts)
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
	if v, ok := vendorerr.As(err); ok {
		msg += fmt.Sprintf(" (%s %s: %d %s: %s)", v.Vendor, operation, v.StatusCode, v.Code, v.Message)
		details = append(details, answerDetails(v))
	}
	return temporal.NewApplicationErrorWithOptions(msg, ErrNameBusy, temporal.ApplicationErrorOptions{
		NextRetryDelay: wait, Details: details, Cause: err,
	})
}
