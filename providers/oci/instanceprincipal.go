package oci

import (
	"fmt"
	"net/http"

	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/common/auth"
)

// ProviderOptions are what a client on a configuration provider may
// override; the identity, tenancy and region come from the provider (for
// an instance principal, from the instance).
type ProviderOptions struct {
	// Endpoint replaces the Identity and Core hosts, as Config.Endpoint.
	Endpoint string
	// HTTPClient sends the service requests; nil means one with a 60 s
	// timeout. The SDK's own client fetches the instance's certificates.
	HTTPClient *http.Client
}

// NewInstancePrincipal builds a client that signs as the compute instance
// it runs on (a dynamic group's policies grant it access), with no API key
// or config file: the OCI SDK's auth.InstancePrincipalConfigurationProvider
// reads the region, tenancy and a refreshing certificate from the instance
// metadata service (169.254.169.254) and trades them for security tokens.
//
// Off OCI there is no metadata service: the SDK retries the region lookup
// 8 times with backoff (some two minutes) before this returns its error.
// Unverified: nothing here has reached a metadata service; the tests cover
// the settings that choose this path and the client built on a provider,
// not the SDK's federation exchange.
func NewInstancePrincipal(opts ProviderOptions) (*Client, error) {
	if err := checkEndpoint(opts.Endpoint); err != nil {
		return nil, err
	}
	provider, err := auth.InstancePrincipalConfigurationProvider()
	if err != nil {
		return nil, fmt.Errorf("oci instance principal (only on an OCI compute instance): %w", err)
	}
	return newWithProvider(provider, opts.Endpoint, opts.HTTPClient)
}

// NewWithProvider builds a client that signs with any of the SDK's
// configuration providers (resource principals, a test's fixed key, ...).
func NewWithProvider(provider common.ConfigurationProvider, opts ProviderOptions) (*Client, error) {
	if err := checkEndpoint(opts.Endpoint); err != nil {
		return nil, err
	}
	return newWithProvider(provider, opts.Endpoint, opts.HTTPClient)
}
