package fppsim

import (
	"encoding/json"
	"net/http"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Error codes the emulator puts in errorResource.errorCode.
//
// Unverified: FPP documents errorCode only as "application specific error
// code"; the values its REST server really sends per failure are not
// published, so these names are the emulator's own.
const (
	CodeInvalidParameter   = "InvalidParameter"
	CodeUnsupportedMedia   = "UnsupportedMediaType"
	CodeUnauthorized       = "Unauthorized"
	CodeNotFound           = "NotFound"
	CodeImageExists        = "ImageExists"
	CodeTooManyRequests    = "TooManyRequests"
	CodeInternalError      = "InternalError"
	CodeServiceUnavailable = "ServiceUnavailable"
)

// errorResource is FPP's documented error body.
type errorResource struct {
	ErrorCode string `json:"errorCode,omitempty"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	ErrorPath string `json:"errorPath,omitempty"`
	Instance  string `json:"instance,omitempty"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client hung up; nothing left to tell it
}

func writeError(w http.ResponseWriter, r *http.Request, status int, code, title, path string) {
	writeJSON(w, status, errorResource{
		ErrorCode: code,
		Title:     title,
		Status:    status,
		ErrorPath: path,
		Instance:  r.URL.Path,
	})
}

// writeFault renders an injected fault the way the server renders its own
// errors, filling in a code and title per status when the test left them
// empty.
func writeFault(w http.ResponseWriter, r *http.Request, f simkit.Fault) {
	code, title := f.Code, f.Message
	if code == "" {
		switch {
		case f.Status == http.StatusTooManyRequests:
			code = CodeTooManyRequests
		case f.Status == http.StatusServiceUnavailable:
			code = CodeServiceUnavailable
		case f.Status >= 500:
			code = CodeInternalError
		}
	}
	if title == "" {
		title = http.StatusText(f.Status)
	}
	simkit.SetRetryAfter(w.Header(), f.RetryAfter)
	writeError(w, r, f.Status, code, title, "")
}
