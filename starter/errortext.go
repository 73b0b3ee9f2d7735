package main

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/imagepipe/imagepipe/activities"
)

// withoutStepPrefix drops the `step "ID": ` an error message starts with
// when the line showing it already names step ID; a fan-out item's name
// (`step "ID[0:x]"`) is kept, it says more than the step's.
func withoutStepPrefix(id, msg string) string {
	rest, ok := strings.CutPrefix(msg, "step ")
	if !ok {
		return msg
	}
	q, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return msg
	}
	name, _ := strconv.Unquote(q)
	after, ok := strings.CutPrefix(rest[len(q):], ": ")
	if !ok {
		return msg
	}
	if name == id {
		return after
	}
	return msg
}

// nextStep says what to do about a vendor's answer that no retry fixes.
// The vendor's own advice, which its error classification attached to the
// failure, comes first; otherwise a generic reading of the answers an
// operator meets most: a stale etag, refused credentials, a missing
// resource. Empty when there is nothing useful to say.
func nextStep(d activities.VendorErrorDetails) string {
	if d.Hint != "" {
		return d.Hint
	}
	switch d.StatusCode {
	case http.StatusPreconditionFailed:
		// An If-Match etag that is no longer the resource's: someone
		// changed it after the pipeline read it.
		return "the resource changed since the pipeline read it (its etag no longer matches); check what changed it, then re-run the pipeline, which reads it afresh"
	case http.StatusUnauthorized:
		return fmt.Sprintf("%s refused the worker's credentials; check the worker's %s settings (IMAGEPIPE_%s_*: key, user, fingerprint or token, and the clock), then re-run", d.Vendor, d.Vendor, strings.ToUpper(d.Vendor))
	case http.StatusNotFound:
		return "the resource does not exist (or these credentials cannot see it); check the ID in the pipeline file and the region or project the worker is configured for"
	}
	return ""
}
