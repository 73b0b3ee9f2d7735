package fpp

import (
	"crypto/x509"
	"net/http"
	"net/url"
	"os"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
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

// ConfigError is one Config field that is missing or malformed: the one
// type every vendor's New reports its Config's problems with.
type ConfigError = vendorerr.ConfigError

// exampleEndpoint is what the messages offer as a good Endpoint.
const exampleEndpoint = "https://rhpserver.example.com:8894"

// check returns the endpoint parsed and every problem of cfg, joined.
func (cfg Config) check() (*url.URL, *x509.CertPool, error) {
	check := Vendor.ConfigCheck()
	bad := check.Bad
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
			check.Add(err)
		}
	}
	return u, roots, check.Err()
}

func loadCA(path string) (*x509.CertPool, error) {
	pemData, err := os.ReadFile(path)
	if err != nil {
		return nil, Vendor.ConfigError("CAFile", "", "%v; want the PEM file of the FPP server's CA", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pemData) {
		return nil, Vendor.ConfigError("CAFile", "", "%s holds no PEM certificate; want the PEM file of the FPP server's CA", path)
	}
	return pool, nil
}
