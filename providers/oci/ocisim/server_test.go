package ocisim_test

import (
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oracle/oci-go-sdk/v65/common"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

var (
	credsOnce sync.Once
	creds     *ocisim.Credentials
	credsErr  error
)

// signedEnv is an emulator plus a way to send it requests signed by the
// SDK's own signer, for request shapes the client never sends.
type signedEnv struct {
	sim    *ocisim.Server
	srv    *httptest.Server
	signer common.HTTPRequestSigner
}

// testCreds generates the package's one key pair on first use.
func testCreds(t testing.TB) *ocisim.Credentials {
	t.Helper()
	credsOnce.Do(func() { creds, credsErr = ocisim.GenerateCredentials() })
	if credsErr != nil {
		t.Fatal(credsErr)
	}
	return creds
}

func newSignedEnv(t *testing.T) *signedEnv {
	t.Helper()
	creds := testCreds(t)
	sim := ocisim.New(ocisim.Options{TenancyID: creds.TenancyID})
	sim.RegisterCredentials(creds)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	der, err := x509.MarshalPKCS8PrivateKey(creds.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	provider := common.NewRawConfigurationProvider(creds.TenancyID, creds.UserID, ocisim.DefaultRegion, creds.Fingerprint, keyPEM, nil)
	return &signedEnv{sim: sim, srv: srv, signer: common.DefaultRequestSigner(provider)}
}

type answer struct {
	status int
	header http.Header
	code   string
	msg    string
	raw    []byte
}

func (e *signedEnv) do(t *testing.T, method, path, body string, sign bool) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if sign {
		if err := e.signer.Sign(req); err != nil {
			t.Fatalf("sign: %v", err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var e2 struct{ Code, Message string }
	_ = json.Unmarshal(raw, &e2)
	return answer{status: resp.StatusCode, header: resp.Header, code: e2.Code, msg: e2.Message, raw: raw}
}

func TestFingerprint_MatchesOpenSSL(t *testing.T) {
	// testdata/fingerprint_key.pem is a throwaway key; the expected value is
	// what `openssl rsa -pubout -outform DER -in it | openssl md5 -c` printed.
	const want = "bc:a7:20:d5:65:2f:dc:15:6e:84:32:fd:fd:f2:9c:2c"
	data, err := os.ReadFile(filepath.Join("testdata", "fingerprint_key.pem"))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(data)
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ocisim.Fingerprint(&key.(*rsa.PrivateKey).PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("fingerprint %s, want %s", got, want)
	}
}

func TestWriteFiles_KeyIsPrivateAndConfigNamesIt(t *testing.T) {
	creds := testCreds(t)
	dir := t.TempDir()
	path, err := creds.WriteFiles(dir, "http://127.0.0.1:9101")
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(dir, "key.pem")
	st, err := os.Stat(keyPath)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("key.pem mode %v, want 0600", st.Mode().Perm())
	}
	cfg, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"[DEFAULT]", "user=" + creds.UserID, "fingerprint=" + creds.Fingerprint, "key_file=" + keyPath,
		"tenancy=" + creds.TenancyID, "region=us-ashburn-1", "endpoint=http://127.0.0.1:9101",
	} {
		if !bytes.Contains(cfg, []byte(line+"\n")) {
			t.Fatalf("config lacks line %q:\n%s", line, cfg)
		}
	}
}

func TestServer_UnknownPathAndMethod(t *testing.T) {
	e := newSignedEnv(t)
	if a := e.do(t, http.MethodGet, "/20160918/instances", "", true); a.status != http.StatusNotFound || a.code != ocisim.CodeNotFound {
		t.Fatalf("unknown path answered %d %s, want 404 NotFound", a.status, a.code)
	}
	if a := e.do(t, http.MethodDelete, "/20160918/images/x", "", true); a.status != http.StatusMethodNotAllowed || a.code != ocisim.CodeMethodNotAllowed {
		t.Fatalf("DELETE image answered %d %s, want 405 MethodNotAllowed", a.status, a.code)
	}
}

func TestServer_FaultIsRenderedInOCIShape(t *testing.T) {
	e := newSignedEnv(t)
	e.sim.Faults().Inject(ocisim.OpGetImage, simkit.Fault{Status: http.StatusServiceUnavailable, RetryAfter: 1500 * time.Millisecond}, 1)
	a := e.do(t, http.MethodGet, "/20160918/images/x", "", true)
	if a.status != http.StatusServiceUnavailable || a.code != ocisim.CodeServiceUnavailable || a.msg == "" {
		t.Fatalf("fault answered %d %q %q, want 503 ServiceUnavailable with a message", a.status, a.code, a.msg)
	}
	if a.header.Get("Retry-After") != "2" || a.header.Get("opc-request-id") == "" {
		t.Fatalf("fault headers %v, want Retry-After 2 and opc-request-id", a.header)
	}
	if n := e.sim.Calls(ocisim.OpGetImage); n != 1 {
		t.Fatalf("Calls = %d, want the faulted request counted", n)
	}
}

func TestCreateCompartment_MissingFieldIsMissingParameter(t *testing.T) {
	e := newSignedEnv(t)
	tests := []struct {
		body, field, code string
	}{
		{`{"compartmentId":"` + creds.TenancyID + `","description":"d"}`, "name", ocisim.CodeMissingParameter},
		{`{"compartmentId":"` + creds.TenancyID + `","name":"n"}`, "description", ocisim.CodeMissingParameter},
		{`{"name":"n","description":"d"}`, "compartmentId", ocisim.CodeMissingParameter},
		{`{"name":`, "JSON", ocisim.CodeCannotParseRequest},
	}
	for _, tt := range tests {
		a := e.do(t, http.MethodPost, "/20160918/compartments", tt.body, true)
		if a.status != http.StatusBadRequest || a.code != tt.code || !strings.Contains(a.msg, tt.field) {
			t.Fatalf("body %s answered %d %s %q, want 400 %s naming %s", tt.body, a.status, a.code, a.msg, tt.code, tt.field)
		}
	}
	if n := len(e.sim.Compartments()); n != 0 {
		t.Fatalf("bad requests created %d compartments", n)
	}
}

func TestCreateCompartment_ConcurrentRetriesWithOneTokenCreateOne(t *testing.T) {
	e := newSignedEnv(t)
	body := `{"compartmentId":"` + creds.TenancyID + `","name":"promoted","description":"d"}`
	const n = 8
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/20160918/compartments", strings.NewReader(body))
			req.Header.Set("Date", time.Now().UTC().Format(http.TimeFormat))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("opc-retry-token", "same-token")
			if err := e.signer.Sign(req); err != nil {
				t.Error(err)
				return
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var c struct{ ID string }
			_ = json.NewDecoder(resp.Body).Decode(&c)
			ids[i] = c.ID
		})
	}
	wg.Wait()
	for i, id := range ids {
		if id == "" || id != ids[0] {
			t.Fatalf("answer %d has id %q, want all %q", i, id, ids[0])
		}
	}
	if got := len(e.sim.Compartments()); got != 1 {
		t.Fatalf("emulator holds %d compartments, want 1", got)
	}
}
