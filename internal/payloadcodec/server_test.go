package payloadcodec

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

const uiOrigin = "http://localhost:8233"

func serve(t *testing.T) (*httptest.Server, *Codec) {
	t.Helper()
	c := codec(t, "", key(t, "k1", 1))
	srv := httptest.NewServer(NewHandler(c, HandlerOptions{AllowedOrigins: []string{uiOrigin}}))
	t.Cleanup(srv.Close)
	return srv, c
}

func do(t *testing.T, method, url string, body []byte, header map[string]string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// The preflight a browser sends before the web UI's POST: the UI's
// origin, and the headers it will send.
func TestHandler_PreflightFromTheUIAllowsItsHeadersAndCredentials(t *testing.T) {
	srv, _ := serve(t)
	resp, _ := do(t, http.MethodOptions, srv.URL+"/decode", nil, map[string]string{
		"Origin":                         uiOrigin,
		"Access-Control-Request-Method":  "POST",
		"Access-Control-Request-Headers": "content-type,x-namespace,authorization",
	})
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
	resp, body := do(t, http.MethodOptions, srv.URL+"/decode", nil, map[string]string{
		"Origin": "https://evil.example", "Access-Control-Request-Method": "POST",
	})
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
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{encode(t, c, "gold-ubuntu-22.04")}})
	if err != nil {
		t.Fatal(err)
	}
	for name, header := range map[string]map[string]string{
		"ui":  {"Origin": uiOrigin, "Content-Type": "application/json", "X-Namespace": "default"},
		"cli": {"Content-Type": "application/json"},
	} {
		resp, out := do(t, http.MethodPost, srv.URL+"/default/decode", body, header)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d: %s", name, resp.StatusCode, out)
		}
		var got commonpb.Payloads
		if err := protojson.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s: %v: %s", name, err, out)
		}
		if len(got.GetPayloads()) != 1 || string(got.GetPayloads()[0].GetData()) != `"gold-ubuntu-22.04"` {
			t.Errorf("%s: decoded %s", name, out)
		}
		if name == "ui" && resp.Header.Get("Access-Control-Allow-Origin") != uiOrigin {
			t.Errorf("ui: allow origin %q", resp.Header.Get("Access-Control-Allow-Origin"))
		}
	}
}
