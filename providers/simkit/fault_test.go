package simkit

import (
	"net/http"
	"testing"
	"time"
)

func TestFaults_QueuedFaultsApplyInOrderThenStop(t *testing.T) {
	var f Faults
	f.Inject("Copy", Fault{Status: 429, RetryAfter: 2 * time.Second}, 2)
	f.Inject("*", Fault{Status: 503}, 1)

	for i, want := range []int{429, 429, 503} {
		got, ok := f.Next("Copy")
		if !ok || got.Status != want {
			t.Fatalf("request %d: got %v,%v want status %d", i, got, ok, want)
		}
	}
	if got, ok := f.Next("Copy"); ok {
		t.Fatalf("queue drained, still got fault %+v", got)
	}
}

func TestFaults_ChaosIsRepeatableForASeed(t *testing.T) {
	run := func() []int {
		var f Faults
		f.SetChaos(0.5, 42)
		var out []int
		for range 50 {
			fault, _ := f.Next("op")
			out = append(out, fault.Status)
		}
		return out
	}
	a, b := run(), run()
	failed := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("request %d differs between runs: %d vs %d", i, a[i], b[i])
		}
		if a[i] != 0 {
			failed++
		}
	}
	if failed < 10 || failed > 40 {
		t.Fatalf("chaos rate 0.5 failed %d of 50 requests", failed)
	}
}

func TestSetRetryAfter_RoundsUpToWholeSeconds(t *testing.T) {
	h := http.Header{}
	SetRetryAfter(h, 1500*time.Millisecond)
	if got := h.Get("Retry-After"); got != "2" {
		t.Fatalf("Retry-After = %q, want 2", got)
	}
}
