package main

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"

	"github.com/caarlos0/env/v11"

	"github.com/imagepipe/imagepipe/workflows"
)

// Every secret setting IMAGEPIPE_<X> has a twin IMAGEPIPE_<X>_FILE naming a
// file that holds it, the way container and Kubernetes secrets are mounted,
// so a secret need not sit in the process environment (where `docker
// inspect` and /proc/<pid>/environ show it). The twin is a config field
// tagged `env:"<X>_FILE,file" fileOf:"<Field>"`: caarlos0/env reads the
// file, and resolveSecrets moves its text into <Field>.

// secretPair is one secret's pair of variables.
type secretPair struct {
	valueVar, fileVar string
}

// secretPairs maps each _FILE variable to its pair, from the fileOf tags
// of config and of every vendor's settings.
func secretPairs() map[string]secretPair {
	out := map[string]secretPair{}
	add := func(_, _ reflect.Value, s secretPair) { out[s.fileVar] = s }
	eachSecret(reflect.ValueOf(&config{}).Elem(), "", add)
	for _, v := range workflows.Default().Vendors() {
		if v.Settings != nil {
			s := v.Settings()
			eachSecret(reflect.ValueOf(s).Elem(), s.EnvPrefix(), add)
		}
	}
	return out
}

// eachSecret calls f with the value field, the file field and the
// variables of every fileOf-tagged field under v.
func eachSecret(v reflect.Value, prefix string, f func(value, file reflect.Value, s secretPair)) {
	t := v.Type()
	for i := range t.NumField() {
		field := t.Field(i)
		if p, ok := field.Tag.Lookup("envPrefix"); ok {
			eachSecret(v.Field(i), prefix+p, f)
			continue
		}
		target, ok := field.Tag.Lookup("fileOf")
		if !ok {
			continue
		}
		tf, found := t.FieldByName(target)
		if !found {
			panic(fmt.Sprintf("config: %s has fileOf:%q, which is no field", field.Name, target))
		}
		name := func(f reflect.StructField) string { return prefix + strings.Split(f.Tag.Get("env"), ",")[0] }
		f(v.FieldByIndex(tf.Index), v.Field(i), secretPair{valueVar: name(tf), fileVar: name(field)})
	}
}

// resolveSecrets gives each secret its file's text, without the trailing
// newline editors and `echo` leave, and refuses a secret set both ways.
// unreadable holds the _FILE variables whose file could not be read,
// already reported. v is the settings struct (config or a vendor's) whose
// variables start with prefix.
func resolveSecrets(cfg *config, v reflect.Value, prefix string, unreadable map[string]bool, problems *settingsError) {
	eachSecret(v, prefix, func(value, file reflect.Value, s secretPair) {
		fromFile := os.Getenv(s.fileVar) != ""
		switch {
		case fromFile && os.Getenv(s.valueVar) != "":
			problems.Add("%s and %s are both set; set one: %s to the secret itself, or %s to the path of a file holding it",
				s.valueVar, s.fileVar, s.valueVar, s.fileVar)
		case fromFile && unreadable[s.fileVar]:
			if cfg.unreadableSecrets == nil {
				cfg.unreadableSecrets = map[string]bool{}
			}
			cfg.unreadableSecrets[s.valueVar] = true
		case fromFile:
			value.SetString(strings.TrimRight(file.String(), "\r\n"))
		}
		file.SetString("") // the text now lives in value alone
	})
}

// unreadableSecret says which _FILE variable names a file that cannot be
// read, and the other way to give the secret.
func unreadableSecret(fe env.LoadFileContentError) string {
	why := fe.Err
	var pe *os.PathError
	if errors.As(why, &pe) {
		why = pe.Err // the path is in the message already
	}
	alt := ""
	if s, ok := secretPairs()[fe.Key]; ok {
		alt = ", or set " + s.valueVar + " instead"
	}
	return fmt.Sprintf("%s=%q: %v; want the path of a readable file holding the secret%s", fe.Key, fe.Filename, why, alt)
}

// withoutUnreadable drops from a vendor's problems those about a secret
// whose file could not be read: loadConfig said so already, and "empty"
// would send the reader looking in the wrong place.
func withoutUnreadable(err error, unreadable map[string]bool) error {
	var s *settingsError
	if len(unreadable) == 0 || !errors.As(err, &s) {
		return err
	}
	kept := &settingsError{}
	for _, p := range s.Problems {
		variable, _, _ := strings.Cut(p, " or ")
		if !unreadable[variable] {
			kept.Problems = append(kept.Problems, p)
		}
	}
	return kept.Err()
}
