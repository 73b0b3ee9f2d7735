package fpp

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/internal/retryafter"
)

// Error is a call the vendor answered with an error.
type Error struct {
	Operation  string        // the API operation, e.g. "ImportImage"
	StatusCode int           // HTTP status
	Code       string        // errorResource.errorCode; "" if the body had none
	Message    string        // errorResource.title (and its details), or the body's text
	RequestID  string        // always "": FPP documents no request id
	RetryAfter time.Duration // from Retry-After (delta-seconds or HTTP date); 0 if absent
}

// Error reads like `ImportImage: 409 ImageExists: Image "DB1" already exists.`.
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
	b.WriteString(": " + msg)
	if e.RequestID != "" {
		fmt.Fprintf(&b, " (request id %s)", e.RequestID)
	}
	return b.String()
}

// errorResource is FPP's documented error body.
type errorResource struct {
	ErrorCode    string          `json:"errorCode"`
	Title        string          `json:"title"`
	ErrorPath    string          `json:"errorPath"`
	ErrorDetails []errorResource `json:"errorDetails"`
}

// maxTextMessage caps the message taken from a body that is not an
// errorResource (an HTML page from a proxy, a servlet container's text).
const maxTextMessage = 200

func newError(op string, resp *http.Response, body []byte, now time.Time) *Error {
	e := &Error{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RetryAfter: retryafter.Parse(resp.Header.Get("Retry-After"), now),
	}
	var res errorResource
	if json.Unmarshal(body, &res) == nil && (res.Title != "" || res.ErrorCode != "" || len(res.ErrorDetails) > 0) {
		e.Code, e.Message = res.ErrorCode, res.Title
		if res.ErrorPath != "" && e.Message != "" {
			e.Message += " (at " + res.ErrorPath + ")"
		}
		// Details hold the specific errors when the top level is a summary.
		for _, d := range res.ErrorDetails {
			if e.Code == "" {
				e.Code = d.ErrorCode
			}
			if d.Title != "" {
				e.Message = strings.TrimPrefix(e.Message+"; "+d.Title, "; ")
			}
		}
		return e
	}
	text := strings.TrimSpace(string(body))
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = strings.TrimSpace(text[:i])
	}
	if len(text) > maxTextMessage {
		text = text[:maxTextMessage] + "…"
	}
	e.Message = text
	return e
}
