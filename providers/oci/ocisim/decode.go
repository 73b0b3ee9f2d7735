package ocisim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// malformedMessage is the message OCI sends with 400 CannotParseRequest
// (as quoted in SDK and Terraform provider error reports).
const malformedMessage = "Incorrectly formatted request. Please refer to our documentation for help."

// decodeStrict reads body as exactly one JSON object of v's model: every
// field with its documented type and no field the model lacks. When it
// cannot, it answers 400 CannotParseRequest and reports false. The
// parenthesised detail is the emulator's own, so a test failure says which
// field was wrong.
//
// Unverified: that OCI refuses an unknown field rather than ignoring it.
// The emulator refuses it so a misspelt field fails a local test instead
// of being dropped silently; the models here hold every field the API
// reference documents, so a well-formed request is never refused.
func decodeStrict(w http.ResponseWriter, body []byte, v any) bool {
	err := simkit.DecodeObject(body, v, true)
	if err == nil {
		return true
	}
	var typeErr *json.UnmarshalTypeError
	detail := "the body is not a valid JSON object: " + err.Error()
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		detail = fmt.Sprintf("%s must be a JSON %s, not %s", typeErr.Field, jsonType(typeErr.Type.Kind().String()), typeErr.Value)
	}
	writeError(w, http.StatusBadRequest, CodeCannotParseRequest, malformedMessage+" ("+detail+")")
	return false
}

// jsonType names a Go kind as the API reference names types.
func jsonType(kind string) string {
	switch kind {
	case "bool":
		return "boolean"
	case "map", "struct", "interface":
		return "object"
	}
	return kind
}
