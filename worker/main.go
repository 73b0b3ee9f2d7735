// Command worker runs imagepipe's workflows and vendor activities.
//
// It reads its settings from the environment (see config.go), connects to
// Temporal with the SDK's standard TEMPORAL_* variables, and stops
// gracefully on SIGINT or SIGTERM: it stops polling, lets running
// activities finish for up to IMAGEPIPE_STOP_TIMEOUT, and exits.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/envconfig"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"

	"github.com/imagepipe/imagepipe/activities"
	"github.com/imagepipe/imagepipe/internal/logging"
	"github.com/imagepipe/imagepipe/workflows"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log, err := logging.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()

	acts, err := newActivities(cfg, log)
	if err != nil {
		return err
	}
	opts, err := envconfig.LoadDefaultClientOptions()
	if err != nil {
		return fmt.Errorf("temporal client settings: %w", err)
	}
	opts.Logger = logging.Temporal(log)
	c, err := client.DialContext(ctx, opts)
	if err != nil {
		return fmt.Errorf("connect to temporal at %s: %w", hostPort(opts), err)
	}
	defer c.Close()

	w := worker.New(c, cfg.TaskQueue, worker.Options{
		MaxConcurrentActivityExecutionSize: cfg.MaxConcurrentActivities,
		WorkerStopTimeout:                  cfg.StopTimeout,
		Interceptors:                       []interceptor.WorkerInterceptor{workflows.NewAttemptReporter(c)},
	})
	workflows.Register(w, acts)
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue), zap.String("temporal", hostPort(opts)), zap.String("namespace", namespace(opts)))
	stopped := make(chan any)
	go func() { <-ctx.Done(); close(stopped) }()
	if err := w.Run(stopped); err != nil {
		return err
	}
	log.Info("worker stopped")
	return nil
}

// newActivities builds a client for each configured vendor. A vendor left
// unconfigured is no error: pipelines that do not use it run, and steps
// that do fail at once, saying which settings are missing.
func newActivities(cfg config, log *zap.Logger) (*activities.Activities, error) {
	acts := &activities.Activities{}
	ociClient, err := cfg.OCI.client()
	if err != nil {
		return nil, err
	}
	fppClient, err := cfg.FPP.client()
	if err != nil {
		return nil, err
	}
	huaweiClient, err := cfg.Huawei.client()
	if err != nil {
		return nil, err
	}
	zstackClient, err := cfg.ZStack.client()
	if err != nil {
		return nil, err
	}
	// Assign only non-nil clients: a nil *Client in an interface is not nil.
	configured := func(vendor, where string, ok bool) {
		if ok {
			log.Info("vendor configured", zap.String("vendor", vendor), zap.String("at", where))
		} else {
			log.Warn("vendor not configured; its steps will fail", zap.String("vendor", vendor))
		}
	}
	if ociClient != nil {
		acts.OCI = ociClient
	}
	configured("oci", cfg.OCI.ConfigFile, ociClient != nil)
	if fppClient != nil {
		acts.FPP = fppClient
	}
	configured("fpp", cfg.FPP.Endpoint, fppClient != nil)
	if huaweiClient != nil {
		acts.Huawei = huaweiClient
	}
	configured("huawei", cfg.Huawei.Endpoint, huaweiClient != nil)
	if zstackClient != nil {
		acts.ZStack = zstackClient
	}
	configured("zstack", cfg.ZStack.Endpoint, zstackClient != nil)
	return acts, nil
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
