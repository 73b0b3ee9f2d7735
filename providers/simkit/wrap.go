package simkit

import (
	"net/http"
	"time"
)

// Wrap wraps the transport of a client of an emulator, e.g. to lose an
// answer after the vendor acted on the request; nil leaves the transport as
// it is. Each vendor's test package (providers/<vendor>/<vendor>test)
// takes one when it builds a client.
type Wrap func(http.RoundTripper) http.RoundTripper

// Client is an HTTP client over base, wrapped by w, with the 30 s timeout
// a worker's clients have.
func (w Wrap) Client(base http.RoundTripper) *http.Client {
	if w != nil {
		base = w(base)
	}
	return &http.Client{Transport: base, Timeout: 30 * time.Second}
}
