package main

import (
	"errors"
	"os"
	"reflect"

	"github.com/caarlos0/env/v11"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/workflows"
)

// vendorSettings is one of the registry's vendors as the worker read it:
// its name (as workflows.Vendor has it), its settings, and the variables
// they came from. Each vendor declares its settings with its activities
// (workflows.Vendor.Settings), so the worker names no vendor.
type vendorSettings struct {
	name string
	// settings is nil for a vendor that declares none; it is then never
	// configured.
	settings activities.Settings
	vars     activities.SettingVars
}

// readVendorSettings reads each vendor's settings from
// the environment under its prefix, giving its secrets their files' text,
// and adds what cannot be read to problems. Their values are checked when
// the clients are built (newActivities).
func readVendorSettings(cfg *config, vendors []workflows.Vendor, problems *settingsError) []vendorSettings {
	var out []vendorSettings
	for _, v := range vendors {
		vs := vendorSettings{name: v.Name}
		if v.Settings != nil {
			s := v.Settings()
			unparsed := map[string]bool{}
			err := env.ParseWithOptions(s, env.Options{Prefix: s.EnvPrefix()})
			var agg env.AggregateError
			if errors.As(err, &agg) {
				for _, e := range agg.Errors {
					var fe env.LoadFileContentError
					if errors.As(e, &fe) {
						unparsed[fe.Key] = true
						problems.Add("%s", unreadableSecret(fe))
						continue
					}
					problems.Add("%v", e)
				}
			} else if err != nil {
				problems.Add("%v", err)
			}
			resolveSecrets(cfg, reflect.ValueOf(s).Elem(), s.EnvPrefix(), unparsed, problems)
			vs.settings = s
			vs.vars = activities.VarsOf(v.Name, s)
			for field, name := range vs.vars.Of {
				_, vs.vars.Set[field] = os.LookupEnv(name)
			}
		}
		out = append(out, vs)
	}
	return out
}

// connect builds the vendor's client and activities, or returns a nil
// client, and no error, for a vendor whose settings are absent.
func (v vendorSettings) connect() (client, calls any, err error) {
	if v.settings == nil {
		return nil, nil, nil
	}
	return v.settings.Connect(v.vars)
}

// where says where the vendor's settings point, for the log.
func (v vendorSettings) where() string {
	if v.settings == nil {
		return ""
	}
	return v.settings.Where()
}
