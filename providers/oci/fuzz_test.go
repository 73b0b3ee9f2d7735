package oci_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/oci"
	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
)

// FuzzOCIClientResponse answers the client's calls with an arbitrary
// status, body, etag, opc-next-page and Retry-After; "$AUTH" and "$PATH" in
// the body are replaced by the request's Authorization header and path. It
// holds the client (and the SDK under it) to its contract: no panic; either
// an error or a result the contract allows; and nothing of the private key
// in any error text.
func FuzzOCIClientResponse(f *testing.F) {
	creds := testCredentials(f)
	der, err := x509.MarshalPKCS8PrivateKey(creds.PrivateKey)
	if err != nil {
		f.Fatal(err)
	}
	// A run of the key's base64 body: any quote of the key would contain it.
	keyText := base64.StdEncoding.EncodeToString(der)[64:96]
	// One server and one client serve every input: building a client
	// parses the key, which would dominate each run.
	var (
		mu    sync.Mutex
		reply fuzzReply
		pages int
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		rep := reply
		pages++
		first := pages == 1
		mu.Unlock()
		out := strings.ReplaceAll(string(rep.body), "$AUTH", r.Header.Get("Authorization"))
		out = strings.ReplaceAll(out, "$PATH", r.URL.Path)
		w.Header().Set("opc-request-id", "fuzz-request")
		for k, v := range map[string]string{"etag": rep.etag, "Retry-After": rep.retryAfter} {
			if v != "" && !strings.ContainsAny(v, "\r\n") {
				w.Header().Set(k, v)
			}
		}
		// One next page at most, so a listing ends.
		if rep.nextPage != "" && !strings.ContainsAny(rep.nextPage, "\r\n") && first {
			w.Header().Set("opc-next-page", rep.nextPage)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rep.code)
		_, _ = w.Write([]byte(out))
	}))
	f.Cleanup(srv.Close)
	cfg := fuzzConfig(f, creds, srv.URL)
	client, err := oci.New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, op uint8, status uint16, body []byte, etag, nextPage, retryAfter string) {
		op %= 5
		mu.Lock()
		reply = fuzzReply{code: 200 + int(status)%400, body: body, etag: etag, nextPage: nextPage, retryAfter: retryAfter}
		pages = 0
		mu.Unlock()
		ctx := context.Background()
		var callErr error
		switch op {
		case 0:
			c, err := client.CreateCompartment(ctx, oci.CreateCompartmentInput{ParentID: cfg.TenancyID, Name: "gold-images", Description: "d", RetryToken: "tok"})
			if err == nil && c.ID == "" {
				t.Fatalf("CreateCompartment returned a compartment without id: %+v", c)
			}
			callErr = err
		case 1:
			c, err := client.GetCompartment(ctx, "ocid1.compartment.oc1..aaaa")
			if err == nil && c.ID == "" {
				t.Fatalf("GetCompartment returned a compartment without id: %+v", c)
			}
			callErr = err
		case 2:
			c, found, err := client.FindCompartment(ctx, cfg.TenancyID, "gold-images")
			if err == nil && found && (c.ID == "" || c.Name != "gold-images") {
				t.Fatalf("FindCompartment found %+v", c)
			}
			callErr = err
		case 3:
			img, err := client.GetImage(ctx, "ocid1.image.oc1.iad.aaaa")
			if err == nil && img.ID == "" {
				t.Fatalf("GetImage returned an image without id: %+v", img)
			}
			callErr = err
		default:
			_, callErr = client.ChangeImageCompartment(ctx, oci.ChangeImageCompartmentInput{ImageID: "ocid1.image.oc1.iad.aaaa", CompartmentID: "c", RetryToken: "tok"})
		}
		if callErr != nil && strings.Contains(callErr.Error(), keyText) {
			t.Fatalf("error quotes the private key: %v", callErr)
		}
	})
}

// fuzzReply is the answer the fuzz server gives to every request.
type fuzzReply struct {
	code                       int
	body                       []byte
	etag, nextPage, retryAfter string
}

// fuzzConfig writes creds' key and config file and loads them the way a
// user's worker would, pointed at endpoint.
func fuzzConfig(t testing.TB, creds *ocisim.Credentials, endpoint string) oci.Config {
	t.Helper()
	path, err := creds.WriteFiles(t.TempDir(), endpoint)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := oci.LoadConfigFile(path, "")
	if err != nil {
		t.Fatal(err)
	}
	cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	return cfg
}
