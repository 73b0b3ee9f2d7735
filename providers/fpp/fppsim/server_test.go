package fppsim_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

const api = "/rhp-restapi/rhp"

type answer struct {
	status int
	header http.Header
	body   map[string]any
}

// send makes a raw request, so these tests see the wire shapes a client
// would parse.
func send(t *testing.T, srv *httptest.Server, method, path, body string, auth bool) answer {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if auth {
		req.SetBasicAuth(fppsim.DefaultUsername, fppsim.DefaultPassword)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header}
	if err := json.Unmarshal(data, &a.body); err != nil {
		t.Fatalf("%s %s answered %d with non-JSON %q", method, path, resp.StatusCode, data)
	}
	return a
}

func newServer(t *testing.T, opts fppsim.Options) (*fppsim.Server, *httptest.Server, *simkit.ManualClock) {
	t.Helper()
	clk := simkit.NewManualClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
	opts.Clock = clk.Now
	sim := fppsim.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv, clk
}

func TestServer_MissingCredentialsGetBasicChallengeAndErrorResource(t *testing.T) {
	sim, srv, _ := newServer(t, fppsim.Options{})

	a := send(t, srv, http.MethodGet, api+"/images/X", "", false)

	if a.status != http.StatusUnauthorized {
		t.Fatalf("status %d, want 401", a.status)
	}
	if got := a.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Basic ") {
		t.Fatalf("WWW-Authenticate = %q, want a Basic challenge", got)
	}
	if a.body["status"] != float64(401) || a.body["title"] == "" || a.body["errorCode"] != fppsim.CodeUnauthorized {
		t.Fatalf("body = %v, want errorResource for 401", a.body)
	}
	if sim.Calls(fppsim.OpGetImage) != 1 {
		t.Fatalf("rejected request not counted")
	}
}

func TestImportImage_AnswersAcceptedWithLocationOnTheCallersHost(t *testing.T) {
	ca, err := fppsim.GenerateCA()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(fppsim.New(fppsim.Options{}))
	srv.TLS = ca.ServerTLSConfig()
	srv.StartTLS()
	t.Cleanup(srv.Close)
	srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs = ca.CertPool()

	a := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"DB_Image1","path":"/oracle/dbwc1"}`, true)

	if a.status != http.StatusAccepted {
		t.Fatalf("status %d body %v, want 202", a.status, a.body)
	}
	jobID, _ := a.body["jobId"].(string)
	want := srv.URL + api + "/jobs/" + jobID
	if jobID == "" || a.header.Get("Location") != want {
		t.Fatalf("Location = %q, jobId %q; want %q", a.header.Get("Location"), jobID, want)
	}
	links, _ := a.body["links"].([]any)
	if len(links) != 1 || links[0].(map[string]any)["uri"] != want || links[0].(map[string]any)["rel"] != "self" {
		t.Fatalf("links = %v, want one self link to the job", a.body["links"])
	}

	job := send(t, srv, http.MethodGet, api+"/jobs/"+jobID, "", true)
	op, _ := job.body["operation"].(string)
	if job.body["status"] != fppsim.StatusScheduled || !strings.HasPrefix(op, "importIntoImage{image=DB_Image1,") {
		t.Fatalf("job = %v", job.body)
	}
}

func TestImportImage_RefusesBodiesTheServerWouldRefuse(t *testing.T) {
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		errorPath   string
	}{
		{"not JSON content", "text/plain", `{"imageName":"A","path":"/a"}`, 415, ""},
		{"malformed JSON", "application/json", `{"imageName":`, 400, "$"},
		{"port out of range", "application/json", `{"imageName":"A","path":"/a","port":"80"}`, 400, "$.port"},
		{"location instead of path", "application/json", `{"imageName":"A","location":"/stage/a.zip"}`, 202, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim, srv, _ := newServer(t, fppsim.Options{})
			req, _ := http.NewRequest(http.MethodPost, srv.URL+api+"/images", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", tt.contentType)
			req.SetBasicAuth(fppsim.DefaultUsername, fppsim.DefaultPassword)
			resp, err := srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body map[string]any
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d body %v, want %d", resp.StatusCode, body, tt.status)
			}
			if tt.status >= 400 {
				if body["status"] != float64(tt.status) || (tt.errorPath != "" && body["errorPath"] != tt.errorPath) {
					t.Fatalf("body %v, want errorResource with status %d errorPath %q", body, tt.status, tt.errorPath)
				}
				if sim.JobCount() != 0 {
					t.Fatal("refused body created a job")
				}
			}
		})
	}
}

func TestGetJobOutput_PagesByLinesAndGrowsWithTheClock(t *testing.T) {
	_, srv, clk := newServer(t, fppsim.Options{JobDuration: 100 * time.Second, NodeName: "rhp1"})
	a := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"IMG","path":"/u01/db"}`, true)
	id := a.body["jobId"].(string)

	if out := send(t, srv, http.MethodGet, api+"/jobs/"+id+"/output", "", true); out.body["output"] != "" {
		t.Fatalf("scheduled job already has output %q", out.body["output"])
	}
	clk.Advance(100 * time.Second)
	full := send(t, srv, http.MethodGet, api+"/jobs/"+id+"/output", "", true)
	lines := strings.Split(full.body["output"].(string), "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "rhp1: ") || full.body["hasMore"] != false {
		t.Fatalf("full output = %v", full.body)
	}

	page := send(t, srv, http.MethodGet, api+"/jobs/"+id+"/output?offset=1&limit=2", "", true)
	if page.body["output"] != strings.Join(lines[1:3], "\n") || page.body["hasMore"] != true {
		t.Fatalf("page = %v, want lines 1-2 of %q and hasMore", page.body, lines)
	}
	if bad := send(t, srv, http.MethodGet, api+"/jobs/"+id+"/output?limit=-1", "", true); bad.status != 400 {
		t.Fatalf("negative limit answered %d", bad.status)
	}
}

func TestFailImport_FailsOnlyTheNamedImage(t *testing.T) {
	sim, srv, clk := newServer(t, fppsim.Options{JobDuration: time.Second})
	sim.FailImport("BAD", "PRGO-9 : disk full")
	good := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"GOOD","path":"/u01/a"}`, true).body["jobId"].(string)
	bad := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"BAD","path":"/u01/b"}`, true).body["jobId"].(string)
	clk.Advance(time.Second)

	if s, _ := sim.JobStatus(good); s != fppsim.StatusSucceeded {
		t.Fatalf("GOOD ended %s", s)
	}
	if s, _ := sim.JobStatus(bad); s != fppsim.StatusFailed {
		t.Fatalf("BAD ended %s", s)
	}
	out := send(t, srv, http.MethodGet, api+"/jobs/"+bad+"/output", "", true).body["output"].(string)
	if !strings.HasSuffix(out, "PRGO-9 : disk full") {
		t.Fatalf("failed output %q does not end with the reason", out)
	}
	if imgs := sim.Images(); len(imgs) != 1 || imgs[0].Name != "GOOD" {
		t.Fatalf("images = %+v, want only GOOD", imgs)
	}
	// The name is free again once the failed import has ended.
	if a := send(t, srv, http.MethodPost, api+"/images", `{"imageName":"BAD","path":"/u01/b"}`, true); a.status != 202 {
		t.Fatalf("re-import after failure answered %d", a.status)
	}
}

func TestServer_InjectedFaultsUseTheErrorResourceShape(t *testing.T) {
	sim, srv, _ := newServer(t, fppsim.Options{})
	sim.Faults().Inject(fppsim.OpGetJob, simkit.Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}, 1)

	a := send(t, srv, http.MethodGet, api+"/jobs/1", "", true)

	if a.status != 429 || a.header.Get("Retry-After") != "2" {
		t.Fatalf("status %d Retry-After %q, want 429 and 2", a.status, a.header.Get("Retry-After"))
	}
	if a.body["errorCode"] != fppsim.CodeTooManyRequests || a.body["status"] != float64(429) || a.body["title"] == "" {
		t.Fatalf("body = %v", a.body)
	}
	if after := send(t, srv, http.MethodGet, api+"/jobs/1", "", true); after.status != 404 {
		t.Fatalf("fault not consumed: next answer %d", after.status)
	}
}

func TestServer_UnknownResourceIsNotFoundErrorResource(t *testing.T) {
	_, srv, _ := newServer(t, fppsim.Options{})
	a := send(t, srv, http.MethodGet, api+"/workingcopies", "", true)
	if a.status != 404 || a.body["errorCode"] != fppsim.CodeNotFound {
		t.Fatalf("got %d %v", a.status, a.body)
	}
}
