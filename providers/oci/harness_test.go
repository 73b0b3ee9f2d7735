package oci_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

// One key pair serves the whole package: RSA generation is the slow part.
var (
	credsOnce sync.Once
	creds     *ocisim.Credentials
	credsErr  error
)

func testCredentials(t testing.TB) *ocisim.Credentials {
	t.Helper()
	credsOnce.Do(func() { creds, credsErr = ocisim.GenerateCredentials() })
	if credsErr != nil {
		t.Fatalf("generate credentials: %v", credsErr)
	}
	cp := *creds
	return &cp
}

// env is an emulator behind httptest and a client configured for it the
// way a user would: generated credentials, written config, LoadConfigFile.
type env struct {
	sim    *ocisim.Server
	srv    *httptest.Server
	clock  *simkit.ManualClock
	creds  *ocisim.Credentials
	cfg    oci.Config
	client *oci.Client
	// holds wraps the emulator, so a test can lose an answer.
	holds *simkit.Holds
}

type envOption func(*ocisim.Options)

func withPageSize(n int) envOption { return func(o *ocisim.Options) { o.PageSize = n } }

func newEnv(t *testing.T, opts ...envOption) *env {
	t.Helper()
	e := &env{clock: simkit.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), creds: testCredentials(t), holds: &simkit.Holds{}}
	o := ocisim.Options{Clock: e.clock.Now}
	for _, opt := range opts {
		opt(&o)
	}
	e.sim = ocisim.New(o)
	e.creds.TenancyID = e.sim.TenancyID()
	e.sim.RegisterCredentials(e.creds)
	e.srv = httptest.NewServer(e.holds.Wrap(e.sim))
	t.Cleanup(e.srv.Close)

	path, err := e.creds.WriteFiles(t.TempDir(), e.srv.URL)
	if err != nil {
		t.Fatalf("write credentials: %v", err)
	}
	e.cfg, err = oci.LoadConfigFile(path, "")
	if err != nil {
		t.Fatalf("load config: %v", err)
	}
	e.client = e.newClient(t, nil)
	return e
}

// newClient builds another client on e's config, sending through rt when
// it is not nil.
func (e *env) newClient(t *testing.T, rt http.RoundTripper) *oci.Client {
	t.Helper()
	cfg := e.cfg
	if rt != nil {
		cfg.HTTPClient = &http.Client{Transport: rt, Timeout: 10 * time.Second}
	}
	c, err := oci.New(cfg)
	if err != nil {
		t.Fatalf("new client: %v", err)
	}
	return c
}

// addImage seeds an image in the tenancy and returns its id.
func (e *env) addImage(t *testing.T) string {
	t.Helper()
	id := ocisim.NewOCID("image", "iad")
	e.sim.AddImage(ocisim.Image{ID: id, CompartmentID: e.sim.TenancyID(), DisplayName: "gold-ol8"})
	return id
}

// asError asserts err is a vendor answer and returns it.
func asError(t *testing.T, err error) *vendorerr.Error {
	t.Helper()
	var oe *vendorerr.Error
	if !errors.As(err, &oe) {
		t.Fatalf("error %v (%T) is not *vendorerr.Error", err, err)
	}
	return oe
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
