package oci

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/imagepipe/imagepipe/providers/vendorhttp"
	"github.com/oracle/oci-go-sdk/v65/common"
	"github.com/oracle/oci-go-sdk/v65/core"
	"github.com/oracle/oci-go-sdk/v65/identity"
)

// defaultTimeout bounds one request when Config.HTTPClient is nil; the
// SDK's own default is the same 60 s.
const defaultTimeout = 60 * time.Second

// placeholderRegion only lets the SDK build its clients when Config has an
// Endpoint but no Region: the endpoint replaces the hosts it gives.
const placeholderRegion = "us-ashburn-1"

// Client calls OCI Identity and Core through the official Go SDK, one
// request per call: the SDK's retries, eventual-consistency waits and
// circuit breaker are all off, since Temporal owns retries.
// It is safe for concurrent use.
type Client struct {
	identity identity.IdentityClient
	compute  core.ComputeClient
	tenancy  string
}

// New builds a client from cfg, reading and checking the signing key now so
// a bad key fails at start-up rather than on the first call.
func New(cfg Config) (*Client, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	pemBytes, pass, err := cfg.loadKey()
	if err != nil {
		return nil, err
	}
	region := cfg.Region
	if region == "" {
		region = placeholderRegion
	}
	provider := common.NewRawConfigurationProvider(cfg.TenancyID, cfg.UserID, region, cfg.Fingerprint, string(pemBytes), pass)
	return newWithProvider(provider, cfg.Endpoint, cfg.HTTPClient)
}

// newWithProvider builds the clients that sign with provider (an API key's
// or an instance principal's), sending to endpoint when it is set.
func newWithProvider(provider common.ConfigurationProvider, endpoint string, httpClient *http.Client) (*Client, error) {
	tenancy, err := provider.TenancyOCID()
	if err != nil {
		return nil, fmt.Errorf("tenancy of the signing principal: %w", err)
	}
	ic, err := identity.NewIdentityClientWithConfigurationProvider(provider)
	if err != nil {
		return nil, fmt.Errorf("build identity client: %w", err)
	}
	cc, err := core.NewComputeClientWithConfigurationProvider(provider)
	if err != nil {
		return nil, fmt.Errorf("build compute client: %w", err)
	}
	if httpClient == nil {
		httpClient = vendorhttp.Client(defaultTimeout, nil)
	}
	for _, base := range []*common.BaseClient{&ic.BaseClient, &cc.BaseClient} {
		configureBase(base, httpClient, endpoint)
	}
	return &Client{identity: ic, compute: cc, tenancy: tenancy}, nil
}

// configureBase makes an SDK client send each request once: no client-level
// retry policy (which OCI_SDK_DEFAULT_RETRY_ENABLED or common.GlobalRetry
// may have set) and no circuit breaker (Identity's is on by default, and
// OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED may turn Core's on), whatever the
// environment says. Each request also carries noRetry(), which the SDK
// prefers over the client's policy.
func configureBase(base *common.BaseClient, httpClient *http.Client, endpoint string) {
	policy := common.NoRetryPolicy()
	base.Configuration.RetryPolicy = &policy
	base.Configuration.CircuitBreaker = nil
	base.HTTPClient = dispatcher{httpClient}
	if endpoint != "" {
		// Set after construction: the constructors call SetRegion, which
		// overwrites Host. The SDK keeps an http:// host as it is.
		base.Host = strings.TrimSuffix(endpoint, "/")
	}
}

// callerContextKey carries the caller's context past the SDK; see detach.
type callerContextKey struct{}

// detach gives the SDK a context that never ends but carries ctx, which
// dispatcher puts back on the HTTP request. The SDK's common.Retry (v65.129.0)
// races on its own response variable when the context it was given ends
// during a call (the race detector reports it); this way the context ends
// the HTTP exchange instead, the SDK sees an ordinary error, and the caller
// still gets context.Canceled or context.DeadlineExceeded.
func detach(ctx context.Context) context.Context {
	return context.WithoutCancel(context.WithValue(ctx, callerContextKey{}, ctx))
}

// dispatcher is the SDK's HTTPRequestDispatcher: it sends with the
// caller's context that detach stowed away.
type dispatcher struct{ client *http.Client }

// Do sends req under the caller's context.
func (d dispatcher) Do(req *http.Request) (*http.Response, error) {
	if ctx, ok := req.Context().Value(callerContextKey{}).(context.Context); ok {
		req = req.WithContext(ctx)
	}
	return d.client.Do(req)
}

// TenancyID is the tenancy OCID the client signs for: the root compartment,
// a parent for top-level compartments.
func (c *Client) TenancyID() string { return c.tenancy }

// noRetry is the RequestMetadata every call carries. With a single attempt
// the SDK's eventual-consistency retries (which can stall minutes after a
// create) never start either: they live in the retry policy.
func noRetry() common.RequestMetadata {
	policy := common.NoRetryPolicy()
	return common.RequestMetadata{RetryPolicy: &policy}
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// optional gives the SDK nil for an empty header value, so it sends none.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
