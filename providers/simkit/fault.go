package simkit

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is an answer an emulator gives instead of serving a request.
type Fault struct {
	// Status is the HTTP status to answer with, e.g. 429 or 503. Zero with a
	// Delay set means "serve the request normally, but late".
	Status int
	// Code and Message are the vendor error code and text; each emulator
	// supplies its own defaults per status when they are empty.
	Code    string
	Message string
	// RetryAfter, when positive, is sent as a Retry-After header in seconds.
	RetryAfter time.Duration
	// Delay holds the answer back this long (or until the request's context
	// ends), to provoke client and activity timeouts.
	Delay time.Duration
}

// Faults is a per-operation queue of injected faults plus an optional random
// failure rate. The zero value is ready to use and injects nothing.
type Faults struct {
	mu        sync.Mutex
	queued    map[string][]Fault
	chaosRate float64
	rng       *rand.Rand
}

// Inject queues fault for the next times requests of operation op (an
// emulator's operation name, e.g. "CreateCompartment"; "*" matches any).
func (f *Faults) Inject(op string, fault Fault, times int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.queued == nil {
		f.queued = map[string][]Fault{}
	}
	for range max(times, 1) {
		f.queued[op] = append(f.queued[op], fault)
	}
}

// SetChaos makes a fraction rate (0..1) of all requests fail at random with
// 429 (with Retry-After) or 500/503, from a generator seeded with seed so a
// run can be repeated.
func (f *Faults) SetChaos(rate float64, seed uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chaosRate = rate
	f.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
}

// Next returns the fault to apply to a request of operation op, consuming it,
// or false when the request should be served.
func (f *Faults) Next(op string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, key := range []string{op, "*"} {
		if q := f.queued[key]; len(q) > 0 {
			f.queued[key] = q[1:]
			return q[0], true
		}
	}
	if f.chaosRate > 0 && f.rng.Float64() < f.chaosRate {
		switch f.rng.IntN(3) {
		case 0:
			return Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Second}, true
		case 1:
			return Fault{Status: http.StatusInternalServerError}, true
		default:
			return Fault{Status: http.StatusServiceUnavailable}, true
		}
	}
	return Fault{}, false
}

// Wait sleeps for the fault's Delay, returning early when r's context ends.
// It reports whether the request is still worth answering.
func (fault Fault) Wait(r *http.Request) bool {
	if fault.Delay <= 0 {
		return true
	}
	t := time.NewTimer(fault.Delay)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	}
}

// SetRetryAfter writes the Retry-After header for a positive d, rounded up to
// whole seconds as RFC 9110 requires.
func SetRetryAfter(h http.Header, d time.Duration) {
	if d <= 0 {
		return
	}
	secs := int((d + time.Second - 1) / time.Second)
	h.Set("Retry-After", strconv.Itoa(secs))
}
