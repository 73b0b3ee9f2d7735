package oci_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

func TestEmulator_UnsignedRequestIsNotAuthenticated(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	resp, err := http.Get(e.srv.URL + "/20160918/images/" + id)
	if err != nil {
		t.Fatalf("get: %v", err)
	}
	defer resp.Body.Close()
	var body struct{ Code, Message string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode error body: %v", err)
	}
	if resp.StatusCode != http.StatusUnauthorized || body.Code != oci.CodeNotAuthenticated || body.Message == "" {
		t.Fatalf("unsigned request answered %d %+v, want 401 NotAuthenticated", resp.StatusCode, body)
	}
	if resp.Header.Get("opc-request-id") == "" {
		t.Fatal("401 answer has no opc-request-id")
	}
}

// tamper changes a request after the SDK signed it, as a man in the middle would.
func tamper(change func(r *http.Request)) http.RoundTripper {
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		r = r.Clone(r.Context())
		change(r)
		return http.DefaultTransport.RoundTrip(r)
	})
}

func TestClient_TamperedRequestIsNotAuthenticated(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	target := e.activeCompartment(t, "promoted")
	decoy := e.activeCompartment(t, "decoy") // same length as target, so only the hash betrays it

	tests := []struct {
		name   string
		change func(r *http.Request)
	}{
		{"body", func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b = bytes.ReplaceAll(b, []byte(target), []byte(decoy))
			r.Body = io.NopCloser(bytes.NewReader(b))
		}},
		{"path", func(r *http.Request) {
			other := ocisim.NewOCID("image", "iad")
			r.URL.Path = strings.Replace(r.URL.Path, id, other, 1)
			r.URL.RawPath = ""
		}},
		{"date", func(r *http.Request) {
			r.Header.Set("Date", time.Now().Add(time.Minute).UTC().Format(http.TimeFormat))
		}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := e.newClient(t, tamper(tt.change))
			_, err := c.ChangeImageCompartment(context.Background(), oci.ChangeImageCompartmentInput{
				ImageID: id, CompartmentID: target, RetryToken: "tamper-" + string(rune('a'+i)),
			})
			oe := asError(t, err)
			if oe.StatusCode != http.StatusUnauthorized || oe.Code != oci.CodeNotAuthenticated {
				t.Fatalf("tampered %s answered %d %s, want 401 NotAuthenticated", tt.name, oe.StatusCode, oe.Code)
			}
		})
	}
	if got, _ := e.sim.Image(id); got.Moves != 0 {
		t.Fatalf("a tampered request moved the image to %s", got.CompartmentID)
	}
}

func TestClient_UnregisteredKeyIsNotAuthenticated(t *testing.T) {
	e := newEnv(t)
	cfg := e.cfg
	cfg.UserID = ocisim.NewOCID("user", "") // keyId no longer matches the registered one
	c, err := oci.New(cfg)
	if err != nil {
		t.Fatalf("new: %v", err)
	}
	_, err = c.GetImage(context.Background(), e.addImage(t))
	if oe := asError(t, err); oe.StatusCode != http.StatusUnauthorized || oe.Code != oci.CodeNotAuthenticated {
		t.Fatalf("answer %d %s, want 401 NotAuthenticated", oe.StatusCode, oe.Code)
	}
}

func TestEmulator_DateSkewOverFiveMinutesIsNotAuthenticated(t *testing.T) {
	e := newEnv(t)
	id := e.addImage(t)
	pemBytes, err := os.ReadFile(e.cfg.KeyFile)
	if err != nil {
		t.Fatal(err)
	}
	signer := common.DefaultRequestSigner(common.NewRawConfigurationProvider(
		e.cfg.TenancyID, e.cfg.UserID, e.cfg.Region, e.cfg.Fingerprint, string(pemBytes), nil))

	for _, tt := range []struct {
		skew time.Duration
		want int
	}{
		{-4 * time.Minute, http.StatusOK},
		{-6 * time.Minute, http.StatusUnauthorized},
		{6 * time.Minute, http.StatusUnauthorized},
	} {
		req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/20160918/images/"+id, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Date", time.Now().Add(tt.skew).UTC().Format(http.TimeFormat))
		if err := signer.Sign(req); err != nil {
			t.Fatalf("sign: %v", err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("send: %v", err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Fatalf("date skewed %s answered %d, want %d", tt.skew, resp.StatusCode, tt.want)
		}
	}
}

func TestClient_SignsWithPKCS1Key(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "pkcs1.pem")
	der := x509.MarshalPKCS1PrivateKey(e.creds.PrivateKey)
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := e.cfg
	cfg.KeyFile = keyPath
	c, err := oci.New(cfg)
	if err != nil {
		t.Fatalf("new with PKCS#1 key: %v", err)
	}
	if _, err := c.GetImage(context.Background(), e.addImage(t)); err != nil {
		t.Fatalf("get image signed with PKCS#1 key: %v", err)
	}
}

func TestEmulator_EchoesCallersRequestID(t *testing.T) {
	e := newEnv(t)
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/20160918/images/x", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("opc-request-id", "caller-chosen-id")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("opc-request-id"); got != "caller-chosen-id" {
		t.Fatalf("opc-request-id = %q, want the caller's", got)
	}
}
