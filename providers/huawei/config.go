package huawei

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// Config says where IMS is and who is calling. Nothing in it is global.
type Config struct {
	// Endpoint is the regional IMS endpoint, e.g.
	// "https://ims.ap-southeast-1.myhuaweicloud.com".
	Endpoint string
	// ProjectID is the project (tenant in a region) the images belong to; it
	// is sent as X-Project-Id and in job paths.
	ProjectID string
	// AccessKey and SecretKey are an IAM access key pair (AK/SK).
	AccessKey string
	SecretKey string
	// HTTPClient sends the requests; nil means one with DefaultTimeout.
	HTTPClient *http.Client
}

// ConfigError is one Config field that is missing or malformed: the one
// type every vendor's New reports its Config's problems with.
type ConfigError = vendorerr.ConfigError

// exampleEndpoint is what the messages offer as a good Endpoint.
const exampleEndpoint = "https://ims.ap-southeast-1.myhuaweicloud.com"

// check returns the endpoint parsed and every problem of cfg, joined.
func (cfg Config) check() (*url.URL, error) {
	check := Vendor.ConfigCheck()
	bad := check.Bad
	u, err := url.Parse(cfg.Endpoint)
	switch {
	case cfg.Endpoint == "":
		bad("Endpoint", "empty; want the regional IMS endpoint, e.g. %s", exampleEndpoint)
	case err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "":
		bad("Endpoint", "%q: want an absolute http(s) URL such as %s", cfg.Endpoint, exampleEndpoint)
	case u.RawQuery != "" || u.Fragment != "":
		bad("Endpoint", "%q: must not carry a query or fragment; want a URL such as %s", cfg.Endpoint, exampleEndpoint)
	}
	switch {
	case strings.TrimSpace(cfg.ProjectID) == "":
		bad("ProjectID", "empty; want the region's project ID, as My Credentials in the Huawei Cloud console lists it")
	case strings.ContainsAny(cfg.ProjectID, "/?#"):
		bad("ProjectID", "%q: not a project ID (it holds /, ? or #); want the region's project ID, as My Credentials in the console lists it", cfg.ProjectID)
	}
	if cfg.AccessKey == "" {
		bad("AccessKey", "empty; want the access key ID (AK) of an IAM access key")
	}
	if cfg.SecretKey == "" {
		bad("SecretKey", "empty; want the secret access key (SK) of that access key")
	}
	if err := check.Err(); err != nil {
		return nil, err
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u, nil
}
