package activities

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Settings is one vendor's worker settings, declared with the vendor's
// activities so that a vendor brings its own configuration: a pointer to a
// struct whose fields carry caarlos0/env tags relative to EnvPrefix. A
// secret field X has a twin tagged `env:"X_FILE,file" fileOf:"X"` naming a
// file that holds it (a mounted container secret); the worker reads the
// environment into the struct, moves each file's text into its secret, and
// then calls Connect.
type Settings interface {
	// EnvPrefix starts every variable of the vendor: IMAGEPIPE_<VENDOR>_.
	EnvPrefix() string
	// Where says where the settings point, for the worker's log.
	Where() string
	// Connect builds the vendor's client and its activities, or returns a
	// nil client and no error when the settings are absent (the vendor is
	// then not configured). Its errors name the variables at fault
	// through vars.
	Connect(vars SettingVars) (client, activities any, err error)
}

// SettingVars is how a vendor's Connect names its variables in messages.
type SettingVars struct {
	// Vendor is the vendor as messages name it.
	Vendor string
	// Of is the variable of each field of the settings struct, by field
	// name: Of["Endpoint"] is IMAGEPIPE_<VENDOR>_ENDPOINT.
	Of map[string]string
	// FileOf is the _FILE twin of each secret field's variable, by the
	// secret's field name.
	FileOf map[string]string
	// Set is whether each field's variable is set in the environment, by
	// field name.
	Set map[string]bool
}

// VarsOf is SettingVars for s, without Set (the worker fills it).
func VarsOf(vendor string, s Settings) SettingVars {
	vars := SettingVars{Vendor: vendor, Of: map[string]string{}, FileOf: map[string]string{}, Set: map[string]bool{}}
	t := reflect.TypeOf(s).Elem()
	for i := range t.NumField() {
		f := t.Field(i)
		name, ok := f.Tag.Lookup("env")
		if !ok {
			continue
		}
		vars.Of[f.Name] = s.EnvPrefix() + strings.Split(name, ",")[0]
	}
	for i := range t.NumField() {
		f := t.Field(i)
		if target, ok := f.Tag.Lookup("fileOf"); ok {
			vars.FileOf[target] = vars.Of[f.Name]
		}
	}
	return vars
}

// Unused reports the vendor's variables that are set while the one that
// turns the vendor on (field key) is not: most likely a typo in that one's
// name, which would otherwise leave the vendor quietly unconfigured. want
// says what a good value of key looks like.
func (v SettingVars) Unused(key, want string) error {
	var set []string
	for field, on := range v.Set {
		if on && field != key {
			set = append(set, v.Of[field])
		}
	}
	if len(set) == 0 {
		return nil
	}
	slices.Sort(set)
	return &SettingsError{[]string{fmt.Sprintf("%s is set but %s is empty, so %s is not configured; set %s to %s, or unset the others",
		strings.Join(set, ", "), v.Of[key], v.Vendor, v.Of[key], want)}}
}

// Refused names the variable behind each field a provider's New refused
// (IMAGEPIPE_<VENDOR>_ENDPOINT, not Endpoint): the settings' fields carry the
// names of the provider's Config fields for that.
func (v SettingVars) Refused(err error) error {
	problems := &SettingsError{}
	for _, e := range Leaves(err) {
		var fe interface {
			error
			ConfigField() (field, problem string)
		}
		if errors.As(e, &fe) {
			field, problem := fe.ConfigField()
			if name := v.Of[field]; name != "" {
				if file := v.FileOf[field]; file != "" {
					name += " or " + file
				}
				problems.Add("%s: %s", name, problem)
				continue
			}
		}
		problems.Add("%s settings: %v", v.Vendor, e)
	}
	return problems
}

// connectAt is Connect for a vendor whose Endpoint turns it on: nothing
// when endpoint is empty (reporting the vendor's other variables if set,
// see Unused; want says what a good endpoint is), else the client newClient
// builds and the activities acts makes of it.
func connectAt[C any](vars SettingVars, endpoint, want string, newClient func() (*C, error), acts func(*C) any) (any, any, error) {
	if endpoint == "" {
		return nil, nil, vars.Unused("Endpoint", want)
	}
	c, err := newClient()
	if err != nil {
		return nil, nil, vars.Refused(err)
	}
	return c, acts(c), nil
}

// SettingsError is every problem found in a worker's environment, each
// naming the variable at fault and what a good value looks like, so one
// start-up reports them all.
type SettingsError struct{ Problems []string }

func (s *SettingsError) Error() string {
	if len(s.Problems) == 1 {
		return "settings: " + s.Problems[0]
	}
	return fmt.Sprintf("settings: %d problems:\n  %s", len(s.Problems), strings.Join(s.Problems, "\n  "))
}

// Add records one problem.
func (s *SettingsError) Add(format string, args ...any) {
	s.Problems = append(s.Problems, fmt.Sprintf(format, args...))
}

// Err returns s, or nil when it holds no problem.
func (s *SettingsError) Err() error {
	if len(s.Problems) == 0 {
		return nil
	}
	return s
}

// Leaves flattens errors.Join trees into their single errors.
func Leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Leaves(e)...)
		}
		return out
	}
	if err == nil {
		return nil
	}
	return []error{err}
}
