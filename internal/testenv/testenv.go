// Package testenv gives tests the pieces they share: the registry's vendor
// emulators served together over HTTP (ServeVendors), with what a worker
// needs to reach them and what they hold at the end; faults to wrap a
// client's transport with; and a Temporal dev server, worker processes and
// histories for integration tests. It names no vendor: each vendor's own
// test package (providers/<vendor>/<vendor>test) serves one emulator with
// a client, and finds its emulator among those ServeVendors serves.
package testenv

import "github.com/imagepipe/imagepipe/providers/simkit"

// Wrap wraps a client's transport, e.g. to lose an answer after the
// vendor acted on the request. Nil leaves the transport as it is.
type Wrap = simkit.Wrap
