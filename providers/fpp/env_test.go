package fpp_test

import (
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

const (
	testUser     = "rest"
	testPassword = "s3cret!"
)

// env is an emulated FPP server over HTTPS and a client trusting its CA.
type env struct {
	sim    *fppsim.Server
	srv    *httptest.Server
	clock  *simkit.ManualClock
	caFile string
	client *fpp.Client
	// holds wraps the emulator, so a test can lose an answer.
	holds *simkit.Holds
}

func newEnv(t *testing.T, opts fppsim.Options) *env {
	t.Helper()
	ca, err := fppsim.GenerateCA()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "fpp-ca.pem")
	if err := ca.WriteCertFile(caFile); err != nil {
		t.Fatal(err)
	}
	clock := simkit.NewManualClock(time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC))
	opts.Clock = clock.Now
	opts.Username, opts.Password = testUser, testPassword
	sim := fppsim.New(opts)
	holds := &simkit.Holds{}
	srv := httptest.NewUnstartedServer(holds.Wrap(sim))
	srv.TLS = ca.ServerTLSConfig()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	e := &env{sim: sim, srv: srv, clock: clock, caFile: caFile, holds: holds}
	e.client = e.newClient(t, testUser, testPassword)
	return e
}

func (e *env) newClient(t *testing.T, user, password string) *fpp.Client {
	t.Helper()
	c, err := fpp.New(fpp.Config{Endpoint: e.srv.URL, Username: user, Password: password, CAFile: e.caFile})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}
