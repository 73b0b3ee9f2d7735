package zstacksim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// ZStack error codes the emulator answers with (conf/errorCodes/*.xml).
const (
	CodeAuthenticationError = "ID.1000"
	CodeInvalidSession      = "ID.1001"
	CodeInternal            = "SYS.1000"
	CodeTimeout             = "SYS.1001"
	CodeResourceNotFound    = "SYS.1003"
	CodeOperationError      = "SYS.1006"
	CodeInvalidArgument     = "SYS.1007"
	CodeNodeUnavailable     = "SYS.1012"
)

// descriptions are ZStack's fixed texts per code; details carry the specifics.
var descriptions = map[string]string{
	CodeAuthenticationError: "Unable to authenticate a user",
	CodeInvalidSession:      "The session is invalid, either wrong session id or the session has been expired",
	CodeInternal:            "An internal error happened in system",
	CodeTimeout:             "A message or a operation timeout",
	CodeResourceNotFound:    "A resource can not be found",
	CodeOperationError:      "An operation failed",
	CodeInvalidArgument:     "One or more API argument is invalid",
	CodeNodeUnavailable:     "The management node is unavailable",
}

// ErrorCode is ZStack's error object, the value of "error" in a 503 body.
type ErrorCode struct {
	Code        string `json:"code"`
	Description string `json:"description"`
	Details     string `json:"details,omitempty"`
}

func newErrorCode(code, format string, args ...any) *ErrorCode {
	return &ErrorCode{Code: code, Description: descriptions[code], Details: fmt.Sprintf(format, args...)}
}

// reply is an answer computed under the server's lock and written after it.
type reply struct {
	status     int
	json       any
	text       string
	retryAfter time.Duration
}

func jsonReply(status int, body any) reply { return reply{status: status, json: body} }

// textReply is how ZStack's RestServer answers what it rejects itself
// (RestException): a bare string, no JSON.
func textReply(status int, format string, args ...any) reply {
	return reply{status: status, text: fmt.Sprintf(format, args...)}
}

// errorReply is ZStack's ApiResponse carrying only an error.
func errorReply(status int, e *ErrorCode) reply {
	return jsonReply(status, map[string]any{"error": e})
}

func (rep reply) write(w http.ResponseWriter) {
	simkit.SetRetryAfter(w.Header(), rep.retryAfter)
	if rep.json == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(rep.status)
		_, _ = w.Write([]byte(rep.text))
		return
	}
	b, err := json.Marshal(rep.json)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(rep.status)
	_, _ = w.Write(b)
}

// faultReply renders an injected fault in ZStack's error envelope.
// Unverified: ZStack's RestServer never throttles, so it has no code for 429;
// a proxy in front of it would. The emulator uses SYS.1006 for such statuses.
func faultReply(f simkit.Fault) reply {
	code := f.Code
	if code == "" {
		switch f.Status {
		case http.StatusInternalServerError:
			code = CodeInternal
		case http.StatusServiceUnavailable:
			code = CodeNodeUnavailable
		case http.StatusGatewayTimeout:
			code = CodeTimeout
		default:
			code = CodeOperationError
		}
	}
	details := f.Message
	if details == "" {
		details = http.StatusText(f.Status)
	}
	desc := descriptions[code]
	if desc == "" {
		desc = details
	}
	rep := errorReply(f.Status, &ErrorCode{Code: code, Description: desc, Details: details})
	rep.retryAfter = f.RetryAfter
	return rep
}

// zstackTime formats like ZStack's Gson timestamps, e.g. "Jan 6, 2017 3:51:16 AM".
func zstackTime(t time.Time) string { return t.Format("Jan 2, 2006 3:04:05 PM") }
