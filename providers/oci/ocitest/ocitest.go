// Package ocitest serves the OCI emulator (ocisim) for the duration of a
// test, with a client signing with fresh credentials loaded from an OCI
// config file as a worker loads them, the way net/http/httptest serves a
// handler. Sim finds the emulator among those a test environment serves.
package ocitest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// OCI is the OCI emulator behind an HTTP server, and a client of it.
type OCI struct {
	Sim        *ocisim.Server
	Client     *oci.Client
	ConfigFile string // the OCI config file the client was loaded from
	Creds      *ocisim.Credentials
	URL        string
}

// New serves an OCI emulator with opts for the test's duration. The client
// signs with freshly generated credentials for opts.TenancyID, loaded from
// an OCI config file as the worker loads it; wrap, when not nil, wraps its
// transport.
func New(t testing.TB, opts ocisim.Options, wrap simkit.Wrap) *OCI {
	t.Helper()
	sim := ocisim.New(opts)
	creds, err := ocisim.GenerateCredentials()
	if err != nil {
		t.Fatal(err)
	}
	if opts.TenancyID != "" {
		creds.TenancyID = opts.TenancyID
	}
	sim.RegisterCredentials(creds)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	path, err := creds.WriteFiles(t.TempDir(), srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := oci.LoadConfigFile(path, oci.DefaultProfile)
	if err != nil {
		t.Fatal(err)
	}
	if wrap != nil {
		cfg.HTTPClient = wrap.Client(http.DefaultTransport)
	}
	client, err := oci.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &OCI{Sim: sim, Client: client, ConfigFile: path, Creds: creds, URL: srv.URL}
}

// KeyPEM is the private key the client signs with, as its key file holds it.
func (o *OCI) KeyPEM(t testing.TB) string {
	t.Helper()
	b, err := o.Creds.KeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Sim is the OCI emulator among the emulators set serves.
func Sim(set simkit.ServedSet) *ocisim.Server {
	return simkit.SimOf[*ocisim.Server](set, ocisim.Emulated())
}
