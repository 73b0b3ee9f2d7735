package bench

import (
	"bytes"
	"net/http"
	"sync"
	"time"

	"github.com/imagepipe/imagepipe/providers/simkit"
)

// call is one request a vendor emulator answered.
type call struct {
	At     time.Time // on the emulators' clock
	Vendor string
	Method string
	Path   string
	Status int
	Body   string // the answer's first bytes
}

// callLog records every vendor request, when told to, on the emulators'
// clock: the job waits read from it when a job was made, how often it was
// looked at, and when a look first found it done.
type callLog struct {
	clock simkit.Clock
	mu    sync.Mutex
	on    bool
	calls []call
}

func newCallLog(clock simkit.Clock) *callLog {
	if clock == nil {
		clock = time.Now
	}
	return &callLog{clock: clock}
}

// record starts recording afresh.
func (l *callLog) record() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on, l.calls = true, nil
}

// stop stops recording and returns what was recorded.
func (l *callLog) stop() []call {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.on = false
	return l.calls
}

func (l *callLog) wrap(vendor string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		on := l.on
		l.mu.Unlock()
		if !on {
			h.ServeHTTP(w, r)
			return
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		l.add(call{At: l.clock(), Vendor: vendor, Method: r.Method, Path: r.URL.Path, Status: rec.status, Body: rec.body.String()})
	})
}

// add records c while recording is on.
func (l *callLog) add(c call) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.on {
		l.calls = append(l.calls, c)
	}
}

// recorder keeps the status and the first bytes of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if n := 4096 - r.body.Len(); n > 0 {
		r.body.Write(b[:min(n, len(b))])
	}
	return r.ResponseWriter.Write(b)
}
