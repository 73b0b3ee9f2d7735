package zstack

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Config says where ZStack is and who logs in.
type Config struct {
	// Endpoint is the management node's address, scheme://host[:port], e.g.
	// "http://127.0.0.1:8080"; the client adds the /zstack/v1 prefix.
	Endpoint string
	// AccountName and Password log in by account. Password is the plain
	// password; the client sends its SHA-512 digest, as ZStack expects.
	AccountName string
	Password    string
	// HTTPClient is used for every call; nil means one with DefaultTimeout.
	HTTPClient *http.Client
}

// ConfigError is one Config field that is missing or malformed. New
// returns every one it finds, joined, so a caller that fills Config from
// settings of its own (environment variables, a file) can name those
// settings instead of the Go field.
type ConfigError struct {
	Field   string // the Config field, e.g. "AccountName"
	Problem string // what is wrong and what a good value looks like
}

func (e *ConfigError) Error() string { return "zstack config: " + e.Field + ": " + e.Problem }

// ConfigField returns the field at fault and what is wrong with it.
func (e *ConfigError) ConfigField() (field, problem string) { return e.Field, e.Problem }

// exampleEndpoint is what the messages offer as a good Endpoint.
const exampleEndpoint = "http://zstack.example.com:8080"

// check returns the endpoint parsed and every problem of cfg, joined.
func (cfg Config) check() (*url.URL, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	u, err := url.Parse(cfg.Endpoint)
	switch {
	case cfg.Endpoint == "":
		bad("Endpoint", "empty; want the management node's http(s)://host[:port], e.g. %s", exampleEndpoint)
	case err != nil:
		bad("Endpoint", "%q: %v; want http(s)://host[:port], e.g. %s", cfg.Endpoint, err, exampleEndpoint)
	case u.Scheme != "http" && u.Scheme != "https", u.Host == "":
		bad("Endpoint", "%q: want http(s)://host[:port], e.g. %s", cfg.Endpoint, exampleEndpoint)
	case strings.Trim(u.Path, "/") != "", u.RawQuery != "", u.Fragment != "":
		bad("Endpoint", "%q: want no path or query (the client adds /zstack/v1), e.g. %s", cfg.Endpoint, exampleEndpoint)
	}
	if cfg.AccountName == "" {
		bad("AccountName", "empty; want the name of the ZStack account to log in as, e.g. admin")
	}
	if cfg.Password == "" {
		bad("Password", "empty; want that account's password (in clear: the client sends its SHA-512)")
	}
	return u, errors.Join(errs...)
}
