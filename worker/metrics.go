package main

import (
	"io"
	"net/http"
	"time"

	prom "github.com/prometheus/client_golang/prometheus"
	"github.com/uber-go/tally/v4"
	tallyprom "github.com/uber-go/tally/v4/prometheus"
	"go.temporal.io/sdk/client"
	sdktally "go.temporal.io/sdk/contrib/tally"
	"go.uber.org/zap"
)

// metricsReportInterval is how often tally hands what was recorded to the
// Prometheus registry: a scrape sees a value at most this late.
const metricsReportInterval = time.Second

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
	reporter := tallyprom.NewReporter(tallyprom.Options{
		Registerer:       registry,
		DefaultTimerType: tallyprom.HistogramTimerType,
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
