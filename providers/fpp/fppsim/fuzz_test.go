package fppsim_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/imagepipe/imagepipe/providers/fpp/fppsim"
	"github.com/imagepipe/imagepipe/providers/simkit"
)

// FuzzFPPSimRequest feeds arbitrary bodies, content types, job ids and
// queries to the import (POST /images) and job endpoints, authenticated, and
// holds every answer to FPP's contract: no panic, 2xx only for an import
// body the documented ImportImageBody allows (judged here from the
// document, not by the emulator's own code), and every error an
// errorResource whose status is the HTTP status.
func FuzzFPPSimRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, op uint8, id, query, contentType string, body []byte) {
		clk := simkit.NewManualClock(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
		sim := fppsim.New(fppsim.Options{Clock: clk.Now, JobDuration: time.Minute})
		// One job exists, so job ids can name something.
		if seed := serve(sim, http.MethodPost, "/images", "", "application/json", []byte(`{"imageName":"SEED","path":"/u01/seed"}`)); seed.Code != http.StatusAccepted {
			t.Fatalf("the documented import was refused, so decoding is not reached: %d %s", seed.Code, seed.Body)
		}
		clk.Advance(30 * time.Second)

		var rec *httptest.ResponseRecorder
		switch op % 3 {
		case 0:
			rec = serve(sim, http.MethodPost, "/images", "", contentType, body)
			if ok2xx(rec.Code) && !importAllowed(contentType, body) {
				t.Fatalf("import of %q (%s) answered %d %s", body, contentType, rec.Code, rec.Body)
			}
			if ok2xx(rec.Code) && sim.JobCount() != 2 {
				t.Fatalf("accepted import made %d jobs, want 2", sim.JobCount())
			}
		case 1:
			rec = serve(sim, http.MethodGet, "/jobs/"+id, query, "", nil)
			if ok2xx(rec.Code) && rec.Code != http.StatusOK {
				t.Fatalf("GET job answered %d", rec.Code)
			}
		default:
			rec = serve(sim, http.MethodGet, "/jobs/"+id+"/output", query, "", nil)
		}
		checkShape(t, rec)
	})
}

// serve sends one authenticated request straight to the handler.
func serve(sim *fppsim.Server, method, path, query, contentType string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.URL = &url.URL{Path: api + path, RawQuery: query}
	req.RequestURI = req.URL.RequestURI()
	req.SetBasicAuth(fppsim.DefaultUsername, fppsim.DefaultPassword)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec
}

func ok2xx(status int) bool { return status >= 200 && status < 300 }

// checkShape holds an answer to FPP's wire shapes: JSON always, and an
// errorResource (title, and status equal to the HTTP status) on errors.
func checkShape(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	if mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type")); mt != "application/json" {
		t.Fatalf("answer %d has Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if ok2xx(rec.Code) {
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("answer %d is not JSON: %q", rec.Code, rec.Body)
		}
		return
	}
	var e struct {
		Title  string `json:"title"`
		Status int    `json:"status"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Title == "" || e.Status != rec.Code {
		t.Fatalf("error answer %d is not an errorResource: %q", rec.Code, rec.Body)
	}
}

// importAllowed is the ImportImageBody schema of the FPP REST reference,
// restated: a JSON object whose documented fields have their documented
// types, an image name, a home path (absolute) or a zip location, and
// image type and state among the documented values.
func importAllowed(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "application/json" {
		return false
	}
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if dec.Decode(&fields) != nil || fields == nil || dec.More() {
		return false
	}
	str := func(k string) (string, bool) {
		raw, ok := fields[k]
		if !ok || string(raw) == "null" {
			return "", true
		}
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	}
	for _, k := range []string{"notify", "root"} {
		if raw, ok := fields[k]; ok && string(raw) != "null" && string(raw) != "true" && string(raw) != "false" {
			return false
		}
	}
	strs := map[string]string{}
	for _, k := range []string{"imageName", "path", "imageType", "client", "pathOwner", "state", "location", "port", "schedule", "cc", "host", "patches", "psu", "auth"} {
		v, ok := str(k)
		if !ok {
			return false
		}
		strs[k] = v
	}
	if strs["imageName"] == "" || (strs["path"] == "" && strs["location"] == "") {
		return false
	}
	if p := strs["path"]; p != "" && p[0] != '/' {
		return false
	}
	if t := strs["imageType"]; t != "" && !slices.Contains(fppsim.BuiltInImageTypes, t) {
		return false
	}
	if s := strs["state"]; s != "" && s != "TESTABLE" && s != "RESTRICTED" && s != "PUBLISHED" {
		return false
	}
	if p := strs["port"]; p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1024 || n > 65536 {
			return false
		}
	}
	return true
}
