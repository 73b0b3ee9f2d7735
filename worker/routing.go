package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.uber.org/zap"
)

// reportRouting says once, soon after a versioned worker starts, whether
// its version takes new pipelines. A version that is not current runs only
// the pipelines pinned to it, and a first deploy, or a release started but
// not yet promoted, would otherwise sit idle without a word. The server
// learns of a version from its first poll, so this looks a few times.
func reportRouting(ctx context.Context, log *zap.Logger, c client.Client, cfg config) {
	if cfg.DeploymentName == "" {
		return
	}
	dep := c.WorkerDeploymentClient().GetHandle(cfg.DeploymentName)
	for range 30 {
		// First wait: a describe before the first poll has registered the
		// version finds no deployment, which the server logs as an error.
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
		d, err := dep.Describe(ctx, client.WorkerDeploymentDescribeOptions{})
		if err == nil && slices.ContainsFunc(d.Info.VersionSummaries, func(s client.WorkerDeploymentVersionSummary) bool {
			return s.Version.BuildID == cfg.BuildID
		}) {
			msg, routed := routingMessage(d.Info.RoutingConfig, cfg)
			if routed {
				log.Info(msg, zap.String("deployment", cfg.DeploymentName), zap.String("build_id", cfg.BuildID))
			} else {
				log.Warn(msg, zap.String("deployment", cfg.DeploymentName), zap.String("build_id", cfg.BuildID))
			}
			return
		}
	}
	log.Warn("worker deployment version not yet known to temporal; see temporal worker deployment describe",
		zap.String("deployment", cfg.DeploymentName), zap.String("build_id", cfg.BuildID))
}

// routingMessage says what r means for the version cfg names, and whether
// new pipelines reach that version.
func routingMessage(r client.WorkerDeploymentRoutingConfig, cfg config) (msg string, routed bool) {
	own := func(v *worker.WorkerDeploymentVersion) bool { return v != nil && v.BuildID == cfg.BuildID }
	switch {
	case own(r.CurrentVersion):
		return "worker deployment version is current: new pipelines start on it", true
	case own(r.RampingVersion):
		return fmt.Sprintf("worker deployment version is ramping: %g%% of new pipelines start on it", r.RampingVersionPercentage), true
	}
	current := "unversioned workers"
	if r.CurrentVersion != nil {
		current = "build " + r.CurrentVersion.BuildID
	}
	return fmt.Sprintf("worker deployment version is not current: it runs only the pipelines pinned to it, and new pipelines start on %s; "+
		"promote it with make promote DEPLOYMENT=%s BUILD_ID=%s", current, cfg.DeploymentName, cfg.BuildID), false
}
