package main

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestMetrics_ServeTheWorkersMemoryAndGoroutines(t *testing.T) {
	_, handler, closer := newMetrics(zap.NewNop())
	defer closer.Close()
	rec := httptest.NewRecorder()
	handler.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	// What IMAGEPIPE_WORKFLOW_CACHE_SIZE bounds, for an operator to watch.
	for _, name := range []string{"process_resident_memory_bytes", "go_goroutines"} {
		if !strings.Contains(string(body), "\n"+name+" ") {
			t.Errorf("/metrics has no %s", name)
		}
	}
}
