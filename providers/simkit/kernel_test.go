package simkit

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func TestKernel_AdmitCountsKeepsKeysAndRendersFaultsInTheVendorsShape(t *testing.T) {
	k := &Kernel{KeyHeader: "X-Key"}
	k.Faults().Inject("Create", Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second}, 1)
	render := func(w http.ResponseWriter, _ *http.Request, f Fault) {
		SetRetryAfter(w.Header(), f.RetryAfter)
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte("vendor says slow down"))
	}
	serve := func(key string) (*httptest.ResponseRecorder, bool) {
		r := httptest.NewRequest(http.MethodPost, "/x", nil)
		if key != "" {
			r.Header.Set("X-Key", key)
		}
		w := httptest.NewRecorder()
		return w, k.Admit(w, r, "Create", render)
	}
	w, served := serve("k1")
	if served || w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "2" || w.Body.String() != "vendor says slow down" {
		t.Fatalf("faulted call: served %v, answer %d %q %q", served, w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	if _, served := serve("k1"); !served {
		t.Fatal("a call with no fault queued was not served")
	}
	if _, served := serve(""); !served {
		t.Fatal("a call without a key was not served")
	}
	if n := k.Calls("Create"); n != 3 {
		t.Errorf("Calls = %d, want 3 (faulted ones included)", n)
	}
	if got := k.Keys("Create"); !slices.Equal(got, []string{"k1", "k1"}) {
		t.Errorf("Keys = %q, want the key of each call that carried one", got)
	}
}

func TestManualClock_MovesOnlyWhenAdvanced(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	c := NewManualClock(start)
	k := &Kernel{Clock: c.Now}
	if !k.Now().Equal(start) {
		t.Fatalf("Now = %v, want %v", k.Now(), start)
	}
	c.Advance(90 * time.Second)
	if got := k.Now(); !got.Equal(start.Add(90 * time.Second)) {
		t.Fatalf("after Advance, Now = %v", got)
	}
}

func TestRouter_MatchesPatternsAndTellsMissesApart(t *testing.T) {
	var rt Router[string]
	rt.Handle("GET /v1/images/{id}", "GetImage", "get")
	rt.Handle("PUT /v1/images/{id}/actions", "UpdateImage", "update")
	tests := []struct {
		method, path string
		status       int
		op, id       string
	}{
		{"GET", "/v1/images/abc", http.StatusOK, "GetImage", "abc"},
		{"PUT", "/v1/images/abc/actions", http.StatusOK, "UpdateImage", "abc"},
		{"DELETE", "/v1/images/abc", http.StatusMethodNotAllowed, "GetImage", ""},
		{"GET", "/v1/images/", http.StatusNotFound, "", ""},
		{"GET", "/v1/images/abc/", http.StatusNotFound, "", ""},
		{"GET", "/v1//images/abc", http.StatusNotFound, "", ""},
		{"GET", "/v2/images/abc", http.StatusNotFound, "", ""},
	}
	for _, tt := range tests {
		m, status := rt.Match(tt.method, tt.path)
		if status != tt.status || m.Op != tt.op || m.Params["id"] != tt.id {
			t.Errorf("%s %s: status %d op %q id %q; want %d %q %q", tt.method, tt.path, status, m.Op, m.Params["id"], tt.status, tt.op, tt.id)
		}
	}
}

func TestJobPlan_QueuesFailuresInOrderAndClampsDuration(t *testing.T) {
	var p JobPlan
	p.SetJobDuration(-time.Second)
	if p.JobDuration() != 0 {
		t.Errorf("negative duration kept as %s", p.JobDuration())
	}
	p.SetJobDuration(time.Minute)
	p.FailNextJob("first")
	p.FailNextJob("second")
	for _, want := range []string{"first", "second"} {
		if got, ok := p.TakeFailure(); !ok || got != want {
			t.Fatalf("TakeFailure = %q, %v; want %q", got, ok, want)
		}
	}
	if _, ok := p.TakeFailure(); ok || p.JobDuration() != time.Minute {
		t.Fatalf("after the queue: a failure left, or duration %s", p.JobDuration())
	}
}
