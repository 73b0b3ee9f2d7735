package simkit

import (
	"encoding/json"
	"errors"
	"testing"
)

type body struct {
	Name string `json:"name"`
	Flag *bool  `json:"flag"`
}

func TestDecodeObject_MatchesFieldNamesExactly(t *testing.T) {
	var b body
	if err := DecodeObject([]byte(`{"NAME":"x","name":"y"}`), &b, false); err != nil || b.Name != "y" {
		t.Fatalf("got %+v, %v; want only the exact key read", b, err)
	}
	b = body{}
	if err := DecodeObject([]byte(`{"NAME":"x"}`), &b, false); err != nil || b.Name != "" {
		t.Fatalf("got %+v, %v; want NAME ignored", b, err)
	}
	var unknown *UnknownFieldError
	if err := DecodeObject([]byte(`{"NAME":"x"}`), &b, true); !errors.As(err, &unknown) || unknown.Field != "NAME" {
		t.Fatalf("strict: %v, want unknown field NAME", err)
	}
}

func TestDecodeObject_RefusesWhatIsNotOneObjectOfTheModel(t *testing.T) {
	for _, in := range []string{`[]`, `null`, `"x"`, `{} {}`, `{"name":"a"}x`} {
		var b body
		if err := DecodeObject([]byte(in), &b, false); err == nil {
			t.Errorf("%s decoded without error", in)
		}
	}
	var b body
	var typeErr *json.UnmarshalTypeError
	if err := DecodeObject([]byte(`{"flag":"true"}`), &b, false); !errors.As(err, &typeErr) || typeErr.Field != "flag" {
		t.Fatalf("string for a boolean: %v, want a type error naming flag", err)
	}
}
