package testenv

import (
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/workflows"
)

// ServedOptions configure the emulators ServeVendors serves.
type ServedOptions struct {
	// Timing is how long the emulators' jobs take, for every vendor that
	// Options leaves to its demo data.
	Timing simkit.Timing
	// Options are vendors' own sim Options by vendor name (each sim
	// package's Options under its vendor's name), served instead of their
	// demo data; the worker's credentials follow them (e.g. the first
	// account given).
	Options map[string]any
	// Wrap wraps each vendor's handler, to record or hold its calls; nil
	// serves the emulators as they are.
	Wrap func(vendor string, h http.Handler) http.Handler
}

// ServedVendors are the registry's vendor emulators on local servers,
// served in the test's process so it can watch and hold their answers
// (each vendor's test package finds its own: ocitest.Sim(v)), and the
// settings a worker process needs to reach them.
type ServedVendors struct {
	vendors []string
	served  map[string]simkit.Served
	// WorkerEnv are the lines the emulator binary writes to worker.env.
	WorkerEnv []string
	// Secrets are the credentials the worker holds: none may appear in a
	// log or a history.
	Secrets []string
}

// ServeVendors serves the emulator of every vendor in the registry that
// has one, for the test's duration.
func ServeVendors(t testing.TB, opts ServedOptions) *ServedVendors {
	t.Helper()
	v := &ServedVendors{served: map[string]simkit.Served{}}
	dir := t.TempDir()
	for _, vendor := range workflows.Default().Vendors() {
		if vendor.Emulator == nil {
			continue
		}
		e := vendor.Emulator()
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		scheme := "http"
		if e.TLS {
			scheme = "https"
		}
		served, err := e.Serve(simkit.EmulatorSetup{
			Dir: filepath.Join(dir, e.Name), Endpoint: scheme + "://" + ln.Addr().String(),
			Timing: opts.Timing, Options: opts.Options[e.Name],
		})
		if err != nil {
			ln.Close()
			t.Fatalf("serve the %s emulator: %v", e.Name, err)
		}
		h := served.Handler
		if opts.Wrap != nil {
			h = opts.Wrap(e.Name, h)
		}
		serve(t, h, ln, served)
		v.vendors = append(v.vendors, e.Name)
		v.served[e.Name] = served
		v.WorkerEnv = append(v.WorkerEnv, served.WorkerEnv...)
		v.Secrets = append(v.Secrets, served.Secrets...)
	}
	for name := range opts.Options {
		if _, ok := v.served[name]; !ok {
			t.Fatalf("ServedOptions.Options names %q, which is no vendor with an emulator in the registry (%v)", name, v.vendors)
		}
	}
	return v
}

// Served is the vendor's emulator as served (its handler unwrapped).
func (v *ServedVendors) Served(vendor string) (simkit.Served, bool) {
	s, ok := v.served[vendor]
	return s, ok
}

// serve serves h on ln (over TLS, when served has TLS) for the test's
// duration. Its error log is silenced: a worker killed mid-request or
// mid-handshake is what these servers are for, and net/http would report
// each one.
func serve(t testing.TB, h http.Handler, ln net.Listener, served simkit.Served) {
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if served.TLS != nil {
		srv.TLS = served.TLS
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
}
