package zstack

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// ZStack error codes a caller may want to tell apart (conf/errorCodes/*.xml).
const (
	CodeAuthenticationError = "ID.1000" // wrong account name or password
	CodeInvalidSession      = "ID.1001" // wrong or expired session
	CodePermissionDenied    = "ID.1002"
	CodeInternal            = "SYS.1000"
	CodeTimeout             = "SYS.1001"
	CodeResourceNotFound    = "SYS.1003"
	CodeOperationError      = "SYS.1006"
	CodeInvalidArgument     = "SYS.1007"
	CodeNodeUnavailable     = "SYS.1012"
)

// Vendor is ZStack as its errors carry it: "zstack" in error types and
// ZStack's classification of its answers.
var Vendor = vendorerr.Vendor{Name: "zstack", Classify: classify}

// refusedCodes are the codes that mean the request itself is wrong, which
// ZStack answers, like every API error, with 503 and its envelope: the
// identity errors (IdentityErrors.java) for a wrong account or password
// and a denied permission, and the system errors (SysErrors.java) for a
// resource that does not exist and an invalid argument, in
// https://github.com/zstackio/zstack/tree/master/header/src/main/java/org/zstack/header.
//
// Unverified: that ZStack never sends these codes for a passing condition;
// their names say refusal, and the other codes (SYS.1012 among them) stay
// retryable as 5xx.
var refusedCodes = map[string]bool{
	CodeAuthenticationError: true,
	CodePermissionDenied:    true,
	CodeResourceNotFound:    true,
	CodeInvalidArgument:     true,
}

// classify reads the code before the status: under ZStack's 503 a wrong
// password or an unknown image is final, while the node being unavailable
// (SYS.1012) or an internal error passes.
func classify(a vendorerr.Answer) vendorerr.Class {
	if refusedCodes[a.Code] {
		return vendorerr.Refused
	}
	return vendorerr.ByStatus(a.StatusCode)
}

// errorCode is ZStack's ErrorCode object; cause chains to the error that
// led to it, and ZStack itself shows the root cause's details to users.
type errorCode struct {
	Code        string     `json:"code"`
	Description string     `json:"description"`
	Details     string     `json:"details"`
	Cause       *errorCode `json:"cause"`
}

// reason is the description plus the most specific details in the chain.
func (e *errorCode) reason() string {
	root := e
	for root.Cause != nil {
		root = root.Cause
	}
	details := root.Details
	if details == "" && root != e {
		details = root.Description
	}
	switch {
	case e.Description == "":
		return details
	case details == "" || details == e.Description:
		return e.Description
	}
	return e.Description + ": " + details
}

// decodeError finds {"error": {...}} in a body.
func decodeError(body []byte) (*errorCode, bool) {
	var env struct {
		Error *errorCode `json:"error"`
	}
	if json.Unmarshal(body, &env) != nil || env.Error == nil {
		return nil, false
	}
	return env.Error, true
}

// vendorError makes a *vendorerr.Error of any non-success answer: ZStack's
// JSON envelope, or the plain text its REST layer answers with.
func vendorError(op string, a answer, requestID string) *vendorerr.Error {
	e := &vendorerr.Answer{
		Operation:  op,
		StatusCode: a.status,
		RequestID:  requestID,
		RetryAfter: vendorerr.ParseRetryAfter(a.header.Get("Retry-After"), time.Now()),
	}
	if ec, ok := decodeError(a.body); ok {
		e.Code, e.Message = ec.Code, ec.reason()
	} else {
		e.Message = strings.TrimSpace(string(a.body))
	}
	for _, secret := range a.secrets {
		e.Message = strings.ReplaceAll(e.Message, secret, redacted)
	}
	if len(e.Message) > 512 {
		e.Message = e.Message[:512] + "..."
	}
	if e.Message == "" {
		e.Message = http.StatusText(a.status)
	}
	return Vendor.Error(*e)
}

// NodeUnavailable reports whether err is ZStack's SYS.1012, "the management
// node is unavailable": an answer about the node, which can pass.
func NodeUnavailable(err error) bool {
	e, ok := vendorerr.As(err)
	return ok && e.Code == CodeNodeUnavailable
}

// invalidSession reports ZStack's answer to a call made with a wrong or
// expired session: 503 with ID.1001.
func invalidSession(a answer) bool {
	if a.status != http.StatusServiceUnavailable {
		return false
	}
	ec, ok := decodeError(a.body)
	return ok && ec.Code == CodeInvalidSession
}
