// Package testenv gives tests the pieces they share: vendor emulators served
// over HTTP with clients configured exactly as a worker configures them, and
// a Temporal dev server for integration tests.
package testenv

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// OCI is the OCI emulator behind an HTTP server, and a client of it.
type OCI struct {
	Sim        *ocisim.Server
	Client     *oci.Client
	ConfigFile string // the OCI config file the client was loaded from
	Creds      *ocisim.Credentials
	URL        string
}

// NewOCI serves an OCI emulator with opts for the test's duration. The
// client signs with freshly generated credentials for opts.TenancyID,
// loaded from an OCI config file as the worker loads it.
func NewOCI(t testing.TB, opts ocisim.Options, wrap Wrap) *OCI {
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
		cfg.HTTPClient = wrap.client(http.DefaultTransport)
	}
	client, err := oci.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &OCI{Sim: sim, Client: client, ConfigFile: path, Creds: creds, URL: srv.URL}
}

// ReadFile returns the file named by key in the [DEFAULT] profile of the OCI
// config file at configPath (e.g. "key_file"), read whole.
func ReadFile(t testing.TB, configPath, key string) string {
	t.Helper()
	cfg, err := os.ReadFile(configPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(cfg), "\n") {
		k, v, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(k) == key {
			b, err := os.ReadFile(strings.TrimSpace(v))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("%s has no %s", configPath, key)
	return ""
}
