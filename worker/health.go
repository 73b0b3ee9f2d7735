package main

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// The readiness check asks Temporal at most once per readyCacheFor, so a
// probe every second costs the frontend one cheap call every few seconds,
// and gives up after readyTimeout, well inside a probe's own timeout.
const (
	readyCacheFor = 2 * time.Second
	readyTimeout  = 2 * time.Second
)

// health answers /healthz (the process serves HTTP) and /readyz (the
// worker polls its task queue and reaches its namespace). A worker that is
// alive but not ready, such as one whose Temporal is down, should get no
// traffic and be left to reconnect, not be restarted.
type health struct {
	// namespace checks that the namespace is reachable now.
	namespace func(context.Context) error

	polling atomic.Bool // the worker's pollers have started and not stopped

	mu      sync.Mutex
	checked time.Time
	last    error
}

// setPolling records whether the worker's pollers run.
func (h *health) setPolling(on bool) { h.polling.Store(on) }

// ready returns why the worker is not ready, or nil.
func (h *health) ready(ctx context.Context) error {
	if !h.polling.Load() {
		return fmt.Errorf("worker not polling its task queue")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if time.Since(h.checked) >= readyCacheFor {
		ctx, cancel := context.WithTimeout(ctx, readyTimeout)
		h.last = h.namespace(ctx)
		cancel()
		h.checked = time.Now()
	}
	return h.last
}

func (h *health) serveHealthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprintln(w, "ok")
}

func (h *health) serveReadyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := h.ready(r.Context()); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "not ready:", err)
		return
	}
	fmt.Fprintln(w, "ready")
}

// opsHandler serves the worker's operational endpoints on one listener.
func opsHandler(h *health, metrics http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metrics)
	mux.HandleFunc("GET /healthz", h.serveHealthz)
	mux.HandleFunc("GET /readyz", h.serveReadyz)
	return mux
}
