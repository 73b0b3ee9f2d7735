package huaweisim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/imagepipe/imagepipe/providers/huawei/internal/aksk"
)

// FuzzIMSSimRequest feeds arbitrary bodies, image ids and job ids to
// CopyImageInRegion and ShowJob, signed with a registered AK/SK so decoding
// is reached, and holds every answer to IMS's contract: no panic, an
// X-Request-Id, 200 for a copy only when the body keeps the API reference's
// field rules (judged here from the document), and every error in IMS's
// {"error":{"code","message"}} or the gateway's {"error_code","error_msg"}
// shape.
func FuzzIMSSimRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, job bool, imageID, jobID string, body []byte) {
		clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		sim := New(Options{Clock: func() time.Time { return clock }})
		src := sim.AddImage(Image{Name: "source"})
		seeded := signedServe(sim, http.MethodPost, "/v1/cloudimages/"+src.ID+"/copy", []byte(`{"name":"seed"}`))
		var seedJob struct {
			JobID string `json:"job_id"`
		}
		if err := json.Unmarshal(seeded.Body.Bytes(), &seedJob); err != nil || seeded.Code != http.StatusOK {
			t.Fatalf("a valid copy was refused, so decoding is not reached: %d %s", seeded.Code, seeded.Body)
		}
		if imageID == "" {
			imageID = src.ID
		}
		if jobID == "" {
			jobID = seedJob.JobID
		}
		before := len(sim.Images())

		var rec *httptest.ResponseRecorder
		if job {
			rec = signedServe(sim, http.MethodGet, "/v1/"+DefaultProjectID+"/jobs/"+jobID, nil)
		} else {
			rec = signedServe(sim, http.MethodPost, "/v1/cloudimages/"+imageID+"/copy", body)
			if rec.Code == http.StatusOK && !copyAllowed(body) {
				t.Fatalf("copy of %q answered 200 %s", body, rec.Body)
			}
			if rec.Code != http.StatusOK && imageID == src.ID && copyAllowed(body) {
				t.Fatalf("copy of %q that the reference allows answered %d %s", body, rec.Code, rec.Body)
			}
			if rec.Code != http.StatusOK && len(sim.Images()) != before {
				t.Fatalf("refused copy (%d) created an image", rec.Code)
			}
		}
		checkIMSShape(t, rec)
	})
}

// signedServe sends one request signed as a client would, straight to the
// handler.
func signedServe(sim *Server, method, path string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.URL = &url.URL{Path: path}
	req.RequestURI = req.URL.RequestURI()
	req.Host = "ims.example.com"
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Project-Id", DefaultProjectID)
	aksk.Sign(req, body, DefaultAccessKey, DefaultSecretKey, time.Now())
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec
}

func checkIMSShape(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if rec.Header().Get("X-Request-Id") == "" {
		t.Fatalf("answer %d carries no X-Request-Id", rec.Code)
	}
	var out struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
		ErrorCode string `json:"error_code"`
		ErrorMsg  string `json:"error_msg"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("answer %d is not JSON: %q", rec.Code, rec.Body)
	}
	if rec.Code >= 200 && rec.Code < 300 {
		return
	}
	ims := out.Error != nil && out.Error.Code != "" && out.Error.Message != ""
	gateway := out.ErrorCode != "" && out.ErrorMsg != ""
	if !ims && !gateway {
		t.Fatalf("error answer %d has neither IMS's nor the gateway's shape: %q", rec.Code, rec.Body)
	}
}

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$`)

// copyAllowed restates the CopyImageInRegion request rules of the IMS API
// reference ("Image Attributes"): a JSON object; name 1..128 characters of
// letters, digits, Chinese, spaces, '-', '_' and '.', not starting or ending
// with a space; description at most 1024 characters without a return or
// angle brackets; cmk_id a string; enterprise_project_id "0" or a UUID.
func copyAllowed(body []byte) bool {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if dec.Decode(&fields) != nil || fields == nil || dec.More() {
		return false
	}
	str := func(k string) (string, bool, bool) {
		raw, ok := fields[k]
		if !ok || string(raw) == "null" {
			return "", false, true
		}
		var s string
		return s, true, json.Unmarshal(raw, &s) == nil
	}
	name, _, ok := str("name")
	if !ok || name == "" || utf8.RuneCountInString(name) > 128 || name[0] == ' ' || name[len(name)-1] == ' ' {
		return false
	}
	for _, r := range name {
		if !(r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_' || r == '.')) && !unicode.Is(unicode.Han, r) {
			return false
		}
	}
	desc, _, ok := str("description")
	if !ok || utf8.RuneCountInString(desc) > 1024 || bytes.ContainsAny([]byte(desc), "\r\n<>") {
		return false
	}
	if _, _, ok := str("cmk_id"); !ok {
		return false
	}
	ep, present, ok := str("enterprise_project_id")
	return ok && (!present || ep == "0" || uuidPattern.MatchString(ep))
}
