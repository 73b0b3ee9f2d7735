package main

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// settingsError is every problem found in the worker's environment, each
// naming the variable at fault and what a good value looks like, so one
// start-up reports them all.
type settingsError struct{ problems []string }

func (s *settingsError) Error() string {
	if len(s.problems) == 1 {
		return "settings: " + s.problems[0]
	}
	return fmt.Sprintf("settings: %d problems:\n  %s", len(s.problems), strings.Join(s.problems, "\n  "))
}

func (s *settingsError) add(format string, args ...any) {
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// err returns s, or nil when it holds no problem.
func (s *settingsError) err() error {
	if len(s.problems) == 0 {
		return nil
	}
	return s
}

// joinSettings merges the problems of several checks into one error.
func joinSettings(errs ...error) error {
	all := &settingsError{}
	for _, err := range errs {
		var s *settingsError
		switch {
		case err == nil:
		case errors.As(err, &s):
			all.problems = append(all.problems, s.problems...)
		default:
			all.problems = append(all.problems, err.Error())
		}
	}
	return all.err()
}

// variables maps each setting's path in config ("StopTimeout",
// "FPP.Endpoint") to the environment variable it is read from.
func variables() map[string]string {
	vars := map[string]string{}
	var walk func(t reflect.Type, path, prefix string)
	walk = func(t reflect.Type, path, prefix string) {
		for i := range t.NumField() {
			f := t.Field(i)
			if p, ok := f.Tag.Lookup("envPrefix"); ok {
				walk(f.Type, path+f.Name+".", prefix+p)
			} else if name, ok := f.Tag.Lookup("env"); ok {
				vars[path+f.Name] = prefix + strings.Split(name, ",")[0]
			}
		}
	}
	walk(reflect.TypeFor[config](), "", "")
	return vars
}

// configFieldError is a provider's Config error that names the field at
// fault, which the worker turns into the variable that set it.
type configFieldError interface {
	error
	ConfigField() (field, problem string)
}

// leaves flattens errors.Join trees into their single errors.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
