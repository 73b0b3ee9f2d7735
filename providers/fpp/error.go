package fpp

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// Vendor is FPP as its errors carry it: "fpp" in error types, and HTTP's
// own classes (FPP documents no throttle or busy codes of its own). FPP
// documents no request-id header, so its errors carry none.
var Vendor = vendorerr.Vendor{Name: "fpp"}

// NameTaken reports whether err is FPP refusing ImportImage because an
// image of that name exists or is being imported (409): the answer a
// retried import gets when an earlier attempt's import is still running.
//
// Unverified: 409 is not in FPP's status-code table; the emulator answers
// a duplicate name with it, and a server that answers otherwise makes the
// retried import fail as a plain refusal.
func NameTaken(err error) bool { return vendorerr.Is(err, http.StatusConflict, "") }

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

func newError(op string, resp *http.Response, body []byte, now time.Time) *vendorerr.Error {
	e := &vendorerr.Answer{
		Operation:  op,
		StatusCode: resp.StatusCode,
		RetryAfter: vendorerr.ParseRetryAfter(resp.Header.Get("Retry-After"), now),
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
		return Vendor.Error(*e)
	}
	text := strings.TrimSpace(string(body))
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = strings.TrimSpace(text[:i])
	}
	if len(text) > maxTextMessage {
		text = text[:maxTextMessage] + "…"
	}
	e.Message = text
	return Vendor.Error(*e)
}
