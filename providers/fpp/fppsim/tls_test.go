package fppsim_test

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
)

func TestGenerateCA_ServerCertificateVerifiesForLoopbackAndExtraHosts(t *testing.T) {
	ca, err := fppsim.GenerateCA("emulator", "10.0.0.7")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := ca.WriteCertFile(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		t.Fatalf("CA file %q is not PEM", data)
	}
	cfg := ca.ServerTLSConfig()
	if len(cfg.Certificates) != 1 {
		t.Fatalf("server config has %d certificates", len(cfg.Certificates))
	}
	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "::1", "localhost", "emulator", "10.0.0.7"} {
		if _, err := leaf.Verify(x509.VerifyOptions{DNSName: host, Roots: pool}); err != nil {
			t.Errorf("certificate does not verify for %s: %v", host, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "example.com", Roots: pool}); err == nil {
		t.Error("certificate verifies for a host it was not made for")
	}

	other, err := fppsim.GenerateCA()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{DNSName: "localhost", Roots: other.CertPool()}); err == nil {
		t.Error("certificate verifies against another CA")
	}
	if block, _ := pem.Decode(ca.CertPEM()); block == nil || block.Type != "CERTIFICATE" {
		t.Error("CertPEM is not a PEM certificate")
	}
}
