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
	// Drop closes the connection instead of answering, after any Delay: the
	// request is not served and the client sees the connection end with no
	// answer, as when a load balancer or the vendor's node dies mid-request.
	// Wait does it, so every emulator that calls Wait drops requests
	// without knowing about drops.
	Drop bool
}

// Kind names what a fault does, for the counts Injected returns.
func (fault Fault) Kind() string {
	switch {
	case fault.Drop:
		return KindDropped
	case fault.Status == http.StatusTooManyRequests:
		return KindThrottled
	case fault.Status >= 500:
		return KindServerError
	case fault.Status != 0:
		return KindRefused
	default:
		return KindSlow
	}
}

// Fault kinds, as Kind names them.
const (
	KindThrottled   = "429"
	KindServerError = "5xx"
	KindDropped     = "dropped"
	KindSlow        = "slow"
	KindRefused     = "4xx"
)

// Faults is a per-operation queue of injected faults plus an optional random
// failure rate. The zero value is ready to use and injects nothing.
type Faults struct {
	mu       sync.Mutex
	queued   map[string][]Fault
	chaos    Chaos
	rng      *rand.Rand
	injected map[string]int
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
	f.StartChaos(Chaos{Rate: rate, Seed: seed})
}

// StartChaos makes requests fail at random as c describes, replacing any
// chaos set before.
func (f *Faults) StartChaos(c Chaos) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.chaos = c.withDefaults()
	f.rng = rand.New(rand.NewPCG(c.Seed, c.Seed^0x9e3779b97f4a7c15))
}

// Injected counts the faults given so far, queued and random, by Kind.
func (f *Faults) Injected() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.injected))
	for k, n := range f.injected {
		out[k] = n
	}
	return out
}

// Next returns the fault to apply to a request of operation op, consuming it,
// or false when the request should be served.
func (f *Faults) Next(op string) (Fault, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fault, ok := f.next(op)
	if ok {
		if f.injected == nil {
			f.injected = map[string]int{}
		}
		f.injected[fault.Kind()]++
	}
	return fault, ok
}

func (f *Faults) next(op string) (Fault, bool) {
	for _, key := range []string{op, "*"} {
		if q := f.queued[key]; len(q) > 0 {
			f.queued[key] = q[1:]
			return q[0], true
		}
	}
	if f.chaos.Rate > 0 && f.rng.Float64() < f.chaos.Rate {
		return f.chaos.draw(f.rng), true
	}
	return Fault{}, false
}

// Wait sleeps for the fault's Delay, returning early when r's context ends.
// It reports whether the request is still worth answering. For a Drop it
// then aborts the handler with http.ErrAbortHandler, which net/http turns
// into a closed connection (a reset stream on HTTP/2) with nothing written.
func (fault Fault) Wait(r *http.Request) bool {
	if fault.Delay > 0 {
		t := time.NewTimer(fault.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return false
		}
	}
	if fault.Drop {
		panic(http.ErrAbortHandler)
	}
	return true
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
