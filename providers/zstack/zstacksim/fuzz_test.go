package zstacksim_test

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/imagepipe/imagepipe/providers/zstack/zstacksim"
)

// FuzzZStackSimRequest feeds arbitrary bodies, image and job uuids and
// X-Job-UUID headers to UpdateImage, its api-job and LogOut, with a valid
// session so decoding is reached. ZStack accepts an asynchronous API
// before checking its parameters, so the property is on the job: an update
// whose parameters break APIUpdateImageMsg's @APIParam rules (judged here
// from ZStack's source, not by the emulator's code) never succeeds and
// never changes the image. Every answer is ZStack's: plain text from the
// REST layer (4xx, 500) or {"error":{"code","description"}} with 503.
func FuzzZStackSimRequest(f *testing.F) {
	f.Fuzz(func(t *testing.T, op uint8, uuid, jobUUID string, body []byte) {
		now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
		sim := zstacksim.New(zstacksim.Options{Clock: func() time.Time { return now }, JobDuration: time.Second})
		img := sim.AddImage(zstacksim.Image{Name: "gold", Platform: "Linux", Architecture: "x86_64", Format: "qcow2", MediaType: "RootVolumeTemplate"})
		login := serveZ(sim, http.MethodPut, "/v1/accounts/login", "", "", []byte(`{"logInByAccount":{"accountName":"admin","password":"`+zstacksim.PasswordHash("password")+`"}}`))
		var session struct {
			Inventory struct{ UUID string } `json:"inventory"`
		}
		if err := json.Unmarshal(login.Body.Bytes(), &session); err != nil || session.Inventory.UUID == "" {
			t.Fatalf("login: %d %s", login.Code, login.Body)
		}
		if uuid == "" {
			uuid = img.UUID
		}

		switch op % 3 {
		case 0:
			rec := serveZ(sim, http.MethodPut, "/v1/images/"+url.PathEscape(uuid)+"/actions", session.Inventory.UUID, jobUUID, body)
			checkZShape(t, rec)
			valid := updateAllowed(body) && uuid == img.UUID
			if rec.Code != http.StatusAccepted {
				if valid && (jobUUID == "" || len(jobUUID) == 32) {
					t.Fatalf("valid update %q refused: %d %s", body, rec.Code, rec.Body)
				}
				return
			}
			if !hexUUID(jobUUID) && jobUUID != "" {
				// ZStack checks only the header's length; a job id that is
				// not hex cannot be written into a location and polled
				// back, so its outcome is not this property's business.
				return
			}
			var accepted struct{ Location string }
			if err := json.Unmarshal(rec.Body.Bytes(), &accepted); err != nil || !strings.Contains(accepted.Location, "/v1/api-jobs/") {
				t.Fatalf("202 without a job location: %s", rec.Body)
			}
			now = now.Add(time.Minute)
			_, id, _ := strings.Cut(accepted.Location, "/v1/api-jobs/")
			poll := serveZ(sim, http.MethodGet, "/v1/api-jobs/"+id, "", "", nil)
			checkZShape(t, poll)
			after, _ := sim.Image(img.UUID)
			if valid && poll.Code != http.StatusOK {
				t.Fatalf("valid update %q failed: %d %s", body, poll.Code, poll.Body)
			}
			if !valid {
				if poll.Code == http.StatusOK {
					t.Fatalf("update %q of %q succeeded: %s", body, uuid, poll.Body)
				}
				if after != img {
					t.Fatalf("refused update %q changed the image: %+v", body, after)
				}
			}
		case 1:
			rec := serveZ(sim, http.MethodGet, "/v1/api-jobs/"+url.PathEscape(uuid), "", "", nil)
			checkZShape(t, rec)
			if rec.Code == http.StatusOK {
				t.Fatalf("api-job %q that never ran answered 200", uuid)
			}
		default:
			rec := serveZ(sim, http.MethodDelete, "/v1/accounts/sessions/"+url.PathEscape(uuid), "", "", nil)
			checkZShape(t, rec)
		}
	})
}

func serveZ(sim *zstacksim.Server, method, path, session, jobUUID string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, "/", bytes.NewReader(body))
	req.URL = &url.URL{Path: zstacksim.ContextPath + path}
	req.RequestURI = req.URL.RequestURI()
	req.Host = "zstack.example.com:8080"
	req.Header.Set("Content-Type", "application/json;charset=UTF-8")
	if session != "" {
		req.Header.Set("Authorization", "OAuth "+session)
	}
	if jobUUID != "" {
		req.Header.Set("X-Job-UUID", jobUUID)
	}
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec
}

// checkZShape holds an answer to ZStack's wire shapes: JSON for 2xx and
// 503 (with an error code and description), plain text for what the REST
// layer refuses itself.
func checkZShape(t *testing.T, rec *httptest.ResponseRecorder) {
	t.Helper()
	mt, _, _ := mime.ParseMediaType(rec.Header().Get("Content-Type"))
	switch {
	case rec.Code >= 200 && rec.Code < 300:
		if mt != "application/json" || !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("answer %d is not JSON: %s %q", rec.Code, mt, rec.Body)
		}
	case rec.Code == http.StatusServiceUnavailable:
		var e struct {
			Error *struct{ Code, Description string } `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == nil || e.Error.Code == "" || e.Error.Description == "" {
			t.Fatalf("503 is not ZStack's error envelope: %q", rec.Body)
		}
	default:
		if mt != "text/plain" || rec.Body.Len() == 0 {
			t.Fatalf("REST-layer answer %d is not plain text: %s %q", rec.Code, mt, rec.Body)
		}
	}
}

// updateAllowed restates APIUpdateImageMsg (zstackio/zstack,
// header/image/APIUpdateImageMsg.java): string fields (Gson also takes a
// number or boolean for one) within maxLength and validValues, booleans as
// booleans or "true"/"false", tag lists of strings.
func updateAllowed(body []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	var params map[string]json.RawMessage
	if json.Unmarshal(top["updateImage"], &params) != nil || params == nil {
		return false
	}
	rules := []struct {
		name  string
		max   int
		valid []string
	}{
		{"name", 255, nil}, {"description", 2048, nil}, {"guestOsType", 255, nil},
		{"mediaType", 255, []string{"RootVolumeTemplate", "DataVolumeTemplate", "ISO"}},
		{"format", 255, []string{"raw", "qcow2", "iso"}},
		{"platform", 0, []string{"Linux", "Windows", "Other", "Paravirtualization", "WindowsVirtio"}},
		{"architecture", 32, []string{"x86_64", "aarch64", "mips64el", "loongarch64"}},
	}
	for _, r := range rules {
		raw, ok := params[r.name]
		if !ok || string(raw) == "null" {
			continue
		}
		var v any
		_ = json.Unmarshal(raw, &v)
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case float64, bool:
			s = strings.Trim(string(raw), `"`)
		default:
			return false
		}
		if r.max > 0 && len(utf16.Encode([]rune(s))) > r.max {
			return false
		}
		if r.valid != nil && !slices.Contains(r.valid, s) {
			return false
		}
	}
	for _, name := range []string{"system", "virtio"} {
		raw, ok := params[name]
		if !ok {
			continue
		}
		switch strings.ToLower(string(raw)) {
		case "null", "true", "false", `"true"`, `"false"`:
		default:
			return false
		}
	}
	for _, key := range []string{"systemTags", "userTags"} {
		raw, ok := top[key]
		if !ok {
			raw, ok = params[key]
		}
		var tags []string
		if ok && string(raw) != "null" && json.Unmarshal(raw, &tags) != nil {
			return false
		}
	}
	return true
}

// hexUUID is a ZStack UUID: 32 lower- or upper-case hex digits.
func hexUUID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
