package fpp_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/vendorerr"
)

func TestNew_RejectsConfigNamingTheWrongField(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := fpp.Config{Endpoint: "https://rhp.example.com:8894", Username: "u", Password: "p"}
	tests := []struct {
		name  string
		edit  func(*fpp.Config)
		field string
	}{
		{"no endpoint", func(c *fpp.Config) { c.Endpoint = "" }, "Endpoint"},
		{"endpoint without scheme", func(c *fpp.Config) { c.Endpoint = "rhp.example.com:8894" }, "Endpoint"},
		{"endpoint with other scheme", func(c *fpp.Config) { c.Endpoint = "ftp://rhp.example.com" }, "Endpoint"},
		{"endpoint over plain http", func(c *fpp.Config) { c.Endpoint = "http://rhp.example.com:8894" }, "Endpoint"},
		{"no username", func(c *fpp.Config) { c.Username = "" }, "Username"},
		{"no password", func(c *fpp.Config) { c.Password = "" }, "Password"},
		{"missing CA file", func(c *fpp.Config) { c.CAFile = filepath.Join(dir, "absent.pem") }, "CAFile"},
		{"CA file without PEM", func(c *fpp.Config) { c.CAFile = notPEM }, "CAFile"},
		{"CA file and HTTP client", func(c *fpp.Config) { c.CAFile = notPEM; c.HTTPClient = http.DefaultClient }, "CAFile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := ok
			tt.edit(&cfg)
			_, err := fpp.New(cfg)
			if err == nil {
				t.Fatal("New accepted the config")
			}
			var ce *fpp.ConfigError
			if !errors.As(err, &ce) || ce.Field != tt.field || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("error %q does not name %s as a *ConfigError", err, tt.field)
			}
		})
	}
	if _, err := fpp.New(ok); err != nil {
		t.Fatalf("valid config refused: %v", err)
	}
}

func TestNew_ReportsEveryProblemAtOnce(t *testing.T) {
	_, err := fpp.New(fpp.Config{Endpoint: "http://rhp.example.com:8894"})
	if err == nil {
		t.Fatal("New accepted an http endpoint without credentials")
	}
	var fields []string
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ce *fpp.ConfigError
		if errors.As(e, &ce) {
			fields = append(fields, ce.Field)
		}
	}
	if got := strings.Join(fields, ","); got != "Endpoint,Username,Password" {
		t.Fatalf("fields at fault %q, want Endpoint,Username,Password (err %v)", got, err)
	}
	if !strings.Contains(err.Error(), "HTTPS only") {
		t.Errorf("error %q does not say FPP wants HTTPS", err)
	}
}

func TestGetImage_WrongPasswordIsUnauthorizedError(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	c := e.newClient(t, testUser, "wrong")

	_, _, err := c.GetImage(context.Background(), "DB_19_IMG")

	var apiErr *vendorerr.Error
	if !errors.As(err, &apiErr) {
		t.Fatalf("err = %v (%T), want *vendorerr.Error", err, err)
	}
	if apiErr.StatusCode != http.StatusUnauthorized || apiErr.Operation != fpp.OpGetImage {
		t.Fatalf("got %s %d, want GetImage 401", apiErr.Operation, apiErr.StatusCode)
	}
	if apiErr.Code != fppsim.CodeUnauthorized || apiErr.Message == "" {
		t.Fatalf("error body not read: code %q message %q", apiErr.Code, apiErr.Message)
	}
}

func TestClient_WithoutTheServersCAFailsTLSNotAsVendorError(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	c, err := fpp.New(fpp.Config{Endpoint: e.srv.URL, Username: testUser, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}

	_, err = c.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "DB1", Path: "/u01/db"})

	var apiErr *vendorerr.Error
	if errors.As(err, &apiErr) {
		t.Fatalf("TLS failure came back as vendor error %v", apiErr)
	}
	var unknownCA x509.UnknownAuthorityError
	var verifyErr *tls.CertificateVerificationError
	if !errors.As(err, &unknownCA) && !errors.As(err, &verifyErr) {
		t.Fatalf("err = %v, want a certificate verification failure", err)
	}
	if got := e.sim.Calls(fppsim.OpImportImage); got != 0 {
		t.Fatalf("request reached the server %d times through an untrusted TLS connection", got)
	}
}

func TestClient_ServerFaultsBecomeVendorErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      simkit.Fault
		wantStatus int
		wantRetry  time.Duration
	}{
		{"throttled with Retry-After", simkit.Fault{Status: 429, RetryAfter: 7 * time.Second}, 429, 7 * time.Second},
		{"unavailable", simkit.Fault{Status: 503, Message: "The REST web application is not running."}, 503, 0},
		{"internal error", simkit.Fault{Status: 500}, 500, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, fppsim.Options{})
			e.sim.Faults().Inject(fppsim.OpImportImage, tt.fault, 1)

			_, err := e.client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "DB1", Path: "/u01/db"})

			var apiErr *vendorerr.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("err = %v, want *vendorerr.Error", err)
			}
			if apiErr.StatusCode != tt.wantStatus || apiErr.RetryAfter != tt.wantRetry || apiErr.Operation != fpp.OpImportImage {
				t.Fatalf("got %s %d retry %v, want ImportImage %d retry %v",
					apiErr.Operation, apiErr.StatusCode, apiErr.RetryAfter, tt.wantStatus, tt.wantRetry)
			}
			if tt.fault.Message != "" && apiErr.Message != tt.fault.Message {
				t.Fatalf("message %q, want %q", apiErr.Message, tt.fault.Message)
			}
			if n := e.sim.JobCount(); n != 0 {
				t.Fatalf("a refused import created %d jobs", n)
			}
		})
	}
}

func TestClient_CancelledContextIsTransportErrorNotVendorError(t *testing.T) {
	e := newEnv(t, fppsim.Options{})
	e.sim.Faults().Inject(fppsim.OpGetJob, simkit.Fault{Delay: time.Minute}, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()

	_, err := e.client.GetJob(ctx, "1")

	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
	var apiErr *vendorerr.Error
	if errors.As(err, &apiErr) {
		t.Fatalf("timeout came back as vendor error %v", apiErr)
	}
}
