// Package vendorhttp is the HTTP client a vendor's client uses when its
// Config gives none.
package vendorhttp

import (
	"crypto/tls"
	"net/http"
	"time"
)

// IdleConnsPerHost is how many idle connections to one vendor endpoint a
// client keeps open. A worker makes many calls to one vendor at once
// (fan-out items, pipelines side by side), and Go's default transport
// keeps 2: after each burst it closes all but two, and the next burst
// dials again, and for an HTTPS endpoint handshakes again, on the
// worker's CPU and the vendor's.
const IdleConnsPerHost = 64

// Client is an HTTP client with timeout whose transport is Go's default
// one (proxy from the environment, HTTP/2, its dial and TLS handshake
// timeouts) keeping IdleConnsPerHost idle connections per host; tlsConfig,
// when not nil, is the TLS configuration it dials with.
func Client(timeout time.Duration, tlsConfig *tls.Config) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = IdleConnsPerHost
	t.MaxIdleConns = max(t.MaxIdleConns, IdleConnsPerHost)
	if tlsConfig != nil {
		t.TLSClientConfig = tlsConfig
	}
	return &http.Client{Timeout: timeout, Transport: t}
}
