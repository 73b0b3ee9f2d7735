package simkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// ErrNotObject is returned by DecodeObject for a body that is not exactly
// one JSON object.
var ErrNotObject = errors.New("the body is not one JSON object")

// UnknownFieldError names a key DecodeObject refused in strict mode.
type UnknownFieldError struct{ Field string }

func (e *UnknownFieldError) Error() string { return fmt.Sprintf("unknown field %q", e.Field) }

// DecodeObject decodes body, which must be exactly one JSON object, into v,
// a pointer to a struct, the way the vendors' servers bind JSON: a key
// matches a field only with the exact spelling of its json tag (Go's
// decoder alone would also take "IMAGENAME" for imageName). Keys of no
// field are refused with *UnknownFieldError when strict, and ignored
// otherwise. A value of the wrong type is a *json.UnmarshalTypeError whose
// Field names it.
func DecodeObject(body []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return ErrNotObject
		}
		return err
	}
	if fields == nil || dec.More() {
		return ErrNotObject
	}
	known := jsonFieldNames(reflect.TypeOf(v).Elem())
	for k := range fields {
		if known[k] {
			continue
		}
		if strict {
			return &UnknownFieldError{Field: k}
		}
		delete(fields, k)
	}
	exact, err := json.Marshal(fields)
	if err != nil {
		return err
	}
	return json.Unmarshal(exact, v)
}

// jsonFieldNames are the json names of a struct type's fields.
func jsonFieldNames(t reflect.Type) map[string]bool {
	names := map[string]bool{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case name == "-":
		case name != "":
			names[name] = true
		case f.IsExported():
			names[f.Name] = true
		}
	}
	return names
}
