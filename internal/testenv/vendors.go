package testenv

import (
	"crypto/tls"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/zstack"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// FPP is the FPP emulator behind an HTTPS server with its own CA, and a
// client that trusts that CA.
type FPP struct {
	Sim    *fppsim.Server
	Client *fpp.Client
	URL    string
	CAFile string
}

// Wrap wraps a client's transport, e.g. to lose an answer after the
// vendor acted on the request. Nil leaves the transport as it is.
type Wrap func(http.RoundTripper) http.RoundTripper

func (w Wrap) client(base http.RoundTripper) *http.Client {
	if w == nil {
		return &http.Client{Transport: base, Timeout: 30 * time.Second}
	}
	return &http.Client{Transport: w(base), Timeout: 30 * time.Second}
}

// NewFPP serves an FPP emulator over HTTPS for the test's duration.
func NewFPP(t testing.TB, opts fppsim.Options, wrap Wrap) *FPP {
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
		cfg.HTTPClient = wrap.client(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.CertPool(), MinVersion: tls.VersionTLS12}})
	}
	client, err := fpp.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &FPP{Sim: sim, Client: client, URL: srv.URL, CAFile: caFile}
}

// Huawei is the IMS emulator and a client signing with its default AK/SK.
type Huawei struct {
	Sim    *imssim.Server
	Client *huaweiims.Client
	URL    string
}

// NewHuawei serves an IMS emulator for the test's duration.
func NewHuawei(t testing.TB, opts imssim.Options, wrap Wrap) *Huawei {
	t.Helper()
	sim := imssim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := huaweiims.New(huaweiims.Config{
		Endpoint: srv.URL, ProjectID: sim.ProjectID(),
		AccessKey: imssim.DefaultAccessKey, SecretKey: imssim.DefaultSecretKey,
		HTTPClient: wrap.client(http.DefaultTransport),
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Huawei{Sim: sim, Client: client, URL: srv.URL}
}

// ZStack is the ZStack emulator and a client logged in as its admin.
type ZStack struct {
	Sim    *zstacksim.Server
	Client *zstack.Client
	URL    string
}

// NewZStack serves a ZStack emulator for the test's duration.
func NewZStack(t testing.TB, opts zstacksim.Options, wrap Wrap) *ZStack {
	t.Helper()
	sim := zstacksim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	account, password := zstacksim.DemoAccount, zstacksim.DemoPassword
	for name, pw := range opts.Accounts { // the one account the test gave, if any
		account, password = name, pw
	}
	client, err := zstack.New(zstack.Config{Endpoint: srv.URL, AccountName: account, Password: password, HTTPClient: wrap.client(http.DefaultTransport)})
	if err != nil {
		t.Fatal(err)
	}
	return &ZStack{Sim: sim, Client: client, URL: srv.URL}
}
