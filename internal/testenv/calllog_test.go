package testenv

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"go.temporal.io/sdk/testsuite"
)

// The log pairs a throttled answer with the same activity's next request
// of the operation, and calls it early when it beat the Retry-After.
func TestCallLog_FindsARetrySoonerThanRetryAfter(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	}))
	defer srv.Close()

	for _, tc := range []struct {
		name  string
		wait  time.Duration
		early int
	}{
		{"retry at once", 0, 1},
		{"retry after the wait", 1100 * time.Millisecond, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n.Store(0)
			var log CallLog
			hc := &http.Client{Transport: log.Wrap("test", nil)(http.DefaultTransport)}
			get := func(ctx context.Context) error {
				resp, err := hc.Do(mustRequest(ctx, srv.URL+"/things/1"))
				if err != nil {
					return err
				}
				return resp.Body.Close()
			}
			var s testsuite.WorkflowTestSuite
			env := s.NewTestActivityEnvironment()
			twice := func(ctx context.Context) error {
				if err := get(ctx); err != nil {
					return err
				}
				time.Sleep(tc.wait)
				return get(ctx)
			}
			env.RegisterActivity(twice)
			if _, err := env.ExecuteActivity(twice); err != nil {
				t.Fatal(err)
			}
			if err := get(context.Background()); err != nil {
				t.Fatal(err) // outside an activity: never paired
			}
			if got := log.EarlyRetries(); len(got) != tc.early {
				t.Fatalf("early retries = %v, want %d", got, tc.early)
			}
			if w := log.Waits(); len(w) != 1 || w[0].Next == nil {
				t.Fatalf("waits = %+v, want the 429 paired with its retry", w)
			}
		})
	}
}

func mustRequest(ctx context.Context, url string) *http.Request {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	return r
}

// An answer that came back after its attempt's deadline asked a wait no
// client could honour: Temporal had already timed the attempt out and
// scheduled the next one. Only an answer within the deadline counts.
func TestCallLog_AnAnswerAfterItsAttemptsDeadlineIsNoEarlyRetry(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		deadline time.Time
		early    int
	}{
		{"answered within the deadline", t0.Add(15 * time.Second), 1},
		{"answered after the deadline", t0.Add(500 * time.Millisecond), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log CallLog
			asked := Call{Vendor: "huawei", Method: "GET", Path: "/v1/p/jobs/j1", WorkflowID: "w", ActivityID: "7", Attempt: 3,
				Deadline: tc.deadline, Start: t0, End: t0.Add(time.Second), Status: 503, RetryAfter: 2 * time.Second}
			next := Call{Vendor: "huawei", Method: "GET", Path: "/v1/p/jobs/j1", WorkflowID: "w", ActivityID: "7", Attempt: 4,
				Start: t0.Add(time.Second + 63*time.Millisecond), End: t0.Add(1100 * time.Millisecond), Status: 200}
			log.calls = []Call{asked, next}
			if got := log.EarlyRetries(); len(got) != tc.early {
				t.Fatalf("early retries = %v, want %d", got, tc.early)
			}
		})
	}
}

// A retry a few milliseconds short of the wait is the server timer's
// precision; one a client sent at its own backoff is early.
func TestCallLog_ARetryWithinTheTimersPrecisionIsNotEarly(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		gap   time.Duration
		early int
	}{
		{"2.995s after a 3s wait", 2995 * time.Millisecond, 0},
		{"1s after a 3s wait", time.Second, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var log CallLog
			asked := Call{Vendor: "oci", Method: "POST", Path: "/20160918/compartments", WorkflowID: "w", ActivityID: "4", Attempt: 2,
				Deadline: t0.Add(time.Minute), Start: t0, End: t0.Add(time.Millisecond), Status: 429, RetryAfter: 3 * time.Second}
			next := Call{Vendor: "oci", Method: "POST", Path: "/20160918/compartments", WorkflowID: "w", ActivityID: "4", Attempt: 3,
				Start: asked.End.Add(tc.gap), End: asked.End.Add(tc.gap + time.Millisecond), Status: 200}
			log.calls = []Call{asked, next}
			if got := log.EarlyRetries(); len(got) != tc.early {
				t.Fatalf("early retries = %v, want %d", got, tc.early)
			}
		})
	}
}
