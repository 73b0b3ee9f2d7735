package huawei

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// Vendor is IMS as its errors carry it: "huawei" in error types,
// X-Request-Id as the id to quote to support, and IMS's classification.
var Vendor = vendorerr.Vendor{Name: "huawei", RequestIDLabel: "X-Request-Id", Classify: classify}

// classify knows Huawei's throttling. IMS answers too many concurrent image
// jobs with HTTP 400 and IMG.0060 ("The number of tasks exceeds the flow
// control limit"), which is worth retrying later although its status says
// "bad request"; the API gateway throttles with 429 and APIGW.0308.
func classify(a vendorerr.Answer) vendorerr.Class {
	if a.Code == CodeThrottled || a.Code == CodeTooManyJobs {
		return vendorerr.Throttled
	}
	return vendorerr.ByStatus(a.StatusCode)
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

// newError reads an error answer into a *vendorerr.Error.
func newError(op string, resp *http.Response, now time.Time) *vendorerr.Error {
	e := &vendorerr.Answer{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RequestID:  resp.Header.Get("X-Request-Id"),
		RetryAfter: vendorerr.ParseRetryAfter(resp.Header.Get("Retry-After"), now),
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
	return Vendor.Error(*e)
}
