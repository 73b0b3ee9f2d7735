package vendorerr

import (
	"errors"
	"fmt"
)

// ConfigError is one field of a vendor client's Config that is missing or
// malformed. Every vendor's New returns one per problem, joined, so a
// caller that fills Config from settings of its own (environment
// variables, a file) can name those settings instead of the Go field.
type ConfigError struct {
	Vendor string // as the vendor's Vendor names it, e.g. "fpp"
	Field  string // the Config field, e.g. "Endpoint"
	// Key is the field's key in a config file of the vendor's own, e.g.
	// OCI's "fingerprint"; empty for a vendor without one.
	Key     string
	Problem string // what is wrong and what a good value looks like
}

func (e *ConfigError) Error() string {
	if e.Key != "" {
		return fmt.Sprintf("%s config: %s (%s): %s", e.Vendor, e.Field, e.Key, e.Problem)
	}
	return fmt.Sprintf("%s config: %s: %s", e.Vendor, e.Field, e.Problem)
}

// ConfigField returns the field at fault and what is wrong with it.
func (e *ConfigError) ConfigField() (field, problem string) { return e.Field, e.Problem }

// ConfigError is the vendor's *ConfigError for field (and key, if any).
func (v Vendor) ConfigError(field, key, format string, args ...any) *ConfigError {
	return &ConfigError{Vendor: v.Name, Field: field, Key: key, Problem: fmt.Sprintf(format, args...)}
}

// ConfigCheck gathers the problems of one Config, so that New reports
// every one at once.
type ConfigCheck struct {
	vendor Vendor
	errs   []error
}

// ConfigCheck starts a check of one of the vendor's Configs.
func (v Vendor) ConfigCheck() *ConfigCheck { return &ConfigCheck{vendor: v} }

// Bad records a problem of field.
func (c *ConfigCheck) Bad(field, format string, args ...any) {
	c.errs = append(c.errs, c.vendor.ConfigError(field, "", format, args...))
}

// BadKey records a problem of field, read from the config file's key.
func (c *ConfigCheck) BadKey(field, key, format string, args ...any) {
	c.errs = append(c.errs, c.vendor.ConfigError(field, key, format, args...))
}

// Add records a problem found otherwise (nil adds none).
func (c *ConfigCheck) Add(err error) {
	if err != nil {
		c.errs = append(c.errs, err)
	}
}

// Err is every problem recorded, joined, or nil.
func (c *ConfigCheck) Err() error { return errors.Join(c.errs...) }
