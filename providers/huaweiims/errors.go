package huaweiims

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/internal/retryafter"
)

// Error is a call the vendor answered with an error.
type Error struct {
	Operation  string        // the API operation, e.g. "CopyImageInRegion"
	StatusCode int           // HTTP status
	Code       string        // the vendor's error code, e.g. "IMG.0027" or "APIGW.0308"; "" if the body had none
	Message    string        // the vendor's message
	RequestID  string        // X-Request-Id (or the gateway body's request_id), to quote to support
	RetryAfter time.Duration // from Retry-After (delta-seconds or HTTP date); 0 if absent
}

// Error renders e.g. `CopyImageInRegion: 429 APIGW.0308: throttled (request id abc)`.
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

// Throttled reports whether the vendor asked the caller to slow down. IMS
// answers too many concurrent image jobs with HTTP 400 and IMG.0060 ("The
// number of tasks exceeds the flow control limit"), which is worth retrying
// later although its status says "bad request"; the API gateway throttles
// with 429 and APIGW.0308.
func (e *Error) Throttled() bool {
	return e.StatusCode == http.StatusTooManyRequests || e.Code == CodeThrottled || e.Code == CodeTooManyJobs
}

// Vendor error codes callers branch on.
const (
	// CodeThrottled is the API gateway's rate limit code (HTTP 429).
	CodeThrottled = "APIGW.0308"
	// CodeBadCredentials is the gateway's "Incorrect IAM authentication
	// information" code (HTTP 401): unknown AK, wrong SK, bad signature.
	CodeBadCredentials = "APIGW.0301"
	// CodeImageNotFound is IMS's "The image ID in the request does not exist."
	CodeImageNotFound = "IMG.0027"
	// CodeTooManyJobs is IMS's "The number of tasks exceeds the flow control limit."
	CodeTooManyJobs = "IMG.0060"
)

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 64 << 10

// errorBody covers the two shapes Huawei answers errors in: IMS's own
// {"error":{"code","message"}} and the API gateway's
// {"error_code","error_msg","request_id"}. Some services use a flat
// {"code","message"}; it is accepted too.
type errorBody struct {
	Error *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	ErrorCode string `json:"error_code"`
	ErrorMsg  string `json:"error_msg"`
	RequestID string `json:"request_id"`
	Code      string `json:"code"`
	Message   string `json:"message"`
}

// newError reads an error answer into an *Error.
func newError(op string, resp *http.Response, now time.Time) *Error {
	e := &Error{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		RetryAfter: retryafter.Parse(resp.Header.Get("Retry-After"), now),
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var body errorBody
	if json.Unmarshal(raw, &body) == nil {
		switch {
		case body.Error != nil && (body.Error.Code != "" || body.Error.Message != ""):
			e.Code, e.Message = body.Error.Code, body.Error.Message
		case body.ErrorCode != "" || body.ErrorMsg != "":
			e.Code, e.Message = body.ErrorCode, body.ErrorMsg
		default:
			e.Code, e.Message = body.Code, body.Message
		}
		if e.RequestID == "" {
			e.RequestID = body.RequestID
		}
	}
	if e.Message == "" {
		e.Message = strings.TrimSpace(string(raw))
		if len(e.Message) > 512 {
			e.Message = e.Message[:512]
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}
