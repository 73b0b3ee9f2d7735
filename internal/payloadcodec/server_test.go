package payloadcodec

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"

	"github.com/imagepipe/imagepipe/internal/payloadcodec/codectest"
)

const uiOrigin = "http://localhost:8233"

func serve(t *testing.T) (*httptest.Server, *Codec) {
	t.Helper()
	c := codec(t, "", key(t, "k1", 1))
	srv := httptest.NewServer(NewHandler(c, HandlerOptions{AllowedOrigins: []string{uiOrigin}}))
	t.Cleanup(srv.Close)
	return srv, c
}

// The preflight a browser sends before the web UI's POST: the UI's
// origin, and the headers it will send.
func TestHandler_PreflightFromTheUIAllowsItsHeadersAndCredentials(t *testing.T) {
	srv, _ := serve(t)
	resp, _ := codectest.Preflight(t, srv.URL+"/decode", uiOrigin, "content-type,x-namespace,authorization")
	if resp.StatusCode/100 != 2 {
		t.Fatalf("preflight status %d", resp.StatusCode)
	}
	h := resp.Header
	if h.Get("Access-Control-Allow-Origin") != uiOrigin || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("allow origin %q, credentials %q", h.Get("Access-Control-Allow-Origin"), h.Get("Access-Control-Allow-Credentials"))
	}
	allowed := strings.ToLower(h.Get("Access-Control-Allow-Headers"))
	for _, want := range []string{"content-type", "x-namespace", "authorization"} {
		if !strings.Contains(allowed, want) {
			t.Errorf("Access-Control-Allow-Headers %q lacks %s", allowed, want)
		}
	}
	if !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("Access-Control-Allow-Methods %q lacks POST", h.Get("Access-Control-Allow-Methods"))
	}
}

func TestHandler_OtherOriginIsRefusedWithoutCORSHeaders(t *testing.T) {
	srv, _ := serve(t)
	resp, body := codectest.Preflight(t, srv.URL+"/decode", "https://evil.example", "")
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("status %d, allow origin %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	if !strings.Contains(body, "https://evil.example") {
		t.Errorf("refusal does not name the origin: %s", body)
	}
}

// POST /decode as the UI sends it, under a namespace prefix as the UI's
// per-namespace endpoints allow, and as the CLI sends it (no Origin).
func TestHandler_DecodeAnswersPlaintextToTheUIAndTheCLI(t *testing.T) {
	srv, c := serve(t)
	sealed := []*commonpb.Payload{encode(t, c, "gold-ubuntu-22.04")}
	for name, header := range map[string]map[string]string{
		"ui":  {"Origin": uiOrigin, "X-Namespace": "default"},
		"cli": nil,
	} {
		resp, got := codectest.Decode(t, srv.URL+"/default/decode", sealed, header)
		if len(got) != 1 || string(got[0].GetData()) != `"gold-ubuntu-22.04"` {
			t.Errorf("%s: decoded %v", name, got)
		}
		if name == "ui" && resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin {
			t.Errorf("ui: allow origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}
