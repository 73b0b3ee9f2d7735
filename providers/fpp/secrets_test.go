package fpp_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp"
)

// TestError_NeverQuotesTheBasicCredentials: an error page that echoes the
// request's Authorization header must not carry the credentials into the
// error, and so into workflow history.
func TestError_NeverQuotesTheBasicCredentials(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"title":"denied for ` + r.Header.Get("Authorization") + `","status":403}`))
	}))
	defer srv.Close()
	client, err := fpp.New(fpp.Config{Endpoint: srv.URL, Username: "restuser", Password: fppFuzzPassword,
		HTTPClient: tlsClient(srv)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.ImportImage(context.Background(), fpp.ImportImageInput{ImageName: "DB1", Path: "/u01/db"})
	if err == nil || !strings.Contains(err.Error(), "denied for") {
		t.Fatalf("error %v, want the server's title", err)
	}
	fppNoSecret(t, err)
}

// tlsClient trusts srv's certificate: FPP is reached over HTTPS only.
func tlsClient(srv *httptest.Server) *http.Client {
	c := srv.Client()
	c.Timeout = 5 * time.Second
	return c
}
