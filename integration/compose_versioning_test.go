package integration

import (
	"strings"
	"testing"
)

// The compose workers are a version of a Worker Deployment, which gets no
// task until it is current: the promote job must promote exactly the
// workers' deployment and build ID, and the starter wait for it.
func TestCompose_PromoteJobMakesTheWorkersVersionCurrent(t *testing.T) {
	c := readCompose(t)
	env := c.Services["worker"].Environment
	name, build := env["IMAGEPIPE_DEPLOYMENT_NAME"], env["IMAGEPIPE_BUILD_ID"]
	if name == "" || build == "" {
		t.Fatalf("worker IMAGEPIPE_DEPLOYMENT_NAME=%q IMAGEPIPE_BUILD_ID=%q: want both set", name, build)
	}
	promote, ok := c.Services["temporal-promote"]
	if !ok {
		t.Fatal("no temporal-promote service")
	}
	script := ""
	if cmd, ok := promote.Command.([]any); ok {
		for _, s := range cmd {
			script += s.(string)
		}
	}
	for _, want := range []string{"set-current-version", "--deployment-name " + name, `--build-id "` + build + `"`} {
		if !strings.Contains(script, want) {
			t.Errorf("temporal-promote runs %q, which lacks %q", script, want)
		}
	}
	deps, _ := c.Services["starter"].DependsOn.(map[string]any)
	cond, _ := deps["temporal-promote"].(map[string]any)
	if cond["condition"] != "service_completed_successfully" {
		t.Errorf("starter depends on temporal-promote %v, want condition service_completed_successfully", deps["temporal-promote"])
	}
}
