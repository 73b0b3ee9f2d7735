package simkit

import (
	"bytes"
	"net/http"
	"sync"
)

// Holds opens, on request, the most dangerous window a caller of a vendor
// has: the vendor accepted a mutating call and acted on it, and its answer
// has not reached the caller yet. A test arms a Hold, the wrapped emulator
// serves the next matching call in full (its effect happens) and keeps the
// answer back; the test then does what it came to do in that window (kill
// the worker process that made the call, say) and drops or delivers the
// answer. The zero value is ready to use and holds nothing.
type Holds struct {
	mu    sync.Mutex
	armed []*Hold
}

// Hold is one armed window. Match picks the calls it may catch; only an
// accepted call (a 2xx answer) is held, so a refused or faulted one passes
// and the hold stays armed.
type Hold struct {
	match    func(*http.Request) bool
	caught   chan struct{}
	decided  chan bool // true: deliver the answer; false: drop it
	request  string    // "METHOD path" of the call caught
	status   int
	released sync.Once
}

// Arm makes the next accepted call that match reports true for wait in the
// window until the Hold is dropped or delivered.
func (h *Holds) Arm(match func(*http.Request) bool) *Hold {
	hd := &Hold{match: match, caught: make(chan struct{}), decided: make(chan bool, 1)}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.armed = append(h.armed, hd)
	return hd
}

// Disarm withdraws hd if no call was caught yet. It reports whether a call
// was caught (then the caller must still Drop or Deliver it).
func (h *Holds) Disarm(hd *Hold) (caught bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, a := range h.armed {
		if a == hd {
			h.armed = append(h.armed[:i], h.armed[i+1:]...)
			return false
		}
	}
	return true
}

// claim takes the first armed hold matching r, so each hold catches one call.
func (h *Holds) claim(r *http.Request) *Hold {
	h.mu.Lock()
	defer h.mu.Unlock()
	for i, a := range h.armed {
		if a.match(r) {
			h.armed = append(h.armed[:i], h.armed[i+1:]...)
			return a
		}
	}
	return nil
}

// wanted reports whether any armed hold could catch r.
func (h *Holds) wanted(r *http.Request) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, a := range h.armed {
		if a.match(r) {
			return true
		}
	}
	return false
}

// Caught is closed once the vendor accepted a matching call and its answer
// is being held.
func (hd *Hold) Caught() <-chan struct{} { return hd.caught }

// Request is the caught call, as "METHOD path", and the status of the
// answer held back; empty until Caught is closed.
func (hd *Hold) Request() (string, int) {
	select {
	case <-hd.caught:
		return hd.request, hd.status
	default:
		return "", 0
	}
}

// Drop loses the held answer (a no-op when the caller already went away): the caller's connection is cut without a
// response, as when the network or the caller dies after the vendor acted.
func (hd *Hold) Drop() { hd.released.Do(func() { hd.decided <- false }) }

// Deliver lets the held answer go to the caller, late.
func (hd *Hold) Deliver() { hd.released.Do(func() { hd.decided <- true }) }

// Wrap serves next, holding the answers of calls an armed Hold catches.
func (h *Holds) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !h.wanted(r) {
			next.ServeHTTP(w, r)
			return
		}
		buf := &bufferedAnswer{header: http.Header{}}
		next.ServeHTTP(buf, r)
		if buf.status == 0 {
			buf.status = http.StatusOK
		}
		var hd *Hold
		if buf.status >= 200 && buf.status < 300 {
			hd = h.claim(r)
		}
		if hd == nil {
			buf.writeTo(w)
			return
		}
		hd.request, hd.status = r.Method+" "+r.URL.Path, buf.status // claim gave hd to this call alone
		close(hd.caught)
		select {
		case deliver := <-hd.decided:
			if deliver {
				buf.writeTo(w)
				return
			}
		case <-r.Context().Done(): // the caller is gone: nobody to answer
		}
		// net/http closes the connection without an answer, and logs nothing.
		panic(http.ErrAbortHandler)
	})
}

// bufferedAnswer is an answer kept back instead of written.
type bufferedAnswer struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedAnswer) Header() http.Header { return b.header }

func (b *bufferedAnswer) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedAnswer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedAnswer) writeTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
