package main

import (
	"errors"
	"reflect"
	"strings"

	"github.com/imagepipe/imagepipe/activities"
)

// settingsError is every problem found in the worker's environment, each
// naming the variable at fault and what a good value looks like, so one
// start-up reports them all. Vendors' settings report theirs in the same
// type (activities.Settings).
type settingsError = activities.SettingsError

// joinSettings merges the problems of several checks into one error.
func joinSettings(errs ...error) error {
	all := &settingsError{}
	for _, err := range errs {
		var s *settingsError
		switch {
		case err == nil:
		case errors.As(err, &s):
			all.Problems = append(all.Problems, s.Problems...)
		default:
			all.Problems = append(all.Problems, err.Error())
		}
	}
	return all.Err()
}

// variables maps each of the worker's own settings in config
// ("StopTimeout") to the environment variable it is read from. The
// vendors' are in their activities.SettingVars.
func variables() map[string]string {
	vars := map[string]string{}
	t := reflect.TypeFor[config]()
	for i := range t.NumField() {
		f := t.Field(i)
		if name, ok := f.Tag.Lookup("env"); ok {
			vars[f.Name] = strings.Split(name, ",")[0]
		}
	}
	return vars
}

// leaves flattens errors.Join trees into their single errors.
func leaves(err error) []error { return activities.Leaves(err) }
