package simkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// A dropped request reaches no handler and gets no answer: the client sees
// the connection end, not a status.
func TestFault_DropClosesTheConnectionWithoutAnAnswer(t *testing.T) {
	var f Faults
	f.Inject("Get", Fault{Drop: true}, 1)
	served := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fault, ok := f.Next("Get"); ok && !fault.Wait(r) {
			return
		}
		served++
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	// A POST, so the transport cannot quietly replay it on a new connection.
	resp, err := http.Post(srv.URL, "text/plain", nil)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	if served != 0 {
		t.Fatalf("dropped request was served")
	}
	resp, err = http.Post(srv.URL, "text/plain", nil)
	if err != nil {
		t.Fatalf("request after the drop: %v", err)
	}
	resp.Body.Close()
	if got := f.Injected(); got[KindDropped] != 1 || len(got) != 1 {
		t.Fatalf("injected = %v, want one drop", got)
	}
}

// A slow fault serves the request, late.
func TestFault_SlowServesAfterTheDelay(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	start := time.Now()
	if !(Fault{Delay: 50 * time.Millisecond}).Wait(r) {
		t.Fatal("slow fault said not to answer")
	}
	if took := time.Since(start); took < 50*time.Millisecond {
		t.Fatalf("answered after %s, want at least the 50ms delay", took)
	}
}

func TestChaos_MixGivesEveryKindByWeightAndCountsThem(t *testing.T) {
	var f Faults
	f.StartChaos(Chaos{Rate: 1, Seed: 7, Throttle: 1, ServerError: 1, Drop: 1, Slow: 1,
		MaxRetryAfter: 3 * time.Second, MaxDelay: time.Second})
	kinds := map[string]int{}
	const n = 400
	for range n {
		fault, ok := f.Next("op")
		if !ok {
			t.Fatal("rate 1 served a request")
		}
		kinds[fault.Kind()]++
		if fault.Status == http.StatusTooManyRequests && (fault.RetryAfter < time.Second || fault.RetryAfter > 3*time.Second) {
			t.Fatalf("429 asks for Retry-After %s, want 1s..3s", fault.RetryAfter)
		}
		if fault.Kind() == KindSlow && (fault.Delay < 100*time.Millisecond || fault.Delay > time.Second) {
			t.Fatalf("slow answer held %s, want 100ms..1s", fault.Delay)
		}
	}
	for _, k := range []string{KindThrottled, KindServerError, KindDropped, KindSlow} {
		if kinds[k] < n/8 {
			t.Errorf("%s: %d of %d faults, want about a quarter", k, kinds[k], n)
		}
	}
	got := f.Injected()
	for k, want := range kinds {
		if got[k] != want {
			t.Errorf("Injected()[%s] = %d, drawn %d", k, got[k], want)
		}
	}
}

func TestChaos_DefaultMixIsThrottlingAndServerErrorsOnly(t *testing.T) {
	var f Faults
	f.SetChaos(1, 3)
	for range 200 {
		fault, _ := f.Next("op")
		if k := fault.Kind(); k != KindThrottled && k != KindServerError {
			t.Fatalf("SetChaos gave a %s fault", k)
		}
	}
}

// The wait before a drop ends with the request's context: a client that
// went away is not dropped again.
func TestFault_DropAfterTheClientLeftReturnsQuietly(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest(http.MethodGet, "/", nil).WithContext(ctx)
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Wait panicked with %v for a client that had gone", p)
		}
	}()
	if (Fault{Delay: time.Minute, Drop: true}).Wait(r) {
		t.Fatal("answering a client that went away")
	}
}
