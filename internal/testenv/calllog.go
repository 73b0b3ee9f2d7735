package testenv

import (
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.temporal.io/sdk/activity"
)

// Call is one request a vendor client sent, as the client saw it: when it
// left and when its answer (or the error) came back, and the workflow and
// activity it was sent for.
type Call struct {
	Vendor     string
	Method     string
	Path       string
	WorkflowID string // empty for a request made outside an activity
	ActivityID string
	Attempt    int32
	// Deadline is when the attempt the call was sent from ran out of time
	// (its StartToClose or ScheduleToClose); zero outside an activity.
	Deadline   time.Time
	Start, End time.Time
	Status     int // 0: no answer (dropped, lost, timed out)
	// RetryAfter is how long the answer asked the client to wait before
	// trying again (Retry-After in seconds), zero when it did not ask.
	RetryAfter time.Duration
}

// Op is the operation the call was: its method and resource path.
func (c Call) Op() string { return c.Method + " " + c.Path }

// CallLog records every request of the clients it wraps, so a test can
// check how they retried: that no retry came sooner than the vendor's
// Retry-After asked. It is safe for concurrent use.
type CallLog struct {
	mu    sync.Mutex
	calls []Call
}

// Wrap records vendor's requests as its client sees them: outside inner
// (which may lose answers), so a lost answer is recorded as no answer.
func (l *CallLog) Wrap(vendor string, inner Wrap) Wrap {
	return func(base http.RoundTripper) http.RoundTripper {
		if inner != nil {
			base = inner(base)
		}
		return &recorder{log: l, vendor: vendor, next: base}
	}
}

type recorder struct {
	log    *CallLog
	vendor string
	next   http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	c := Call{Vendor: r.vendor, Method: req.Method, Path: req.URL.Path, Start: time.Now()}
	if ctx := req.Context(); activity.IsActivity(ctx) {
		info := activity.GetInfo(ctx)
		c.WorkflowID, c.ActivityID, c.Attempt, c.Deadline = info.WorkflowExecution.ID, info.ActivityID, info.Attempt, info.Deadline
	}
	resp, err := r.next.RoundTrip(req)
	c.End = time.Now()
	if err == nil {
		c.Status = resp.StatusCode
		if secs, perr := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); perr == nil && secs > 0 {
			c.RetryAfter = time.Duration(secs) * time.Second
		}
	}
	r.log.mu.Lock()
	r.log.calls = append(r.log.calls, c)
	r.log.mu.Unlock()
	return resp, err
}

// Calls returns the calls recorded so far, in the order they were sent.
func (l *CallLog) Calls() []Call {
	l.mu.Lock()
	out := append([]Call(nil), l.calls...)
	l.mu.Unlock()
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	return out
}

// EarlyRetry is an answer that asked for a wait, and the next request of
// the same operation by the same activity, sent before the wait was over.
type EarlyRetry struct {
	Asked, Next Call
}

// Gap is how long the client waited after the answer.
func (e EarlyRetry) Gap() time.Duration { return e.Next.Start.Sub(e.Asked.End) }

func (e EarlyRetry) String() string {
	return fmt.Sprintf("%s %s for %s/%s: %d to attempt %d (sent %s, answered %s) asked to wait %s, attempt %d came %s later",
		e.Asked.Vendor, e.Asked.Op(), e.Asked.WorkflowID, e.Asked.ActivityID, e.Asked.Status, e.Asked.Attempt,
		e.Asked.Start.Format("15:04:05.000"), e.Asked.End.Format("15:04:05.000"),
		e.Asked.RetryAfter, e.Next.Attempt, e.Gap().Round(time.Millisecond))
}

// RetryWait is an answer that asked for a wait, and the next request of
// the same operation by the same activity (its retry), when there was one.
type RetryWait struct {
	Asked Call
	Next  *Call
}

// Waits pairs every answer that sent a Retry-After with the next request
// of the same operation from the same activity of the same workflow: the
// retry the answer was about. Requests sent outside an activity are left
// out, having no retry to pair with.
func (l *CallLog) Waits() []RetryWait {
	calls := l.Calls()
	var out []RetryWait
	for i, c := range calls {
		if c.RetryAfter <= 0 || c.WorkflowID == "" {
			continue
		}
		w := RetryWait{Asked: c}
		for j := i + 1; j < len(calls); j++ {
			n := calls[j]
			if n.Vendor == c.Vendor && n.WorkflowID == c.WorkflowID && n.ActivityID == c.ActivityID && n.Op() == c.Op() && n.Start.After(c.Start) {
				w.Next = &calls[j]
				break
			}
		}
		out = append(out, w)
	}
	return out
}

// timerPrecision is how early Temporal's timer for a retry may fire: the
// server schedules a retry on its wall clock and its timer queue fires a
// few milliseconds either side (seen: 1-6 ms early in CI). A client that
// ignored Retry-After would come back at its own backoff instead, hundreds
// of milliseconds to seconds early, which this tolerance still catches.
const timerPrecision = 25 * time.Millisecond

// wallGap is the time from a to b on the wall clock, the clock the server
// schedules retries by (Go's monotonic reading would differ from it while
// the wall clock is being slewed).
func wallGap(a, b time.Time) time.Duration { return b.Round(0).Sub(a.Round(0)) }

// EarlyRetries are the retries that came sooner than the vendor asked. An
// answer that came after its attempt's deadline is left out: Temporal had
// already timed that attempt out and scheduled the next one, so no client
// could have honoured the wait it asked for (on a loaded machine an
// attempt can sit past its deadline before its request even leaves).
func (l *CallLog) EarlyRetries() []EarlyRetry {
	var out []EarlyRetry
	for _, w := range l.Waits() {
		if !w.Asked.Deadline.IsZero() && w.Asked.End.After(w.Asked.Deadline) {
			continue
		}
		if w.Next != nil && wallGap(w.Asked.End, w.Next.Start) < w.Asked.RetryAfter-timerPrecision {
			out = append(out, EarlyRetry{Asked: w.Asked, Next: *w.Next})
		}
	}
	return out
}
