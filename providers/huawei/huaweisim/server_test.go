package huaweisim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/huawei/internal/aksk"
)

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// send makes a signed request, as a client would, unless edit says
// otherwise; edit runs after signing.
func send(t *testing.T, srv *httptest.Server, method, path, body string, signedAt time.Time, edit func(*http.Request)) answer {
	t.Helper()
	r, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-Project-Id", DefaultProjectID)
	aksk.Sign(r, []byte(body), DefaultAccessKey, DefaultSecretKey, signedAt)
	if edit != nil {
		edit(r)
	}
	resp, err := srv.Client().Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(raw, &a.body); err != nil {
		t.Fatalf("answer %d is not JSON: %q", resp.StatusCode, raw)
	}
	return a
}

// gatewayCode and imsCode read the two error shapes.
func (a answer) gatewayCode() string { s, _ := a.body["error_code"].(string); return s }

func (a answer) imsCode() string {
	e, _ := a.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func newTestServer(t *testing.T, opts Options) (*Server, *httptest.Server, Image) {
	t.Helper()
	sim := New(opts)
	src := sim.AddImage(Image{Name: "source"})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv, src
}

func TestServer_EveryAnswerCarriesARequestID(t *testing.T) {
	_, srv, src := newTestServer(t, Options{})
	now := time.Now()
	answers := map[string]answer{
		"unknown API": send(t, srv, http.MethodGet, "/v9/nothing", "", now, nil),
		"bad auth":    send(t, srv, http.MethodGet, "/v2/cloudimages", "", now, func(r *http.Request) { r.Header.Del("Authorization") }),
		"success":     send(t, srv, http.MethodGet, "/v2/cloudimages", "", now, nil),
		"ims error":   send(t, srv, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", "", now, nil),
	}
	seen := map[string]bool{}
	for name, a := range answers {
		id := a.header.Get("X-Request-Id")
		if len(id) != 32 || seen[id] {
			t.Errorf("%s: X-Request-Id %q missing or repeated", name, id)
		}
		seen[id] = true
		if rid, ok := a.body["request_id"]; ok && rid != id {
			t.Errorf("%s: body request_id %v differs from header %s", name, rid, id)
		}
	}
	if a := answers["unknown API"]; a.status != 404 || a.gatewayCode() != "APIGW.0101" {
		t.Errorf("unknown API: %d %v", a.status, a.body)
	}
	if a := answers["bad auth"]; a.status != 401 || a.gatewayCode() != codeGatewayAuth {
		t.Errorf("missing Authorization: %d %v", a.status, a.body)
	}
	if a := answers["ims error"]; a.status != 400 || a.imsCode() != codeEmptyBody {
		t.Errorf("empty copy body: %d %v", a.status, a.body)
	}
}

func TestServer_RejectsStaleSignatureAndWrongProject(t *testing.T) {
	_, srv, _ := newTestServer(t, Options{})
	now := time.Now()
	tests := []struct {
		name     string
		path     string
		signedAt time.Time
		edit     func(*http.Request)
		status   int
		code     string
	}{
		{"signed 20 minutes ago", "/v2/cloudimages", now.Add(-20 * time.Minute), nil, 401, codeGatewayAuth},
		{"signed 10 minutes ago", "/v2/cloudimages", now.Add(-10 * time.Minute), nil, 200, ""},
		{"no X-Project-Id", "/v2/cloudimages", now, func(r *http.Request) {
			r.Header.Del("X-Project-Id")
			aksk.Sign(r, nil, DefaultAccessKey, DefaultSecretKey, now)
		}, 401, codeGatewayAuth},
		{"job of another project", "/v1/otherproject/jobs/abc", now, nil, 403, codeGatewayForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := send(t, srv, http.MethodGet, tt.path, "", tt.signedAt, tt.edit)
			if a.status != tt.status || a.gatewayCode() != tt.code {
				t.Fatalf("got %d %v, want %d %s", a.status, a.body, tt.status, tt.code)
			}
		})
	}
}

func TestServer_CopyBodyMustBeAJSONObject(t *testing.T) {
	sim, srv, src := newTestServer(t, Options{})
	for body, code := range map[string]string{
		"   ":               codeEmptyBody,
		"not json":          codeBadFormat,
		`{"name": 42}`:      codeBadFormat,
		`{"description":1}`: codeBadFormat,
		`{}`:                codeNameMissing,
	} {
		a := send(t, srv, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", body, time.Now(), nil)
		if a.status != 400 || a.imsCode() != code {
			t.Errorf("body %q: %d %v, want 400 %s", body, a.status, a.body, code)
		}
	}
	if len(sim.Images()) != 1 {
		t.Fatal("a rejected copy created an image")
	}
}

func TestServer_ListImagesPagesNewestFirst(t *testing.T) {
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sim, srv, _ := newTestServer(t, Options{Clock: func() time.Time { return clock }})
	var ids []string
	for i := range 3 {
		ids = append(ids, sim.AddImage(Image{Name: "page", CreatedAt: clock.Add(time.Duration(i) * time.Hour)}).ID)
	}
	names := func(a answer) []string {
		var out []string
		for _, img := range a.body["images"].([]any) {
			out = append(out, img.(map[string]any)["id"].(string))
		}
		return out
	}
	first := send(t, srv, http.MethodGet, "/v2/cloudimages?name=page&limit=2", "", time.Now(), nil)
	if got := names(first); len(got) != 2 || got[0] != ids[2] || got[1] != ids[1] {
		t.Fatalf("first page %v, want %v", got, []string{ids[2], ids[1]})
	}
	rest := send(t, srv, http.MethodGet, "/v2/cloudimages?name=page&limit=2&marker="+ids[1], "", time.Now(), nil)
	if got := names(rest); len(got) != 1 || got[0] != ids[0] {
		t.Fatalf("second page %v, want [%s]", got, ids[0])
	}
	if a := send(t, srv, http.MethodGet, "/v2/cloudimages?limit=many", "", time.Now(), nil); a.status != 400 || a.imsCode() != codeBadFormat {
		t.Fatalf("bad limit: %d %v", a.status, a.body)
	}
}

func TestServer_ConcurrentCopiesAreAllRecorded(t *testing.T) {
	sim, srv, src := newTestServer(t, Options{})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := `{"name":"parallel-` + string(rune('a'+i)) + `"}`
			r, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/cloudimages/"+src.ID+"/copy", strings.NewReader(body))
			r.Header.Set("X-Project-Id", DefaultProjectID)
			aksk.Sign(r, []byte(body), DefaultAccessKey, DefaultSecretKey, time.Now())
			resp, err := srv.Client().Do(r)
			if err != nil {
				t.Errorf("copy %d: %v", i, err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Errorf("copy %d: status %d", i, resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if got := len(sim.Images()); got != 9 || sim.Calls(OpCopyImageInRegion) != 8 {
		t.Fatalf("%d images and %d calls after 8 copies", got, sim.Calls(OpCopyImageInRegion))
	}
}

func TestServer_OversizedBodyIsRefusedByTheGateway(t *testing.T) {
	_, srv, src := newTestServer(t, Options{})
	big := `{"name":"x","description":"` + string(bytes.Repeat([]byte("a"), maxBody)) + `"}`
	a := send(t, srv, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", big, time.Now(), nil)
	if a.status != http.StatusRequestEntityTooLarge || a.gatewayCode() != "APIGW.0201" {
		t.Fatalf("got %d %v", a.status, a.body)
	}
}
