package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A worker that reaches its namespace but has not started polling (or has
// stopped) takes no traffic; one that polls but cannot reach its namespace
// says why.
func TestReadyz_NeedsPollersAndTheNamespace(t *testing.T) {
	down := errors.New("namespace default on temporal at 127.0.0.1:7233: connection refused")
	for _, tt := range []struct {
		name      string
		polling   bool
		namespace error
		code      int
		says      string
	}{
		{"before the pollers start", false, nil, http.StatusServiceUnavailable, "not polling"},
		{"namespace unreachable", true, down, http.StatusServiceUnavailable, "connection refused"},
		{"polling and reachable", true, nil, http.StatusOK, "ready"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := &health{namespace: func(context.Context) error { return tt.namespace }}
			h.setPolling(tt.polling)
			srv := httptest.NewServer(opsHandler(h, http.NotFoundHandler()))
			defer srv.Close()
			code, body := get(srv.URL + "/readyz")
			if code != tt.code || !strings.Contains(body, tt.says) {
				t.Errorf("/readyz = %d %q, want %d saying %q", code, body, tt.code, tt.says)
			}
			if code, _ := get(srv.URL + "/healthz"); code != http.StatusOK {
				t.Errorf("/healthz = %d, want 200 whatever the readiness", code)
			}
		})
	}
}
