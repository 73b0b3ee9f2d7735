package zstack

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
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

// ConfigError is one Config field that is missing or malformed: the one
// type every vendor's New reports its Config's problems with.
type ConfigError = vendorerr.ConfigError

// exampleEndpoint is what the messages offer as a good Endpoint.
const exampleEndpoint = "http://zstack.example.com:8080"

// check returns the endpoint parsed and every problem of cfg, joined.
func (cfg Config) check() (*url.URL, error) {
	check := Vendor.ConfigCheck()
	bad := check.Bad
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
	return u, check.Err()
}
