package huaweisim

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// IMS error codes the emulator answers with, from IMS's "Error Codes" table.
const (
	codeBadFormat       = "IMG.0001" // The request message format is invalid.
	codeNameTooLong     = "IMG.0002" // The image name contains more than 128 characters.
	codeNameFormat      = "IMG.0003" // The image name format is invalid.
	codeDescTooLong     = "IMG.0004" // The description contains more than 1024 characters.
	codeEmptyBody       = "IMG.0007" // The request body is empty.
	codeNameMissing     = "IMG.0013" // The image name is not specified.
	codeImageNotFound   = "IMG.0027" // The image ID in the request does not exist.
	codeImageNotReady   = "IMG.0046" // The image is unavailable.
	codeNotOwner        = "IMG.0047" // This operation can be performed only by the image owner.
	codeDescFormat      = "IMG.0054" // The image description format is invalid.
	codeTooManyJobs     = "IMG.0060" // The number of tasks exceeds the flow control limit.
	codeUnknownSystem   = "IMG.0061" // Unknown system error.
	codeJobQueryFailure = "IMG.0023" // An exception occurred during job query.
	// Failed to check the enterprise project ID validity.
	codeEnterpriseProject = "IMG.0155"
)

// Gateway (APIG) codes from the API Request Signing Guide's error table.
const (
	codeGatewayAuth      = "APIGW.0301" // 401 Incorrect IAM authentication information
	codeGatewayForbidden = "APIGW.0302" // 403 the IAM user is not authorized
	codeGatewayThrottled = "APIGW.0308" // 429 The throttling threshold has been reached
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeIMSError answers in IMS's own shape: {"error":{"message","code"}}.
func writeIMSError(w http.ResponseWriter, status int, code, message string) {
	type detail struct {
		Message string `json:"message"`
		Code    string `json:"code"`
	}
	writeJSON(w, status, struct {
		Error detail `json:"error"`
	}{detail{Message: message, Code: code}})
}

// writeGatewayError answers in the API gateway's shape, which also quotes
// the request id in the body: {"error_msg","error_code","request_id"}.
func writeGatewayError(w http.ResponseWriter, reqID string, status int, code, message string) {
	writeJSON(w, status, struct {
		ErrorMsg  string `json:"error_msg"`
		ErrorCode string `json:"error_code"`
		RequestID string `json:"request_id"`
	}{message, code, reqID})
}

// writeFault renders an injected fault where it would come from: throttling
// and APIGW codes from the gateway, anything else from IMS itself.
//
// Unverified: whether the gateway sends Retry-After with APIGW.0308 (the
// emulator sends it when the fault sets one), and which IMS code real 5xx
// answers carry (the emulator uses IMG.0061 "Unknown system error.").
func writeFault(w http.ResponseWriter, reqID string, f simkit.Fault) {
	simkit.SetRetryAfter(w.Header(), f.RetryAfter)
	code, msg := f.Code, f.Message
	if f.Status == http.StatusTooManyRequests || strings.HasPrefix(code, "APIGW.") {
		if code == "" {
			code = codeGatewayThrottled
		}
		if msg == "" {
			msg = "The throttling threshold has been reached: policy user over ratelimit,limit:10,time:1 minute"
		}
		writeGatewayError(w, reqID, f.Status, code, msg)
		return
	}
	if code == "" {
		code = codeUnknownSystem
		if f.Status < 500 {
			code = codeBadFormat
		}
	}
	if msg == "" {
		msg = http.StatusText(f.Status)
		if code == codeUnknownSystem {
			msg = "Unknown system error."
		}
	}
	writeIMSError(w, f.Status, code, msg)
}
