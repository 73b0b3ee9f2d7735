// Package fpptest serves the FPP emulator (fppsim) for the duration of a
// test, over HTTPS with its own CA, with a client configured as a worker
// configures one, the way net/http/httptest serves a handler. Sim finds
// the emulator among those a test environment serves.
package fpptest

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// FPP is the FPP emulator behind an HTTPS server with its own CA, and a
// client that trusts that CA.
type FPP struct {
	Sim    *fppsim.Server
	Client *fpp.Client
	URL    string
	CAFile string
}

// New serves an FPP emulator with opts for the test's duration; wrap, when
// not nil, wraps the client's transport.
func New(t testing.TB, opts fppsim.Options, wrap simkit.Wrap) *FPP {
	t.Helper()
	ca, err := fppsim.GenerateCA()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "fpp-ca.pem")
	if err := ca.WriteCertFile(caFile); err != nil {
		t.Fatal(err)
	}
	sim := fppsim.New(opts)
	srv := httptest.NewUnstartedServer(sim)
	srv.TLS = ca.ServerTLSConfig()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	user, password := opts.Username, opts.Password
	if user == "" {
		user, password = fppsim.DefaultUsername, fppsim.DefaultPassword
	}
	cfg := fpp.Config{Endpoint: srv.URL, Username: user, Password: password, CAFile: caFile}
	if wrap != nil {
		cfg.CAFile = ""
		cfg.HTTPClient = wrap.Client(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.CertPool(), MinVersion: tls.VersionTLS12}})
	}
	client, err := fpp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &FPP{Sim: sim, Client: client, URL: srv.URL, CAFile: caFile}
}

// Sim is the FPP emulator among the emulators set serves.
func Sim(set simkit.ServedSet) *fppsim.Server {
	return simkit.SimOf[*fppsim.Server](set, fppsim.Emulated())
}
