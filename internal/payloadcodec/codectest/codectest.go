// Package codectest calls a codec endpoint the way the Temporal web UI and
// CLI do, so the handler's own tests and the integration test of
// `starter codec-server` send the same requests and read the answers the
// same way.
package codectest

import (
	"bytes"
	"io"
	"net/http"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// Send sends body to url with header and returns the response with its
// body read.
func Send(t testing.TB, method, url string, body []byte, header map[string]string) (*http.Response, string) {
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

// Preflight is the CORS preflight a browser sends from origin before the
// web UI's POST to url, announcing the request headers headers (none if
// empty).
func Preflight(t testing.TB, url, origin, headers string) (*http.Response, string) {
	t.Helper()
	h := map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST"}
	if headers != "" {
		h["Access-Control-Request-Headers"] = headers
	}
	return Send(t, http.MethodOptions, url, nil, h)
}

// Decode posts payloads to url (an endpoint's /decode) as JSON with header
// added, as the UI (with Origin and X-Namespace) or the CLI (without)
// does, and returns the response and the payloads it answers. An answer
// other than 200 with Payloads JSON fails the test, naming what.
func Decode(t testing.TB, url string, payloads []*commonpb.Payload, header map[string]string) (*http.Response, []*commonpb.Payload) {
	t.Helper()
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: payloads})
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{"Content-Type": "application/json"}
	for k, v := range header {
		h[k] = v
	}
	resp, out := Send(t, http.MethodPost, url, body, h)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("decode at %s: status %d: %s", url, resp.StatusCode, out)
	}
	var got commonpb.Payloads
	if err := protojson.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("decode at %s: answer %v: %s", url, err, out)
	}
	return resp, got.GetPayloads()
}
