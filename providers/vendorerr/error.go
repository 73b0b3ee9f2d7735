package vendorerr

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Class is what another attempt of a call can achieve, in its vendor's
// judgement.
type Class int

const (
	// Refused is final: the request was wrong, forbidden, missing or stale,
	// and no number of retries changes the answer.
	Refused Class = iota
	// Retryable is a passing fault (a 5xx, a timeout, a resource busy for
	// a moment): another attempt may succeed.
	Retryable
	// Throttled is the vendor asking the caller to slow down: retryable,
	// after RetryAfter when the vendor said how long.
	Throttled
)

func (c Class) String() string {
	switch c {
	case Refused:
		return "refused"
	case Retryable:
		return "retryable"
	case Throttled:
		return "throttled"
	}
	return fmt.Sprintf("Class(%d)", int(c))
}

// ByStatus is the classification HTTP itself suggests: 429 is throttling,
// 408 and 5xx are passing faults, every other status is a refusal. A
// vendor's own classifier starts from it and adds its quirks.
func ByStatus(status int) Class {
	switch {
	case status == http.StatusTooManyRequests:
		return Throttled
	case status == http.StatusRequestTimeout, status >= 500:
		return Retryable
	default:
		return Refused
	}
}

// Answer is what a vendor said when it answered with an error.
type Answer struct {
	Operation  string        // the API operation, e.g. "ChangeImageCompartment"
	StatusCode int           // HTTP status
	Code       string        // the vendor's error code; "" if the body had none
	Message    string        // the vendor's message
	RequestID  string        // the id to quote to the vendor's support; "" if none
	RetryAfter time.Duration // from Retry-After (delta-seconds or HTTP date); 0 if absent
}

// Error is a call a vendor answered with an error: the answer, which vendor
// gave it, and that vendor's classification of it.
type Error struct {
	Answer
	// Vendor names the vendor as error types spell it, e.g. "oci".
	Vendor string
	// RequestIDLabel is what the vendor calls its request id
	// ("opc-request-id"), so a message tells the user which value to quote.
	RequestIDLabel string
	// Class is the vendor's judgement of what a retry can achieve.
	Class Class
	// Hint is the vendor's advice on what to do about the answer (see
	// Vendor.Hint); "" when the vendor has none and a generic reading of
	// the status is all there is.
	Hint string
}

// Error reads like `ChangeImageCompartment: 412 NoEtagMatch: etag mismatch
// (request id abc)`; an answer with no message shows its status text.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d", e.Operation, e.StatusCode)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	msg := e.Message
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if msg != "" {
		b.WriteString(": " + msg)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// Retryable reports whether another attempt may succeed.
func (e *Error) Retryable() bool { return e.Class != Refused }

// Throttled reports whether the vendor asked the caller to slow down.
func (e *Error) Throttled() bool { return e.Class == Throttled }

// Type names the error as "<vendor>.<code>", or "<vendor>.HTTP<status>"
// when the vendor sent no code.
func (e *Error) Type() string {
	if e.Code != "" {
		return e.Vendor + "." + e.Code
	}
	return fmt.Sprintf("%s.HTTP%d", e.Vendor, e.StatusCode)
}

// As finds a vendor's *Error in err's chain.
func As(err error) (*Error, bool) {
	return errors.AsType[*Error](err)
}

// Is reports whether err's chain holds an answer of this status and, when
// code is not empty, this code.
func Is(err error, status int, code string) bool {
	e, ok := As(err)
	return ok && e.StatusCode == status && (code == "" || e.Code == code)
}

// ErrInvalidInput marks a call a client refused before sending it (a
// missing id, a malformed token): retrying the same input cannot help.
var ErrInvalidInput = errors.New("invalid input")
