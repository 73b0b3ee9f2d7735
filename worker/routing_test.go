package main

import (
	"strings"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
)

func TestRoutingMessage_SaysWhetherNewPipelinesReachThisVersion(t *testing.T) {
	cfg := config{DeploymentName: "imagepipe", BuildID: "r2"}
	v := func(b string) *worker.WorkerDeploymentVersion {
		return &worker.WorkerDeploymentVersion{DeploymentName: "imagepipe", BuildID: b}
	}
	tests := []struct {
		name   string
		r      client.WorkerDeploymentRoutingConfig
		routed bool
		want   []string
	}{
		{"current", client.WorkerDeploymentRoutingConfig{CurrentVersion: v("r2")}, true, []string{"is current"}},
		{"ramping", client.WorkerDeploymentRoutingConfig{CurrentVersion: v("r1"), RampingVersion: v("r2"), RampingVersionPercentage: 10}, true,
			[]string{"ramping", "10%"}},
		{"another is current", client.WorkerDeploymentRoutingConfig{CurrentVersion: v("r1")}, false,
			[]string{"not current", "start on build r1", "make promote DEPLOYMENT=imagepipe BUILD_ID=r2"}},
		{"none is current", client.WorkerDeploymentRoutingConfig{}, false,
			[]string{"not current", "start on unversioned workers", "make promote DEPLOYMENT=imagepipe BUILD_ID=r2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg, routed := routingMessage(tt.r, cfg)
			if routed != tt.routed {
				t.Errorf("routed = %v, want %v (%s)", routed, tt.routed, msg)
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q lacks %q", msg, w)
				}
			}
		})
	}
}
