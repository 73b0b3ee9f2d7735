package simkit

import (
	"net/http"
	"slices"
	"sync"
	"time"
)

// Kernel is what every emulator's Server embeds and no vendor owns: its
// clock, its fault queue, and the record of the calls that arrived and the
// idempotency keys they carried. A Server embeds a Kernel and so offers
// Faults, Calls and Keys; its ServeHTTP calls Admit (or Record, then
// Inject) once it knows the operation. The zero value runs on the wall
// clock and records no keys.
type Kernel struct {
	// Clock drives the emulator's jobs, sessions and tokens; nil is the
	// wall clock.
	Clock Clock
	// KeyHeader is the request header that carries the vendor's
	// idempotency key (OCI's opc-retry-token, ZStack's X-Job-UUID); empty
	// for a vendor that has none.
	KeyHeader string

	faults Faults
	calls  Calls

	mu   sync.Mutex
	keys map[string][]string
}

// Now is the emulator's time.
func (k *Kernel) Now() time.Time { return k.Clock.Now() }

// Faults is where tests queue 429s, 5xx, drops and delays per operation.
func (k *Kernel) Faults() *Faults { return &k.faults }

// Calls is how many requests of operation op arrived, whatever their answer.
func (k *Kernel) Calls(op string) int { return k.calls.Count(op) }

// Keys are the idempotency keys requests of operation op carried, in the
// order they arrived, one per request that had one: a test reads them to
// prove every attempt of a step sent the same key.
func (k *Kernel) Keys(op string) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.keys[op])
}

// Record counts a request of operation op and keeps its idempotency key.
func (k *Kernel) Record(op string, r *http.Request) {
	k.calls.Add(op)
	if k.KeyHeader == "" {
		return
	}
	if key := r.Header.Get(k.KeyHeader); key != "" {
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.keys == nil {
			k.keys = map[string][]string{}
		}
		k.keys[op] = append(k.keys[op], key)
	}
}

// Inject applies the next fault queued for op, if any: it waits out the
// fault's delay, drops the connection for a Drop, and has render write an
// error answer in the vendor's shape for a status. It reports whether the
// request is still to be served.
func (k *Kernel) Inject(w http.ResponseWriter, r *http.Request, op string, render func(http.ResponseWriter, *http.Request, Fault)) bool {
	fault, ok := k.faults.Next(op)
	if !ok {
		return true
	}
	if !fault.Wait(r) {
		return false
	}
	if fault.Status != 0 {
		render(w, r, fault)
		return false
	}
	return true
}

// Admit is Record then Inject, the order most vendors meet a request in:
// an overloaded front end answers before anything checks the request.
func (k *Kernel) Admit(w http.ResponseWriter, r *http.Request, op string, render func(http.ResponseWriter, *http.Request, Fault)) bool {
	k.Record(op, r)
	return k.Inject(w, r, op, render)
}
