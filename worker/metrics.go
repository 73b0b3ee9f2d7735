package main

import (
	"io"
	"net/http"
	"time"

	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
	"go.uber.org/zap"
)

// metricsReportInterval is how often tally hands what was recorded to the
// Prometheus registry: a scrape sees a value at most this late.
const metricsReportInterval = time.Second

// timerBuckets are the histogram buckets of every timer, in seconds: the
// reporter's defaults (1 ms to 10 s, for RPCs and vendor calls) and then
// up to a day, since vendor jobs and the SDK's end-to-end latencies run
// for minutes to hours and would otherwise all land in +Inf.
var timerBuckets = append(tallyprom.DefaultHistogramBuckets(),
	30, 60, 5*60, 15*60, 30*60, 3600, 3*3600, 6*3600, 12*3600, 24*3600)

// newMetrics returns the SDK metrics handler that imagepipe's own metrics
// go through too, and the Prometheus handler that serves them.
//
// The names match Temporal's published SDK dashboards
// (github.com/temporalio/dashboards, sdk/): no prefix of our own, since the
// SDK's names already start with temporal_; Prometheus's character rules;
// and the naming scope, which adds _total to counters and _seconds to
// timers, reported as histograms (temporal_request_latency_seconds_bucket).
func newMetrics(log *zap.Logger) (client.MetricsHandler, http.Handler, io.Closer) {
	registry := prom.NewRegistry()
	// The process's memory and goroutines (process_resident_memory_bytes,
	// go_goroutines), so the footprint that IMAGEPIPE_WORKFLOW_CACHE_SIZE
	// bounds can be watched.
	registry.MustRegister(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), collectors.NewGoCollector())
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:              registry,
		DefaultTimerType:        tallyprom.HistogramTimerType,
		DefaultHistogramBuckets: timerBuckets,
		// A metric recorded with other labels than at first is dropped
		// with this, never a panic in the middle of a workflow task.
		OnRegisterError: func(err error) { log.Warn("metric not registered", zap.Error(err)) },
	})
	scope, closer := tally.NewRootScope(tally.ScopeOptions{
		CachedReporter:  reporter,
		Separator:       tallyprom.DefaultSeparator,
		SanitizeOptions: &sdktally.PrometheusSanitizeOptions,
	}, metricsReportInterval)
	return sdktally.NewMetricsHandler(sdktally.NewPrometheusNamingScope(scope)), reporter.HTTPHandler(), closer
}
