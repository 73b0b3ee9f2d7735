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
	})
	workflows.Register(w, acts)
	log.Info("worker started", zap.String("task_queue", cfg.TaskQueue), zap.String("temporal", hostPort(opts)), zap.String("namespace", opts.Namespace))
	stopped := make(chan any)
	go func() { <-ctx.Done(); close(stopped) }()
	if err := w.Run(stopped); err != nil {
		return err
	}
	log.Info("worker stopped")
	return nil
}

// newActivities builds a client for each configured vendor.
func newActivities(cfg config, log *zap.Logger) (*activities.Activities, error) {
	acts := &activities.Activities{}
	ociClient, err := cfg.OCI.client()
	if err != nil {
		return nil, err
	}
	if ociClient != nil {
		acts.OCI = ociClient
		log.Info("vendor configured", zap.String("vendor", "oci"), zap.String("config", cfg.OCI.ConfigFile))
	} else {
		log.Warn("vendor not configured; its steps will fail", zap.String("vendor", "oci"), zap.String("set", "IMAGEPIPE_OCI_CONFIG_FILE"))
	}
	return acts, nil
}

func hostPort(o client.Options) string {
	if o.HostPort == "" {
		return client.DefaultHostPort
	}
	return o.HostPort
}
