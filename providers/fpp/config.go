package fpp

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
)

// Config says where the FPP server is and who calls it.
type Config struct {
	// Endpoint is the server's scheme, host and port, e.g.
	// "https://rhpserver.example.com:8894". FPP serves its REST API over
	// HTTPS only, so http:// is refused (the password would travel in clear).
	Endpoint string
	// Username and Password are the registered REST user's credentials.
	Username string
	Password string
	// CAFile is a PEM file of the CA that signed the server's certificate
	// (the FPP server's own CA); empty means the system roots.
	CAFile string
	// HTTPClient, when set, is used as is (its transport then carries the
	// trusted roots, so CAFile must be empty). Nil means a client with a
	// one-minute timeout trusting CAFile.
	HTTPClient *http.Client
}

// ConfigError is one Config field that is missing or malformed. New
// returns every one it finds, joined, so a caller that fills Config from
// settings of its own (environment variables, a file) can name those
// settings instead of the Go field.
type ConfigError struct {
	Field   string // the Config field, e.g. "Endpoint"
	Problem string // what is wrong and what a good value looks like
}

func (e *ConfigError) Error() string { return "fpp config: " + e.Field + ": " + e.Problem }

// ConfigField returns the field at fault and what is wrong with it.
func (e *ConfigError) ConfigField() (field, problem string) { return e.Field, e.Problem }

// exampleEndpoint is what the messages offer as a good Endpoint.
const exampleEndpoint = "https://rhpserver.example.com:8894"

// check returns the endpoint parsed and every problem of cfg, joined.
func (cfg Config) check() (*url.URL, *x509.CertPool, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &ConfigError{Field: field, Problem: fmt.Sprintf(format, args...)})
	}
	u, err := url.Parse(cfg.Endpoint)
	switch {
	case cfg.Endpoint == "":
		bad("Endpoint", "empty; want the FPP server's https://host:port, e.g. %s", exampleEndpoint)
	case err != nil || u.Host == "":
		bad("Endpoint", "%q is not an https://host:port address, e.g. %s", cfg.Endpoint, exampleEndpoint)
	case u.Scheme == "http":
		bad("Endpoint", "%q uses http, but FPP serves its REST API over HTTPS only; want https://%s", cfg.Endpoint, u.Host)
	case u.Scheme != "https":
		bad("Endpoint", "%q: scheme %q; want https://host:port, e.g. %s", cfg.Endpoint, u.Scheme, exampleEndpoint)
	}
	if cfg.Username == "" {
		bad("Username", "empty; want the REST user registered with rhpctl register user -restuser")
	}
	if cfg.Password == "" {
		bad("Password", "empty; want that REST user's password")
	}
	var roots *x509.CertPool
	switch {
	case cfg.HTTPClient != nil && cfg.CAFile != "":
		bad("CAFile", "set together with HTTPClient; put the CA in HTTPClient's transport")
	case cfg.CAFile != "":
		if roots, err = loadCA(cfg.CAFile); err != nil {
			errs = append(errs, err)
		}
	}
	return u, roots, errors.Join(errs...)
}

func loadCA(path string) (*x509.CertPool, error) {
	pemData, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Field: "CAFile", Problem: fmt.Sprintf("%v; want the PEM file of the FPP server's CA", err)}
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, &ConfigError{Field: "CAFile", Problem: fmt.Sprintf("%s holds no PEM certificate; want the PEM file of the FPP server's CA", path)}
	}
	return pool, nil
}
