package main

import (
	"runtime/debug"
	"strings"
	"testing"

	"go.temporal.io/sdk/worker"
)

// builtAs makes the binary's stamped version v for the test's duration.
func builtAs(t *testing.T, v string) {
	t.Helper()
	saved := binaryInfo
	binaryInfo = func() (*debug.BuildInfo, bool) {
		return &debug.BuildInfo{Main: debug.Module{Path: "github.com/imagepipe/imagepipe", Version: v}}, true
	}
	t.Cleanup(func() { binaryInfo = saved })
}

func TestLoadSettings_DeploymentNameTurnsWorkerVersioningOn(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe", "IMAGEPIPE_BUILD_ID": "2026-12-01.3"})
	cfg, _, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	want := worker.DeploymentOptions{UseVersioning: true, Version: worker.WorkerDeploymentVersion{DeploymentName: "imagepipe", BuildID: "2026-12-01.3"}}
	if got := cfg.deploymentOptions(); got != want {
		t.Errorf("deployment options %+v, want %+v", got, want)
	}
}

func TestLoadSettings_NoDeploymentNameLeavesTheWorkerUnversioned(t *testing.T) {
	cleanEnv(t, nil)
	cfg, _, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.deploymentOptions(); got != (worker.DeploymentOptions{}) {
		t.Errorf("deployment options %+v, want none", got)
	}
}

func TestLoadSettings_BuildIDDefaultsToTheBinarysVersion(t *testing.T) {
	for _, v := range []string{"v1.4.0", "v0.0.0-20261201115109-2a0eefe1a2b3"} {
		t.Run(v, func(t *testing.T) {
			builtAs(t, v)
			cleanEnv(t, map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe"})
			cfg, _, err := loadSettings()
			if err != nil {
				t.Fatal(err)
			}
			if got := cfg.deploymentOptions().Version.BuildID; got != v {
				t.Errorf("build ID %q, want the binary's version %q", got, v)
			}
		})
	}
}

func TestLoadSettings_BadDeploymentSettingNamesTheVariable(t *testing.T) {
	tests := []struct {
		name  string
		built string // the binary's stamped version
		env   map[string]string
		want  []string
	}{
		{"dot in the name", "v1.4.0", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe.eu"},
			[]string{`IMAGEPIPE_DEPLOYMENT_NAME="imagepipe.eu"`, "'.' or ':'", "such as imagepipe"}},
		{"colon in the name", "v1.4.0", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe:eu"},
			[]string{`IMAGEPIPE_DEPLOYMENT_NAME="imagepipe:eu"`, "'.' or ':'"}},
		{"reserved name", "v1.4.0", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "__imagepipe"},
			[]string{`IMAGEPIPE_DEPLOYMENT_NAME="__imagepipe"`, "reserves"}},
		{"reserved build ID", "v1.4.0", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe", "IMAGEPIPE_BUILD_ID": "__unversioned__"},
			[]string{`IMAGEPIPE_BUILD_ID="__unversioned__"`, "reserves", "git commit or tag"}},
		{"build ID too long", "v1.4.0", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe", "IMAGEPIPE_BUILD_ID": strings.Repeat("a", 481)},
			[]string{"IMAGEPIPE_BUILD_ID=", "longer than the server accepts"}},
		{"build ID without a deployment", "v1.4.0", map[string]string{"IMAGEPIPE_BUILD_ID": "v1.4.0"},
			[]string{`IMAGEPIPE_BUILD_ID="v1.4.0" without IMAGEPIPE_DEPLOYMENT_NAME`}},
		{"no build ID from an unstamped binary", "(devel)", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe"},
			[]string{"IMAGEPIPE_BUILD_ID unset", "no version of its own", "git commit or tag"}},
		{"no build ID from a modified tree", "v0.0.0-20261201115109-2a0eefe1a2b3+dirty", map[string]string{"IMAGEPIPE_DEPLOYMENT_NAME": "imagepipe"},
			[]string{"IMAGEPIPE_BUILD_ID unset", "modified tree"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			builtAs(t, tt.built)
			msg := refused(t, tt.env, tt.want...)
			for _, field := range []string{"DeploymentName", "BuildID"} {
				if strings.Contains(msg, field) {
					t.Errorf("error names Go field %q instead of the variable:\n%v", field, msg)
				}
			}
		})
	}
}

func TestPrintVersion_SaysTheBuildIDAVersionedWorkerRunsAs(t *testing.T) {
	tests := []struct {
		built, env string
		want       []string
	}{
		{"v1.4.0", "", []string{"worker github.com/imagepipe/imagepipe v1.4.0", "build ID: v1.4.0 (the binary's version"}},
		{"v1.4.0", "release-7", []string{"build ID: release-7 (from IMAGEPIPE_BUILD_ID)"}},
		{"(devel)", "", []string{"(devel)", "none of its own", "set IMAGEPIPE_BUILD_ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.built+"/"+tt.env, func(t *testing.T) {
			builtAs(t, tt.built)
			cleanEnv(t, map[string]string{"IMAGEPIPE_BUILD_ID": tt.env})
			var b strings.Builder
			printVersion(&b)
			for _, w := range tt.want {
				if !strings.Contains(b.String(), w) {
					t.Errorf("worker --version printed %q, which lacks %q", b.String(), w)
				}
			}
		})
	}
}
