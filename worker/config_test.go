package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/imagepipe/imagepipe/providers/oci/ocisim"
	"github.com/imagepipe/imagepipe/workflows"
)

// cleanEnv runs the test with no IMAGEPIPE_* variable set, then sets env.
func cleanEnv(t *testing.T, env map[string]string) {
	t.Helper()
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "IMAGEPIPE_") {
			t.Setenv(k, "") // restored after the test
			if err := os.Unsetenv(k); err != nil {
				t.Fatal(err)
			}
		}
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
}

// refused is the message loadSettings refuses env with, every other
// IMAGEPIPE_ variable unset. The test fails if the settings are
// accepted, and for each of wants the message lacks.
func refused(t *testing.T, env map[string]string, wants ...string) string {
	t.Helper()
	cleanEnv(t, env)
	_, _, err := loadSettings()
	if err == nil {
		t.Fatal("settings accepted")
	}
	for _, want := range wants {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	return err.Error()
}

// ociConfigFile writes an OCI config file for fresh credentials and
// returns its path, with edit applied to the file's text.
func ociConfigFile(t *testing.T, edit func(string) string) string {
	t.Helper()
	creds, err := ocisim.GenerateCredentials()
	if err != nil {
		t.Fatal(err)
	}
	path, err := creds.WriteFiles(t.TempDir(), "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(edit(string(b))), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

var fingerprintLine = regexp.MustCompile(`(?m)^fingerprint=.*$`)

func TestLoadSettings_DefaultsAreValidAndLeaveVendorsUnconfigured(t *testing.T) {
	cleanEnv(t, nil)
	cfg, acts, err := loadSettings()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.TaskQueue != workflows.TaskQueue || cfg.MaxConcurrentActivities != 100 || cfg.StopTimeout.String() != "30s" || cfg.MetricsAddr != "" {
		t.Errorf("defaults: %+v", cfg)
	}
	// A nil client must stay a nil interface, or steps would call through it.
	if len(acts.configured) > 0 {
		t.Fatalf("activities = %+v, want no vendor configured", acts)
	}
}

func TestLoadSettings_TaskQueueIsTheSharedVariable(t *testing.T) {
	cleanEnv(t, map[string]string{"IMAGEPIPE_TASK_QUEUE": "imagepipe-eu"})
	cfg, _, err := loadSettings()
	if err != nil || cfg.TaskQueue != "imagepipe-eu" {
		t.Fatalf("task queue %q, %v; want imagepipe-eu", cfg.TaskQueue, err)
	}
}

// Each bad setting is refused with the variable's name, never a Go field
// name, and what a good value looks like.
func TestLoadSettings_BadSettingNamesTheVariableAndAGoodValue(t *testing.T) {
	fpp := map[string]string{"IMAGEPIPE_FPP_ENDPOINT": "https://fpp.example:8894", "IMAGEPIPE_FPP_USERNAME": "rest", "IMAGEPIPE_FPP_PASSWORD": "pw"}
	goodOCI := ociConfigFile(t, func(s string) string { return s })
	tests := []struct {
		name string
		env  map[string]string
		want []string
		// notWant are Go field names that must not leak into the message.
		notWant []string
	}{
		{"negative stop timeout", map[string]string{"IMAGEPIPE_STOP_TIMEOUT": "-5s"},
			[]string{`IMAGEPIPE_STOP_TIMEOUT="-5s"`, "negative", "such as 30s"}, []string{"StopTimeout"}},
		{"stop timeout not a duration", map[string]string{"IMAGEPIPE_STOP_TIMEOUT": "soon"},
			[]string{`IMAGEPIPE_STOP_TIMEOUT="soon"`, "such as 30s"}, []string{"StopTimeout"}},
		{"no concurrent activities", map[string]string{"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES": "0"},
			[]string{`IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES="0"`, "at least 1"}, nil},
		{"negative concurrent activities", map[string]string{"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES": "-1"},
			[]string{`IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES="-1"`, "at least 1"}, nil},
		{"concurrent activities not a number", map[string]string{"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES": "lots"},
			[]string{`IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES="lots"`, "at least 1"}, []string{"MaxConcurrentActivities"}},
		{"empty task queue", map[string]string{"IMAGEPIPE_TASK_QUEUE": ""},
			[]string{`IMAGEPIPE_TASK_QUEUE=""`, "empty task queue", "such as imagepipe"}, nil},
		{"log level", map[string]string{"IMAGEPIPE_LOG_LEVEL": "verbose"},
			[]string{`IMAGEPIPE_LOG_LEVEL="verbose"`, "debug, info, warn or error"}, nil},
		{"log format", map[string]string{"IMAGEPIPE_LOG_FORMAT": "xml"},
			[]string{`IMAGEPIPE_LOG_FORMAT="xml"`, "json", "console"}, nil},
		{"metrics address without a port", map[string]string{"IMAGEPIPE_METRICS_ADDR": "localhost"},
			[]string{`IMAGEPIPE_METRICS_ADDR="localhost"`, "not host:port", "such as :9090"}, []string{"MetricsAddr"}},
		{"metrics address with a named port", map[string]string{"IMAGEPIPE_METRICS_ADDR": "0.0.0.0:metrics"},
			[]string{`IMAGEPIPE_METRICS_ADDR="0.0.0.0:metrics"`, `port "metrics"`, "such as :9090"}, []string{"MetricsAddr"}},
		{"metrics port out of range", map[string]string{"IMAGEPIPE_METRICS_ADDR": ":90900"},
			[]string{`IMAGEPIPE_METRICS_ADDR=":90900"`, "0 to 65535"}, nil},
		{"fpp over http", envWith(fpp, "IMAGEPIPE_FPP_ENDPOINT", "http://fpp.example:8894"),
			[]string{"IMAGEPIPE_FPP_ENDPOINT", "HTTPS only", "https://fpp.example:8894"}, []string{"Endpoint:"}},
		{"fpp without user", envWith(fpp, "IMAGEPIPE_FPP_USERNAME", ""),
			[]string{"IMAGEPIPE_FPP_USERNAME", "REST user"}, []string{"Username"}},
		{"fpp CA file absent", envWith(fpp, "IMAGEPIPE_FPP_CA_FILE", "/nonexistent/ca.pem"),
			[]string{"IMAGEPIPE_FPP_CA_FILE", "no such file", "PEM file"}, []string{"CAFile"}},
		{"fpp settings without endpoint", map[string]string{"IMAGEPIPE_FPP_USERNAME": "rest", "IMAGEPIPE_FPP_ENDPIONT": "https://fpp.example:8894"},
			[]string{"IMAGEPIPE_FPP_USERNAME is set but IMAGEPIPE_FPP_ENDPOINT is empty"}, nil},
		{"huawei without project", map[string]string{"IMAGEPIPE_HUAWEI_ENDPOINT": "https://ims.example", "IMAGEPIPE_HUAWEI_ACCESS_KEY": "ak", "IMAGEPIPE_HUAWEI_SECRET_KEY": "sk"},
			[]string{"IMAGEPIPE_HUAWEI_PROJECT_ID", "project ID"}, []string{"Config.ProjectID", "ProjectID"}},
		{"zstack without account", map[string]string{"IMAGEPIPE_ZSTACK_ENDPOINT": "http://zstack.example:8080", "IMAGEPIPE_ZSTACK_PASSWORD": "pw"},
			[]string{"IMAGEPIPE_ZSTACK_ACCOUNT", "e.g. admin"}, []string{"AccountName"}},
		{"oci config file absent", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": "/nonexistent/oci/config"},
			[]string{`IMAGEPIPE_OCI_CONFIG_FILE="/nonexistent/oci/config"`, "no such file", "oci setup config"}, nil},
		{"oci profile absent", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": goodOCI, "IMAGEPIPE_OCI_PROFILE": "NOPE"},
			[]string{`IMAGEPIPE_OCI_PROFILE="NOPE"`, "[NOPE]"}, nil},
		{"oci endpoint", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": goodOCI, "IMAGEPIPE_OCI_ENDPOINT": "127.0.0.1:9101"},
			[]string{"IMAGEPIPE_OCI_ENDPOINT", "scheme and host, like http://127.0.0.1:9101"}, []string{"config: Endpoint"}},
		{"oci malformed fingerprint", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": ociConfigFile(t, func(s string) string {
			return fingerprintLine.ReplaceAllString(s, "fingerprint=aa:bb")
		})}, []string{"IMAGEPIPE_OCI_CONFIG_FILE=", "key fingerprint", "16 colon-separated hex pairs"}, []string{"Fingerprint"}},
		{"oci another key's fingerprint", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": ociConfigFile(t, func(s string) string {
			return fingerprintLine.ReplaceAllString(s, "fingerprint=20:3b:97:13:55:1c:5b:0d:d3:37:d8:50:4e:c5:3a:34")
		})}, []string{"IMAGEPIPE_OCI_CONFIG_FILE=", "key fingerprint", "not the fingerprint of the key"}, []string{"Fingerprint"}},
		{"oci key file absent", map[string]string{"IMAGEPIPE_OCI_CONFIG_FILE": ociConfigFile(t, func(s string) string {
			return regexp.MustCompile(`(?m)^key_file=.*$`).ReplaceAllString(s, "key_file="+filepath.Join(t.TempDir(), "absent.pem"))
		})}, []string{"IMAGEPIPE_OCI_CONFIG_FILE=", "key key_file", "no such file"}, []string{"KeyFile"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := refused(t, tt.env, tt.want...)
			for _, bad := range tt.notWant {
				if strings.Contains(msg, bad) {
					t.Errorf("error names Go field %q instead of the variable:\n%v", bad, msg)
				}
			}
		})
	}
}

func TestLoadSettings_ReportsEveryProblemAtOnce(t *testing.T) {
	refused(t, map[string]string{
		"IMAGEPIPE_STOP_TIMEOUT":              "-1s",
		"IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES": "0",
		"IMAGEPIPE_LOG_LEVEL":                 "loud",
		"IMAGEPIPE_FPP_ENDPOINT":              "http://fpp.example:8894",
		"IMAGEPIPE_ZSTACK_ENDPOINT":           "http://zstack.example:8080",
	}, "IMAGEPIPE_STOP_TIMEOUT", "IMAGEPIPE_MAX_CONCURRENT_ACTIVITIES", "IMAGEPIPE_LOG_LEVEL",
		"IMAGEPIPE_FPP_ENDPOINT", "IMAGEPIPE_FPP_USERNAME", "IMAGEPIPE_FPP_PASSWORD", "IMAGEPIPE_ZSTACK_ACCOUNT", "IMAGEPIPE_ZSTACK_PASSWORD")
}

// Secrets never reach a message, even when the setting around them is bad.
func TestLoadSettings_ProblemsNeverShowSecrets(t *testing.T) {
	msg := refused(t, map[string]string{
		"IMAGEPIPE_FPP_ENDPOINT":      "http://fpp.example:8894",
		"IMAGEPIPE_FPP_PASSWORD":      "fpp-s3cret",
		"IMAGEPIPE_HUAWEI_ENDPOINT":   "ims.example",
		"IMAGEPIPE_HUAWEI_SECRET_KEY": "huawei-s3cret",
		"IMAGEPIPE_ZSTACK_ENDPOINT":   "zstack.example",
		"IMAGEPIPE_ZSTACK_PASSWORD":   "zstack-s3cret",
	})
	if strings.Contains(msg, "s3cret") {
		t.Errorf("error shows a secret:\n%s", msg)
	}
}

// A bad payload key stops the worker before it connects or polls, with
// the other problems, naming the variable and never the key.
func TestLoadSettings_BadCodecKeyIsASettingsErrorNamingTheVariable(t *testing.T) {
	short := base64.StdEncoding.EncodeToString([]byte("only-16-bytes-ab"))
	msg := refused(t, map[string]string{"IMAGEPIPE_CODEC_KEYS": "k1=" + short, "IMAGEPIPE_LOG_LEVEL": "loud"},
		"settings: 2 problems", `IMAGEPIPE_CODEC_KEYS: entry 1: key "k1": 16 bytes; want 32`, "IMAGEPIPE_LOG_LEVEL=")
	if strings.Contains(msg, short) {
		t.Errorf("error shows the key: %v", msg)
	}
}
