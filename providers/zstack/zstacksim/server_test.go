package zstacksim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

type wire struct {
	t   *testing.T
	srv *httptest.Server
}

func (w wire) do(method, path string, hdr map[string]string, body string) (int, http.Header, string) {
	w.t.Helper()
	req, err := http.NewRequest(method, w.srv.URL+path, strings.NewReader(body))
	if err != nil {
		w.t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := w.srv.Client().Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func (w wire) logIn(name, password string) (int, string) {
	w.t.Helper()
	status, _, body := w.do(http.MethodPut, "/zstack/v1/accounts/login", nil,
		`{"logInByAccount":{"accountName":"`+name+`","password":"`+password+`"}}`)
	return status, body
}

func newWire(t *testing.T, opts zstacksim.Options) (*zstacksim.Server, wire) {
	sim := zstacksim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, wire{t: t, srv: srv}
}

func sessionOf(t *testing.T, body string) string {
	t.Helper()
	var out struct {
		Inventory struct{ UUID string } `json:"inventory"`
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(out.Inventory.UUID) {
		t.Fatalf("login answer %s carries no session uuid", body)
	}
	return out.Inventory.UUID
}

func TestLogIn_ComparesTheSHA512DigestOfThePassword(t *testing.T) {
	_, w := newWire(t, zstacksim.Options{})
	// ZStack's initial admin/password account, whose digest ZStack ships.
	const adminDigest = "b109f3bbbc244eb82441917ed06d618b9008dd09b3befd1b5e07394c706a8bb980b1d7785e5976ec049b46df5f1326af5a2ea6d103fd07c95385ffab0cacbc86"
	if zstacksim.PasswordHash("password") != adminDigest {
		t.Fatalf("PasswordHash(password) = %s", zstacksim.PasswordHash("password"))
	}
	status, body := w.logIn("admin", adminDigest)
	if status != http.StatusOK {
		t.Fatalf("login with the digest: %d %s", status, body)
	}
	sessionOf(t, body)

	status, body = w.logIn("admin", "password")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"code":"ID.1000"`) {
		t.Fatalf("login with the plain password: %d %s, want 503 ID.1000", status, body)
	}
}

func TestRestServer_RefusesMalformedRequestsWithPlainText400(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{})
	img := sim.AddImage(zstacksim.Image{Name: "gold"})
	_, body := w.logIn("admin", zstacksim.PasswordHash("password"))
	auth := "OAuth " + sessionOf(t, body)
	path := "/zstack/v1/images/" + img.UUID + "/actions"
	job := strings.Repeat("ab", 16)

	tests := []struct {
		name string
		hdr  map[string]string
		body string
		want string
	}{
		{"no Authorization", map[string]string{"X-Job-UUID": job}, `{"updateImage":{"name":"a"}}`, "missing header 'Authorization'"},
		{"foreign scheme", map[string]string{"Authorization": "Bearer x", "X-Job-UUID": job}, `{"updateImage":{"name":"a"}}`, "Authorization type must be 'OAuth'"},
		{"seed's lowercase action key", map[string]string{"Authorization": auth, "X-Job-UUID": job}, `{"updateimage":{"name":"a"}}`, "doesn't contain action mapping"},
		{"job uuid with dashes", map[string]string{"Authorization": auth, "X-Job-UUID": "abababab-abab-abab-abab-abababababab"}, `{"updateImage":{"name":"a"}}`, "Invalid header[X-Job-UUID]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, hdr, got := w.do(http.MethodPut, path, tt.hdr, tt.body)
			if status != http.StatusBadRequest || !strings.Contains(got, tt.want) || strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Fatalf("answer %d %q (%s), want 400 plain text with %q", status, got, hdr.Get("Content-Type"), tt.want)
			}
		})
	}
	if n := sim.AppliedUpdates(img.UUID); n != 0 {
		t.Fatalf("refused requests applied %d updates", n)
	}
	if _, ok := sim.Job(job); ok {
		t.Fatal("a refused request left a job behind")
	}
}

func TestAPIJob_PollsWithoutSessionThroughItsLifecycle(t *testing.T) {
	var clock atomic.Int64 // unix nanoseconds; the server reads it from its goroutines
	clock.Store(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).UnixNano())
	advance := func(d time.Duration) { clock.Add(int64(d)) }
	sim, w := newWire(t, zstacksim.Options{Clock: func() time.Time { return time.Unix(0, clock.Load()) }, JobDuration: time.Minute})
	img := sim.AddImage(zstacksim.Image{Name: "gold", Platform: "Linux"})
	_, body := w.logIn("admin", zstacksim.PasswordHash("password"))
	job := strings.Repeat("cd", 16)

	status, _, body := w.do(http.MethodPut, "/zstack/v1/images/"+img.UUID+"/actions",
		map[string]string{"Authorization": "OAuth " + sessionOf(t, body), "X-Job-UUID": job},
		`{"updateImage":{"name":"silver"},"systemTags":["bootMode::UEFI"],"userTags":["team-a"]}`)
	var accepted struct {
		Location   string `json:"location"`
		APITimeout int64  `json:"apiTimeout"`
	}
	_ = json.Unmarshal([]byte(body), &accepted)
	if status != http.StatusAccepted || !strings.HasSuffix(accepted.Location, "/zstack/v1/api-jobs/"+job) || accepted.APITimeout <= 0 {
		t.Fatalf("PUT answer %d %s, want 202 with location and apiTimeout", status, body)
	}
	jobPath := "/zstack/v1/api-jobs/" + job

	if status, _, body = w.do(http.MethodGet, jobPath, nil, ""); status != http.StatusAccepted || body != "{}" {
		t.Fatalf("poll while running: %d %s, want 202 {}", status, body)
	}
	advance(time.Minute)
	status, _, body = w.do(http.MethodGet, jobPath, nil, "")
	if status != http.StatusOK || !strings.Contains(body, `"name":"silver"`) || !strings.Contains(body, `"inventory"`) {
		t.Fatalf("poll when done: %d %s, want 200 with the inventory", status, body)
	}
	if rec, _ := sim.Job(job); len(rec.SystemTags) != 1 || len(rec.UserTags) != 1 {
		t.Fatalf("job record %+v lost the top-level tags", rec)
	}
	if status, _, body = w.do(http.MethodDelete, jobPath, nil, ""); status != http.StatusMethodNotAllowed {
		t.Fatalf("DELETE on a job: %d %s, want 405", status, body)
	}
	advance(zstacksim.DefaultJobRetention)
	if status, _, body = w.do(http.MethodGet, jobPath, nil, ""); status != http.StatusNotFound || body != "the job has been expired" {
		t.Fatalf("poll after retention: %d %s, want 404", status, body)
	}
}

func TestQueryImage_ExpiredSessionAnswers503InvalidSession(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{})
	img := sim.AddImage(zstacksim.Image{Name: "gold"})
	_, body := w.logIn("admin", zstacksim.PasswordHash("password"))
	auth := map[string]string{"Authorization": "OAuth " + sessionOf(t, body)}

	if status, _, body := w.do(http.MethodGet, "/zstack/v1/images/"+img.UUID, auth, ""); status != http.StatusOK || !strings.Contains(body, `"inventories":[{`) {
		t.Fatalf("query: %d %s", status, body)
	}
	if status, _, body := w.do(http.MethodGet, "/zstack/v1/images/ffffffffffffffffffffffffffffffff", auth, ""); status != http.StatusOK || body != `{"inventories":[]}` {
		t.Fatalf("query of an unknown image: %d %s, want 200 and an empty list", status, body)
	}
	sim.ExpireSessions()
	status, _, body := w.do(http.MethodGet, "/zstack/v1/images/"+img.UUID, auth, "")
	if status != http.StatusServiceUnavailable || !strings.Contains(body, `"code":"ID.1001"`) {
		t.Fatalf("query with an expired session: %d %s, want 503 ID.1001", status, body)
	}
}

func TestFaults_RenderedInZStackEnvelopeWithRetryAfter(t *testing.T) {
	sim, w := newWire(t, zstacksim.Options{})
	sim.Faults().Inject(zstacksim.OpLogInByAccount, simkit.Fault{Status: 429, RetryAfter: 2 * time.Second, Message: "slow down"}, 1)
	status, hdr, body := w.do(http.MethodPut, "/zstack/v1/accounts/login", nil, `{"logInByAccount":{}}`)
	var env struct {
		Error struct{ Code, Description, Details string } `json:"error"`
	}
	if err := json.Unmarshal([]byte(body), &env); err != nil {
		t.Fatalf("fault body %q is not ZStack's envelope: %v", body, err)
	}
	if status != 429 || hdr.Get("Retry-After") != "2" || env.Error.Code == "" || env.Error.Details != "slow down" {
		t.Fatalf("fault answer %d Retry-After=%q %s", status, hdr.Get("Retry-After"), body)
	}
	if n := sim.Calls(zstacksim.OpLogInByAccount); n != 1 {
		t.Fatalf("faulted call not counted: %d", n)
	}
}
