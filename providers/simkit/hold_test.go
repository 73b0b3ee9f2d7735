package simkit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// vendorStub acts on every POST (counting it) and answers 202, or 409 while
// refuse is set.
func vendorStub(acted *atomic.Int32, refuse *atomic.Bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if refuse.Load() {
			w.WriteHeader(http.StatusConflict)
			return
		}
		acted.Add(1)
		w.Header().Set("Location", "/jobs/1")
		w.WriteHeader(http.StatusAccepted)
		_, _ = io.WriteString(w, `{"job":1}`)
	})
}

func isPost(r *http.Request) bool { return r.Method == http.MethodPost }

func TestHold_DroppedAnswerLeavesTheEffectAndCutsTheCaller(t *testing.T) {
	var holds Holds
	var acted atomic.Int32
	var refuse atomic.Bool
	srv := httptest.NewServer(holds.Wrap(vendorStub(&acted, &refuse)))
	defer srv.Close()

	hd := holds.Arm(isPost)
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/images", "application/json", nil)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	select {
	case <-hd.Caught():
	case <-time.After(10 * time.Second):
		t.Fatal("the accepted call was not caught")
	}
	if n := acted.Load(); n != 1 {
		t.Fatalf("vendor acted %d times before the answer was released, want 1", n)
	}
	if req, status := hd.Request(); req != "POST /images" || status != http.StatusAccepted {
		t.Fatalf("caught %q with %d, want POST /images with 202", req, status)
	}
	select {
	case err := <-errc:
		t.Fatalf("caller got its answer while it was held (err %v)", err)
	default:
	}
	hd.Drop()
	if err := <-errc; err == nil {
		t.Fatal("caller got an answer that was dropped")
	}
}

func TestHold_RefusedCallPassesAndTheHoldWaitsForAnAcceptedOne(t *testing.T) {
	var holds Holds
	var acted atomic.Int32
	var refuse atomic.Bool
	srv := httptest.NewServer(holds.Wrap(vendorStub(&acted, &refuse)))
	defer srv.Close()

	hd := holds.Arm(isPost)
	refuse.Store(true)
	resp, err := http.Post(srv.URL+"/images", "application/json", nil)
	if err != nil || resp.StatusCode != http.StatusConflict {
		t.Fatalf("refused call: %v, %v; want its 409 at once", resp, err)
	}
	resp.Body.Close()
	if got, _ := http.Get(srv.URL + "/images/x"); got != nil {
		got.Body.Close() // a GET the hold does not match is served as is
	}
	select {
	case <-hd.Caught():
		t.Fatal("a refused call was caught")
	default:
	}

	refuse.Store(false)
	done := make(chan *http.Response, 1)
	go func() {
		resp, err := http.Post(srv.URL+"/images", "application/json", nil)
		if err != nil {
			t.Error(err)
		}
		done <- resp
	}()
	<-hd.Caught()
	hd.Deliver()
	resp = <-done
	if resp == nil {
		t.Fatal("no answer delivered")
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted || resp.Header.Get("Location") != "/jobs/1" || string(body) != `{"job":1}` {
		t.Fatalf("delivered %d %q %q, want the vendor's answer unchanged", resp.StatusCode, resp.Header.Get("Location"), body)
	}
}

func TestHolds_DisarmedHoldCatchesNothing(t *testing.T) {
	var holds Holds
	var acted atomic.Int32
	var refuse atomic.Bool
	srv := httptest.NewServer(holds.Wrap(vendorStub(&acted, &refuse)))
	defer srv.Close()

	hd := holds.Arm(isPost)
	if holds.Disarm(hd) {
		t.Fatal("Disarm says a call was caught before any arrived")
	}
	resp, err := http.Post(srv.URL+"/images", "application/json", nil)
	if err != nil || resp.StatusCode != http.StatusAccepted {
		t.Fatalf("call after disarm: %v, %v", resp, err)
	}
	resp.Body.Close()
}
