package ocisim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
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
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("data after the JSON object")
	}
	if err == nil {
		err = exactFieldNames(body, v)
	}
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

// exactFieldNames refuses a top-level key that matches a field of v's model
// only when case is ignored, as encoding/json would accept "freeFormTags"
// for freeformTags; OCI's models are case-sensitive.
func exactFieldNames(body []byte, v any) error {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(body, &keys); err != nil {
		return err
	}
	known := map[string]bool{}
	t := reflect.TypeOf(v).Elem()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		known[name] = true
	}
	for k := range keys {
		if !known[k] {
			return fmt.Errorf("json: unknown field %q", k)
		}
	}
	return nil
}
