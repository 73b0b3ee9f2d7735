package pipeline

import (
	"fmt"
	"reflect"
	"strings"
)

// Declare completes an action's declaration from its typed input and
// output structs, so each fact about them is written once: In's fields are
// the inputs (the json tag names it, a `required:"true"` tag makes it
// required, a `doc` tag describes it, its Go type gives its shape), Out's
// fields are the outputs, and rules maps an input's name to what the vendor
// accepts for it. The workflow code of the action decodes its inputs into
// In and returns an Out, so the table, the JSON Schema, the README and the
// code cannot drift apart.
//
// A declaration that cannot be right (a field of a type no pipeline file
// can give, a rule for an input In does not have) panics: it is a mistake
// in code, found by the first test that builds the catalog.
func Declare[In, Out any](a Action, rules map[string]*Rule) Action {
	in, out := reflect.TypeFor[In](), reflect.TypeFor[Out]()
	a.in, a.out = in, out
	a.Inputs = nil
	for _, f := range fields(a.Name, in) {
		t, ok := inputType(f.Type)
		if !ok {
			panic(fmt.Sprintf("declare %s: input %s is a %s; an input is a string, a list of strings or a map of strings", a.Name, f.Name, f.Type))
		}
		a.Inputs = append(a.Inputs, Input{Name: jsonName(f), Type: t, Required: f.Tag.Get("required") == "true", Doc: f.Tag.Get("doc")})
	}
	for name, rule := range rules {
		i := a.inputIndex(name)
		if i < 0 {
			panic(fmt.Sprintf("declare %s: a rule for input %s, which %s does not have", a.Name, name, in))
		}
		a.Inputs[i].Rule = rule
	}
	a.Outputs = nil
	for _, f := range fields(a.Name, out) {
		if f.Type.Kind() != reflect.String {
			panic(fmt.Sprintf("declare %s: output %s is a %s; outputs are strings", a.Name, f.Name, f.Type))
		}
		a.Outputs = append(a.Outputs, jsonName(f))
	}
	return a
}

// InputStruct is the Go type a step's `with` decodes into; nil for an
// action not built by Declare.
func (a Action) InputStruct() reflect.Type { return a.in }

// OutputStruct is the Go type the action's outputs come from.
func (a Action) OutputStruct() reflect.Type { return a.out }

func (a Action) inputIndex(name string) int {
	for i, in := range a.Inputs {
		if in.Name == name {
			return i
		}
	}
	return -1
}

// fields are t's exported fields, t being a struct.
func fields(action string, t reflect.Type) []reflect.StructField {
	if t.Kind() != reflect.Struct {
		panic(fmt.Sprintf("declare %s: %s is not a struct", action, t))
	}
	var fs []reflect.StructField
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && jsonName(f) != "-" {
			fs = append(fs, f)
		}
	}
	return fs
}

func jsonName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	if name == "" {
		return f.Name
	}
	return name
}

// inputType is the shape a pipeline file gives a field of type t in.
// Pointers are inputs that may be left out and differ from empty.
func inputType(t reflect.Type) (InputType, bool) {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.String:
		return TypeString, true
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return TypeStringList, true
	case t.Kind() == reflect.Map && t.Key().Kind() == reflect.String && t.Elem().Kind() == reflect.String:
		return TypeStringMap, true
	}
	return "", false
}

// OutputsOf is out (an action's Out struct) as the step's outputs, by
// output name: every output, empty ones included.
func OutputsOf(out any) map[string]string {
	v := reflect.ValueOf(out)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	m := map[string]string{}
	for _, f := range fields("outputs", v.Type()) {
		m[jsonName(f)] = v.FieldByIndex(f.Index).String()
	}
	return m
}
