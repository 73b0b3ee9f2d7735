package testenv

import (
	"crypto/tls"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/huaweiims/imssim"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// Vendor names, as ServedOptions.Wrap receives them.
const (
	VendorOCI    = "oci"
	VendorFPP    = "fpp"
	VendorHuawei = "huawei"
	VendorZStack = "zstack"
)

// ServedOptions configure the emulators ServeVendors serves.
type ServedOptions struct {
	OCI    ocisim.Options
	FPP    fppsim.Options
	Huawei imssim.Options
	// ZStack's one account (the first of Accounts) is the worker's.
	ZStack zstacksim.Options
	// Wrap wraps each vendor's handler (named by the Vendor* constants), to
	// record or hold its calls; nil serves the emulators as they are.
	Wrap func(vendor string, h http.Handler) http.Handler
}

// ServedVendors are the four vendor emulators on local servers, served in
// the test's process so it can watch and hold their answers, and the
// settings a worker process needs to reach them (WorkerEnv: the lines the
// emulator binary writes to worker.env).
type ServedVendors struct {
	OCI       *ocisim.Server
	OCICreds  *ocisim.Credentials
	OCIConfig string // the OCI config file the worker signs with
	FPP       *fppsim.Server
	Huawei    *imssim.Server
	ZStack    *zstacksim.Server
	WorkerEnv []string
	// Secrets are the credentials the worker holds: none may appear in a
	// log or a history.
	Secrets []string
}

// ServeVendors serves the four emulators for the test's duration.
func ServeVendors(t testing.TB, opts ServedOptions) *ServedVendors {
	t.Helper()
	wrap := func(vendor string, h http.Handler) http.Handler {
		if opts.Wrap == nil {
			return h
		}
		return opts.Wrap(vendor, h)
	}
	dir := t.TempDir()
	v := &ServedVendors{}

	v.OCI = ocisim.New(opts.OCI)
	creds, err := ocisim.GenerateCredentials()
	if err != nil {
		t.Fatal(err)
	}
	creds.TenancyID = v.OCI.TenancyID()
	v.OCI.RegisterCredentials(creds)
	ociSrv := serve(t, wrap(VendorOCI, v.OCI), nil)
	if v.OCIConfig, err = creds.WriteFiles(filepath.Join(dir, "oci"), ociSrv.URL); err != nil {
		t.Fatal(err)
	}
	v.OCICreds = creds

	ca, err := fppsim.GenerateCA()
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(dir, "fpp-ca.pem")
	if err := ca.WriteCertFile(caFile); err != nil {
		t.Fatal(err)
	}
	v.FPP = fppsim.New(opts.FPP)
	fppSrv := serve(t, wrap(VendorFPP, v.FPP), ca.ServerTLSConfig())
	fppUser, fppPassword := opts.FPP.Username, opts.FPP.Password
	if fppUser == "" && fppPassword == "" {
		fppUser, fppPassword = fppsim.DefaultUsername, fppsim.DefaultPassword
	}

	v.Huawei = imssim.New(opts.Huawei)
	imsSrv := serve(t, wrap(VendorHuawei, v.Huawei), nil)
	ak, sk := imssim.DefaultAccessKey, imssim.DefaultSecretKey
	for k, s := range opts.Huawei.Credentials {
		ak, sk = k, s
		break
	}

	v.ZStack = zstacksim.New(opts.ZStack)
	zsSrv := serve(t, wrap(VendorZStack, v.ZStack), nil)
	account, password := "admin", "password" // ZStack's initial account, the emulator's default
	for name, pw := range opts.ZStack.Accounts {
		account, password = name, pw
		break
	}

	v.WorkerEnv = []string{
		"IMAGEPIPE_OCI_CONFIG_FILE=" + v.OCIConfig,
		"IMAGEPIPE_FPP_ENDPOINT=" + fppSrv.URL,
		"IMAGEPIPE_FPP_USERNAME=" + fppUser,
		"IMAGEPIPE_FPP_PASSWORD=" + fppPassword,
		"IMAGEPIPE_FPP_CA_FILE=" + caFile,
		"IMAGEPIPE_HUAWEI_ENDPOINT=" + imsSrv.URL,
		"IMAGEPIPE_HUAWEI_PROJECT_ID=" + v.Huawei.ProjectID(),
		"IMAGEPIPE_HUAWEI_ACCESS_KEY=" + ak,
		"IMAGEPIPE_HUAWEI_SECRET_KEY=" + sk,
		"IMAGEPIPE_ZSTACK_ENDPOINT=" + zsSrv.URL,
		"IMAGEPIPE_ZSTACK_ACCOUNT=" + account,
		"IMAGEPIPE_ZSTACK_PASSWORD=" + password,
	}
	v.Secrets = append(keyMaterial(t, v.OCIConfig), fppPassword, sk, password, zstacksim.PasswordHash(password))
	return v
}

// serve serves h (over TLS with cfg, when given) for the test's duration.
// Its error log is silenced: a worker killed mid-request or mid-handshake
// is what these servers are for, and net/http would report each one.
func serve(t testing.TB, h http.Handler, cfg *tls.Config) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	if cfg != nil {
		srv.TLS = cfg
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return srv
}

// keyMaterial is what of the OCI private key would show in a leak: its
// PEM lines, and the PEM's base64 as a payload would carry it.
func keyMaterial(t testing.TB, configFile string) []string {
	t.Helper()
	pem := ReadFile(t, configFile, "key_file")
	out := []string{"PRIVATE KEY", base64.StdEncoding.EncodeToString([]byte(pem))[:60]}
	for _, line := range strings.Split(pem, "\n") {
		if len(line) >= 40 && line[0] != '-' {
			out = append(out, line)
		}
	}
	if len(out) == 2 {
		t.Fatal("found no key material to look for")
	}
	return out
}
