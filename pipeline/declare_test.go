package pipeline

import (
	"reflect"
	"strings"
	"testing"
)

type declIn struct {
	Name   string            `json:"name" required:"true" doc:"the name"`
	Note   *string           `json:"note" doc:"a note"`
	Tags   []string          `json:"tags"`
	Labels map[string]string `json:"labels"`
	Hidden string            `json:"-"`
}

type declOut struct {
	ID    string `json:"id"`
	State string `json:"state"`
}

// An action's inputs and outputs are its structs' fields: names from the
// json tags, shapes from the Go types, required and doc from their tags.
func TestDeclare_InputsAndOutputsComeFromTheTypedStructs(t *testing.T) {
	rule := &Rule{Vendor: "X", Field: "names", MaxLen: 3}
	a := Declare[declIn, declOut](Action{Name: "x.do", Vendor: "x"}, map[string]*Rule{"name": rule})
	want := []Input{
		{Name: "name", Type: TypeString, Required: true, Doc: "the name", Rule: rule},
		{Name: "note", Type: TypeString, Doc: "a note"},
		{Name: "tags", Type: TypeStringList},
		{Name: "labels", Type: TypeStringMap},
	}
	if !reflect.DeepEqual(a.Inputs, want) {
		t.Errorf("inputs = %+v, want %+v", a.Inputs, want)
	}
	if strings.Join(a.Outputs, " ") != "id state" {
		t.Errorf("outputs = %v, want id state", a.Outputs)
	}
	if got := OutputsOf(declOut{ID: "7"}); !reflect.DeepEqual(got, map[string]string{"id": "7", "state": ""}) {
		t.Errorf("OutputsOf = %v, want every output, empty ones included", got)
	}
	c, err := NewCatalog(a)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckInputs("x.do", map[string]any{"name": "long"}); err == nil || !strings.Contains(err.Error(), "with.name") {
		t.Errorf("CheckInputs with a name over the rule's length: err = %v, want one naming with.name", err)
	}
	if _, err := NewCatalog(a, a); err == nil || !strings.Contains(err.Error(), "x.do declared twice") {
		t.Errorf("NewCatalog with x.do twice: err = %v", err)
	}
}

// A declaration that cannot be right stops the first test that builds it,
// naming the action and the field.
func TestDeclare_RefusesWhatAPipelineFileCannotGive(t *testing.T) {
	type badIn struct {
		Count int `json:"count"`
	}
	type badOut struct {
		Size int `json:"size"`
	}
	for name, declare := range map[string]func(){
		"int input":       func() { Declare[badIn, declOut](Action{Name: "x.bad"}, nil) },
		"int output":      func() { Declare[declIn, badOut](Action{Name: "x.bad"}, nil) },
		"rule of nothing": func() { Declare[declIn, declOut](Action{Name: "x.bad"}, map[string]*Rule{"nope": {}}) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "x.bad") {
					t.Errorf("Declare: panic = %v, want one naming x.bad", r)
				}
			}()
			declare()
		})
	}
}
