package zstack_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/zstack"
)

// TestVendorError_NeverQuotesTheSession: a proxy's error page that echoes
// the request (Authorization: OAuth {session} included) must not carry the
// session into the error, and so into workflow history.
func TestVendorError_NeverQuotesTheSession(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/accounts/login") {
			_, _ = w.Write([]byte(`{"inventory":{"uuid":"` + fuzzSession + `"}}`))
			return
		}
		w.WriteHeader(http.StatusBadGateway)
		_, _ = w.Write([]byte("bad gateway for " + r.URL.Path + " Authorization: " + r.Header.Get("Authorization")))
	}))
	defer srv.Close()
	client, err := zstack.New(zstack.Config{Endpoint: srv.URL, AccountName: "admin", Password: fuzzPassword,
		HTTPClient: &http.Client{Timeout: 5 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.GetImage(context.Background(), fuzzImage)
	if err == nil || strings.Contains(err.Error(), fuzzSession) || !strings.Contains(err.Error(), "bad gateway") {
		t.Fatalf("error %v: want the proxy's text without the session", err)
	}
}
