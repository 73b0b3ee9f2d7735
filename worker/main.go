// Command worker runs imagepipe's workflows and vendor activities.
//
// It reads its settings from the environment (see config.go), connects to
// Temporal with the SDK's standard TEMPORAL_* variables, and stops
// gracefully on SIGINT or SIGTERM: it stops polling, lets running
// activities finish for up to IMAGEPIPE_STOP_TIMEOUT, and exits.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/internal/temporalconf"
	"github.com/imagepipe/imagepipe/workflows"
)

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "version") {
		printVersion(os.Stdout)
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, acts, err := loadSettings()
	if err != nil {
		return err
	}
	log, err := logging.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	logVendors(log, cfg, acts)
	logNotifyVariables(log, cfg, os.Environ())

	opts := cfg.temporal.WorkerOptions()
	opts.Logger = logging.Temporal(log)
	if codec := cfg.temporal.Codec; codec != nil {
		log.Info("payload encryption on", zap.String("encrypt_key_id", codec.EncryptKeyID()), zap.Strings("decrypt_key_ids", codec.KeyIDs()))
	}
	h := &health{}
	if cfg.MetricsAddr != "" {
		stopOps, err := serveOps(log, cfg.MetricsAddr, h, &opts)
		if err != nil {
			return err
		}
		defer stopOps()
	}
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return fmt.Errorf("connect to temporal at %s: %w", hostPort(opts), err)
	}
	defer c.Close()
	describe := func(ctx context.Context) error {
		_, err := c.WorkflowService().DescribeNamespace(ctx, &workflowservice.DescribeNamespaceRequest{Namespace: namespace(opts)})
		return err
	}
	// Fail, naming where the namespace came from, when the namespace the
	// worker would poll does not exist: the SDK would only find out once
	// the worker had announced itself started.
	if err := awaitNamespace(ctx, log, describe, namespace(opts), cfg.temporal.NamespaceSource, hostPort(opts), namespacePatience); err != nil {
		return err
	}
	h.namespace = func(ctx context.Context) error {
		if err := describe(ctx); err != nil {
			return fmt.Errorf("namespace %s on temporal at %s: %w", namespace(opts), hostPort(opts), err)
		}
		return nil
	}

	fatal := make(chan error, 1)
	applyWorkflowCache(cfg)
	wopts := workerOptions(cfg)
	wopts.Interceptors = []interceptor.WorkerInterceptor{logging.ActivityLog(log), workflows.NewAttemptReporter(c), &vendorCalls{vendors: workflows.Default()}}
	wopts.OnFatalError = func(err error) { fatal <- err }
	wopts.DeploymentOptions = cfg.deploymentOptions()
	w := worker.New(c, cfg.TaskQueue, wopts)
	workflows.Register(w, workflows.Default(), append(acts.activities, notifications(cfg))...)
	if err := w.Start(); err != nil {
		closeVendors(log, acts)
		return err
	}
	h.setPolling(true)
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue), zap.String("temporal", hostPort(opts)),
		zap.String("namespace", namespace(opts)), zap.String("metrics", cfg.MetricsAddr),
		zap.String("deployment", cfg.DeploymentName), zap.String("build_id", cfg.BuildID))
	go reportRouting(ctx, log, c, cfg)
	select {
	case <-ctx.Done():
	case err = <-fatal:
	}
	h.setPolling(false)
	w.Stop()
	closeVendors(log, acts)
	if err != nil {
		return err
	}
	log.Info("worker stopped")
	return nil
}

// serveOps serves /metrics, /healthz and /readyz on addr until the
// returned stop is called, and points the Temporal client's metrics at it.
// It listens before the worker connects, so a port already taken fails
// the start at once, naming the variable.
func serveOps(log *zap.Logger, addr string, h *health, opts *client.Options) (stop func(), err error) {
	handler, metricsHTTP, closer := newMetrics(log)
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		_ = closer.Close()
		return nil, fmt.Errorf("IMAGEPIPE_METRICS_ADDR=%q: %w", addr, err)
	}
	opts.MetricsHandler = handler
	srv := &http.Server{Handler: opsHandler(h, metricsHTTP), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("metrics and health endpoints stopped", zap.Error(err))
		}
	}()
	log.Info("serving /metrics, /healthz and /readyz", zap.String("at", ln.Addr().String()))
	return func() {
		_ = srv.Close()
		_ = closer.Close()
	}, nil
}

// closeVendors ends what the vendor clients hold open on the vendors' side
// once no activity runs any more (an io.Closer client): a vendor may cap
// the sessions of an account, and each worker restart would otherwise
// leave one behind until it expires.
func closeVendors(log *zap.Logger, acts *vendorSet) {
	for _, c := range acts.clients {
		if closer, ok := c.(io.Closer); ok {
			if err := closer.Close(); err != nil {
				log.Warn("vendor session not closed", zap.Error(err))
			}
		}
	}
}

// loadSettings reads and checks every setting, the vendors' and the
// Temporal connection's included, and reports all their problems at once.
func loadSettings() (config, *vendorSet, error) {
	cfg, err := loadConfig()
	tc, tcErr := temporalconf.Load()
	cfg.temporal, cfg.TaskQueue = tc, tc.TaskQueue
	acts, actsErr := newActivities(cfg)
	return cfg, acts, joinSettings(append([]error{err, actsErr}, leaves(tcErr)...)...)
}

// vendorSet is the vendors this worker has clients for.
type vendorSet struct {
	activities []any           // each vendor's activities, for workflows.Register
	clients    []any           // what closeVendors ends
	configured map[string]bool // by vendor name
}

// add keeps a configured vendor's client and activities.
func (v *vendorSet) add(vendor string, client, acts any) {
	v.activities = append(v.activities, acts)
	v.clients = append(v.clients, client)
	v.configured[vendor] = true
}

// newActivities builds a client for each configured vendor, and reports
// the problems of every vendor's settings at once. A vendor left
// unconfigured is no error: pipelines that do not use it run, and steps
// that do fail at once, saying which settings are missing.
func newActivities(cfg config) (*vendorSet, error) {
	acts := &vendorSet{configured: map[string]bool{}}
	type built struct {
		name          string
		client, calls any
	}
	var ok []built
	var errs []error
	for _, v := range cfg.vendors {
		client, calls, err := v.connect()
		errs = append(errs, err)
		if client != nil {
			ok = append(ok, built{v.name, client, calls})
		}
	}
	if err := withoutUnreadable(joinSettings(errs...), cfg.unreadableSecrets); err != nil {
		return nil, err
	}
	for _, b := range ok {
		acts.add(b.name, b.client, b.calls)
	}
	return acts, nil
}

// logVendors says which vendors this worker can reach, and where.
func logVendors(log *zap.Logger, cfg config, acts *vendorSet) {
	for _, v := range cfg.vendors {
		if acts.configured[v.name] {
			log.Info("vendor configured", zap.String("vendor", v.name), zap.String("at", v.where()))
		} else {
			log.Warn("vendor not configured; its steps will fail", zap.String("vendor", v.name))
		}
	}
}

func isNotFound(err error) bool {
	var nf *serviceerror.NotFound
	return errors.As(err, &nf)
}

func namespace(o client.Options) string {
	if o.Namespace == "" {
		return client.DefaultNamespace
	}
	return o.Namespace
}

func hostPort(o client.Options) string {
	if o.HostPort == "" {
		return client.DefaultHostPort
	}
	return o.HostPort
}
