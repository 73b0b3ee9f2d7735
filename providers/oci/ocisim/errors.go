package ocisim

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// Error codes the emulator answers with. They are the codes of OCI's API
// Errors page (docs.oracle.com/iaas/Content/API/References/apierrors.htm),
// except CompartmentAlreadyExists, which Identity returns for a duplicate
// compartment name (seen in oracle/terraform-provider-oci issue #725).
const (
	CodeCannotParseRequest                     = "CannotParseRequest"
	CodeInvalidParameter                       = "InvalidParameter"
	CodeMissingParameter                       = "MissingParameter"
	CodeRelatedResourceNotAuthorizedOrNotFound = "RelatedResourceNotAuthorizedOrNotFound"
	CodeNotAuthenticated                       = "NotAuthenticated"
	CodeNotAuthorizedOrNotFound                = "NotAuthorizedOrNotFound"
	CodeNotFound                               = "NotFound"
	CodeMethodNotAllowed                       = "MethodNotAllowed"
	CodeIncorrectState                         = "IncorrectState"
	CodeInvalidatedRetryToken                  = "InvalidatedRetryToken"
	CodeCompartmentAlreadyExists               = "CompartmentAlreadyExists"
	CodeNoEtagMatch                            = "NoEtagMatch"
	CodeTooManyRequests                        = "TooManyRequests"
	CodeInternalServerError                    = "InternalServerError"
	CodeServiceUnavailable                     = "ServiceUnavailable"
)

// apiError is OCI's error body: {"code": ..., "message": ...}.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Code: code, Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		// Only emulator-built values reach here; a failure is a bug worth a 500.
		status, body = http.StatusInternalServerError, []byte(`{"code":"InternalServerError","message":"encode response"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeFault renders an injected fault the way OCI renders the same answer.
func writeFault(w http.ResponseWriter, _ *http.Request, f simkit.Fault) {
	code, message := f.Code, f.Message
	if code == "" || message == "" {
		c, m := faultDefaults(f.Status)
		if code == "" {
			code = c
		}
		if message == "" {
			message = m
		}
	}
	simkit.SetRetryAfter(w.Header(), f.RetryAfter)
	writeError(w, f.Status, code, message)
}

// faultDefaults holds the API Errors page's code and description per status.
func faultDefaults(status int) (code, message string) {
	switch status {
	case http.StatusTooManyRequests:
		return CodeTooManyRequests, "You have issued too many requests to the Oracle Cloud Infrastructure APIs in too short of an amount of time."
	case http.StatusInternalServerError:
		return CodeInternalServerError, "An internal server error occurred."
	case http.StatusServiceUnavailable:
		return CodeServiceUnavailable, "The service is currently unavailable."
	case http.StatusConflict:
		return CodeIncorrectState, "The requested state for the resource conflicts with its current state."
	case http.StatusNotFound:
		return CodeNotAuthorizedOrNotFound, "Authorization failed or requested resource not found."
	case http.StatusUnauthorized:
		return CodeNotAuthenticated, "The required information to complete authentication was not provided or was incorrect."
	default:
		return strings.ReplaceAll(http.StatusText(status), " ", ""), http.StatusText(status)
	}
}
